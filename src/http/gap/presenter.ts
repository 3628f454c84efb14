import { roundHalfUp } from '../../domain/rounding.js';
import type { Translate } from '../../i18n/index.js';
import type { ChangeEstimate, GapIndicators } from '../../services/gap.service.js';

/** A change with its sign and two places ("+0.85"), or a dash. */
export const signed = (v: number | null) => (v === null ? '—' : `${v > 0 ? '+' : ''}${roundHalfUp(v, 2).toFixed(2)}`);
/** A share from 0 to 1 as a percentage with one place ("42.9%"). */
const pct = (share: number) => `${roundHalfUp(share * 100, 1).toFixed(1)}%`;
export const ci = (t: Translate, e: ChangeEstimate) => (e.ci95 ? `${signed(e.ci95[0])} ～ ${signed(e.ci95[1])}` : e.n > 0 ? t('gaps.noInterval') : '—');

/** One figure of the year: a number (a change carries its sign on the page), a text, or none (`empty` says why). */
export interface GapLine {
  label: string;
  value: number | string | null;
  signed?: boolean;
  empty?: string;
}

/** The year's figures in report order (shared by the page and the exports, where numbers stay numbers). */
export function gapLines(t: Translate, g: GapIndicators): GapLine[] {
  const u = g.understanding;
  const o = g.opportunity;
  const k = g.talent;
  const noInterval = u.n > 0 ? t('gaps.noInterval') : undefined;
  const share = (s: number, part: number, whole: number) => t('gaps.shareOf', { share: pct(s), part, whole });
  return [
    { label: `${t('gaps.understanding')}：${t('gaps.meanChange')}`, value: u.meanChange, signed: true },
    { label: `${t('gaps.understanding')}：${t('gaps.pairs')}`, value: u.n },
    { label: `${t('gaps.understanding')}：${t('gaps.lower')}`, value: u.ci95?.[0] ?? null, signed: true, empty: noInterval },
    { label: `${t('gaps.understanding')}：${t('gaps.upper')}`, value: u.ci95?.[1] ?? null, signed: true, empty: noInterval },
    { label: `${t('gaps.opportunity')}：${t('gaps.fieldTrainings')}`, value: o.fieldTrainings },
    { label: `${t('gaps.opportunity')}：${t('gaps.participants')}`, value: o.participants },
    { label: `${t('gaps.opportunity')}：${t('gaps.unitsReached')}`, value: share(o.unitsReachedShare, o.unitsReached, o.units) },
    { label: `${t('gaps.opportunity')}：${t('gaps.municipalitiesReached')}`, value: share(o.municipalitiesReachedShare, o.municipalitiesReached, o.municipalities) },
    { label: `${t('gaps.opportunity')}：${t('gaps.hostPartners')}`, value: o.hostPartners },
    { label: `${t('gaps.talent')}：${t('gaps.activeCoordinators')}`, value: k.activeCoordinators },
    { label: `${t('gaps.talent')}：${t('gaps.consultationsServed')}`, value: k.consultationsServed },
    { label: `${t('gaps.talent')}：${t('gaps.municipalitiesServed')}`, value: share(k.municipalitiesServedShare, k.municipalitiesServed, k.municipalities) },
  ];
}

/** A line's value as the page shows it. */
export const shown = (l: GapLine) => (l.value === null ? (l.empty ?? '—') : typeof l.value === 'number' && l.signed ? signed(l.value) : String(l.value));
/** A line's value in a download: numbers as numbers (a sign would read as a formula), nothing as an empty cell. */
const exported = (l: GapLine) => l.value ?? '';

/** The year's download: 指標 and the year's column. */
export const gapColumns = (yearHeader: string) => [
  { header: '指標', value: (x: GapLine) => x.label },
  { header: yearHeader, value: exported },
];

/** Every line for every year of records, one row per line and one column per year. */
export function gapTrendRows(perYear: GapLine[][]): (string | number)[][] {
  return (perYear[0] ?? []).map((line, i) => [line.label, ...perYear.map((lines) => exported(lines[i]!))]);
}
