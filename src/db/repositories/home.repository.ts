import type { Kysely } from 'kysely';
import type { CompletionRule, Database } from '../schema.js';

/**
 * Read-only queries behind the home page's to-do lists (issue 16 §1): counts per offering, session,
 * survey or case, each row carrying the ids its link needs. Every list is bounded.
 */
/** Sessions of offerings not cancelled, each with its offering's title and number of confirmed participants. */
function sessionsWithConfirmed(db: Kysely<Database>) {
  return db
      .selectFrom('offering_sessions as s')
      .innerJoin('offerings as o', 'o.id', 's.offering_id')
      .select((eb) => [
        's.id',
        's.title',
        's.starts_at',
        's.ends_at',
        's.venue',
        'o.title as offering_title',
        eb
          .selectFrom('applications as a')
          .whereRef('a.offering_id', '=', 'o.id')
          .where('a.status', '=', 'confirmed')
          .select((e) => e.fn.countAll<number>().as('n'))
          .as('confirmed'),
      ])
      .where('o.cancelled_at', 'is', null);
}

export const homeRepository = {
  // --- 研修担当 (admin) ----------------------------------------------------------------------

  /** Applications waiting for the office's decision: applied (no endorsement needed) or endorsed. */
  async awaitingDecision(db: Kysely<Database>) {
    const rows = await db
      .selectFrom('applications as a')
      .innerJoin('offerings as o', 'o.id', 'a.offering_id')
      .select((eb) => ['o.id as offering_id', 'o.title', 'o.fiscal_year', 'a.status', eb.fn.countAll<number>().as('n')])
      .where('o.cancelled_at', 'is', null)
      .where((eb) => eb.or([eb('a.status', '=', 'endorsed'), eb.and([eb('a.status', '=', 'applied'), eb('o.endorsement_required', '=', false)])]))
      .groupBy(['o.id', 'o.title', 'o.fiscal_year', 'a.status'])
      .orderBy('o.id')
      .limit(50)
      .execute();
    return rows.map((r) => ({ ...r, n: Number(r.n) }));
  },

  /** Applications still waiting for a unit's endorsement since before `before`, per offering and unit. */
  async slowEndorsements(db: Kysely<Database>, before: Date) {
    const rows = await db
      .selectFrom('applications as a')
      .innerJoin('offerings as o', 'o.id', 'a.offering_id')
      .innerJoin('people as p', 'p.id', 'a.person_id')
      .leftJoin('units as u', 'u.id', 'p.unit_id')
      .select((eb) => ['o.id as offering_id', 'o.title', 'p.unit_id', 'u.name as unit_name', eb.fn.countAll<number>().as('n'), eb.fn.min('a.applied_at').as('oldest')])
      .where('o.cancelled_at', 'is', null)
      .where('o.endorsement_required', '=', true)
      .where('a.status', '=', 'applied')
      .where('a.applied_at', '<', before)
      .groupBy(['o.id', 'o.title', 'p.unit_id', 'u.name'])
      .orderBy('oldest')
      .limit(50)
      .execute();
    return rows.map((r) => ({ ...r, n: Number(r.n), oldest: new Date(r.oldest as unknown as string) }));
  },

  /** Partners' field-training offers not yet accepted or declined. */
  async openFieldOffers(db: Kysely<Database>) {
    const r = await db.selectFrom('field_offers').select((eb) => eb.fn.countAll<number>().as('n')).where('status', '=', 'offered').executeTakeFirst();
    return Number(r?.n ?? 0);
  },

  /** Sessions of live offerings starting in [from, to). */
  async sessionsBetween(db: Kysely<Database>, from: Date, to: Date) {
    return sessionsWithConfirmed(db)
      .where('s.starts_at', '>=', from)
      .where('s.starts_at', '<', to)
      .orderBy('s.starts_at')
      .orderBy('s.id')
      .limit(50)
      .execute();
  },

  /** Sessions that ended in [since, now) with confirmed participants but no attendance mark at all. */
  async sessionsWithoutAttendance(db: Kysely<Database>, since: Date, now: Date) {
    return db
      .selectFrom('offering_sessions as s')
      .innerJoin('offerings as o', 'o.id', 's.offering_id')
      .select(['s.id', 's.title', 's.starts_at', 'o.title as offering_title'])
      .where('o.cancelled_at', 'is', null)
      .where('s.ends_at', '<', now)
      .where('s.ends_at', '>=', since)
      .where((eb) => eb.exists(eb.selectFrom('applications as a').select('a.id').whereRef('a.offering_id', '=', 'o.id').where('a.status', '=', 'confirmed')))
      .where((eb) => eb.not(eb.exists(eb.selectFrom('attendance as t').select('t.session_id').whereRef('t.session_id', '=', 's.id'))))
      .orderBy('s.starts_at')
      .orderBy('s.id')
      .limit(50)
      .execute();
  },

  /**
   * Offerings from `sinceFy` on whose sessions are all over, with confirmed participants not yet
   * signed off; the caller keeps those whose completion rule asks for a sign-off.
   */
  async unsignedCompletions(db: Kysely<Database>, sinceFy: number, now: Date) {
    const rows = await db
      .selectFrom('applications as a')
      .innerJoin('offerings as o', 'o.id', 'a.offering_id')
      .leftJoin('completions as c', 'c.application_id', 'a.id')
      .select((eb) => ['o.id as offering_id', 'o.title', 'o.completion_rule', eb.fn.countAll<number>().as('n')])
      .where('o.cancelled_at', 'is', null)
      .where('o.fiscal_year', '>=', sinceFy)
      .where('a.status', '=', 'confirmed')
      .where('c.signed_off_at', 'is', null)
      .where((eb) => eb.exists(eb.selectFrom('offering_sessions as s').select('s.id').whereRef('s.offering_id', '=', 'o.id')))
      .where((eb) => eb.not(eb.exists(eb.selectFrom('offering_sessions as s').select('s.id').whereRef('s.offering_id', '=', 'o.id').where('s.ends_at', '>', now))))
      .groupBy(['o.id', 'o.title', 'o.completion_rule'])
      .orderBy('o.id')
      .limit(200)
      .execute();
    return rows
      .filter((r) => (r.completion_rule as CompletionRule | null)?.signOff === true)
      .slice(0, 50)
      .map((r) => ({ offering_id: r.offering_id, title: r.title, n: Number(r.n) }));
  },

  /** Submitted assignments (課題) waiting for review, per offering. */
  async assignmentsToReview(db: Kysely<Database>) {
    const rows = await db
      .selectFrom('assignments as s')
      .innerJoin('applications as a', 'a.id', 's.application_id')
      .innerJoin('offerings as o', 'o.id', 'a.offering_id')
      .select((eb) => ['o.id as offering_id', 'o.title', eb.fn.countAll<number>().as('n')])
      .where('s.status', '=', 'submitted')
      .groupBy(['o.id', 'o.title'])
      .orderBy('o.id')
      .limit(50)
      .execute();
    return rows.map((r) => ({ ...r, n: Number(r.n) }));
  },

  /** Open surveys closing in (now, until], with invitations and answers counted. */
  async surveysClosing(db: Kysely<Database>, now: Date, until: Date) {
    const rows = await db
      .selectFrom('surveys as s')
      .select((eb) => [
        's.id',
        's.title',
        's.closes_at',
        eb.selectFrom('survey_invitations as i').whereRef('i.survey_id', '=', 's.id').select((e) => e.fn.countAll<number>().as('n')).as('invited'),
        eb.selectFrom('survey_invitations as i').whereRef('i.survey_id', '=', 's.id').where('i.responded_on', 'is not', null).select((e) => e.fn.countAll<number>().as('n')).as('responded'),
      ])
      .where('s.opens_at', '<=', now)
      .where('s.closes_at', '>', now)
      .where('s.closes_at', '<=', until)
      .orderBy('s.closes_at')
      .orderBy('s.id')
      .limit(50)
      .execute();
    return rows.map((r) => ({ ...r, invited: Number(r.invited ?? 0), responded: Number(r.responded ?? 0) }));
  },

  /** New consultations with no coordinator offered or accepted. */
  async unassignedConsultations(db: Kysely<Database>) {
    return db
      .selectFrom('consultations as c')
      .select(['c.id', 'c.title', 'c.created_at'])
      .where('c.status', '=', 'new')
      .where((eb) =>
        eb.not(eb.exists(eb.selectFrom('consultation_assignments as x').select('x.person_id').whereRef('x.consultation_id', '=', 'c.id').where('x.status', 'in', ['offered', 'accepted']))),
      )
      .orderBy('c.created_at')
      .orderBy('c.id')
      .limit(50)
      .execute();
  },

  async failedMail(db: Kysely<Database>) {
    const r = await db.selectFrom('outbox').select((eb) => eb.fn.countAll<number>().as('n')).where('status', '=', 'failed').executeTakeFirst();
    return Number(r?.n ?? 0);
  },

  // --- 所属長 (approver) ----------------------------------------------------------------------

  /** The unit's people in the fiscal year's offerings (not cancelled, not declined). */
  unitTrainees(db: Kysely<Database>, unitId: number, fiscalYear: number) {
    return db
      .selectFrom('applications as a')
      .innerJoin('offerings as o', 'o.id', 'a.offering_id')
      .innerJoin('people as p', 'p.id', 'a.person_id')
      .select(['a.id', 'a.status', 'p.name', 'p.kana', 'o.id as offering_id', 'o.title as offering_title'])
      .where('p.unit_id', '=', unitId)
      .where('o.fiscal_year', '=', fiscalYear)
      .where('o.cancelled_at', 'is', null)
      .where('a.status', 'in', ['applied', 'endorsed', 'confirmed', 'waitlisted'])
      .orderBy('p.kana')
      .orderBy('a.id')
      .limit(200)
      .execute();
  },

  // --- Staff ----------------------------------------------------------------------------------

  /** My next sessions in offerings where I am confirmed, with 持ち物 and access, and what the host asks to bring. */
  nextSessions(db: Kysely<Database>, personId: number, now: Date) {
    return db
      .selectFrom('offering_sessions as s')
      .innerJoin('offerings as o', 'o.id', 's.offering_id')
      .innerJoin('applications as a', (j) => j.onRef('a.offering_id', '=', 'o.id').on('a.person_id', '=', personId))
      .leftJoin('partner_sites as ps', 'ps.id', 's.site_id')
      .leftJoin('field_offers as f', 'f.session_id', 's.id')
      .select(['s.id', 's.title', 's.starts_at', 's.ends_at', 's.venue', 's.belongings', 's.access', 'ps.address', 'f.preparation', 'a.id as application_id', 'o.title as offering_title'])
      .where('a.status', '=', 'confirmed')
      .where('o.cancelled_at', 'is', null)
      .where('s.ends_at', '>', now)
      .orderBy('s.starts_at')
      .orderBy('s.id')
      .limit(5)
      .execute();
  },

  /** Open surveys I am invited to and have not answered. */
  surveysWaiting(db: Kysely<Database>, personId: number, now: Date) {
    return db
      .selectFrom('survey_invitations as i')
      .innerJoin('surveys as s', 's.id', 'i.survey_id')
      .select(['s.id', 's.title', 's.closes_at'])
      .where('i.person_id', '=', personId)
      .where('i.responded_on', 'is', null)
      .where('s.opens_at', '<=', now)
      .where('s.closes_at', '>', now)
      .orderBy('s.closes_at')
      .orderBy('s.id')
      .limit(20)
      .execute();
  },

  myCertificates(db: Kysely<Database>, personId: number) {
    return db
      .selectFrom('certificates')
      .select(['id', 'number', 'title', 'completed_on'])
      .where('person_id', '=', personId)
      .where('revoked_at', 'is', null)
      .orderBy('completed_on', 'desc')
      .orderBy('id', 'desc')
      .limit(20)
      .execute();
  },

  // --- Coordinator ----------------------------------------------------------------------------

  /** Consultations offered to or accepted by me that are still open. */
  myOpenCases(db: Kysely<Database>, personId: number) {
    return db
      .selectFrom('consultation_assignments as x')
      .innerJoin('consultations as c', 'c.id', 'x.consultation_id')
      .select(['c.id', 'c.title', 'c.status', 'c.desired_to', 'x.status as assignment_status'])
      .where('x.person_id', '=', personId)
      .where('x.status', 'in', ['offered', 'accepted'])
      .where('c.status', 'in', ['new', 'assigned', 'in_progress'])
      .orderBy('c.desired_to')
      .orderBy('c.id')
      .limit(50)
      .execute();
  },

  // --- Partner host ---------------------------------------------------------------------------

  async partnerOf(db: Kysely<Database>, personId: number): Promise<number | null> {
    const r = await db.selectFrom('people').select('partner_id').where('id', '=', personId).executeTakeFirst();
    return r?.partner_id ?? null;
  },

  /** The partner's hosted sessions not yet over, with the number of confirmed participants. */
  hostedSessions(db: Kysely<Database>, partnerId: number, now: Date) {
    return sessionsWithConfirmed(db)
      .where('s.host_partner_id', '=', partnerId)
      .where('s.ends_at', '>', now)
      .orderBy('s.starts_at')
      .orderBy('s.id')
      .limit(20)
      .execute();
  },
};
