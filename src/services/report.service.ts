import { fiscalYearBounds, fiscalYearOf, fiscalYearRange, formatTokyo, tokyoDateOf } from '../domain/calendar.js';
import { eventRow, type EventDatasetRow, recruitReasons, share } from '../domain/report.js';
import { COMPETENCIES, round2 } from '../domain/survey.js';
import type { AppContext } from './context.js';
import { CONSULTATION_KINDS, CONSULTATION_OUTCOMES, type ConsultationKind } from '../domain/matching.js';
import { consultationRepository } from '../db/repositories/consultation.repository.js';
import { type CoverageUnitKind, reportRepository } from '../db/repositories/report.repository.js';
import { AFFILIATIONS, type Affiliation } from '../domain/values.js';
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

/** A plan measure's figures for a year, from the programmes that carry it out. */
export async function programmeYearFigures(ctx: AppContext, programmeIds: number[], fy: number): Promise<MeasureFigures> {
  const sessions = (await sessionsOfYear(ctx, fy)).filter((s) => s.held && programmeIds.includes(s.programme_id));
  const { start, end } = fiscalYearRange(fy);
  const [people, x] = await Promise.all([
    participantsOf(
      ctx,
      sessions.map((s) => s.id),
    ),
    reportRepository.programmeYear(ctx.db, programmeIds, fy, start, end),
  ]);
  return {
    sessionsHeld: sessions.filter((s) => s.format !== 'field').length,
    fieldTrainingsHeld: sessions.filter((s) => s.format === 'field').length,
    attendances: sessions.reduce((n, s) => n + s.participants, 0),
    participants: people.total,
    completions: Number(x.completions),
    coordinatorsCertified: x.course ? Number(x.certified) : null,
  };
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

/**
 * The year's KPIs, computed from records (none typed in). Attendance counts where it was taken;
 * for a held session without attendance, its confirmed participants count.
 */
export async function fiscalYearKpis(ctx: AppContext, fy: number): Promise<FiscalYearKpis> {
  const { startUtc, endUtcExclusive } = fiscalYearBounds(fy);
  const { start, end } = fiscalYearRange(fy);
  const now = ctx.now();
  const sessions = (await sessionsOfYear(ctx, fy)).filter((s) => s.held);
  // The figures below do not depend on one another: on PostgreSQL they run side by side on the
  // pool's connections; PGlite takes them one after another.
  const peopleQ = participantsOf(
    ctx,
    sessions.map((s) => s.id),
  );
  // Each figure by the year in which it happened, never by when its row was written (see the statement).
  const countsQ = reportRepository.yearCounts(ctx.db, fy, start, end);
  // Coordinators as at the end of the year (or today, for the current year).
  const asOf = now.getTime() < endUtcExclusive.getTime() ? tokyoDateOf(now) : end;
  const coordQ = reportRepository.coordinators(ctx.db, start, end, asOf);
  const surveysQ = reportRepository.postSessionScores(ctx.db, startUtc, endUtcExclusive, POST_SESSION_ITEMS);
  const [{ byAffiliation: people, units: unitsReached }, c, k, surveys, change] = await Promise.all([
    peopleQ,
    countsQ,
    coordQ,
    surveysQ,
    competencyChangeOfYear(ctx, fy),
  ]);
  const participants = Object.fromEntries(AFFILIATIONS.map((a) => [a, 0])) as Record<Affiliation, number>;
  for (const r of people) participants[r.affiliation] = Number(r.n);
  return {
    fiscalYear: fy,
    seminarsHeld: sessions.filter((s) => s.format !== 'field' && s.programme_kind === 'seminar').length,
    fieldTrainingsHeld: sessions.filter((s) => s.format === 'field').length,
    courseSessionsHeld: sessions.filter((s) => s.format !== 'field' && s.programme_kind !== 'seminar').length,
    attendances: sessions.reduce((n, s) => n + s.participants, 0),
    participants,
    participantsTotal: Object.values(participants).reduce((a, b) => a + b, 0),
    unitsReached,
    applications: Number(c.applications),
    completions: Number(c.completions) + Number(c.imported),
    certificatesIssued: Number(c.certificates),
    coordinators: { newlyCertified: Number(k.newly), cumulative: Number(k.cumulative), active: Number(k.active) },
    surveys: POST_SESSION_ITEMS.map((item) => {
      const r = surveys.find((x) => x.question_id === item);
      return { item, mean: r?.mean === null || r?.mean === undefined ? null : round2(Number(r.mean)), n: Number(r?.n ?? 0) };
    }),
    competencyChange: change,
    consultations: await consultationKpis(ctx, startUtc, endUtcExclusive),
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
  const current = fiscalYearOf(ctx.now());
  const first = Math.min(current, (await reportRepository.firstFiscalYear(ctx.db)) ?? current);
  return Array.from({ length: Math.min(20, current - first + 1) }, (_, i) => current - Math.min(19, current - first) + i);
}

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
  const rows = await consultationRepository.countByKindAndOutcome(ctx.db, from, to);
  const byKind = CONSULTATION_KINDS.map((kind) => {
    const outcomes = Object.fromEntries(CONSULTATION_KPI_OUTCOMES.map((o) => [o, rows.find((r) => r.kind === kind && r.outcome === o)?.n ?? 0])) as Record<ConsultationKpiOutcome, number>;
    return { kind, total: Object.values(outcomes).reduce((a, b) => a + b, 0), outcomes };
  });
  return { total: byKind.reduce((n, k) => n + k.total, 0), byKind };
}
