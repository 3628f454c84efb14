import { formatFiscalYear } from '../../domain/calendar.js';
import { PLAN_KPIS, type PlanKpi } from '../../domain/plan.js';
import { formatPercent } from '../../domain/rounding.js';
import type { Lang, Translate } from '../../i18n/index.js';
import type { TargetRow } from '../../services/plan.service.js';

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
 * the yearly progress report (one year, no column) show the same table.
 */
export function TargetsTable(p: { t: Translate; lang?: Lang; caption: string; className?: string; rows: { fiscalYear?: number; measure: string; row: TargetRow }[] }) {
  const { t, lang = 'ja' } = p;
  const withYear = p.rows.some((r) => r.fiscalYear !== undefined);
  return (
    <table class={`data-table${p.className ? ` ${p.className}` : ''}`}>
      <caption>{p.caption}</caption>
      <thead>
        <tr>
          {withYear ? <th scope="col">{t('field.fiscalYear')}</th> : null}
          <th scope="col">{t('plan.measure')}</th>
          <th scope="col">{t('field.kpi')}</th>
          <th scope="col">{t('plan.target')}</th>
          <th scope="col">{t('plan.actual')}</th>
          <th scope="col">{t('plan.rate')}</th>
        </tr>
      </thead>
      <tbody>
        {p.rows.map(({ fiscalYear, measure, row: r }) => (
          <tr>
            {withYear ? <td>{fiscalYear === undefined ? '' : formatFiscalYear(fiscalYear, lang)}</td> : null}
            <th scope="row">{measure}</th>
            <td>{t(`plan.kpi.${r.kpi}`)}</td>
            <td class="num">{kpiText(t, r.kpi, r.target)}</td>
            <td class="num">{kpiText(t, r.kpi, r.actual)}</td>
            <td class="num">{rateText(t, r)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
