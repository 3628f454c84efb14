import { type Kysely, type RawBuilder, sql } from 'kysely';
import { type ColumnType, type JsonInsert, jsonText } from '../json-rows.js';
import { preparedMark } from '../prepared.js';
import { firstPerUnit } from './person.repository.js';
import type { Application, ApplicationTable, Database, Offering, OfferingSession, Person } from '../schema.js';
import type { Insertable, Updateable } from 'kysely';

export type ApplicationRow = Application & {
  person_name: string;
  person_kana: string;
  person_email: string;
  person_unit_id: number | null;
  unit_name: string | null;
  affiliation: string;
  /** The applicant's language for mails ('ja' or 'en'; null: Japanese). */
  person_locale: string | null;
  /** Who endorsed or returned it (推薦・承認 / 差戻し), for the applicant's page. */
  endorser_name: string | null;
};

function withPerson(db: Kysely<Database>) {
  return db
    .selectFrom('applications')
    .innerJoin('people', 'people.id', 'applications.person_id')
    .leftJoin('units', 'units.id', 'people.unit_id')
    .leftJoin('people as endorser', 'endorser.id', 'applications.endorsed_by')
    .selectAll('applications')
    .select([
      'endorser.name as endorser_name',
      'people.name as person_name',
      'people.kana as person_kana',
      'people.email as person_email',
      'people.unit_id as person_unit_id',
      'people.affiliation as affiliation',
      'people.locale as person_locale',
      'units.name as unit_name',
    ]);
}

/** A new application, whole (its id drawn beforehand), with the answers as an object (stored as jsonb). */
export type NewApplication = Omit<Application, 'answers'> & { answers: Record<string, string> };

/** The columns a new application is written with. */
const APPLICATION_COLUMNS = {
  id: 'integer',
  offering_id: 'integer',
  person_id: 'integer',
  status: 'text',
  seat_group: 'text',
  answers: 'jsonb',
  answers_pending: 'boolean',
  applied_at: 'timestamptz',
  applied_by: 'integer',
  decided_at: 'timestamptz',
  waitlist_order: 'bigint',
  participant_code: 'text',
  updated_at: 'timestamptz',
} as const satisfies Partial<Record<keyof ApplicationTable, ColumnType>>;

type Applicant = Pick<Person, 'id' | 'name' | 'email' | 'locale' | 'unit_id' | 'affiliation' | 'active'>;

interface RawBatchState {
  batch_people: Applicant[];
  batch_previous: Pick<Application, 'id' | 'person_id' | 'status'>[];
  batch_seats: { seat_group: string; confirmed: number }[];
  batch_max_order: number | null;
  batch_sessions: { id: number; title: string; venue: string; starts_at: string; ends_at: string; ical_sequence: number; belongings: string; access: string }[];
  batch_ids: (number | string)[];
  batch_approvers: { id: number; unit_id: number; name: string; email: string }[];
  batch_admins: { id: number; unit_id: number | null; name: string; email: string }[];
}

export interface BatchState {
  offering: Offering;
  people: Applicant[];
  previous: Pick<Application, 'id' | 'person_id' | 'status'>[];
  counts: { total: number } & Record<string, number>;
  nextWaitlistOrder: number;
  sessions: Pick<OfferingSession, 'id' | 'title' | 'venue' | 'starts_at' | 'ends_at' | 'ical_sequence' | 'belongings' | 'access'>[];
  ids: number[];
  approvers: { id: number; unit_id: number; name: string; email: string }[];
  /** When the offering needs endorsement: the admins, who are asked when a unit has no other approver. */
  admins: { id: number; unit_id: number | null; name: string; email: string }[];
}

/**
 * The batch statements, built without running them so that tests/db/query-snapshots.test.ts can
 * compile them into src/db/queries/application.repository.sql: a change to one shows in review.
 */
