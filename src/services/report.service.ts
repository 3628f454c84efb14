import { fiscalYearBounds, fiscalYearOf, fiscalYearRange, formatTokyo, tokyoDateOf } from '../domain/calendar.js';
import { eventRow, type EventDatasetRow, recruitReasons, share } from '../domain/report.js';
import { COMPETENCIES, round2 } from '../domain/survey.js';
import type { RawBuilder } from 'kysely';
import type { AppContext } from './context.js';
import { CONSULTATION_KINDS, CONSULTATION_OUTCOMES, type ConsultationKind } from '../domain/matching.js';
import { consultationRepository } from '../db/repositories/consultation.repository.js';
import { type CoverageUnitKind, reportRepository } from '../db/repositories/report.repository.js';
import { AFFILIATIONS, type Affiliation } from '../domain/values.js';
import { sha256 } from '../lib/crypto.js';
import { CONSULTATION_KPI_OUTCOMES, type ConsultationKpiOutcome } from '../domain/values.js';

const POST_SESSION_ITEMS = ['satisfaction', 'understanding', 'usefulness'] as const;

/** Sessions of a fiscal year (by start), with whether they have been held and how many took part. */
async function sessionsOfYear(ctx: AppContext, fy: number) {
  const { startUtc, endUtcExclusive } = fiscalYearBounds(fy);
  const rows = await reportRepository.sessionsOfYear(ctx.db, startUtc, endUtcExclusive);
  const now = ctx.now();
  return rows.map((x) => ({ ...x, participants: Number(x.participants), held: x.ends_at.getTime() <= now.getTime() }));
}

/** People who took part in the given sessions (attendance where taken, else those confirmed), by affiliation, and their units. */
async function participantsOf(ctx: AppContext, sessionIds: number[]) {
  const rows = await reportRepository.participants(ctx.db, sessionIds);
  const byAffiliation = rows.filter((x): x is typeof x & { affiliation: Affiliation } => x.affiliation !== null);
  const all = rows.find((x) => x.affiliation === null);
  return { byAffiliation, units: Number(all?.units ?? 0), total: byAffiliation.reduce((n, x) => n + Number(x.n), 0) };
}

export interface MeasureFigures {
  sessionsHeld: number;
  fieldTrainingsHeld: number;
  attendances: number;
  participants: number;
  completions: number;
  coordinatorsCertified: number | null;
}

// --- Stored figures (decision 0022) ---------------------------------------------------------------
// The figures that read whole tables of records (attendance, applications, completions, answers) are
// stored per key and fiscal year, and read back only while they still hold: no change of their year
// since the snapshot they were computed under (the triggers of migrations 20261130T1404 and
// 20261130T1601 mark every change in the writer's own transaction) and no session of the year ended
// since. Anything else is computed from the records again and stored. A year's KPIs are stored whole
// (sessions held, coordinators and consultations too): a view of the dashboard reads only them. The plan
// sheet reads its small tables (courses, coordinators) on every view. Bump a key's version whenever what
// it computes changes.
// A year's KPIs are stored as one flat array of numbers in a fixed order (`packKpis`): a sixth of the
// same figures as an object, which every view reads and converts. The key carries a digest of the lists
// that order follows, so that entries written in another order are never read.
const KPI_KEY = `kpis/2.${sha256([AFFILIATIONS, POST_SESSION_ITEMS, COMPETENCIES, CONSULTATION_KINDS, CONSULTATION_KPI_OUTCOMES].map((xs) => xs.join(',')).join(';')).slice(0, 12)}`;
/** The last fiscal year whose KPIs are stored: a coordinator certification marks the years up to it (migration 20261130T1601). */
const LAST_STORED_YEAR = 2100;
const programmesKey = (programmeIds: readonly number[]) => `programmes/1:${[...new Set(programmeIds)].sort((a, b) => a - b).join(',')}`;

