import { formatWareki } from '../../domain/calendar.js';
import { EVENT_DATASET_COLUMNS } from '../../domain/report.js';
import { PERCENT_PLACES, roundHalfUp } from '../../domain/rounding.js';
import { AFFILIATIONS, CONSULTATION_KPI_OUTCOMES } from '../../domain/values.js';
import type { Translate } from '../../i18n/index.js';
import type { CoverageRow, FiscalYearKpis, implementationTable, openDataEvents } from '../../services/report.service.js';

/** Means and changes: two places, rounded half up (domain/rounding.ts), never truncated. */
export const fmt2 = (v: number | null) => (v === null ? '—' : roundHalfUp(v, 2).toFixed(2));

export type KpiLine = [string, string | number];

/** The KPI lines of a year, in report order: label and value (shared by the page and the exports). */
export function kpiLines(t: Translate, k: FiscalYearKpis): KpiLine[] {
  return [
    [t('report.seminarsHeld'), k.seminarsHeld],
    [t('report.fieldTrainingsHeld'), k.fieldTrainingsHeld],
    [t('report.courseSessionsHeld'), k.courseSessionsHeld],
    [t('report.attendances'), k.attendances],
    [t('report.participantsTotal'), k.participantsTotal],
    ...AFFILIATIONS.map((a): [string, number] => [`${t('report.participants')}（${t(`affiliation.${a}`)}）`, k.participants[a]]),
    [t('report.unitsReached'), k.unitsReached],
    [t('report.applications'), k.applications],
    [t('report.completions'), k.completions],
    [t('report.certificatesIssued'), k.certificatesIssued],
    [t('report.coordinatorsNew'), k.coordinators.newlyCertified],
    [t('report.coordinatorsCumulative'), k.coordinators.cumulative],
    [t('report.coordinatorsActive'), k.coordinators.active],
    ...k.surveys.map((s): [string, string] => [`${t('report.surveyMean')}：${t(`report.survey.${s.item}` as never)}`, `${fmt2(s.mean)}（n=${s.n}）`]),
    ...k.competencyChange.map((c): [string, string] => [`${t('report.competencyChange')}：${t(`competency.${c.item}` as never)}`, c.meanChange === null ? '—' : `${c.meanChange >= 0 ? '+' : ''}${fmt2(c.meanChange)}（n=${c.n}）`]),
    [t('report.consultations'), k.consultations.total],
    ...k.consultations.byKind.map((x): [string, string] => [
      t('report.consultationsOf', { kind: t(`consultations.kind.${x.kind}`) }),
      `${x.total}（${CONSULTATION_KPI_OUTCOMES.map((o) => `${t(`consultations.outcome.${o}`)} ${x.outcomes[o]}`).join('、')}）`,
    ]),
  ];
}

/** The KPI download of a year: 指標 and the year's column. */
export const kpiColumns = (yearHeader: string) => [
  { header: '指標', value: (x: KpiLine) => x[0] },
  { header: yearHeader, value: (x: KpiLine) => x[1] },
];

/**
 * Every KPI line for every year of records, one column per year (the dashboard's trends as a table).
 * Lines are matched by label (a year may lack a line another has).
 */
export function kpiTrendRows(perYear: KpiLine[][]): (string | number)[][] {
  const labels = [...new Set(perYear.flatMap((lines) => lines.map((l) => l[0])))];
  return labels.map((label) => [label, ...perYear.map((lines) => lines.find((l) => l[0] === label)?.[1] ?? '')]);
}

/** Columns of a table with the line's label first and one column per year. */
export const trendColumns = (yearHeaders: string[]) => [
  { header: '指標', value: (x: (string | number)[]) => x[0] },
  ...yearHeaders.map((header, j) => ({ header, value: (x: (string | number)[]) => x[j + 1] })),
];

// --- Yearly implementation table -------------------------------------------------------------
export type ImplRow = Awaited<ReturnType<typeof implementationTable>>[number];
export const implColumns = (t: Translate) => [
  { header: '開催日', value: (x: ImplRow) => formatWareki(x.date, 'ja') },
  { header: '形式', value: (x: ImplRow) => t(`format.${x.format}` as never) },
  { header: 'テーマ', value: (x: ImplRow) => x.theme },
  { header: '講師', value: (x: ImplRow) => x.lecturers },
  { header: '対象', value: (x: ImplRow) => x.audience },
  { header: '人数', value: (x: ImplRow) => (x.participants === null ? '' : x.participants) },
];

// --- Coverage and where to recruit next ----------------------------------------------------------
export const reasonsText = (t: Translate, x: CoverageRow) => x.reasons.map((r0) => t(`report.reason.${r0}`)).join('・');
export const covColumns = (t: Translate) => [
  { header: '区分', value: (x: CoverageRow) => t(`unitKind.${x.kind}` as never) },
  { header: '部局', value: (x: CoverageRow) => x.department ?? '' },
  { header: '所属', value: (x: CoverageRow) => x.name },
  { header: '職員数', value: (x: CoverageRow) => x.staff },
  { header: '研修修了者', value: (x: CoverageRow) => x.trained },
  // The same one-place, half-up figure as the page (a number, so that Excel can sum and sort it).
  { header: '修了者の割合（%）', value: (x: CoverageRow) => (x.share === null ? '' : roundHalfUp(x.share, PERCENT_PLACES)), places: PERCENT_PLACES },
  { header: '協働コーディネーター', value: (x: CoverageRow) => x.coordinators },
  { header: '地域で実施した現地研修', value: (x: CoverageRow) => (x.kind === 'municipality' ? x.fieldTrainingsHosted : '') },
  { header: '推薦を働きかける理由', value: (x: CoverageRow) => reasonsText(t, x) },
];

// --- Open data -----------------------------------------------------------------------------------
type EventRow = Awaited<ReturnType<typeof openDataEvents>>[number];
/** The イベント一覧 dataset's columns, in the published order. */
export const eventColumns = () => EVENT_DATASET_COLUMNS.map((col) => ({ header: col, value: (x: EventRow) => x[col] }));
