import type { Insertable, Kysely } from 'kysely';
import type { CoordinatorProfileTable, Database, PersonTable } from '../schema.js';
import type { Affiliation } from '../../domain/values.js';

/**
 * The queries of the sample-data loader (services/sample-data/) that no other service needs: what it
 * reads back of what it has just written, and the few rows it writes outside the usual services.
 * The sign-ins it chooses are read by sample-sign-in.repository.ts.
 */
export const sampleDataRepository = {
  /** The id of a sample programme, by its code (the loader has just added it). */
  async programmeId(db: Kysely<Database>, code: string): Promise<number> {
    return (await db.selectFrom('programmes').select('id').where('code', '=', code).executeTakeFirstOrThrow()).id;
  },

  /** The 市町, in code order. */
  municipalities(db: Kysely<Database>) {
    return db.selectFrom('units').select(['id', 'name', 'kana']).where('kind', '=', 'municipality').orderBy('code').execute();
  },

  /** People (of these affiliations, when given), by id. */
  people(db: Kysely<Database>, affiliations?: readonly Affiliation[]) {
    return db
      .selectFrom('people')
      .select(['id', 'affiliation'])
      .$if(!!affiliations, (q) => q.where('affiliation', 'in', affiliations!))
      .orderBy('id')
      .execute();
  },

  /** Active people of a 課・室 or 市町 (not `exceptId`) who may ask for a consultation, by id. */
  requesters(db: Kysely<Database>, exceptId: number) {
    return db
      .selectFrom('people')
      .select(['id', 'unit_id'])
      .where('unit_id', 'is not', null)
      .where('affiliation', 'in', ['prefecture', 'municipality'])
      .where('active', '=', true)
      .where('id', '<>', exceptId)
      .orderBy('id')
      .execute();
  },

  /** Field sessions, in the order they start. */
  fieldSessions(db: Kysely<Database>) {
    return db.selectFrom('offering_sessions').select(['id']).where('format', '=', 'field').orderBy('starts_at').execute();
  },

  /** Gives a field session its host partner and site (the partner also lectures). */
  async hostSession(db: Kysely<Database>, sessionId: number, host: { partnerId: number; siteId: number; lecturers: string }) {
    await db.updateTable('offering_sessions').set({ host_partner_id: host.partnerId, site_id: host.siteId, lecturers: host.lecturers }).where('id', '=', sessionId).execute();
  },

  /** A coordinator's profile, unless they have one. */
  async addCoordinatorProfile(db: Kysely<Database>, p: Insertable<CoordinatorProfileTable>) {
    await db
      .insertInto('coordinator_profiles')
      .values(p)
      .onConflict((oc) => oc.column('person_id').doNothing())
      .execute();
  },

  /** People ever certified as coordinators. */
  async certifiedPersonIds(db: Kysely<Database>): Promise<Set<number>> {
    return new Set((await db.selectFrom('coordinator_certifications').select('person_id').execute()).map((r) => r.person_id));
  },

  /** Coordinators whose certification stands on `today` (a Tokyo date), by id. */
  activeCoordinators(db: Kysely<Database>, today: string) {
    return db
      .selectFrom('coordinator_certifications as cc')
      .innerJoin('people as p', 'p.id', 'cc.person_id')
      .select(['p.id', 'p.name'])
      .where('cc.revoked_at', 'is', null)
      .where((eb) => eb.or([eb('cc.valid_until', 'is', null), eb('cc.valid_until', '>=', today)]))
      .orderBy('p.id')
      .execute();
  },

  /** Partners with their fields and areas, by id. */
  partners(db: Kysely<Database>) {
    return db.selectFrom('partners').select(['id', 'fields', 'area_unit_ids']).orderBy('id').execute();
  },

  /** One partner, for naming its member. */
  partner(db: Kysely<Database>, id: number) {
    return db.selectFrom('partners').select(['id', 'name', 'kana', 'contact_email']).where('id', '=', id).executeTakeFirstOrThrow();
  },

  /** The partners' sites (the first `limit` partners' by partner id), to host field sessions. */
  hostSites(db: Kysely<Database>, limit: number) {
    return db
      .selectFrom('partner_sites as s')
      .innerJoin('partners as p', 'p.id', 's.partner_id')
      .select(['p.id as partner_id', 'p.name', 's.id as site_id', 's.name as site_name'])
      .orderBy('p.id')
      .limit(limit)
      .execute();
  },

  /** People who are members of a partner. */
  partnerMembers(db: Kysely<Database>) {
    return db.selectFrom('people').select(['id', 'partner_id']).where('partner_id', 'is not', null).execute();
  },

  /** A member of the partner, if it has any. */
  partnerMember(db: Kysely<Database>, partnerId: number) {
    return db.selectFrom('people').select('id').where('partner_id', '=', partnerId).executeTakeFirst();
  },

  /** Adds a person as a member of a partner, with the partner role. */
  async addPartnerMember(db: Kysely<Database>, p: Insertable<PersonTable>): Promise<{ id: number }> {
    const member = await db.insertInto('people').values(p).returning('id').executeTakeFirstOrThrow();
    await db.insertInto('person_roles').values({ person_id: member.id, role: 'partner' }).execute();
    return member;
  },

  /** Sessions that ended before `before`, with their offering's title, in the order they start. */
  sessionsEndedBefore(db: Kysely<Database>, before: Date) {
    return db
      .selectFrom('offering_sessions')
      .innerJoin('offerings', 'offerings.id', 'offering_sessions.offering_id')
      .select(['offering_sessions.id', 'offering_sessions.offering_id', 'offering_sessions.title', 'offering_sessions.format', 'offering_sessions.ends_at', 'offering_sessions.host_partner_id', 'offerings.title as offering_title'])
      .where('offering_sessions.ends_at', '<', before)
      .orderBy('offering_sessions.starts_at')
      .execute();
  },

  /** The people confirmed for an offering, in the order they applied (by application id). */
  async confirmedPersonIds(db: Kysely<Database>, offeringId: number): Promise<number[]> {
    return (await db.selectFrom('applications').select('person_id').where('offering_id', '=', offeringId).where('status', '=', 'confirmed').orderBy('id').execute()).map((r) => r.person_id);
  },

  /** Coordinator courses whose applications closed before `now`, by fiscal year. */
  coursesClosedBefore(db: Kysely<Database>, now: Date) {
    return db
      .selectFrom('offerings')
      .innerJoin('programmes', 'programmes.id', 'offerings.programme_id')
      .select(['offerings.id', 'offerings.title'])
      .where('programmes.kind', '=', 'coordinator_course')
      .where('offerings.application_closes_at', '<', now)
      .orderBy('offerings.fiscal_year')
      .execute();
  },

  /** An offering's sessions' times, in order. */
  sessionTimes(db: Kysely<Database>, offeringId: number) {
    return db.selectFrom('offering_sessions').select(['starts_at', 'ends_at']).where('offering_id', '=', offeringId).orderBy('starts_at').execute();
  },
};