async function storedOrComputed<T, R extends { snapshot: string; entries: { key: string; fy: number; figures: unknown }[] }>(
  ctx: AppContext,
  wanted: { key: string; fy: number }[] | ((read: NoInfer<R>) => { key: string; fy: number }[]),
  read: (now: Date) => Promise<R>,
  compute: (w: { key: string; fy: number }) => Promise<T>,
  /** Whether to store a year's figures, and until when at most (figures that depend on the day); default: store, no limit. */
  storing: (w: { key: string; fy: number }, now: Date) => { store: boolean; until?: Date } = () => ({ store: true }),
): Promise<{ figures: (w: { key: string; fy: number }) => T; read: R }> {
  const id = (w: { key: string; fy: number }) => `${w.fy}|${w.key}`;
  const now = ctx.now();
  const r = await read(now);
  const found = new Map(r.entries.map((e) => [id(e), e.figures as T]));
  const missing = [...new Map((typeof wanted === 'function' ? wanted(r) : wanted).filter((w) => !found.has(id(w))).map((w) => [id(w), w])).values()];
  if (missing.length) {
    // Independent years: side by side on PostgreSQL's pool, one after another on PGlite.
    const computed = await Promise.all(missing.map((w) => compute(w)));
    missing.forEach((w, i) => found.set(id(w), computed[i]!));
    const rows = missing.flatMap((w, i) => {
      const how = storing(w, now);
      return how.store ? [{ key: w.key, fy: w.fy, figures: computed[i], ...(how.until ? { until: how.until } : {}) }] : [];
    });
    await reportRepository.storeFigures(ctx.db, rows, r.snapshot, now);
  }
  return { figures: (w) => found.get(id(w))!, read: r };
}

/** Sessions of a fiscal year, computed once per batch of figures. */
function sessionsMemo(ctx: AppContext) {
  const memo = new Map<number, ReturnType<typeof sessionsOfYear>>();
  return (fy: number) => {
    if (!memo.has(fy)) memo.set(fy, sessionsOfYear(ctx, fy));
    return memo.get(fy)!;
  };
}

type StoredMeasureFigures = Omit<MeasureFigures, 'coordinatorsCertified'>;

/** A plan measure's figures for a year, from the programmes that carry it out. */
export async function programmeYearFigures(ctx: AppContext, programmeIds: number[], fy: number): Promise<MeasureFigures> {
  return (await programmeYearFiguresOf(ctx, [{ programmeIds, fy }]))[0]!;
}

/** `programmeYearFigures` of several measures and years at once (the plan-item sheet): a few statements when the figures are stored. */
export async function programmeYearFiguresOf(ctx: AppContext, requests: readonly { programmeIds: readonly number[]; fy: number }[]): Promise<MeasureFigures[]> {
  return (await programmeYearFiguresWith(ctx, requests)).figures;
}

/**
 * `programmeYearFiguresOf`, and the rows of other statements (`also`, by name) read in the same round
 * trip as the stored figures: one statement for the whole plan-item sheet when the figures are stored.
 */
export async function programmeYearFiguresWith(
  ctx: AppContext,
  requests: readonly { programmeIds: readonly number[]; fy: number }[],
  also: Record<string, RawBuilder<unknown>> = {},
): Promise<{ figures: MeasureFigures[]; also: Record<string, unknown[]> }> {
  if (!requests.length && !Object.keys(also).length) return { figures: [], also: {} };
  const sessions = sessionsMemo(ctx);
  const idsOf = new Map(requests.map((r) => [programmesKey(r.programmeIds), [...new Set(r.programmeIds)]]));
  const compute = async ({ key, fy }: { key: string; fy: number }): Promise<StoredMeasureFigures> => {
    const programmeIds = idsOf.get(key)!;
    const held = (await sessions(fy)).filter((s) => s.held && programmeIds.includes(s.programme_id));
    const { start, end } = fiscalYearRange(fy);
    const [people, x] = await Promise.all([
      participantsOf(
        ctx,
        held.map((s) => s.id),
      ),
      reportRepository.programmeYear(ctx.db, programmeIds, fy, start, end),
    ]);
    return {
      sessionsHeld: held.filter((s) => s.format !== 'field').length,
      fieldTrainingsHeld: held.filter((s) => s.format === 'field').length,
      attendances: held.reduce((n, s) => n + s.participants, 0),
      participants: people.total,
      completions: Number(x.completions),
    };
  };
  const years = [...new Set(requests.map((r) => r.fy))];
  const keys = [...new Set(requests.map((r) => programmesKey(r.programmeIds)))];
  const { figures, read } = await storedOrComputed(
    ctx,
    requests.map((r) => ({ key: programmesKey(r.programmeIds), fy: r.fy })),
    (now) =>
      reportRepository.storedMeasuresWithLive(
        ctx.db,
        keys,
        years.map((fy) => coordinatorYear(ctx, fy)),
        now,
        [...new Set(requests.flatMap((r) => r.programmeIds))],
        also,
      ),
    compute,
  );
  return {
    figures: requests.map((r) => ({
      ...figures({ key: programmesKey(r.programmeIds), fy: r.fy }),
      coordinatorsCertified: r.programmeIds.some((id) => read.courses.has(id)) ? (read.certified.get(r.fy) ?? 0) : null,
    })),
    also: read.also,
  };
}

