import { formatFiscalYear } from '../../domain/calendar.js';
import { PLAN_KPIS, type PlanKpi } from '../../domain/plan.js';
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

/** 達成率 with whether the target is met, in words (readable without colour). */
export function rateText(t: Translate, r: Pick<TargetRow, 'rate' | 'met'>): string {
  if (r.rate === null) return t('plan.notYet');
  return t('plan.rateWith', { rate: formatPercent(r.rate), verdict: t(r.met ? 'plan.met' : 'plan.notMet') });
}

/**
 * Targets beside their actuals and 達成率, one row per target: the plan sheet (with a year column) and
 * the yearly progress report (one year, no column) show the same table. A grid of figures: it scrolls
 * on a phone rather than stacking.
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
  return <DataTable t={t} caption={p.caption} class={p.className} stack={false} columns={columns} rows={p.rows} />;
}