export const applicationStatements = {
  /**
   * What deciding a group of applications to one offering needs, in one statement: see
   * `applicationRepository.batchState`.
   *
   * Each applicant's latest application to the offering is found among the applicant's own applications
   * (`theirs`: by person, materialised), never by offering. An offering that opens is not yet in the
   * table's statistics while its applications pour in; asked by offering, the planner believed it held
   * none and read all of them once for every applicant of every group, so that a burst slowed down as it
   * filled the offering (issue 18: PostgreSQL's CPU per application doubled or tripled in some rounds of
   * the registration benchmark). A person's applications are few, whatever the statistics say.
   */
  batchState(offeringId: number, personIds: readonly number[], ids: number) {
    const who = JSON.stringify(personIds);
    return sql<Omit<RawBatchState, 'batch_approvers' | 'batch_admins'> & Offering>`${preparedMark}
      WITH who AS (SELECT value::int AS id FROM jsonb_array_elements_text(${who}::jsonb)),
        theirs AS MATERIALIZED (SELECT id, person_id, offering_id, status FROM applications WHERE person_id = ANY (ARRAY(SELECT id FROM who)))
      SELECT o.*,
        (SELECT coalesce(json_agg(json_build_object('id', p.id, 'name', p.name, 'email', p.email, 'locale', p.locale, 'unit_id', p.unit_id, 'affiliation', p.affiliation, 'active', p.active)), '[]')
           FROM people p WHERE p.id = ANY (ARRAY(SELECT id FROM who))) AS batch_people,
        (SELECT coalesce(json_agg(json_build_object('id', a.id, 'person_id', a.person_id, 'status', a.status)), '[]')
           FROM (SELECT DISTINCT ON (person_id) id, person_id, status FROM theirs
                 WHERE offering_id = ${offeringId} ORDER BY person_id, id DESC) a) AS batch_previous,
        (SELECT coalesce(json_agg(json_build_object('seat_group', s.seat_group, 'confirmed', s.n)), '[]')
           FROM (SELECT seat_group, count(*) AS n FROM applications
                 WHERE offering_id = ${offeringId} AND status = 'confirmed' GROUP BY seat_group) s) AS batch_seats,
        (SELECT max(waitlist_order) FROM applications WHERE offering_id = ${offeringId}) AS batch_max_order,
        (SELECT coalesce(json_agg(json_build_object('id', s.id, 'title', s.title, 'venue', s.venue, 'starts_at', s.starts_at, 'ends_at', s.ends_at, 'ical_sequence', s.ical_sequence, 'belongings', s.belongings, 'access', s.access) ORDER BY s.starts_at, s.id), '[]')
           FROM offering_sessions s WHERE s.offering_id = ${offeringId}) AS batch_sessions,
        (SELECT coalesce(json_agg(n ORDER BY n), '[]')
           FROM (SELECT nextval(pg_get_serial_sequence('applications', 'id')) AS n FROM generate_series(1, ${ids})) g) AS batch_ids
      FROM offerings o WHERE o.id = ${offeringId}`;
  },
  /**
   * Who is asked to endorse a group's applications, read only for an offering that needs endorsement
   * (`applicationRepository.batchState`): the approvers of the applicants' units and the admins.
   */
  endorsers(personIds: readonly number[]) {
    const who = JSON.stringify(personIds);
    return sql<Pick<RawBatchState, 'batch_approvers' | 'batch_admins'>>`
      WITH who AS (SELECT value::int AS id FROM jsonb_array_elements_text(${who}::jsonb))
      SELECT
        (SELECT coalesce(json_agg(json_build_object('id', ap.id, 'unit_id', ap.unit_id, 'name', ap.name, 'email', ap.email) ORDER BY ap.kana, ap.id), '[]')
           FROM people ap
           WHERE ap.active AND ap.unit_id IN (SELECT p.unit_id FROM people p WHERE p.id IN (SELECT id FROM who))
             AND EXISTS (SELECT 1 FROM person_roles r WHERE r.person_id = ap.id AND r.role = 'approver')) AS batch_approvers,
        (SELECT coalesce(json_agg(json_build_object('id', ad.id, 'unit_id', ad.unit_id, 'name', ad.name, 'email', ad.email) ORDER BY ad.kana, ad.id), '[]')
           FROM (SELECT ad.* FROM people ad
                 WHERE ad.active
                   AND EXISTS (SELECT 1 FROM person_roles r WHERE r.person_id = ad.id AND r.role = 'admin')
                 ORDER BY ad.kana, ad.id LIMIT 50) ad) AS batch_admins`;
  },
  /**
   * The write of a group (decision 0015), one statement: the new applications, their audit entries and
   * the notices, guarded by the seat version unless `guard` is left out (decided under the lock).
   *
   * The applications go as ONE JSON parameter, each row the application as a whole (as the service
   * decided it): the `applications` rows are read from it, and so is each audit entry — its `after` is
   * that row itself, its actor the applicant (`applied_by`), its action `apply`, or `apply_on_behalf`
   * when someone applied for another person (`applied_by` ≠ `person_id`). The same entries as
   * `auditRecords` makes, without sending every row a second time (measured on PGlite, issue 18: the
   * parameters' bytes were a fifth of the write).
   */
  groupWrite(apps: readonly NewApplication[], audit: GroupAudit, mails: JsonInsert, guard?: RawBuilder<unknown>) {
    const when = guard ? sql` WHERE EXISTS (SELECT 1 FROM g)` : sql``;
    const columns = sql.raw(GROUP_COLUMNS.map(([n]) => n).join(', '));
    const record = sql.raw(GROUP_COLUMNS.map(([n, t]) => `${n} ${t}`).join(', '));
    return sql<{ n: number }>`${preparedMark}
      WITH ${guard ? sql`g AS (${guard}),` : sql``}
      j AS (SELECT ${jsonText(apps)}::jsonb AS rows),
      w0 AS (INSERT INTO applications (${columns}) SELECT ${columns} FROM jsonb_to_recordset((SELECT rows FROM j)) AS x(${record})${when}),
      w1 AS (INSERT INTO audit_log (at, actor_id, action, entity, entity_id, before, after)
             SELECT ${audit.at}::timestamptz, (e->>'applied_by')::integer,
                    CASE WHEN e->'applied_by' = e->'person_id' THEN 'apply' ELSE 'apply_on_behalf' END,
                    'application', e->>'id', NULL, e
             FROM jsonb_array_elements((SELECT rows FROM j)) AS e${when}),
      w2 AS (${mails.statement}${when})
      SELECT ${guard ? sql`(SELECT count(*) FROM g)` : sql`1`} AS n`;
  },
};