/** A fiscal year's dates, and the day its coordinators are counted on: the end of the year, or today for the current year. */
function coordinatorYear(ctx: AppContext, fy: number) {
  const { start, end } = fiscalYearRange(fy);
  const now = ctx.now();
  return { fy, start, end, asOf: now.getTime() < fiscalYearBounds(fy).endUtcExclusive.getTime() ? tokyoDateOf(now) : end };
}

export interface FiscalYearKpis {
  fiscalYear: number;
  /** Sessions held (ended) in the year: seminars (lectures, workshops, online) and field trainings. */
  seminarsHeld: number;
  fieldTrainingsHeld: number;
  courseSessionsHeld: number;
  /** 延べ人数: attendances summed over sessions held. */
  attendances: number;
  /** 実人数 by affiliation type: people who attended at least one session held in the year. */
  participants: Record<Affiliation, number>;
  participantsTotal: number;
  unitsReached: number;
  applications: number;
  completions: number;
  certificatesIssued: number;
  coordinators: { newlyCertified: number; cumulative: number; active: number };
  surveys: { item: string; mean: number | null; n: number }[];
  competencyChange: { item: string; n: number; meanChange: number | null }[];
  /** Consultations filed in the year, by kind and outcome (withdrawn, or still open). */
  consultations: ConsultationKpis;
}

/** A year's KPIs as stored (all but the year itself). */
type StoredKpis = Omit<FiscalYearKpis, 'fiscalYear'>;

/**
 * The year's KPIs, computed from records (none typed in). Attendance counts where it was taken;
 * for a held session without attendance, its confirmed participants count.
 */
export async function fiscalYearKpis(ctx: AppContext, fy: number): Promise<FiscalYearKpis> {
  return (await fiscalYearKpisOf(ctx, [fy]))[0]!;
}

/** `fiscalYearKpis` of several years at once (the dashboard's trends), in the order asked: one statement when the figures are stored. */
export async function fiscalYearKpisOf(ctx: AppContext, fiscalYears: readonly number[]): Promise<FiscalYearKpis[]> {
  return (await kpisOf(ctx, fiscalYears)).kpis;
}

/**
 * The years of records (`reportYears`) and their KPIs, oldest first, as the dashboard and the trends
 * download show them: one statement when the figures are stored (the first year is read in it).
 */
export async function reportYearsWithKpis(ctx: AppContext): Promise<{ years: number[]; kpis: FiscalYearKpis[]; fingerprint: string }> {
  return kpisOf(ctx, 'recorded');
}

/** The KPIs of the given years, or of the years of records (read in the same statement as the figures). */
async function kpisOf(ctx: AppContext, asked: readonly number[] | 'recorded'): Promise<{ years: number[]; kpis: FiscalYearKpis[]; fingerprint: string }> {
  const current = fiscalYearOf(ctx.now());
  // The years of records are at most the last 20: read them all, keep those from the first offering on.
  const candidates = asked === 'recorded' ? yearsFrom(current - 19, current) : [...new Set(asked)].sort((a, b) => a - b);
  if (!candidates.length) return { years: [], kpis: [], fingerprint: '[]' };
  const sessions = sessionsMemo(ctx);
  const yearsOf = (first: number | null) => (asked === 'recorded' ? recordedYears(first, current) : candidates);
  const readKpis = (at: Date) => reportRepository.storedKpis(ctx.db, KPI_KEY, candidates, at);
  const { figures: stored, read } = await storedOrComputed(
    ctx,
    (r: Awaited<ReturnType<typeof readKpis>>) => yearsOf(r.firstFiscalYear).map((fy) => ({ key: KPI_KEY, fy })),
    readKpis,
    async ({ fy }) => packKpis(await storedKpis(ctx, fy, sessions)),
    // A year not over yet counts its coordinators on today: its figures hold until the next Tokyo midnight at most.
    ({ fy }, now) => ({ store: fy <= LAST_STORED_YEAR, ...(now.getTime() < fiscalYearBounds(fy).endUtcExclusive.getTime() ? { until: nextTokyoMidnight(now) } : {}) }),
  );
  const years = yearsOf(read.firstFiscalYear);
  let kpis: FiscalYearKpis[] | undefined;
  return {
    years,
    // Unpacked when first read: a dashboard already drawn under this fingerprint needs none of them.
    get kpis() {
      if (!kpis) {
        const byYear = new Map(years.map((fy): [number, FiscalYearKpis] => [fy, unpackKpis(fy, stored({ key: KPI_KEY, fy }))]));
        kpis = asked === 'recorded' ? years.map((fy) => byYear.get(fy)!) : asked.map((fy) => byYear.get(fy)!);
      }
      return kpis;
    },
    // Every figure of these years, packed (a few hundred numbers): equal fingerprints, equal KPIs.
    fingerprint: JSON.stringify([KPI_KEY, years, years.map((fy) => stored({ key: KPI_KEY, fy }))]),
  };
}

