import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { Database } from '../schema.js';
import { type Affiliation } from '../../domain/values.js';

/** Attendance counts for a session where it was taken; a held session without any counts its confirmed applicants. */
const attendedIn = (sessionIds: RawBuilder<unknown>) => sql`
  SELECT a.person_id FROM applications a
  WHERE a.offering_id IN (SELECT s.offering_id FROM offering_sessions s WHERE s.id IN (${sessionIds}))
    AND EXISTS (SELECT 1 FROM attendance t WHERE t.application_id = a.id AND t.session_id IN (${sessionIds}) AND t.status IN ('present','late','left_early'))
  UNION
  SELECT a.person_id FROM offering_sessions s JOIN applications a ON a.offering_id = s.offering_id AND a.status = 'confirmed'
  WHERE s.id IN (${sessionIds}) AND NOT EXISTS (SELECT 1 FROM attendance t WHERE t.session_id = s.id)`;

/** Sessions held (ended by `now`) of offerings not cancelled, starting in [from, to). */
const heldSessions = (from: Date, to: Date, now: Date, fieldOnly: boolean) => sql`
  SELECT s.id FROM offering_sessions s JOIN offerings o ON o.id = s.offering_id
  WHERE s.starts_at >= ${from} AND s.starts_at < ${to} AND s.ends_at <= ${now} AND o.cancelled_at IS NULL
    ${fieldOnly ? sql`AND s.format = 'field'` : sql``}`;

/**
 * The statements of the three gap indicators (issue 21 §2), each built without running it so that
 * tests/db/query-snapshots.test.ts can compile it into src/db/queries/gap.repository.sql: a change to
 * one shows in review. `gapRepository` below runs them; the arithmetic is in domain/gap.ts.
 */
export const gapStatements = {
  /**
   * Pre/post competency scores of a fiscal year's offerings: one row per person, offering and item
   * answered in both the pre and the post self-assessment, with the person's affiliation and 部局.
   */
  pairScores: (fy: number, items: readonly string[]) => sql<{
    person_id: number;
    offering_id: number;
    offering_title: string;
    item: string;
    pre: number;
    post: number;
    affiliation: Affiliation;
    department_id: number | null;
    department_name: string | null;
  }>`
      SELECT r1.person_id, o.id AS offering_id, o.title AS offering_title, s1.item, s1.score AS pre, s2.score AS post, p.affiliation,
             d.id AS department_id, d.name AS department_name
      FROM surveys pre
      JOIN surveys post ON post.offering_id = pre.offering_id AND post.kind = 'post'
      JOIN offerings o ON o.id = pre.offering_id
      JOIN survey_responses r1 ON r1.survey_id = pre.id AND r1.person_id IS NOT NULL
      JOIN survey_responses r2 ON r2.survey_id = post.id AND r2.person_id = r1.person_id
      JOIN survey_scores s1 ON s1.response_id = r1.id
      JOIN survey_scores s2 ON s2.response_id = r2.id AND s2.question_id = s1.question_id AND s2.item = s1.item
      JOIN people p ON p.id = r1.person_id
      LEFT JOIN units u ON u.id = p.unit_id
      LEFT JOIN units d ON d.id = CASE WHEN u.kind = 'department' THEN u.id WHEN u.kind = 'division' THEN u.parent_id END AND d.kind = 'department'
      WHERE pre.kind = 'pre' AND o.fiscal_year = ${fy} AND s1.item IN (${sql.join([...items])})
      ORDER BY o.id, r1.person_id, s1.item`,

  /** Field trainings held in [from, to): how many, the people who took part, and the distinct host partners. */
  fieldTrainings: (from: Date, to: Date, now: Date) => {
    const ids = heldSessions(from, to, now, true);
    return sql<{ sessions: number; participants: number; hosts: number }>`
      SELECT (SELECT count(*) FROM (${ids}) x) AS sessions,
             (SELECT count(DISTINCT person_id) FROM (${attendedIn(ids)}) y) AS participants,
             (SELECT count(DISTINCT s.host_partner_id) FROM offering_sessions s WHERE s.id IN (${ids})) AS hosts`;
  },

  /**
   * Active 所属 (課・室 and related agencies) and 市町, and how many of each had anyone take part in a
   * session held in [from, to).
   */
  reach: (from: Date, to: Date, now: Date) => sql<{ units: number; units_reached: number; municipalities: number; municipalities_reached: number }>`
      WITH reached AS (
        SELECT DISTINCT p.unit_id FROM people p WHERE p.unit_id IS NOT NULL AND p.id IN (${attendedIn(heldSessions(from, to, now, false))}))
      SELECT count(*) FILTER (WHERE u.kind IN ('division','agency')) AS units,
             count(*) FILTER (WHERE u.kind IN ('division','agency') AND u.id IN (SELECT unit_id FROM reached)) AS units_reached,
             count(*) FILTER (WHERE u.kind = 'municipality') AS municipalities,
             count(*) FILTER (WHERE u.kind = 'municipality' AND u.id IN (SELECT unit_id FROM reached)) AS municipalities_reached
      FROM units u WHERE u.active`,

  /** Coordinators whose certification stands on `asOf` (a Tokyo date; revoked by the end of that day does not stand), with their unit. */
  activeCoordinators: (asOf: string) => sql<{ person_id: number; unit_id: number | null; unit_kind: string | null; unit_name: string | null; department_id: number | null; department_name: string | null }>`
      SELECT c.person_id, u.id AS unit_id, u.kind AS unit_kind, u.name AS unit_name, d.id AS department_id, d.name AS department_name
      FROM coordinator_certifications c
      JOIN people p ON p.id = c.person_id
      LEFT JOIN units u ON u.id = p.unit_id
      LEFT JOIN units d ON d.id = CASE WHEN u.kind = 'department' THEN u.id WHEN u.kind = 'division' THEN u.parent_id END AND d.kind = 'department'
      WHERE c.granted_on <= ${asOf} AND (c.valid_until IS NULL OR c.valid_until >= ${asOf})
        AND (c.revoked_at IS NULL OR c.revoked_at > ${new Date(`${asOf}T23:59:59+09:00`)})`,

  /** Consultations filed in [from, to) that were served: a coordinator accepted them, or they closed with an outcome. */
  consultationsServed: (from: Date, to: Date) => sql<{ n: number }>`
      SELECT count(*) AS n FROM consultations c
      WHERE c.created_at >= ${from} AND c.created_at < ${to} AND c.status <> 'withdrawn'
        AND ((c.status = 'closed' AND c.outcome IS NOT NULL)
             OR EXISTS (SELECT 1 FROM consultation_assignments ca WHERE ca.consultation_id = c.id AND ca.status = 'accepted'))`,

  /** Active 市町 (id and name, in kana order) and, of them, those served by a consultation filed in [from, to). */
  municipalities: (from: Date, to: Date) => sql<{ id: number; name: string; served: boolean }>`
      SELECT u.id, u.name, EXISTS (
               SELECT 1 FROM consultations c
               WHERE c.unit_id = u.id AND c.created_at >= ${from} AND c.created_at < ${to} AND c.status <> 'withdrawn'
                 AND ((c.status = 'closed' AND c.outcome IS NOT NULL)
                      OR EXISTS (SELECT 1 FROM consultation_assignments ca WHERE ca.consultation_id = c.id AND ca.status = 'accepted'))) AS served
      FROM units u WHERE u.active AND u.kind = 'municipality'
      ORDER BY u.kana COLLATE "C", u.id`,

  /** Active 部局, in kana order. */
  departments: (db: Kysely<Database>) => db.selectFrom('units').select(['id', 'name']).where('kind', '=', 'department').where('active', '=', true).orderBy('kana').orderBy('id'),
};

