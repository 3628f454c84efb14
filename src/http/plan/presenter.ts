import { formatFiscalYear } from '../../domain/calendar.js';
import type { Lang, Translate } from '../../i18n/index.js';
import type { planItemSheet } from '../../services/plan.service.js';
import type { MeasureFigures } from '../../services/report.service.js';
import { rateText } from '../views/plan-target-table.js';

export type Sheet = NonNullable<Awaited<ReturnType<typeof planItemSheet>>>;
export type SheetMeasure = Sheet['measures'][number];

/** The figures of a measure in a year, as one line (only those that apply). */
export function figuresText(t: Translate, f: MeasureFigures | undefined): string {
  if (!f) return '';
  const parts = [
    f.sessionsHeld ? t('plan.fig.sessions', { n: f.sessionsHeld }) : '',
    f.fieldTrainingsHeld ? t('plan.fig.field', { n: f.fieldTrainingsHeld }) : '',
    f.participants ? t('plan.fig.participants', { n: f.participants, total: f.attendances }) : '',
    f.completions ? t('plan.fig.completions', { n: f.completions }) : '',
    f.coordinatorsCertified !== null && f.coordinatorsCertified > 0 ? t('plan.fig.coordinators', { n: f.coordinatorsCertified }) : '',
  ].filter(Boolean);
  return parts.length ? parts.join('、') : t('plan.fig.none');
}

/** The targets of the sheet's years, one row per target: year, measure, indicator, target, actual, 達成率. */
export function targetLines(s: Sheet) {
  return s.years.flatMap((y) => s.measures.flatMap((m) => (m.targets.get(y) ?? []).map((r) => ({ y, m, r }))));
}

/** The plan period's years (the sheet's grid shows no later year). */
export const periodOf = (s: Sheet) => s.years.filter((y) => y <= s.plan.last_fiscal_year);

export const directionTitle = (t: Translate, s: Sheet, lang: Lang) => t('plan.direction', { fy: formatFiscalYear(s.plan.last_fiscal_year + 1, lang, 'wareki') });

/** A grid cell: its text, and an arrow where the work carries on (「継続実施 →」, or 「→」 alone). */
export function cellText(m: SheetMeasure, y: number): string {
  const c = m.cells.get(y);
  return c ? `${c.text}${c.arrow ? (c.text ? ' →' : '→') : ''}` : '';
}

/** The sheet as rows for xlsx: the same sections, grid and actuals. */
export function sheetRows(t: Translate, s: Sheet) {
  const period = periodOf(s);
  const width = Math.max(6, period.length + 1);
  const rows: (string | number | null)[][] = [];
  const merges: string[] = [];
  const bold: number[] = [];
  const col = (n: number) => String.fromCharCode(64 + n);
  const full = (text: string, isBold = false) => {
    rows.push([text, ...Array(width - 1).fill(null)]);
    merges.push(`A${rows.length}:${col(width)}${rows.length}`);
    if (isBold) bold.push(rows.length);
  };
  rows.push([t('plan.item'), `${s.item.number} ${s.item.title}`, null, t('plan.owningUnits'), s.item.owning_units, ...Array(Math.max(0, width - 5)).fill(null)]);
  merges.push(`B1:C1`);
  if (width > 5) merges.push(`E1:${col(width)}1`);
  full(t('plan.section1'), true);
  full(s.item.situation);
  full(t('plan.section2'), true);
  full(t('plan.approach'), true);
  full(s.item.approach);
  full(t('plan.measures'), true);
  for (const m of s.measures) full(`${m.label} ${m.measure.title}${m.repeated ? t('plan.repeated') : ''}\n${m.measure.description}`);
  full(directionTitle(t, s, 'ja'), true);
  full(s.item.direction);
  full(t('plan.section3'), true);
  rows.push([t('plan.measure'), ...period.map((y) => formatFiscalYear(y, 'ja', 'wareki')), ...Array(width - 1 - period.length).fill(null)]);
  bold.push(rows.length);
  for (const m of s.measures) rows.push([`${m.label} ${m.measure.title}`, ...period.map((y) => cellText(m, y)), ...Array(width - 1 - period.length).fill(null)]);
  full(t('plan.section4'), true);
  rows.push([t('field.fiscalYear'), t('plan.measure'), t('plan.status'), t('plan.rating'), t('plan.results'), t('plan.figures'), ...Array(width - 6).fill(null)]);
  bold.push(rows.length);
  for (const y of s.pastYears) {
    const w = s.progressOf(0, y);
    const wareki = formatFiscalYear(y, 'ja', 'wareki');
    rows.push([wareki, t('plan.whole'), w?.status ? t(`plan.status.${w.status}`) : '', w?.rating ?? '', [w?.results, w?.changes ? `${t('plan.changes')}：${w.changes}` : '', w?.further ? `${t('plan.further')}：${w.further}` : ''].filter(Boolean).join('\n'), '', ...Array(width - 6).fill(null)]);
    for (const m of s.measures) {
      const p = s.progressOf(m.measure.id, y);
      rows.push([wareki, m.label, p?.status ? t(`plan.status.${p.status}`) : '', p?.rating ?? '', p?.results ?? '', figuresText(t, m.figures.get(y)), ...Array(width - 6).fill(null)]);
    }
  }
  full(t('plan.targets'), true);
  rows.push([t('field.fiscalYear'), t('plan.measure'), t('field.kpi'), t('plan.target'), t('plan.actual'), t('plan.rate'), ...Array(width - 6).fill(null)]);
  bold.push(rows.length);
  for (const { y, m, r } of targetLines(s)) rows.push([formatFiscalYear(y, 'ja'), m.label, t(`plan.kpi.${r.kpi}`), r.target, r.actual, rateText(t, r), ...Array(width - 6).fill(null)]);
  return { rows, merges, bold, widths: [22, ...Array(width - 1).fill(18)] };
}

/** A plan as the API answers. */
export const planJson = (p: Sheet['plan']) => ({ id: p.id, title: p.title, firstFiscalYear: p.first_fiscal_year, lastFiscalYear: p.last_fiscal_year, ratingLabels: p.rating_labels });

/** A plan item as the API answers. */
export const planItemJson = (i: Sheet['item']) => ({
  id: i.id,
  planId: i.plan_id,
  number: i.number,
  title: i.title,
  owningUnits: i.owning_units,
  situation: i.situation,
  approach: i.approach,
  direction: i.direction,
});

/** An item's sheet as the API answers: the item, its years, and each measure with its grid, figures, targets and progress. */
export function planSheetJson(s: Sheet) {
  const progressOf = (measureId: number) =>
    s.years.flatMap((fy) => {
      const p = s.progressOf(measureId, fy);
      return p ? [{ fiscalYear: fy, ...p }] : [];
    });
  return {
    ...planItemJson(s.item),
    plan: planJson(s.plan),
    years: s.years,
    progress: progressOf(0),
    measures: s.measures.map((m) => ({
      id: m.measure.id,
      label: m.label,
      repeated: m.repeated,
      title: m.measure.title,
      description: m.measure.description,
      programmeIds: m.measure.programme_ids,
      schedule: s.years.flatMap((fy) => {
        const c = m.cells.get(fy);
        return c ? [{ fiscalYear: fy, text: c.text, arrow: c.arrow }] : [];
      }),
      figures: [...m.figures.entries()].map(([fiscalYear, f]) => ({ fiscalYear, ...f })),
      targets: [...m.targets.entries()].flatMap(([fiscalYear, rows]) => rows.map((r) => ({ fiscalYear, ...r }))),
      progress: progressOf(m.measure.id),
    })),
  };
}