type PackedKpis = (number | null)[];

/** A year's KPIs as stored: the figures in the order of `unpackKpis`, the pre/post change (none, or one pair per competency) last. */
function packKpis(k: StoredKpis): PackedKpis {
  return [
    k.seminarsHeld,
    k.fieldTrainingsHeld,
    k.courseSessionsHeld,
    k.attendances,
    ...AFFILIATIONS.map((a) => k.participants[a]),
    k.participantsTotal,
    k.unitsReached,
    k.applications,
    k.completions,
    k.certificatesIssued,
    k.coordinators.newlyCertified,
    k.coordinators.cumulative,
    k.coordinators.active,
    ...k.surveys.flatMap((x) => [x.mean, x.n]),
    ...k.consultations.byKind.flatMap((x) => CONSULTATION_KPI_OUTCOMES.map((o) => x.outcomes[o])),
    ...k.competencyChange.flatMap((x) => [x.n, x.meanChange]),
  ];
}

/** `packKpis` undone: the KPIs of `fiscalYear`, keys in the order they are computed. */
function unpackKpis(fiscalYear: number, a: PackedKpis): FiscalYearKpis {
  // Plain loops and one object literal, no map/fromEntries/spread: the dashboard unpacks every year of
  // records on each view, and object spread alone cost ~3.5 µs a year on Node 20.
  let i = 0;
  const num = () => a[i++] as number;
  const opt = () => a[i++] as number | null;
  const seminarsHeld = num();
  const fieldTrainingsHeld = num();
  const courseSessionsHeld = num();
  const attendances = num();
  const participants = {} as Record<Affiliation, number>;
  for (const x of AFFILIATIONS) participants[x] = num();
  const participantsTotal = num();
  const unitsReached = num();
  const applications = num();
  const completions = num();
  const certificatesIssued = num();
  const coordinators = { newlyCertified: num(), cumulative: num(), active: num() };
  const surveys: FiscalYearKpis['surveys'] = [];
  for (const item of POST_SESSION_ITEMS) surveys.push({ item, mean: opt(), n: num() });
  const byKind: FiscalYearKpis['consultations']['byKind'] = [];
  let consultations = 0;
  for (const kind of CONSULTATION_KINDS) {
    const outcomes = {} as Record<ConsultationKpiOutcome, number>;
    let total = 0;
    for (const o of CONSULTATION_KPI_OUTCOMES) total += outcomes[o] = num();
    byKind.push({ kind, total, outcomes });
    consultations += total;
  }
  const competencyChange: FiscalYearKpis['competencyChange'] = [];
  if (i < a.length) for (const item of COMPETENCIES) competencyChange.push({ item, n: num(), meanChange: opt() });
  return {
    fiscalYear,
    seminarsHeld,
    fieldTrainingsHeld,
    courseSessionsHeld,
    attendances,
    participants,
    participantsTotal,
    unitsReached,
    applications,
    completions,
    certificatesIssued,
    surveys,
    competencyChange,
    coordinators,
    consultations: { total: consultations, byKind },
  };
}

/** The first instant of the Tokyo day after `now`'s. */
function nextTokyoMidnight(now: Date): Date {
  const day = new Date(`${tokyoDateOf(now)}T00:00:00+09:00`);
  return new Date(day.getTime() + 24 * 3600_000);
}