/** The columns of a new application as `groupWrite` reads them from each row of its JSON parameter. */
const GROUP_COLUMNS = Object.entries(APPLICATION_COLUMNS);

/** The audit entry of a new application, written with it by `groupWrite`. */
export interface GroupAudit {
  /** When (the audit entries' `at`). */
  at: Date;
}

export const applicationRepository = {
  find(db: Kysely<Database>, id: number): Promise<ApplicationRow | undefined> {
    return withPerson(db).where('applications.id', '=', id).executeTakeFirst();
  },
  findLive(db: Kysely<Database>, offeringId: number, personId: number) {
    return db
      .selectFrom('applications')
      .selectAll()
      .where('offering_id', '=', offeringId)
      .where('person_id', '=', personId)
      .where('status', 'in', ['applied', 'endorsed', 'confirmed', 'waitlisted'])
      .executeTakeFirst();
  },
  /**
   * Writes a group's new applications (ids drawn beforehand by `batchState`), their audit entries and
   * the notices in one statement (`applicationStatements.groupWrite`). With a `guard`, nothing is
   * written unless it matched; the answer says whether it did.
   */
  async writeGroup(db: Kysely<Database>, apps: readonly NewApplication[], audit: GroupAudit, mails: JsonInsert, guard?: RawBuilder<unknown>): Promise<boolean> {
    const { rows } = await applicationStatements.groupWrite(apps, audit, mails, guard).execute(db);
    return Number(rows[0]?.n) > 0;
  },
  /**
   * What deciding a group of applications to one offering needs, read in one statement (one snapshot:
   * the seat counts and the seat version agree; null when there is no such offering): the offering, the
   * applicants, each one's latest application to the offering, confirmed places per seat group and
   * the highest waitlist order, the sessions (for the notices), `ids` new application ids, and, when
   * the offering needs endorsement, the approvers of the applicants' units (at most 50 a unit, in
   * フリガナ order) and the admins (at most 50, asked when a unit has no approver but the applicant):
   * these two, who are only mailed, in a second statement (`applicationStatements.endorsers`).
   */
  async batchState(db: Kysely<Database>, offeringId: number, personIds: readonly number[], ids: number): Promise<BatchState | null> {
    const { rows } = await applicationStatements.batchState(offeringId, personIds, ids).execute(db);
    const r = rows[0];
    if (!r) return null;
    const { batch_people: people, batch_previous: previous, batch_seats: seats, batch_max_order: maxOrder, batch_sessions: sessions, batch_ids: drawn, ...offering } = r;
    // Planning the endorsers' two subqueries cost a fifth of this read on PGlite (issue 18): read them
    // apart, and only for an offering that needs endorsement.
    const { batch_approvers: approvers, batch_admins: admins } = offering.endorsement_required
      ? (await applicationStatements.endorsers(personIds).execute(db)).rows[0]
      : { batch_approvers: [], batch_admins: [] };
    const counts: { total: number } & Record<string, number> = { total: 0 };
    for (const s of seats) {
      counts[s.seat_group] = s.confirmed;
      counts.total += s.confirmed;
    }
    return {
      offering: offering as Offering,
      people,
      previous,
      counts,
      nextWaitlistOrder: Number(maxOrder ?? 0) + 1,
      sessions: sessions.map((s) => ({ ...s, starts_at: new Date(s.starts_at), ends_at: new Date(s.ends_at) })),
      ids: drawn.map(Number),
      approvers: firstPerUnit(approvers),
      admins,
    };
  },
  insert(db: Kysely<Database>, a: Insertable<ApplicationTable>) {
    return db.insertInto('applications').values(a).returningAll().executeTakeFirstOrThrow();
  },
  update(db: Kysely<Database>, id: number, a: Updateable<ApplicationTable>) {
    return db.updateTable('applications').set(a).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
  },
  /** Confirmed places per seat group. */
  async confirmedCounts(db: Kysely<Database>, offeringId: number): Promise<{ total: number } & Record<string, number>> {
    const rows = await db
      .selectFrom('applications')
      .select(['seat_group', sql<number>`count(*)`.as('n')])
      .where('offering_id', '=', offeringId)
      .where('status', '=', 'confirmed')
      .groupBy('seat_group')
      .execute();
    const out: { total: number } & Record<string, number> = { total: 0 };
    for (const r of rows) {
      out[r.seat_group] = r.n;
      out.total += r.n;
    }
    return out;
  },
  async nextWaitlistOrder(db: Kysely<Database>, offeringId: number): Promise<number> {
    const r = await db
      .selectFrom('applications')
      .select(sql<number>`coalesce(max(waitlist_order), 0)`.as('m'))
      .where('offering_id', '=', offeringId)
      .executeTakeFirstOrThrow();
    return r.m + 1;
  },
  waitlisted(db: Kysely<Database>, offeringId: number) {
    return db
      .selectFrom('applications')
      .selectAll()
      .where('offering_id', '=', offeringId)
      .where('status', '=', 'waitlisted')
      .orderBy('waitlist_order')
      .orderBy('id')
      .execute();
  },
  listForOffering(db: Kysely<Database>, offeringId: number, f: { status?: string; unitId?: number; q?: string } = {}): Promise<ApplicationRow[]> {
    let q = withPerson(db).where('applications.offering_id', '=', offeringId);
    if (f.status) q = q.where('applications.status', '=', f.status as Application['status']);
    if (f.unitId) q = q.where('people.unit_id', '=', f.unitId);
    if (f.q) q = q.where('people.search_key', 'like', `%${f.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    return q.orderBy('applications.applied_at').orderBy('applications.id').execute();
  },
  /**
   * One page of an offering's applicants, filtered, sorted and paged in the database (by arrival, by
   * フリガナ in 50音順, or by status), ties by arrival then id; with the number of matches and each
   * waiting applicant's place on the waiting list.
   */
  async pageForOffering(
    db: Kysely<Database>,
    offeringId: number,
    f: { status?: string; unitId?: number },
    p: { sort: 'appliedAt' | 'kana' | 'status'; dir: 'asc' | 'desc'; limit: number; offset: number },
  ): Promise<{ rows: (ApplicationRow & { waitlist_position: number | null })[]; total: number }> {
    let q = withPerson(db).where('applications.offering_id', '=', offeringId);
    if (f.status) q = q.where('applications.status', '=', f.status as Application['status']);
    if (f.unitId) q = q.where('people.unit_id', '=', f.unitId);
    const key = { appliedAt: sql`applications.applied_at`, kana: sql`people.kana COLLATE "C"`, status: sql`applications.status` }[p.sort];
    const rows = await q
      .select([
        sql<number>`count(*) OVER ()::int`.as('total'),
        sql<number | null>`CASE WHEN applications.status = 'waitlisted' THEN (SELECT count(*)::int FROM applications w WHERE w.offering_id = applications.offering_id AND w.status = 'waitlisted' AND (w.waitlist_order, w.id) <= (applications.waitlist_order, applications.id)) END`.as('waitlist_position'),
      ])
      .orderBy(key, p.dir)
      .orderBy('applications.applied_at', p.sort === 'appliedAt' ? p.dir : 'asc')
      .orderBy('applications.id', p.sort === 'appliedAt' ? p.dir : 'asc')
      .limit(p.limit)
      .offset(p.offset)
      .execute();
    const total = rows[0]?.total ?? (p.offset ? (await q.clearSelect().select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow()).n : 0);
    return { rows: rows.map(({ total: _, ...r }) => r as ApplicationRow & { waitlist_position: number | null }), total };
  },
  /** The live (not cancelled) applications of these people to an offering: person id → status. */
  async liveStatusOf(db: Kysely<Database>, offeringId: number, personIds: readonly number[]): Promise<Map<number, string>> {
    if (!personIds.length) return new Map();
    const rows = await db.selectFrom('applications').select(['person_id', 'status']).where('offering_id', '=', offeringId).where('person_id', 'in', [...personIds]).where('status', '!=', 'cancelled').execute();
    return new Map(rows.map((r) => [r.person_id, r.status]));
  },
  /** An offering's applications counted by status. */
  async statusCounts(db: Kysely<Database>, offeringId: number): Promise<Record<string, number>> {
    const rows = await db.selectFrom('applications').select(['status', sql<number>`count(*)::int`.as('n')]).where('offering_id', '=', offeringId).groupBy('status').execute();
    return Object.fromEntries(rows.map((r) => [r.status, r.n]));
  },
  listForPerson(db: Kysely<Database>, personId: number) {
    return db
      .selectFrom('applications')
      .innerJoin('offerings', 'offerings.id', 'applications.offering_id')
      .innerJoin('programmes', 'programmes.id', 'offerings.programme_id')
      .selectAll('applications')
      .select(['offerings.title as offering_title', 'offerings.fiscal_year', 'programmes.name as programme_name', 'offerings.cancellation_deadline'])
      .where('applications.person_id', '=', personId)
      // This year's first, then earlier years; within a year the latest application first.
      .orderBy('offerings.fiscal_year', 'desc')
      .orderBy('applications.id', 'desc')
      .execute();
  },
  /**
   * Applications waiting for endorsement by the given unit (all units when null), with the offering's
   * questions; never the reader's own application (`exceptPersonId`).
   */
  pendingEndorsement(db: Kysely<Database>, unitId: number | null, exceptPersonId: number) {
    let q = withPerson(db)
      .innerJoin('offerings', 'offerings.id', 'applications.offering_id')
      .select(['offerings.title as offering_title', 'offerings.questions as offering_questions'])
      .where('applications.status', '=', 'applied')
      .where('offerings.endorsement_required', '=', true)
      .where('applications.person_id', '!=', exceptPersonId);
    if (unitId !== null) q = q.where('people.unit_id', '=', unitId);
    return q.orderBy('applications.applied_at').execute();
  },
  /** Active admins (at most 50, in フリガナ order): asked to endorse when a unit has no other approver. */
  admins(db: Kysely<Database>) {
    return db
      .selectFrom('people')
      .select(['id', 'unit_id', 'name', 'email'])
      .where('active', '=', true)
      .where((eb) => eb.exists(eb.selectFrom('person_roles').whereRef('person_roles.person_id', '=', 'people.id').where('person_roles.role', '=', 'admin')))
      .orderBy('kana')
      .orderBy('id')
      .limit(50)
      .execute();
  },
  /** Has the person been confirmed in any earlier offering of this programme? */
  async confirmedBefore(db: Kysely<Database>, programmeId: number, exceptOfferingId: number): Promise<{ personIds: Set<number>; unitIds: Set<number> }> {
    const rows = await db
      .selectFrom('applications')
      .innerJoin('offerings', 'offerings.id', 'applications.offering_id')
      .innerJoin('people', 'people.id', 'applications.person_id')
      .select(['applications.person_id', 'people.unit_id'])
      .where('offerings.programme_id', '=', programmeId)
      .where('offerings.id', '!=', exceptOfferingId)
      .where('applications.status', '=', 'confirmed')
      .execute();
    return { personIds: new Set(rows.map((r) => r.person_id)), unitIds: new Set(rows.flatMap((r) => (r.unit_id ? [r.unit_id] : []))) };
  },
  confirmedForSession(db: Kysely<Database>, offeringId: number) {
    return withPerson(db).where('applications.offering_id', '=', offeringId).where('applications.status', '=', 'confirmed').execute();
  },
  async markReminded(db: Kysely<Database>, sessionId: number, applicationId: number, now: Date): Promise<boolean> {
    const r = await db
      .insertInto('session_reminders')
      .values({ session_id: sessionId, application_id: applicationId, sent_at: now })
      .onConflict((oc) => oc.doNothing())
      .returning('session_id')
      .executeTakeFirst();
    return r !== undefined;
  },
};
