import { formatFiscalYear } from '../../domain/calendar.js';
import { formatPercent, roundHalfUp } from '../../domain/rounding.js';
import type { Translate } from '../../i18n/index.js';
import type { GapIndicators } from '../../services/gap.service.js';
import type { ProgressEntry } from '../../services/plan.service.js';
import type { ProgressReport } from '../../services/progress-report.service.js';
import { verdictText } from '../views/plan-target-table.js';

/** A change on the 5-point scale: signed, two places, rounded half up. */
export const signed = (v: number) => `${v > 0 ? '+' : v < 0 ? '−' : '±'}${Math.abs(roundHalfUp(v, 2)).toFixed(2)}`;
export const points = (t: Translate, v: number | null) => (v === null ? '—' : t('plan.unit.points', { n: signed(v) }));
const shareText = (t: Translate, share: number, n: number, total: number) => t('progress.shareOf', { pct: formatPercent(roundHalfUp(share * 100, 1)), n, total });

export type Gap = 'understanding' | 'opportunity' | 'talent';

/** The year's three gap indicators as lines of [gap, indicator, figure]: the page's tables and the xlsx sheet. */
export function gapLines(t: Translate, g: GapIndicators): { gap: Gap; label: string; value: string }[] {
  const u = g.understanding;
  const o = g.opportunity;
  const k = g.talent;
  return [
    { gap: 'understanding', label: t('progress.meanChange'), value: points(t, u.meanChange) },
    { gap: 'understanding', label: t('progress.pairs'), value: String(u.n) },
    { gap: 'understanding', label: t('progress.ci95'), value: u.ci95 ? `${signed(u.ci95[0])} 〜 ${signed(u.ci95[1])}` : t('progress.ciTooFew') },
    { gap: 'opportunity', label: t('progress.fieldTrainings'), value: t('plan.unit.times', { n: o.fieldTrainings }) },
    { gap: 'opportunity', label: t('progress.fieldParticipants'), value: t('plan.unit.people', { n: o.participants }) },
    { gap: 'opportunity', label: t('progress.unitsReached'), value: shareText(t, o.unitsReachedShare, o.unitsReached, o.units) },
    { gap: 'opportunity', label: t('progress.municipalitiesReached'), value: shareText(t, o.municipalitiesReachedShare, o.municipalitiesReached, o.municipalities) },
    { gap: 'opportunity', label: t('progress.hostPartners'), value: t('plan.unit.organisations', { n: o.hostPartners }) },
    { gap: 'talent', label: t('progress.activeCoordinators'), value: t('plan.unit.people', { n: k.activeCoordinators }) },
    { gap: 'talent', label: t('progress.consultationsServed'), value: t('plan.unit.cases', { n: k.consultationsServed }) },
    { gap: 'talent', label: t('progress.municipalitiesServed'), value: shareText(t, k.municipalitiesServedShare, k.municipalitiesServed, k.municipalities) },
  ];
}

/** The headline figure of each indicator, per year, for the trend table. */
export const trendRows = (t: Translate): { label: string; value: (g: GapIndicators) => string }[] => [
  { label: t('progress.meanChange'), value: (g) => (g.understanding.meanChange === null ? '—' : signed(g.understanding.meanChange)) },
  { label: t('progress.pairs'), value: (g) => String(g.understanding.n) },
  { label: t('progress.fieldTrainings'), value: (g) => String(g.opportunity.fieldTrainings) },
  { label: t('progress.fieldParticipants'), value: (g) => String(g.opportunity.participants) },
  { label: t('progress.unitsReached'), value: (g) => formatPercent(roundHalfUp(g.opportunity.unitsReachedShare * 100, 1)) },
  { label: t('progress.municipalitiesReached'), value: (g) => formatPercent(roundHalfUp(g.opportunity.municipalitiesReachedShare * 100, 1)) },
  { label: t('progress.hostPartners'), value: (g) => String(g.opportunity.hostPartners) },
  { label: t('progress.activeCoordinators'), value: (g) => String(g.talent.activeCoordinators) },
  { label: t('progress.consultationsServed'), value: (g) => String(g.talent.consultationsServed) },
  { label: t('progress.municipalitiesServed'), value: (g) => formatPercent(roundHalfUp(g.talent.municipalitiesServedShare * 100, 1)) },
];