/** A year's KPIs, from the records. */
async function storedKpis(ctx: AppContext, fy: number, sessionsOf: (fy: number) => ReturnType<typeof sessionsOfYear>): Promise<StoredKpis> {
  const { startUtc, endUtcExclusive } = fiscalYearBounds(fy);
  const { start, end } = fiscalYearRange(fy);
  const sessions = (await sessionsOf(fy)).filter((s) => s.held);
  // The figures below do not depend on one another: on PostgreSQL they run side by side on the
  // pool's connections; PGlite takes them one after another.
  const peopleQ = participantsOf(
    ctx,
    sessions.map((s) => s.id),
  );
  // Each figure by the year in which it happened, never by when its row was written (see the statement).
  const countsQ = reportRepository.yearCounts(ctx.db, fy, start, end);
  const surveysQ = reportRepository.postSessionScores(ctx.db, startUtc, endUtcExclusive, POST_SESSION_ITEMS);
  const { asOf } = coordinatorYear(ctx, fy);
  const coordinatorsQ = reportRepository.coordinators(ctx.db, start, end, asOf);
  const consultationsQ = reportRepository.consultationsByYear(ctx.db, startUtc, endUtcExclusive);
  const [{ byAffiliation: people, units: unitsReached }, c, surveys, change, k, consultations] = await Promise.all([peopleQ, countsQ, surveysQ, competencyChangeOfYear(ctx, fy), coordinatorsQ, consultationsQ]);
  const participants = Object.fromEntries(AFFILIATIONS.map((a) => [a, 0])) as Record<Affiliation, number>;
  for (const r of people) participants[r.affiliation] = Number(r.n);
  const notField = sessions.filter((s) => s.format !== 'field');
  return {
    // Sessions held (ended) of offerings not cancelled, by the year of their start (sessionsOfYear).
    seminarsHeld: notField.filter((s) => s.programme_kind === 'seminar').length,
    fieldTrainingsHeld: sessions.length - notField.length,
    courseSessionsHeld: notField.filter((s) => s.programme_kind !== 'seminar').length,
    attendances: sessions.reduce((n, s) => n + s.participants, 0),
    participants,
    participantsTotal: Object.values(participants).reduce((a, b) => a + b, 0),
    unitsReached,
    applications: Number(c.applications),
    completions: Number(c.completions) + Number(c.imported),
    certificatesIssued: Number(c.certificates),
    coordinators: { newlyCertified: Number(k?.newly ?? 0), cumulative: Number(k?.cumulative ?? 0), active: Number(k?.active ?? 0) },
    surveys: POST_SESSION_ITEMS.map((item) => {
      const r = surveys.find((x) => x.question_id === item);
      return { item, mean: r?.mean === null || r?.mean === undefined ? null : round2(Number(r.mean)), n: Number(r?.n ?? 0) };
    }),
    competencyChange: change,
    consultations: consultationKpisOf(consultations.filter((x) => x.fy === fy)),
  };
}

/**
 * Paired pre/post change per competency over a year's offerings: the overall figures of
 * `impact(ctx, { fiscalYear, by: 'cohort' })` (same pairs, same rounding), summed in SQL instead of
 * sending every pair to the application (12,000 rows for a year of ten cohorts).
 */
async function competencyChangeOfYear(ctx: AppContext, fy: number): Promise<FiscalYearKpis['competencyChange']> {
  const rows = await reportRepository.competencyChange(ctx.db, fy);
  if (!rows.length) return [];
  return COMPETENCIES.map((item) => {
    const x = rows.find((y) => y.item === item);
    const n = Number(x?.n ?? 0);
    return { item, n, meanChange: n ? round2(Number(x!.change) / n) : null };
  });
}

/** The fiscal years that have any offering, up to the current one. */
export async function reportYears(ctx: AppContext): Promise<number[]> {
  return recordedYears(await reportRepository.firstFiscalYear(ctx.db), fiscalYearOf(ctx.now()));
}

/** The years from the first with an offering (none: the current one) up to the current one, at most the last 20. */
function recordedYears(firstFiscalYear: number | null, current: number): number[] {
  const first = Math.min(current, firstFiscalYear ?? current);
  return Array.from({ length: Math.min(20, current - first + 1) }, (_, i) => current - Math.min(19, current - first) + i);
}

const yearsFrom = (first: number, last: number) => Array.from({ length: last - first + 1 }, (_, i) => first + i);

/** The yearly implementation table, in the form prefectures publish: 開催日 / 形式 / テーマ / 講師 / 対象 / 人数. */
export async function implementationTable(ctx: AppContext, fy: number) {
  return (await sessionsOfYear(ctx, fy)).map((s) => ({
    sessionId: s.id,
    date: tokyoDateOf(s.starts_at),
    startsAt: s.starts_at,
    format: s.format,
    theme: `${s.offering_title}：${s.title}`,
    lecturers: s.lecturers,
    audience: s.audience,
    participants: s.held ? s.participants : null,
    held: s.held,
  }));
}

