import { formatFiscalYear } from '../../domain/calendar.js';
import { PLAN_KPIS, type PlanKpi, type TargetVerdict } from '../../domain/plan.js';
import { formatPercent } from '../../domain/rounding.js';
import type { Lang, Translate } from '../../i18n/index.js';
import type { TargetRow } from '../../services/plan.service.js';
import { type Column, DataTable } from './components.js';

/** A KPI's value with its unit: 「3回」, 「60.0%」, 「0.45ポイント」; a dash when there is none. */
export function kpiText(t: Translate, kpi: PlanKpi, value: number | null): string {
  if (value === null) return '—';
  const unit = PLAN_KPIS[kpi].unit;
  if (unit === 'percent') return formatPercent(value);
  return t(`plan.unit.${unit}`, { n: unit === 'points' ? value.toFixed(2) : value.toLocaleString('ja-JP') });
}

/** The verdict in words: 達成, 未達成, 年度途中・年度末に判定; 集計前 when there is none (a year not begun). */
export const verdictText = (t: Translate, verdict: TargetVerdict | null): string => (verdict === null ? t('plan.notYet') : t(`plan.verdict.${verdict}`));

/** 達成率 with the verdict, in words (readable without colour): 「66.7%（年度途中・年度末に判定）」. */
export function rateText(t: Translate, r: Pick<TargetRow, 'rate' | 'verdict'>): string {
  if (r.rate === null) return t('plan.notYet');
  return r.verdict === null ? formatPercent(r.rate) : t('plan.rateWith', { rate: formatPercent(r.rate), verdict: verdictText(t, r.verdict) });
}

/**
 * Targets beside their actuals and 達成率, one row per target: the plan sheet (with a year column) and
 * the yearly progress report (one year, no column) show the same table, followed by how the verdict is
 * reached when a target of the current year is shown as in progress. A grid of figures: it scrolls on a
 * phone rather than stacking.
 */
export function TargetsTable(p: { t: Translate; lang?: Lang; caption: string; className?: string; rows: { fiscalYear?: number; measure: string; row: TargetRow }[] }) {
  const { t, lang = 'ja' } = p;
  type Line = (typeof p.rows)[number];
  const withYear = p.rows.some((r) => r.fiscalYear !== undefined);
  const columns: Column<Line>[] = [
    ...(withYear ? [{ key: 'fiscalYear', label: t('field.fiscalYear'), cell: (l: Line) => (l.fiscalYear === undefined ? '' : formatFiscalYear(l.fiscalYear, lang)) }] : []),
    { key: 'measure', label: t('plan.measure'), rowHeader: true, cell: (l) => l.measure },
    { key: 'kpi', label: t('field.kpi'), cell: (l) => t(`plan.kpi.${l.row.kpi}`) },
    { key: 'target', label: t('plan.target'), numeric: true, cell: (l) => kpiText(t, l.row.kpi, l.row.target) },
    { key: 'actual', label: t('plan.actual'), numeric: true, cell: (l) => kpiText(t, l.row.kpi, l.row.actual) },
    { key: 'rate', label: t('plan.rate'), numeric: true, cell: (l) => rateText(t, l.row) },
  ];
  return (
    <>
      <DataTable t={t} caption={p.caption} class={p.className} stack={false} columns={columns} rows={p.rows} />
      {p.rows.some((l) => l.row.verdict === 'in_progress') ? <p class="hint">{t('plan.verdictNote')}</p> : null}
    </>
  );
}
