import { type Kysely, sql } from 'kysely';
import { type ColumnType, insertJsonRows } from '../json-rows.js';
import type { Application, ApplicationTable, Database } from '../schema.js';
import type { Insertable, Updateable } from 'kysely';

export type ApplicationRow = Application & {
  person_name: string;
  person_kana: string;
  person_email: string;
  person_unit_id: number | null;
  unit_name: string | null;
  affiliation: string;
};

function withPerson(db: Kysely<Database>) {
  return db
    .selectFrom('applications')
    .innerJoin('people', 'people.id', 'applications.person_id')
    .leftJoin('units', 'units.id', 'people.unit_id')
    .selectAll('applications')
    .select([
      'people.name as person_name',
      'people.kana as person_kana',
      'people.email as person_email',
      'people.unit_id as person_unit_id',
      'people.affiliation as affiliation',
      'units.name as unit_name',
    ]);
}

/** A new application as `insertMany` takes it: the answers as an object (stored as jsonb). */
export type NewApplication = Omit<Insertable<ApplicationTable>, 'answers'> & { answers: Record<string, string> };

/** The columns an application is written with (insertMany). */
const APPLICATION_COLUMNS = {
  offering_id: 'integer',
  person_id: 'integer',
  status: 'text',
  seat_group: 'text',
  answers: 'jsonb',
  applied_at: 'timestamptz',
  applied_by: 'integer',
  decided_at: 'timestamptz',
  waitlist_order: 'bigint',
  participant_code: 'text',
  updated_at: 'timestamptz',
} as const satisfies Partial<Record<keyof ApplicationTable, ColumnType>>;

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
  latestFor(db: Kysely<Database>, offeringId: number, personId: number) {
    return db.selectFrom('applications').selectAll().where('offering_id', '=', offeringId).where('person_id', '=', personId).orderBy('id', 'desc').executeTakeFirst();
  },
  /** Each person's latest application to the offering (none for a person who never applied). */
  latestForPersons(db: Kysely<Database>, offeringId: number, personIds: readonly number[]): Promise<Application[]> {
    if (!personIds.length) return Promise.resolve([]);
    return db
      .selectFrom('applications')
      .selectAll()
      .distinctOn('person_id')
      .where('offering_id', '=', offeringId)
      .where('person_id', 'in', personIds)
      .orderBy('person_id')
      .orderBy('id', 'desc')
      .execute();
  },
  /** Inserts several applications in one statement; rows come back in the order given. */
  async insertMany(db: Kysely<Database>, rows: readonly NewApplication[]): Promise<Application[]> {
    const inserted = await insertJsonRows<Application>(db, 'applications', APPLICATION_COLUMNS, rows, { returning: true });
    const byPerson = new Map(inserted.map((a) => [a.person_id, a]));
    return rows.map((r) => byPerson.get(r.person_id)!);
  },
  /** Confirmed places per seat group and the next waitlist order, in one statement. */
  async seatState(db: Kysely<Database>, offeringId: number): Promise<{ counts: { total: number } & Record<string, number>; nextWaitlistOrder: number }> {
    const rows = await db
      .selectFrom('applications')
      .select(['seat_group', sql<number>`count(*) FILTER (WHERE status = 'confirmed')`.as('n'), sql<number | null>`max(waitlist_order)`.as('m')])
      .where('offering_id', '=', offeringId)
      .groupBy('seat_group')
      .execute();
    const counts: { total: number } & Record<string, number> = { total: 0 };
    let max = 0;
    for (const r of rows) {
      if (r.n) counts[r.seat_group] = r.n;
      counts.total += r.n;
      max = Math.max(max, r.m ?? 0);
    }
    return { counts, nextWaitlistOrder: max + 1 };
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
  listForPerson(db: Kysely<Database>, personId: number) {
    return db
      .selectFrom('applications')
      .innerJoin('offerings', 'offerings.id', 'applications.offering_id')
      .innerJoin('programmes', 'programmes.id', 'offerings.programme_id')
      .selectAll('applications')
      .select(['offerings.title as offering_title', 'offerings.fiscal_year', 'programmes.name as programme_name', 'offerings.cancellation_deadline'])
      .where('applications.person_id', '=', personId)
      .orderBy('applications.id', 'desc')
      .execute();
  },
  /** Applications waiting for endorsement by the given unit (all units when null). */
  pendingEndorsement(db: Kysely<Database>, unitId: number | null) {
    let q = withPerson(db)
      .innerJoin('offerings', 'offerings.id', 'applications.offering_id')
      .select(['offerings.title as offering_title'])
      .where('applications.status', '=', 'applied')
      .where('offerings.endorsement_required', '=', true);
    if (unitId !== null) q = q.where('people.unit_id', '=', unitId);
    return q.orderBy('applications.applied_at').execute();
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
