import { type RawBuilder, sql } from 'kysely';
import { fiscalYearBounds, fiscalYearOf, fiscalYearRange, formatTokyo, tokyoDateOf } from '../domain/calendar.js';
import { eventRow, type EventDatasetRow, recruitReasons, share } from '../domain/report.js';
import { COMPETENCIES, round2 } from '../domain/survey.js';
import type { AppContext } from './context.js';
import { CONSULTATION_KINDS, CONSULTATION_OUTCOMES, type ConsultationKind } from '../domain/matching.js';
import { consultationRepository } from '../db/repositories/consultation.repository.js';
import { AFFILIATIONS, type Affiliation } from '../domain/values.js';
import { CONSULTATION_KPI_OUTCOMES, type ConsultationKpiOutcome } from '../domain/values.js';

const POST_SESSION_ITEMS = ['satisfaction', 'understanding', 'usefulness'] as const;

/** Sessions of a fiscal year (by start), with whether they have been held and how many took part. */
async function sessionsOfYear(ctx: AppContext, fy: number) {
  const { startUtc, endUtcExclusive } = fiscalYearBounds(fy);
  const r = await sql<{
    id: number;
    offering_id: number;
    programme_id: number;
    offering_title: string;
    audience: string;
    programme_kind: string;
    title: string;
    format: 'lecture' | 'workshop' | 'field' | 'online';
    starts_at: Date;
    ends_at: Date;
    venue: string;
    lecturers: string;
    host_partner_id: number | null;
    participants: number;
  }>`
    SELECT s.id, s.offering_id, o.programme_id, o.title AS offering_title, o.audience, p.kind AS programme_kind, s.title, s.format,
           s.starts_at, s.ends_at, s.venue, s.lecturers, s.host_partner_id,
           CASE WHEN EXISTS (SELECT 1 FROM attendance t WHERE t.session_id = s.id)
                THEN (SELECT count(*) FROM attendance t WHERE t.session_id = s.id AND t.status IN ('present','late','left_early'))
                ELSE (SELECT count(*) FROM applications a WHERE a.offering_id = s.offering_id AND a.status = 'confirmed') END AS participants
    FROM offering_sessions s
    JOIN offerings o ON o.id = s.offering_id
    JOIN programmes p ON p.id = o.programme_id
    WHERE s.starts_at >= ${startUtc} AND s.starts_at < ${endUtcExclusive} AND o.cancelled_at IS NULL
    ORDER BY s.starts_at, s.id`.execute(ctx.db);
  const now = ctx.now();
  return r.rows.map((x) => ({ ...x, participants: Number(x.participants), held: x.ends_at.getTime() <= now.getTime() }));
}

/** People who took part in the given sessions (attendance where taken, else those confirmed), by affiliation, and their units. */
async function participantsOf(ctx: AppContext, sessionIds: number[]) {
  const ids = sessionIds.length ? sessionIds : [0];
  // One pass (both figures from one set), reaching applications through the sessions' offerings:
  // joined on the application id alone, the planner read every application of every year.
  const attended = sql`
    SELECT a.person_id FROM applications a
    WHERE a.offering_id IN (SELECT s.offering_id FROM offering_sessions s WHERE s.id IN (${sql.join(ids)}))
      AND EXISTS (SELECT 1 FROM attendance t WHERE t.application_id = a.id AND t.session_id IN (${sql.join(ids)}) AND t.status IN ('present','late','left_early'))
    UNION
    SELECT a.person_id FROM offering_sessions s JOIN applications a ON a.offering_id = s.offering_id AND a.status = 'confirmed'
    WHERE s.id IN (${sql.join(ids)}) AND NOT EXISTS (SELECT 1 FROM attendance t WHERE t.session_id = s.id)`;
  const r = await sql<{ affiliation: Affiliation | null; n: number; units: number }>`WITH attended AS (${attended})
      SELECT p.affiliation, count(*) AS n, count(DISTINCT p.unit_id) AS units
      FROM people p JOIN attended x ON x.person_id = p.id GROUP BY GROUPING SETS ((p.affiliation), ())`.execute(ctx.db);
  const byAffiliation = r.rows.filter((x): x is typeof x & { affiliation: Affiliation } => x.affiliation !== null);
  const all = r.rows.find((x) => x.affiliation === null);
  return { byAffiliation, units: Number(all?.units ?? 0), total: byAffiliation.reduce((n, x) => n + Number(x.n), 0) };
}

/**
 * How many of the applications listed by `applications` (a query of their ids) are complete. The
 * id range is redundant, but lets the planner read completions through their primary key for just
 * that range (a year's applications have neighbouring ids) instead of reading all of them.
 */
