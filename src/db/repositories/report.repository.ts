import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { Database } from '../schema.js';
import type { Affiliation } from '../../domain/values.js';
import { gapStatements } from './gap.repository.js';

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

export interface YearSessionRow {
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
}

export type CoverageUnitKind = 'department' | 'division' | 'municipality' | 'agency';

/** A part of a year's gap indicators that a year-wide plan target reads (see `gapPart`). */
export type GapPart = 'pairs' | 'hosts' | 'reach' | 'coordinators' | 'served' | 'municipalities';

/**
 * The report statements (services/report.service.ts), each built without running it so that
 * tests/db/query-snapshots.test.ts can compile it into src/db/queries/report.repository.sql: a change to
 * one shows in review. `reportRepository` below runs them.
 */
export const reportStatements = {
  /** Sessions starting in [from, to) of offerings not cancelled, with how many took part (attendance where taken, else those confirmed). */
  sessionsOfYear: (from: Date, to: Date) => sql<YearSessionRow>`
    SELECT s.id, s.offering_id, o.programme_id, o.title AS offering_title, o.audience, p.kind AS programme_kind, s.title, s.format,
           s.starts_at, s.ends_at, s.venue, s.lecturers, s.host_partner_id,
           CASE WHEN EXISTS (SELECT 1 FROM attendance t WHERE t.session_id = s.id)
                THEN (SELECT count(*) FROM attendance t WHERE t.session_id = s.id AND t.status IN ('present','late','left_early'))
                ELSE (SELECT count(*) FROM applications a WHERE a.offering_id = s.offering_id AND a.status = 'confirmed') END AS participants
    FROM offering_sessions s
    JOIN offerings o ON o.id = s.offering_id
    JOIN programmes p ON p.id = o.programme_id
    WHERE s.starts_at >= ${from} AND s.starts_at < ${to} AND o.cancelled_at IS NULL
    ORDER BY s.starts_at, s.id`,

  /** People who took part in the given sessions (attendance where taken, else those confirmed), by affiliation and in all (the row without one), and their units. */
  participants: (sessionIds: readonly number[]) => {
    const ids = sessionIds.length ? [...sessionIds] : [0];
    // One pass (both figures from one set), reaching applications through the sessions' offerings:
    // joined on the application id alone, the planner read every application of every year.
    const attended = sql`
    SELECT a.person_id FROM applications a
    WHERE a.offering_id IN (SELECT s.offering_id FROM offering_sessions s WHERE s.id IN (${sql.join(ids)}))
      AND EXISTS (SELECT 1 FROM attendance t WHERE t.application_id = a.id AND t.session_id IN (${sql.join(ids)}) AND t.status IN ('present','late','left_early'))
    UNION
    SELECT a.person_id FROM offering_sessions s JOIN applications a ON a.offering_id = s.offering_id AND a.status = 'confirmed'
    WHERE s.id IN (${sql.join(ids)}) AND NOT EXISTS (SELECT 1 FROM attendance t WHERE t.session_id = s.id)`;
    return sql<{ affiliation: Affiliation | null; n: number; units: number }>`WITH attended AS (${attended})
      SELECT p.affiliation, count(*) AS n, count(DISTINCT p.unit_id) AS units
      FROM people p JOIN attended x ON x.person_id = p.id GROUP BY GROUPING SETS ((p.affiliation), ())`;
  },

  /** Completions of the programmes' offerings of a year, whether one is a coordinator course, and coordinators certified in [start, end] (Tokyo dates). */
  programmeYear: (programmeIds: readonly number[], fy: number, start: string, end: string) => {
    const ids = programmeIds.length ? [...programmeIds] : [0];
    return sql<{ completions: number; course: boolean; certified: number }>`
      SELECT ${completedAmong(sql`SELECT a.id FROM applications a JOIN offerings o ON o.id = a.offering_id WHERE o.fiscal_year = ${fy} AND o.programme_id IN (${sql.join(ids)})`)} AS completions,
             EXISTS (SELECT 1 FROM programmes WHERE id IN (${sql.join(ids)}) AND kind = 'coordinator_course') AS course,
             (SELECT count(*) FROM coordinator_certifications WHERE granted_on >= ${start} AND granted_on <= ${end}) AS certified`;
  },

  /**
   * Each figure by the year in which it happened, never by when its row was written: completions by
   * the offering's year (and imported records by theirs), certificates by their completion date.
   */
  yearCounts: (fy: number, start: string, end: string) => sql<{ applications: number; completions: number; imported: number; certificates: number }>`
    SELECT (SELECT count(*) FROM applications a JOIN offerings o ON o.id = a.offering_id WHERE o.fiscal_year = ${fy}) AS applications,
           ${completedAmong(sql`SELECT a.id FROM applications a JOIN offerings o ON o.id = a.offering_id WHERE o.fiscal_year = ${fy}`)} AS completions,
           (SELECT count(*) FROM training_records r WHERE r.fiscal_year = ${fy} AND r.completed) AS imported,
           (SELECT count(*) FROM certificates WHERE completed_on >= ${start} AND completed_on <= ${end} AND revoked_at IS NULL) AS certificates`,

  /** Coordinators certified in [start, end], by `end`, and standing on `asOf` (Tokyo dates; revoked by the end of that day does not stand). */
  coordinators: (start: string, end: string, asOf: string) => sql<{ newly: number; cumulative: number; active: number }>`
    SELECT count(*) FILTER (WHERE granted_on >= ${start} AND granted_on <= ${end}) AS newly,
           count(*) FILTER (WHERE granted_on <= ${end}) AS cumulative,
           count(*) FILTER (WHERE granted_on <= ${asOf} AND (valid_until IS NULL OR valid_until >= ${asOf})
                            AND (revoked_at IS NULL OR revoked_at > ${new Date(`${asOf}T23:59:59+09:00`)})) AS active
    FROM coordinator_certifications`,

  /** Mean and count of the post-session survey items, over sessions starting in [from, to). */
  postSessionScores: (from: Date, to: Date, items: readonly string[]) => sql<{ question_id: string; mean: number | null; n: number }>`
    SELECT sc.question_id, avg(sc.score)::float8 AS mean, count(*) AS n
    FROM survey_scores sc JOIN surveys sv ON sv.id = sc.survey_id JOIN offering_sessions s ON s.id = sv.session_id
    WHERE sv.kind = 'post_session' AND s.starts_at >= ${from} AND s.starts_at < ${to}
      AND sc.question_id IN (${sql.join([...items])}) AND sc.item = ''
    GROUP BY sc.question_id`,

  /**
   * Paired pre/post change per competency over a year's offerings: how many pairs and the sum of
   * their changes, summed in SQL instead of sending every pair to the application (12,000 rows for a
   * year of ten cohorts).
   */
  competencyChange: (fy: number) => sql<{ item: string; n: number; change: number }>`
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
    GROUP BY a.item`,

  /**
   * Per active unit but 部局: staff, staff who completed a training (ever), active coordinators on
   * `today` (a Tokyo date), and field trainings held by `now` in the area (for 市町: hosted by partners
   * active there).
   */
  coverage: (today: string, now: Date) => sql<{
    id: number;
    kind: CoverageUnitKind;
    name: string;
    kana: string;
    dept: string | null;
    dept_kana: string | null;
    staff: number;
    trained: number;
    coordinators: number;
    hosted: number;
  }>`
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
        WHERE s.format = 'field' AND s.ends_at <= ${now} AND pa.area_unit_ids @> to_jsonb(u.id)
          AND NOT EXISTS (SELECT 1 FROM offerings o WHERE o.id = s.offering_id AND o.cancelled_at IS NOT NULL)) AS hosted
    FROM units u LEFT JOIN units d ON d.id = u.parent_id LEFT JOIN per_unit x ON x.unit_id = u.id
    WHERE u.active AND u.kind <> 'department'
    ORDER BY CASE u.kind WHEN 'division' THEN 0 WHEN 'agency' THEN 1 ELSE 2 END, d.kana COLLATE "C", u.kana COLLATE "C", u.id`,

  /**
   * Stored figures (decision 0022) of the given keys and fiscal years that still hold at `now`: within
   * their [valid_from, valid_until) and with no change of their year (figure_changes, written by the
   * triggers of migrations 20261130T1404 and 20261130T1601 in the writer's transaction) that their
   * snapshot did not see. As `json` (text), not `jsonb`: nothing to rebuild on the way out.
   * Also the current snapshot, under which figures computed from here on are stored.
   */
  storedFigures: (keys: readonly string[], years: readonly number[], now: Date) => sql<{ snapshot: string; entries: { key: string; fy: number; figures: unknown }[] | null }>`
    SELECT pg_current_snapshot()::text AS snapshot,
      (SELECT json_agg(json_build_object('key', c.key, 'fy', c.fiscal_year, 'figures', c.figures))
       FROM figure_cache c
       WHERE c.key IN (${sql.join(keys.length ? [...keys] : [''])}) AND c.fiscal_year IN (${sql.join(years.length ? [...years] : [0])})
         AND c.valid_from <= ${now} AND ${now} < c.valid_until
         AND c.cluster = (SELECT system_identifier::text FROM pg_control_system())
         AND NOT EXISTS (SELECT 1 FROM figure_changes x
                         WHERE x.fiscal_year = c.fiscal_year AND x.txid >= pg_snapshot_xmin(c.snapshot)
                           AND NOT pg_visible_in_snapshot(x.txid, c.snapshot))) AS entries`,

  /**
   * Stores figures computed from `now` on under `snapshot` (taken before they were read). Each holds until
   * the next session of its year ends (a session held changes them), or until its `until` if that comes
   * first (figures that depend on the day), or for good.
   */
  storeFigures: (rows: readonly { key: string; fy: number; figures: unknown; until?: Date }[], snapshot: string, now: Date) => sql`
    INSERT INTO figure_cache (key, fiscal_year, snapshot, cluster, valid_from, valid_until, figures)
    SELECT x.key, x.fy, ${snapshot}::pg_snapshot, (SELECT system_identifier::text FROM pg_control_system()), ${now},
           least(coalesce((SELECT min(s.ends_at) FROM offering_sessions s WHERE s.ends_at > ${now} AND figures_fy(s.starts_at) = x.fy), 'infinity'), coalesce(x.until, 'infinity')),
           x.figures
    FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS x(key text, fy integer, figures jsonb, until timestamptz)
    ON CONFLICT (key, fiscal_year) DO UPDATE
      SET snapshot = EXCLUDED.snapshot, cluster = EXCLUDED.cluster, valid_from = EXCLUDED.valid_from, valid_until = EXCLUDED.valid_until, figures = EXCLUDED.figures`,

  /** `coordinators` for several years at once: per fiscal year, certified in it, by its end, and standing on its `asOf` (Tokyo dates). */
  coordinatorsByYear: (years: readonly { fy: number; start: string; end: string; asOf: string }[]) => sql<{ fy: number; newly: number; cumulative: number; active: number }>`
    SELECT y.fy,
           count(*) FILTER (WHERE c.granted_on >= y.fy_start AND c.granted_on <= y.fy_end) AS newly,
           count(*) FILTER (WHERE c.granted_on <= y.fy_end) AS cumulative,
           count(*) FILTER (WHERE c.granted_on <= y.as_of AND (c.valid_until IS NULL OR c.valid_until >= y.as_of)
                              AND (c.revoked_at IS NULL OR c.revoked_at > ((y.as_of + 1)::timestamp AT TIME ZONE 'Asia/Tokyo') - interval '1 second')) AS active
    FROM jsonb_to_recordset(${JSON.stringify(years.map((y) => ({ fy: y.fy, fy_start: y.start, fy_end: y.end, as_of: y.asOf })))}::jsonb) AS y(fy integer, fy_start date, fy_end date, as_of date)
    LEFT JOIN coordinator_certifications c ON c.granted_on <= y.fy_end
    GROUP BY y.fy`,

  /** Consultations filed in [from, to), per fiscal year of filing, kind and outcome (withdrawn, or open while not closed). */
  consultationsByYear: (from: Date, to: Date) => sql<{ fy: number; kind: string; outcome: string; n: number }>`
    SELECT figures_fy(created_at) AS fy, kind, CASE WHEN status = 'closed' THEN outcome WHEN status = 'withdrawn' THEN 'withdrawn' ELSE 'open' END AS outcome, count(*) AS n
    FROM consultations WHERE created_at >= ${from} AND created_at < ${to}
    GROUP BY 1, 2, 3`,

  /**
   * `storedFigures` and, in the same statement (one round trip: PGlite takes statements one at a
   * time), other small reads as JSON arrays: `parts` maps a column name to a statement.
   */
  storedFiguresWith: (keys: readonly string[], years: readonly number[], now: Date, parts: Record<string, RawBuilder<unknown>>) =>
    sql<{ snapshot: string; entries: { key: string; fy: number; figures: unknown }[] | null } & Record<string, unknown>>`
    SELECT s.snapshot, s.entries${sql.join(
      Object.entries(parts).map(([name, q]) => sql`, (SELECT coalesce(jsonb_agg(to_jsonb(x)), '[]'::jsonb) FROM (${q}) x) AS ${sql.ref(name)}`),
      sql``,
    )}
    FROM (${reportStatements.storedFigures(keys, years, now)}) s`,

  /**
   * `storedFigures` of the dashboard's KPIs and the first fiscal year with an offering (the years of
   * records), in one statement: all a view of the dashboard reads when the figures are stored.
   */
  storedKpis: (key: string, years: readonly number[], now: Date) => sql<{ snapshot: string; entries: { key: string; fy: number; figures: unknown }[] | null; first: number | null }>`
    SELECT s.snapshot, s.entries, (SELECT min(fiscal_year) FROM offerings) AS first
    FROM (${reportStatements.storedFigures([key], years, now)}) s`,

  /** Which of the programmes are coordinator courses. */
  coursesAmong: (programmeIds: readonly number[]) => sql<{ id: number }>`
    SELECT id FROM programmes WHERE id IN (${sql.join(programmeIds.length ? [...programmeIds] : [0])}) AND kind = 'coordinator_course'`,

  /**
   * The parts of a fiscal year's gap indicators (`gapStatements`, unchanged) that year-wide plan targets
   * read, to send beside the stored figures: only the columns asked for are computed (`hosts` alone of
   * the field trainings: the participants there are the costly part, and no target reads them).
   */
  gapPart: (part: GapPart, y: { fy: number; from: Date; to: Date; windowFrom: Date; asOf: string; now: Date; items: readonly string[] }): RawBuilder<unknown> => {
    switch (part) {
      case 'pairs':
        return gapStatements.pairScores(y.fy, y.items);
      case 'hosts':
        return sql`SELECT f.hosts FROM (${gapStatements.fieldTrainings(y.from, y.to, y.now)}) f`;
      case 'reach':
        return gapStatements.reach(y.windowFrom, y.to, y.now);
      case 'coordinators':
        return gapStatements.activeCoordinators(y.asOf);
      case 'served':
        return gapStatements.consultationsServed(y.from, y.to);
      case 'municipalities':
        return gapStatements.municipalities(y.windowFrom, y.to);
    }
  },

  /** The first fiscal year with an offering. */
  firstFiscalYear: (db: Kysely<Database>) => db.selectFrom('offerings').select((e) => e.fn.min('fiscal_year').as('first')),

  /** Sessions of published offerings not cancelled that have not ended by `now`, soonest first (at most 500). */
  publicSchedule: (db: Kysely<Database>, now: Date) =>
    db
      .selectFrom('offering_sessions as s')
      .innerJoin('offerings as o', 'o.id', 's.offering_id')
      .innerJoin('programmes as p', 'p.id', 'o.programme_id')
      .leftJoin('units as u', 'u.id', 'p.owning_unit_id')
      .select(['s.id', 's.title', 's.format', 's.starts_at', 's.ends_at', 's.venue', 's.capacity', 'o.id as offering_id', 'o.title as offering_title', 'o.audience', 'o.description', 'o.capacity as offering_capacity', 'o.application_closes_at', 'u.name as owning_unit'])
      .where('o.published', '=', true)
      .where('o.cancelled_at', 'is', null)
      .where('s.ends_at', '>', now)
      .orderBy('s.starts_at')
      .orderBy('s.id')
      .limit(500),
};

