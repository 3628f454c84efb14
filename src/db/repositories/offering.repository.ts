import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { Insertable, Updateable } from 'kysely';
import type { Database, Offering, OfferingSession, OfferingSessionTable } from '../schema.js';

/** A programme as the catalogue's filter names it. */
export interface CatalogueProgramme {
  id: number;
  name: string;
  name_en: string;
}

/** A published offering as the catalogue's card shows it, with its sessions' formats and starts (in order). */
export interface CatalogueOffering {
  id: number;
  title: string;
  programme_id: number;
  programme_name: string;
  programme_name_en: string;
  application_opens_at: Date;
  application_closes_at: Date;
  sessions: { format: OfferingSession['format']; starts_at: Date }[];
}

type RawCatalogue = {
  programmes: CatalogueProgramme[];
  offerings: (Omit<CatalogueOffering, 'programme_name' | 'programme_name_en' | 'application_opens_at' | 'application_closes_at' | 'sessions'> & {
    application_opens_at: string;
    application_closes_at: string;
    sessions: { format: OfferingSession['format']; starts_at: string }[];
  })[];
};

/** Statements built apart so that their SQL can be snapshotted (tests/db/query-snapshots.test.ts). */
export const offeringStatements = {
  /**
   * The catalogue in one statement and one value (PGlite converts one value, not one per column and
   * row; the client parses the JSON natively): every programme (for the filter, in the order of
   * `programmeRepository.list`), and the year's published, not cancelled offerings in application
   * order, each with its sessions' format and start (in order). Programme names come from the
   * programme list, not from a join.
   */
  catalogue(fiscalYear: number, programmeId?: number) {
    return sql<{ catalogue: RawCatalogue }>`
      SELECT json_build_object(
        'programmes', (SELECT coalesce(json_agg(json_build_object('id', p.id, 'name', p.name, 'name_en', p.name_en) ORDER BY p.first_fiscal_year, p.id), '[]')
                         FROM programmes p),
        'offerings', (SELECT coalesce(json_agg(json_build_object('id', o.id, 'title', o.title, 'programme_id', o.programme_id,
                                'application_opens_at', o.application_opens_at, 'application_closes_at', o.application_closes_at,
                                'sessions', (SELECT coalesce(json_agg(json_build_object('format', s.format, 'starts_at', s.starts_at) ORDER BY s.starts_at, s.id), '[]')
                                               FROM offering_sessions s WHERE s.offering_id = o.id))
                              ORDER BY o.application_opens_at, o.id), '[]')
                        FROM offerings o
                        WHERE o.fiscal_year = ${fiscalYear}${programmeId ? sql` AND o.programme_id = ${programmeId}` : sql``}
                          AND o.published AND o.cancelled_at IS NULL)) AS catalogue`;
  },
};