const completedAmong = (applications: RawBuilder<unknown>) => sql`(
  WITH ya AS MATERIALIZED (${applications})
  SELECT count(*) FROM completions c
  WHERE c.completed AND c.application_id IN (SELECT id FROM ya)
    AND c.application_id BETWEEN (SELECT min(id) FROM ya) AND (SELECT max(id) FROM ya))`;

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
  const ids = programmeIds.length ? programmeIds : [0];
  const { start, end } = fiscalYearRange(fy);
  const [people, extra] = await Promise.all([
    participantsOf(
      ctx,
      sessions.map((s) => s.id),
    ),
    sql<{ completions: number; course: boolean; certified: number }>`
      SELECT ${completedAmong(sql`SELECT a.id FROM applications a JOIN offerings o ON o.id = a.offering_id WHERE o.fiscal_year = ${fy} AND o.programme_id IN (${sql.join(ids)})`)} AS completions,
             EXISTS (SELECT 1 FROM programmes WHERE id IN (${sql.join(ids)}) AND kind = 'coordinator_course') AS course,
             (SELECT count(*) FROM coordinator_certifications WHERE granted_on >= ${start} AND granted_on <= ${end}) AS certified`.execute(ctx.db),
  ]);
  const x = extra.rows[0];
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
  // Each figure by the year in which it happened, never by when its row was written: completions by
  // the offering's year (and imported records by theirs), certificates by their completion date.
  const countsQ = sql<{ applications: number; completions: number; imported: number; certificates: number }>`
    SELECT (SELECT count(*) FROM applications a JOIN offerings o ON o.id = a.offering_id WHERE o.fiscal_year = ${fy}) AS applications,
           ${completedAmong(sql`SELECT a.id FROM applications a JOIN offerings o ON o.id = a.offering_id WHERE o.fiscal_year = ${fy}`)} AS completions,
           (SELECT count(*) FROM training_records r WHERE r.fiscal_year = ${fy} AND r.completed) AS imported,
           (SELECT count(*) FROM certificates WHERE completed_on >= ${start} AND completed_on <= ${end} AND revoked_at IS NULL) AS certificates`.execute(ctx.db);
  // Coordinators as at the end of the year (or today, for the current year).
  const asOf = now.getTime() < endUtcExclusive.getTime() ? tokyoDateOf(now) : end;
  const coordQ = sql<{ newly: number; cumulative: number; active: number }>`
    SELECT count(*) FILTER (WHERE granted_on >= ${start} AND granted_on <= ${end}) AS newly,
           count(*) FILTER (WHERE granted_on <= ${end}) AS cumulative,
           count(*) FILTER (WHERE granted_on <= ${asOf} AND (valid_until IS NULL OR valid_until >= ${asOf})
                            AND (revoked_at IS NULL OR revoked_at > ${new Date(`${asOf}T23:59:59+09:00`)})) AS active
    FROM coordinator_certifications`.execute(ctx.db);
  const surveysQ = sql<{ question_id: string; mean: number | null; n: number }>`
    SELECT sc.question_id, avg(sc.score)::float8 AS mean, count(*) AS n
    FROM survey_scores sc JOIN surveys sv ON sv.id = sc.survey_id JOIN offering_sessions s ON s.id = sv.session_id
    WHERE sv.kind = 'post_session' AND s.starts_at >= ${startUtc} AND s.starts_at < ${endUtcExclusive}
      AND sc.question_id IN (${sql.join([...POST_SESSION_ITEMS])}) AND sc.item = ''
    GROUP BY sc.question_id`.execute(ctx.db);
  const [{ byAffiliation: people, units: unitsReached }, counts, coord, surveys, change] = await Promise.all([
    peopleQ,
    countsQ,
    coordQ,
    surveysQ,
    competencyChangeOfYear(ctx, fy),
  ]);
  const participants = Object.fromEntries(AFFILIATIONS.map((a) => [a, 0])) as Record<Affiliation, number>;
  for (const r of people) participants[r.affiliation] = Number(r.n);
  const c = counts.rows[0];
  const k = coord.rows[0];
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
      const r = surveys.rows.find((x) => x.question_id === item);
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
  const r = await sql<{ item: string; n: number; change: number }>`
    WITH sv AS MATERIALIZED (
           SELECT pre.id AS pre_id, post.id AS post_id FROM surveys pre
           JOIN surveys post ON post.offering_id = pre.offering_id AND post.kind = 'post'
           JOIN offerings o ON o.id = pre.offering_id
           WHERE pre.kind = 'pre' AND o.fiscal_year = ${fy}),
         ids AS MATERIALIZED (SELECT pre_id AS id FROM sv UNION ALL SELECT post_id FROM sv),
         r AS MATERIALIZED (SELECT id, survey_id, person_id FROM survey_responses WHERE survey_id IN (SELECT id FROM ids) AND person_id IS NOT NULL),
         sc AS MATERIALIZED (SELECT response_id, question_id, item, score FROM survey_scores WHERE survey_id IN (SELECT id FROM ids)),
         x AS MATERIALIZED (SELECT r.survey_id, r.person_id, sc.question_id, sc.item, sc.score FROM sc JOIN r ON r.id = sc.response_id)
    SELECT a.item, count(*) AS n, sum(b.score - a.score) AS change
    FROM sv JOIN x a ON a.survey_id = sv.pre_id
    JOIN x b ON b.survey_id = sv.post_id AND b.person_id = a.person_id AND b.question_id = a.question_id AND b.item = a.item
    JOIN people p ON p.id = a.person_id
    GROUP BY a.item`.execute(ctx.db);
  if (!r.rows.length) return [];
  return COMPETENCIES.map((item) => {
    const x = r.rows.find((y) => y.item === item);
    const n = Number(x?.n ?? 0);
    return { item, n, meanChange: n ? round2(Number(x!.change) / n) : null };
  });
}