/** The SQL of the three gap indicators (issue 21 §2): `gapStatements`, run; the arithmetic is in domain/gap.ts. */
export const gapRepository = {
  async pairScores(db: Kysely<Database>, fy: number, items: readonly string[]) {
    const r = await gapStatements.pairScores(fy, items).execute(db);
    return r.rows.map((x) => ({ ...x, pre: Number(x.pre), post: Number(x.post) }));
  },

  async fieldTrainings(db: Kysely<Database>, from: Date, to: Date, now: Date) {
    const x = (await gapStatements.fieldTrainings(from, to, now).execute(db)).rows[0];
    return { sessions: Number(x.sessions), participants: Number(x.participants), hosts: Number(x.hosts) };
  },

  async reach(db: Kysely<Database>, from: Date, to: Date, now: Date) {
    const x = (await gapStatements.reach(from, to, now).execute(db)).rows[0];
    return { units: Number(x.units), unitsReached: Number(x.units_reached), municipalities: Number(x.municipalities), municipalitiesReached: Number(x.municipalities_reached) };
  },

  async activeCoordinators(db: Kysely<Database>, asOf: string) {
    return (await gapStatements.activeCoordinators(asOf).execute(db)).rows;
  },

  async consultationsServed(db: Kysely<Database>, from: Date, to: Date) {
    return Number((await gapStatements.consultationsServed(from, to).execute(db)).rows[0].n);
  },

  async municipalities(db: Kysely<Database>, from: Date, to: Date) {
    const r = await gapStatements.municipalities(from, to).execute(db);
    return r.rows.map((x) => ({ id: x.id, name: x.name, served: Boolean(x.served) }));
  },

  async departments(db: Kysely<Database>) {
    return gapStatements.departments(db).execute();
  },
};