/** Offerings and their sessions (回): one aggregate. */
export const offeringRepository = {
  find(db: Kysely<Database>, id: number): Promise<Offering | undefined> {
    return db.selectFrom('offerings').selectAll().where('id', '=', id).executeTakeFirst();
  },
  /**
   * Locks the offering's row for the rest of the transaction and raises its seat version, so that a
   * decision taken on an earlier snapshot is not written (`seatGuard`): every seat decision goes
   * through here or through `seatGuard`.
   */
  lock(db: Kysely<Database>, id: number): Promise<Offering | undefined> {
    return db
      .updateTable('offerings')
      .set((eb) => ({ seat_version: eb('seat_version', '+', 1) }))
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst();
  },
  /**
   * The guard of a write decided on a snapshot: raises the seat version if it is still `version`, and
   * returns the offering's id only then. Run inside the statement that writes (`applicationStatements.groupWrite`); it
   * waits for a transaction holding the offering's lock, then sees what that one committed.
   */
  seatGuard(id: number, version: number): RawBuilder<unknown> {
    return sql`UPDATE offerings SET seat_version = seat_version + 1 WHERE id = ${id} AND seat_version = ${version} RETURNING id`;
  },
  insert(db: Kysely<Database>, o: Parameters<ReturnType<Kysely<Database>['insertInto']>['values']>[0] & object) {
    return db.insertInto('offerings').values(o as never).returningAll().executeTakeFirstOrThrow();
  },
  update(db: Kysely<Database>, id: number, o: Record<string, unknown>) {
    return db.updateTable('offerings').set(o as never).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
  },
  async list(db: Kysely<Database>, f: { fiscalYear?: number; programmeId?: number; publishedOnly?: boolean }) {
    let q = db
      .selectFrom('offerings')
      .innerJoin('programmes', 'programmes.id', 'offerings.programme_id')
      .selectAll('offerings')
      // (No first/last session dates: no list reads them; the catalogue reads the sessions themselves.)
      .select(['programmes.name as programme_name', 'programmes.name_en as programme_name_en'])
      .select((eb) => [
        eb
          .selectFrom('applications')
          .whereRef('applications.offering_id', '=', 'offerings.id')
          .where('applications.status', '=', 'confirmed')
          .select(sql<number>`count(*)`.as('n'))
          .as('confirmed_count'),
      ]);
    if (f.fiscalYear) q = q.where('offerings.fiscal_year', '=', f.fiscalYear);
    if (f.programmeId) q = q.where('offerings.programme_id', '=', f.programmeId);
    // A cancelled (中止) offering is on no public list, whatever its published flag says.
    if (f.publishedOnly) q = q.where('offerings.published', '=', true).where('offerings.cancelled_at', 'is', null);
    const rows = await q.orderBy('offerings.application_opens_at').orderBy('offerings.id').execute();
    return rows.map((r) => ({ ...r, confirmed_count: Number(r.confirmed_count ?? 0) }));
  },
  /**
   * The catalogue of a fiscal year (of one programme): the programmes for the filter, and the
   * published offerings (a cancelled one, 中止, is on no public list) with their sessions, in one
   * statement (`offeringStatements.catalogue`).
   */
  async catalogue(db: Kysely<Database>, f: { fiscalYear: number; programmeId?: number }): Promise<{ programmes: CatalogueProgramme[]; offerings: CatalogueOffering[] }> {
    const { rows } = await offeringStatements.catalogue(f.fiscalYear, f.programmeId).execute(db);
    const { programmes, offerings } = rows[0]!.catalogue;
    const byId = new Map(programmes.map((p) => [p.id, p]));
    return {
      programmes,
      offerings: offerings.map((o) => {
        const p = byId.get(o.programme_id)!;
        return {
          id: o.id,
          title: o.title,
          programme_id: o.programme_id,
          programme_name: p.name,
          programme_name_en: p.name_en,
          application_opens_at: new Date(o.application_opens_at),
          application_closes_at: new Date(o.application_closes_at),
          sessions: o.sessions.map((s) => ({ format: s.format, starts_at: new Date(s.starts_at) })),
        };
      }),
    };
  },
  sessions(db: Kysely<Database>, offeringId: number): Promise<OfferingSession[]> {
    return db.selectFrom('offering_sessions').selectAll().where('offering_id', '=', offeringId).orderBy('starts_at').orderBy('id').execute();
  },
  sessionsOf(db: Kysely<Database>, offeringIds: number[]): Promise<OfferingSession[]> {
    if (!offeringIds.length) return Promise.resolve([]);
    return db.selectFrom('offering_sessions').selectAll().where('offering_id', 'in', offeringIds).orderBy('starts_at').execute();
  },
  findSession(db: Kysely<Database>, id: number): Promise<OfferingSession | undefined> {
    return db.selectFrom('offering_sessions').selectAll().where('id', '=', id).executeTakeFirst();
  },
  insertSession(db: Kysely<Database>, s: Insertable<OfferingSessionTable>) {
    return db.insertInto('offering_sessions').values(s).returningAll().executeTakeFirstOrThrow();
  },
  /** Applications of the offering: all of them, and those still holding or waiting for a place. */
  async applicationCounts(db: Kysely<Database>, offeringId: number): Promise<{ total: number; live: number }> {
    const r = await db
      .selectFrom('applications')
      .select([sql<number>`count(*)`.as('total'), sql<number>`count(*) FILTER (WHERE status IN ('applied','endorsed','returned','confirmed','waitlisted'))`.as('live')])
      .where('offering_id', '=', offeringId)
      .executeTakeFirstOrThrow();
    return { total: Number(r.total), live: Number(r.live) };
  },
  /** The applications still live (any status but cancelled or not selected), with the person to tell. */
  liveApplications(db: Kysely<Database>, offeringId: number) {
    return db
      .selectFrom('applications')
      .innerJoin('people', 'people.id', 'applications.person_id')
      .selectAll('applications')
      .select(['people.name as person_name', 'people.email as person_email', 'people.locale as person_locale'])
      .where('applications.offering_id', '=', offeringId)
      .where('applications.status', 'in', ['applied', 'endorsed', 'returned', 'confirmed', 'waitlisted'])
      .orderBy('applications.id')
      .execute();
  },
  /** What keeps an offering from being deleted: questionnaires, attendance, sessions that came from a partner's offer. */
  async usage(db: Kysely<Database>, offeringId: number): Promise<{ surveys: number; attendance: number; fieldOffers: number }> {
    const r = await sql<{ surveys: number; attendance: number; field_offers: number }>`
      SELECT (SELECT count(*) FROM surveys WHERE offering_id = ${offeringId} OR session_id IN (SELECT id FROM offering_sessions WHERE offering_id = ${offeringId})) AS surveys,
             (SELECT count(*) FROM attendance WHERE session_id IN (SELECT id FROM offering_sessions WHERE offering_id = ${offeringId})) AS attendance,
             (SELECT count(*) FROM field_offers WHERE session_id IN (SELECT id FROM offering_sessions WHERE offering_id = ${offeringId})) AS field_offers`.execute(db);
    const x = r.rows[0];
    return { surveys: Number(x.surveys), attendance: Number(x.attendance), fieldOffers: Number(x.field_offers) };
  },
  /** The active members of the partners hosting the offering's field trainings, with the session each hosts. */
  hostMembers(db: Kysely<Database>, offeringId: number) {
    return db
      .selectFrom('offering_sessions as s')
      .innerJoin('people as p', 'p.partner_id', 's.host_partner_id')
      .select(['p.id', 'p.name', 'p.email', 'p.locale', 's.title as session_title'])
      .where('s.offering_id', '=', offeringId)
      .where('p.active', '=', true)
      .orderBy('s.starts_at')
      .orderBy('p.id')
      .execute();
  },
  delete(db: Kysely<Database>, id: number) {
    return db.deleteFrom('offerings').where('id', '=', id).returningAll().executeTakeFirst();
  },
  deleteSession(db: Kysely<Database>, id: number) {
    return db.deleteFrom('offering_sessions').where('id', '=', id).returningAll().executeTakeFirst();
  },
  /** Forgets which reminders a session's participants were sent (the session moved: they are reminded of the new date). */
  clearReminders(db: Kysely<Database>, sessionId: number) {
    return db.deleteFrom('session_reminders').where('session_id', '=', sessionId).execute();
  },
  updateSession(db: Kysely<Database>, id: number, s: Updateable<OfferingSessionTable>) {
    return db.updateTable('offering_sessions').set(s).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
  },
  /** Whether a session has a record of what happened (attendance, questionnaires), which reports count. */
  async sessionRecords(db: Kysely<Database>, id: number): Promise<{ attended: boolean; surveyed: boolean }> {
    const r = await db
      .selectFrom('offering_sessions as s')
      .select((eb) => [
        eb.exists(eb.selectFrom('attendance').select('session_id').whereRef('attendance.session_id', '=', 's.id')).as('attended'),
        eb.exists(eb.selectFrom('surveys').select('id').whereRef('surveys.session_id', '=', 's.id')).as('surveyed'),
      ])
      .where('s.id', '=', id)
      .executeTakeFirst();
    return { attended: !!r?.attended, surveyed: !!r?.surveyed };
  },
  /** The offering's sessions that have a record of what happened (attendance, questionnaires): they are kept, never deleted. */
  async sessionsWithRecords(db: Kysely<Database>, offeringId: number): Promise<number[]> {
    const rows = await db
      .selectFrom('offering_sessions as s')
      .select('s.id')
      .where('s.offering_id', '=', offeringId)
      .where((eb) =>
        eb.or([
          eb.exists(eb.selectFrom('attendance').select('session_id').whereRef('attendance.session_id', '=', 's.id')),
          eb.exists(eb.selectFrom('surveys').select('id').whereRef('surveys.session_id', '=', 's.id')),
        ]),
      )
      .execute();
    return rows.map((r) => r.id);
  },
  /** Sessions starting in [from, to), with the offering's reminder setting. */
  sessionsStartingBetween(db: Kysely<Database>, from: Date, to: Date) {
    return db
      .selectFrom('offering_sessions')
      .innerJoin('offerings', 'offerings.id', 'offering_sessions.offering_id')
      .selectAll('offering_sessions')
      .select(['offerings.title as offering_title', 'offerings.reminder_days'])
      .where('offering_sessions.starts_at', '>=', from)
      .where('offering_sessions.starts_at', '<', to)
      .execute();
  },
};