/** A JSON value read back: parsed when the driver gave it as text (a value nested in a subquery). */
const parsedJson = (v: unknown) => (typeof v === 'string' ? JSON.parse(v) : v);
/** Stored figures as read back (`storedFigures`). */
type StoredEntries = { key: string; fy: number; figures: unknown }[];

/** The report figures' reads: `reportStatements`, run. */
export const reportRepository = {
  async sessionsOfYear(db: Kysely<Database>, from: Date, to: Date) {
    return (await reportStatements.sessionsOfYear(from, to).execute(db)).rows;
  },
  async participants(db: Kysely<Database>, sessionIds: readonly number[]) {
    return (await reportStatements.participants(sessionIds).execute(db)).rows;
  },
  async programmeYear(db: Kysely<Database>, programmeIds: readonly number[], fy: number, start: string, end: string) {
    return (await reportStatements.programmeYear(programmeIds, fy, start, end).execute(db)).rows[0];
  },
  async yearCounts(db: Kysely<Database>, fy: number, start: string, end: string) {
    return (await reportStatements.yearCounts(fy, start, end).execute(db)).rows[0];
  },
  async coordinators(db: Kysely<Database>, start: string, end: string, asOf: string) {
    return (await reportStatements.coordinators(start, end, asOf).execute(db)).rows[0];
  },
  async postSessionScores(db: Kysely<Database>, from: Date, to: Date, items: readonly string[]) {
    return (await reportStatements.postSessionScores(from, to, items).execute(db)).rows;
  },
  async competencyChange(db: Kysely<Database>, fy: number) {
    return (await reportStatements.competencyChange(fy).execute(db)).rows;
  },
  async coverage(db: Kysely<Database>, today: string, now: Date) {
    return (await reportStatements.coverage(today, now).execute(db)).rows;
  },
  async storedFiguresWith<P extends string>(db: Kysely<Database>, keys: readonly string[], years: readonly number[], now: Date, parts: Record<P, RawBuilder<unknown>>) {
    const r = (await reportStatements.storedFiguresWith(keys, years, now, parts).execute(db)).rows[0]!;
    const out = Object.fromEntries(Object.keys(parts).map((k) => [k, parsedJson(r[k]) as unknown[]])) as Record<P, unknown[]>;
    return { snapshot: r.snapshot, entries: (parsedJson(r.entries) ?? []) as StoredEntries, ...out };
  },
  /** The dashboard's read: its stored KPIs and the first fiscal year with an offering, in one statement. */
  async storedKpis(db: Kysely<Database>, key: string, years: readonly number[], now: Date) {
    const r = (await reportStatements.storedKpis(key, years, now).execute(db)).rows[0]!;
    return {
      snapshot: r.snapshot,
      entries: (parsedJson(r.entries) ?? []) as StoredEntries,
      /** The first fiscal year with an offering (read in the same statement, so that the years asked for can be those that have records). */
      firstFiscalYear: r.first === null || r.first === undefined ? null : Number(r.first),
    };
  },
  async consultationsByYear(db: Kysely<Database>, from: Date, to: Date) {
    return (await reportStatements.consultationsByYear(from, to).execute(db)).rows.map((x) => ({ fy: Number(x.fy), kind: x.kind, outcome: x.outcome, n: Number(x.n) }));
  },
  /** The plan sheet's read: stored measure figures with which programmes are courses and the coordinators certified per year, in one statement. */
  async storedMeasuresWithLive(
    db: Kysely<Database>,
    keys: readonly string[],
    years: readonly { fy: number; start: string; end: string; asOf: string }[],
    now: Date,
    programmeIds: readonly number[],
    also: Record<string, RawBuilder<unknown>> = {},
  ) {
    const r = await this.storedFiguresWith(
      db,
      keys,
      years.map((y) => y.fy),
      now,
      { ...also, courses: reportStatements.coursesAmong(programmeIds), coordinators: reportStatements.coordinatorsByYear(years) },
    );
    return {
      snapshot: r.snapshot,
      entries: r.entries,
      /** The rows of each statement of `also`, by its name. */
      also: Object.fromEntries(Object.keys(also).map((k) => [k, r[k as keyof typeof r] as unknown[]])),
      courses: new Set((r.courses as { id: number }[]).map((x) => Number(x.id))),
      certified: new Map((r.coordinators as { fy: number; newly: number }[]).map((x) => [Number(x.fy), Number(x.newly)])),
    };
  },
  async storeFigures(db: Kysely<Database>, rows: readonly { key: string; fy: number; figures: unknown; until?: Date }[], snapshot: string, now: Date) {
    if (rows.length) await reportStatements.storeFigures(rows, snapshot, now).execute(db);
  },
  async firstFiscalYear(db: Kysely<Database>): Promise<number | null> {
    const r = await reportStatements.firstFiscalYear(db).executeTakeFirst();
    return r?.first === null || r?.first === undefined ? null : Number(r.first);
  },
  publicSchedule(db: Kysely<Database>, now: Date) {
    return reportStatements.publicSchedule(db, now).execute();
  },
};
