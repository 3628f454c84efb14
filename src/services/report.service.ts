import { sql } from 'kysely';
import { fiscalYearBounds, fiscalYearOf, fiscalYearRange, formatTokyo, tokyoDateOf } from '../domain/calendar.js';
import { eventRow, type EventDatasetRow, recruitReasons, share } from '../domain/report.js';
import { round2 } from '../domain/survey.js';
import { AFFILIATIONS, type Affiliation } from '../db/schema.js';
import type { AppContext } from './context.js';
import { impact } from './survey.service.js';

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
    WHERE s.starts_at >= ${startUtc} AND s.starts_at < ${endUtcExclusive}
    ORDER BY s.starts_at, s.id`.execute(ctx.db);
  const now = ctx.now();
  return r.rows.map((x) => ({ ...x, participants: Number(x.participants), held: x.ends_at.getTime() <= now.getTime() }));
}

/** People who took part in the given sessions (attendance where taken, else those confirmed), by affiliation, and their units. */
async function participantsOf(ctx: AppContext, sessionIds: number[]) {
  const ids = sessionIds.length ? sessionIds : [0];
  const attended = sql`
    SELECT a.person_id FROM attendance t JOIN applications a ON a.id = t.application_id
    WHERE t.session_id IN (${sql.join(ids)}) AND t.status IN ('present','late','left_early')
    UNION
    SELECT a.person_id FROM offering_sessions s JOIN applications a ON a.offering_id = s.offering_id AND a.status = 'confirmed'
    WHERE s.id IN (${sql.join(ids)}) AND NOT EXISTS (SELECT 1 FROM attendance t WHERE t.session_id = s.id)`;
  const [byAffiliation, units] = await Promise.all([
    sql<{ affiliation: Affiliation; n: number }>`WITH attended AS (${attended})
      SELECT p.affiliation, count(*) AS n FROM people p JOIN attended x ON x.person_id = p.id GROUP BY p.affiliation`.execute(ctx.db),
    sql<{ n: number }>`WITH attended AS (${attended})
      SELECT count(DISTINCT p.unit_id) AS n FROM people p JOIN attended x ON x.person_id = p.id WHERE p.unit_id IS NOT NULL`.execute(ctx.db),
  ]);
  return { byAffiliation: byAffiliation.rows, units: Number(units.rows[0]?.n ?? 0), total: byAffiliation.rows.reduce((n, r) => n + Number(r.n), 0) };
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
  const ids = programmeIds.length ? programmeIds : [0];
  const { start, end } = fiscalYearRange(fy);
  const [people, extra] = await Promise.all([
    participantsOf(
      ctx,
      sessions.map((s) => s.id),
    ),
    sql<{ completions: number; course: boolean; certified: number }>`
      SELECT (SELECT count(*) FROM completions c JOIN applications a ON a.id = c.application_id JOIN offerings o ON o.id = a.offering_id
               WHERE o.fiscal_year = ${fy} AND o.programme_id IN (${sql.join(ids)}) AND c.completed) AS completions,
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
  const { byAffiliation: people, units: unitsReached } = await participantsOf(
    ctx,
    sessions.map((s) => s.id),
  );
  const participants = Object.fromEntries(AFFILIATIONS.map((a) => [a, 0])) as Record<Affiliation, number>;
  for (const r of people) participants[r.affiliation] = Number(r.n);
  const counts = await sql<{ applications: number; completions: number; certificates: number }>`
    SELECT (SELECT count(*) FROM applications a JOIN offerings o ON o.id = a.offering_id WHERE o.fiscal_year = ${fy}) AS applications,
           (SELECT count(*) FROM completions c JOIN applications a ON a.id = c.application_id JOIN offerings o ON o.id = a.offering_id
             WHERE o.fiscal_year = ${fy} AND c.completed) AS completions,
           (SELECT count(*) FROM certificates WHERE issued_at >= ${startUtc} AND issued_at < ${endUtcExclusive} AND revoked_at IS NULL) AS certificates`.execute(ctx.db);
  // Coordinators as at the end of the year (or today, for the current year).
  const asOf = now.getTime() < endUtcExclusive.getTime() ? tokyoDateOf(now) : end;
  const coord = await sql<{ newly: number; cumulative: number; active: number }>`
    SELECT count(*) FILTER (WHERE granted_on >= ${start} AND granted_on <= ${end}) AS newly,
           count(*) FILTER (WHERE granted_on <= ${end}) AS cumulative,
           count(*) FILTER (WHERE granted_on <= ${asOf} AND (valid_until IS NULL OR valid_until >= ${asOf})
                            AND (revoked_at IS NULL OR revoked_at > ${new Date(`${asOf}T23:59:59+09:00`)})) AS active
    FROM coordinator_certifications`.execute(ctx.db);
  const surveys = await sql<{ question_id: string; mean: number | null; n: number }>`
    SELECT sc.question_id, avg(sc.score)::float8 AS mean, count(*) AS n
    FROM survey_scores sc JOIN surveys sv ON sv.id = sc.survey_id JOIN offering_sessions s ON s.id = sv.session_id
    WHERE sv.kind = 'post_session' AND s.starts_at >= ${startUtc} AND s.starts_at < ${endUtcExclusive}
      AND sc.question_id IN (${sql.join([...POST_SESSION_ITEMS])}) AND sc.item = ''
    GROUP BY sc.question_id`.execute(ctx.db);
  const change = await impact(ctx, { fiscalYear: fy, by: 'cohort' });
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
    completions: Number(c.completions),
    certificatesIssued: Number(c.certificates),
    coordinators: { newlyCertified: Number(k.newly), cumulative: Number(k.cumulative), active: Number(k.active) },
    surveys: POST_SESSION_ITEMS.map((item) => {
      const r = surveys.rows.find((x) => x.question_id === item);
      return { item, mean: r?.mean === null || r?.mean === undefined ? null : round2(Number(r.mean)), n: Number(r?.n ?? 0) };
    }),
    competencyChange: change.overall.map((o) => ({ item: o.item, n: o.n, meanChange: o.meanChange })),
  };
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
    SELECT u.id, u.kind, u.name, u.kana, d.name AS dept, d.kana AS dept_kana,
      (SELECT count(*) FROM people p WHERE p.unit_id = u.id AND p.active) AS staff,
      (SELECT count(*) FROM people p WHERE p.unit_id = u.id AND p.active AND (
          EXISTS (SELECT 1 FROM applications a JOIN completions c ON c.application_id = a.id WHERE a.person_id = p.id AND c.completed)
          OR EXISTS (SELECT 1 FROM training_records r WHERE r.person_id = p.id AND r.completed))) AS trained,
      (SELECT count(*) FROM people p JOIN coordinator_certifications cc ON cc.person_id = p.id
        WHERE p.unit_id = u.id AND p.active AND cc.revoked_at IS NULL AND (cc.valid_until IS NULL OR cc.valid_until >= ${today})) AS coordinators,
      (SELECT count(*) FROM offering_sessions s JOIN partners pa ON pa.id = s.host_partner_id
        WHERE s.format = 'field' AND s.ends_at <= ${ctx.now()} AND pa.area_unit_ids @> to_jsonb(u.id)) AS hosted
    FROM units u LEFT JOIN units d ON d.id = u.parent_id
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