/** The fiscal years that have any offering, up to the current one. */
export async function reportYears(ctx: AppContext): Promise<number[]> {
  const current = fiscalYearOf(ctx.now());
  const r = await ctx.db.selectFrom('offerings').select((e) => e.fn.min('fiscal_year').as('first')).executeTakeFirst();
  const first = Math.min(current, Number(r?.first ?? current));
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
  kind: 'department' | 'division' | 'municipality' | 'agency';
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
  const rows = await sql<{ id: number; kind: CoverageRow['kind']; name: string; kana: string; dept: string | null; dept_kana: string | null; staff: number; trained: number; coordinators: number; hosted: number }>`
    WITH trained AS (
           SELECT a.person_id FROM applications a JOIN completions c ON c.application_id = a.id WHERE c.completed
           UNION
           SELECT r.person_id FROM training_records r WHERE r.completed),
         -- Staff, trained staff and active coordinators of every unit in one pass over people (per unit,
         -- three subqueries re-read the unit's staff and probed each person's applications one by one).
         per_unit AS (
           SELECT p.unit_id, count(*) AS staff, count(t.person_id) AS trained, count(cc.person_id) AS coordinators
           FROM people p
           LEFT JOIN trained t ON t.person_id = p.id
           LEFT JOIN coordinator_certifications cc ON cc.person_id = p.id AND cc.revoked_at IS NULL AND (cc.valid_until IS NULL OR cc.valid_until >= ${today})
           WHERE p.active AND p.unit_id IS NOT NULL
           GROUP BY p.unit_id)
    SELECT u.id, u.kind, u.name, u.kana, d.name AS dept, d.kana AS dept_kana,
      coalesce(x.staff, 0) AS staff, coalesce(x.trained, 0) AS trained, coalesce(x.coordinators, 0) AS coordinators,
      (SELECT count(*) FROM offering_sessions s JOIN partners pa ON pa.id = s.host_partner_id
        WHERE s.format = 'field' AND s.ends_at <= ${ctx.now()} AND pa.area_unit_ids @> to_jsonb(u.id)
          AND NOT EXISTS (SELECT 1 FROM offerings o WHERE o.id = s.offering_id AND o.cancelled_at IS NOT NULL)) AS hosted
    FROM units u LEFT JOIN units d ON d.id = u.parent_id LEFT JOIN per_unit x ON x.unit_id = u.id
    WHERE u.active AND u.kind <> 'department'
    ORDER BY CASE u.kind WHEN 'division' THEN 0 WHEN 'agency' THEN 1 ELSE 2 END, d.kana COLLATE "C", u.kana COLLATE "C", u.id`.execute(ctx.db);
  return rows.rows.map((r) => {
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
  const rows = await ctx.db
    .selectFrom('offering_sessions as s')
    .innerJoin('offerings as o', 'o.id', 's.offering_id')
    .innerJoin('programmes as p', 'p.id', 'o.programme_id')
    .leftJoin('units as u', 'u.id', 'p.owning_unit_id')
    .select(['s.id', 's.title', 's.format', 's.starts_at', 's.ends_at', 's.venue', 's.capacity', 'o.id as offering_id', 'o.title as offering_title', 'o.audience', 'o.description', 'o.capacity as offering_capacity', 'o.application_closes_at', 'u.name as owning_unit'])
    .where('o.published', '=', true)
    .where('o.cancelled_at', 'is', null)
    .where('s.ends_at', '>', ctx.now())
    .orderBy('s.starts_at')
    .orderBy('s.id')
    .limit(500)
    .execute();
  return rows;
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