export type ReportItem = ProgressReport['items'][number];
export type Line = { item: ReportItem; label: string; entry: ProgressEntry | null };
/** Each item's lines: the item as a whole, then its measures (ア, イ …). */
export const linesOf = (t: Translate, item: ReportItem): Line[] => [
  { item, label: t('progress.whole'), entry: item.progress },
  ...item.measures.map((m) => ({ item, label: `${m.label} ${m.measure.title}${m.repeated ? t('progress.repeated') : ''}`, entry: m.progress })),
];
export const statusText = (t: Translate, e: ProgressEntry | null) => (e?.status ? t(`plan.status.${e.status}`) : '—');

/** The report as the xlsx's four sheets: progress, targets, the gap indicators and their trend. */
export function reportSheets(t: Translate, rep: ProgressReport, fy: number) {
  const fyJa = formatFiscalYear(fy, 'ja');
  const lines = rep.items.flatMap((it) => linesOf(t, it));
  return [
    {
      name: t('progress.situation'),
      columns: [
        { header: t('plan.item'), key: 'item', width: 30 },
        { header: t('plan.measure'), key: 'measure', width: 30 },
        { header: t('plan.status'), key: 'status', width: 16 },
        { header: t('plan.rating'), key: 'rating', width: 8 },
        { header: t('progress.situation'), key: 'results', width: 60 },
        { header: t('progress.issues'), key: 'changes', width: 50 },
        { header: t('progress.next'), key: 'further', width: 50 },
      ],
      rows: lines.map((l) => ({
        item: `${l.item.item.number} ${l.item.item.title}`,
        measure: l.label,
        status: statusText(t, l.entry),
        rating: l.entry?.rating ?? '',
        results: l.entry?.results ?? '',
        changes: l.entry?.changes ?? '',
        further: l.entry?.further ?? '',
      })),
    },
    {
      name: t('progress.targets'),
      columns: [
        { header: t('plan.item'), key: 'item', width: 30 },
        { header: t('plan.measure'), key: 'measure', width: 8 },
        { header: t('field.kpi'), key: 'kpi', width: 40 },
        { header: t('plan.target'), key: 'target', width: 10 },
        { header: t('plan.actual'), key: 'actual', width: 10 },
        { header: `${t('plan.rate')}（%）`, key: 'rate', width: 10, numFmt: '0.0' },
        { header: t('plan.verdict'), key: 'verdict', width: 24 },
      ],
      rows: rep.items.flatMap((it) =>
        it.measures.flatMap((m) =>
          m.targets.map((x) => ({
            item: `${it.item.number} ${it.item.title}`,
            measure: m.label,
            kpi: t(`plan.kpi.${x.kpi}`),
            target: x.target,
            actual: x.actual,
            rate: x.rate,
            verdict: verdictText(t, x.verdict),
          })),
        ),
      ),
    },
    {
      name: t('progress.gaps'),
      columns: [
        { header: t('progress.section'), key: 'gap', width: 36 },
        { header: t('progress.indicator'), key: 'label', width: 50 },
        { header: fyJa, key: 'value', width: 24 },
      ],
      rows: rep.gaps ? gapLines(t, rep.gaps).map((l) => ({ gap: t(`progress.gap.${l.gap}`), label: l.label, value: l.value })) : [{ gap: '', label: t('progress.notYet'), value: '' }],
    },
    {
      name: t('progress.trend'),
      columns: [{ header: t('progress.indicator'), key: 'label', width: 50 }, ...rep.trend.map((y) => ({ header: formatFiscalYear(y.fiscalYear, 'ja'), key: `y${y.fiscalYear}`, width: 14 }))],
      rows: trendRows(t).map((row) => ({ label: row.label, ...Object.fromEntries(rep.trend.map((y) => [`y${y.fiscalYear}`, row.value(y)])) })),
    },
  ];
}