export interface CoverageRow {
  unitId: number;
  kind: CoverageUnitKind;
  name: string;
  department: string | null;
  staff: number;
  trained: number;
  share: number | null;
  coordinators: number;
  fieldTrainingsHosted: number;
  reasons: ReturnType<typeof recruitReasons>;
}

/**
 * Coverage by 部局・課 and 市町: staff, staff who completed a training (ever), active coordinators,
 * and field trainings held in the area (for 市町: hosted by partners active there).
 */
export async function coverage(ctx: AppContext): Promise<CoverageRow[]> {
  const today = tokyoDateOf(ctx.now());
  const rows = await reportRepository.coverage(ctx.db, today, ctx.now());
  return rows.map((r) => {
    const x = { staff: Number(r.staff), trained: Number(r.trained), coordinators: Number(r.coordinators) };
    return {
      unitId: r.id,
      kind: r.kind,
      name: r.name,
      department: r.dept,
      ...x,
      share: share(x.trained, x.staff),
      fieldTrainingsHosted: Number(r.hosted),
      reasons: recruitReasons(x),
    };
  });
}

/**
 * Upcoming sessions of published offerings, for the public schedule and the open-data feed: what,
 * when, where, for whom and until when to apply. No personal data (not even lecturers' names).
 */
export async function publicSchedule(ctx: AppContext) {
  return reportRepository.publicSchedule(ctx.db, ctx.now());
}

const FORMAT_JA: Record<string, string> = { lecture: '講義', workshop: 'ワークショップ', field: '現地研修', online: 'オンライン' };

/** The public schedule in the 「イベント一覧」 dataset layout. */
export async function openDataEvents(ctx: AppContext): Promise<EventDatasetRow[]> {
  const rows = await publicSchedule(ctx);
  return rows.map((s) =>
    eventRow({
      都道府県コード又は市区町村コード: ctx.config.prefectureCode,
      NO: `kyodo-session-${s.id}`,
      都道府県名: ctx.config.prefectureName,
      イベント名: `${s.offering_title}：${s.title}`,
      開始日: tokyoDateOf(s.starts_at),
      終了日: tokyoDateOf(s.ends_at),
      開始時間: formatTokyo(s.starts_at, 'ja', 'time'),
      終了時間: formatTokyo(s.ends_at, 'ja', 'time'),
      説明: [FORMAT_JA[s.format], s.description].filter(Boolean).join('。'),
      '料金(基本)': '無料',
      連絡先名称: s.owning_unit ?? '',
      主催者: ctx.config.prefectureName,
      場所名称: s.venue,
      定員: String(s.capacity ?? s.offering_capacity),
      参加申込終了日: tokyoDateOf(s.application_closes_at),
      参加申込終了時間: formatTokyo(s.application_closes_at, 'ja', 'time'),
      参加申込方法: '職員向け研修です。所属を通じて Kyodo から申し込んでください。',
      URL: `${ctx.config.baseUrl}/schedule#session-${s.id}`,
      備考: s.audience ? `対象：${s.audience}` : '',
    }),
  );
}

export interface ConsultationKpis {
  total: number;
  byKind: { kind: ConsultationKind; total: number; outcomes: Record<ConsultationKpiOutcome, number> }[];
}

/** Consultations filed in a period (by when they were filed), counted by kind and outcome. */
export async function consultationKpis(ctx: AppContext, from: Date, to: Date): Promise<ConsultationKpis> {
  return consultationKpisOf(await consultationRepository.countByKindAndOutcome(ctx.db, from, to));
}

/** Counts by kind and outcome as the KPIs give them. */
function consultationKpisOf(rows: readonly { kind: string; outcome: string; n: number }[]): ConsultationKpis {
  const byKind = CONSULTATION_KINDS.map((kind) => {
    const outcomes = Object.fromEntries(CONSULTATION_KPI_OUTCOMES.map((o) => [o, rows.find((r) => r.kind === kind && r.outcome === o)?.n ?? 0])) as Record<ConsultationKpiOutcome, number>;
    return { kind, total: Object.values(outcomes).reduce((a, b) => a + b, 0), outcomes };
  });
  return { total: byKind.reduce((n, k) => n + k.total, 0), byKind };
}
