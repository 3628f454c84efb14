import { type Insertable, type Kysely, sql, type Updateable } from 'kysely';
import type { ConsultationActivityTable, ConsultationTable, Database } from '../schema.js';

const OPEN = ['new', 'assigned', 'in_progress'] as const;

/** Consultations (相談・支援依頼), their coordinator assignments and activity log, and the desk. */
export const consultationRepository = {
  find(db: Kysely<Database>, id: number) {
    return db.selectFrom('consultations').selectAll().where('id', '=', id).executeTakeFirst();
  },
  /** With its row lock: every change of a case's status takes it first. */
  lock(db: Kysely<Database>, id: number) {
    return db.selectFrom('consultations').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
  },
  insert(db: Kysely<Database>, c: Insertable<ConsultationTable>) {
    return db.insertInto('consultations').values(c).returningAll().executeTakeFirstOrThrow();
  },
  update(db: Kysely<Database>, id: number, c: Updateable<ConsultationTable>) {
    return db.updateTable('consultations').set(c).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
  },
  /** Cases with requester, unit and partner names; filtered by who may see them. Newest first. */
  list(
    db: Kysely<Database>,
    f: { ids?: number[]; requesterId?: number; assigneeId?: number; statuses?: readonly string[]; kind?: string; partnerId?: number; fiscalYear?: { from: Date; to: Date }; limit?: number },
  ) {
    let q = db
      .selectFrom('consultations as c')
      .innerJoin('people as r', 'r.id', 'c.requester_id')
      .innerJoin('units as u', 'u.id', 'c.unit_id')
      .leftJoin('partners as p', 'p.id', 'c.partner_id')
      .selectAll('c')
      .select(['r.name as requester_name', 'r.kana as requester_kana', 'r.email as requester_email', 'u.name as unit_name', 'p.name as partner_name'])
      .select((eb) => [
        eb
          .selectFrom('consultation_assignments as a')
          .innerJoin('people as ap', 'ap.id', 'a.person_id')
          .whereRef('a.consultation_id', '=', 'c.id')
          .where('a.status', '<>', 'declined')
          .select(sql<string>`string_agg(ap.name, '、' ORDER BY ap.kana COLLATE "C")`.as('n'))
          .as('coordinator_names'),
      ]);
    if (f.ids) q = q.where('c.id', 'in', f.ids.length ? f.ids : [0]);
    if (f.requesterId) q = q.where('c.requester_id', '=', f.requesterId);
    if (f.assigneeId)
      q = q.where((eb) =>
        eb.exists(eb.selectFrom('consultation_assignments as a2').select('a2.person_id').whereRef('a2.consultation_id', '=', 'c.id').where('a2.person_id', '=', f.assigneeId!).where('a2.status', '<>', 'declined')),
      );
    if (f.statuses) q = q.where('c.status', 'in', (f.statuses.length ? f.statuses : ['-']) as never);
    if (f.kind) q = q.where('c.kind', '=', f.kind as never);
    if (f.partnerId)
      q = q.where((eb) =>
        eb.or([
          eb('c.partner_id', '=', f.partnerId!),
          eb.exists(eb.selectFrom('consultation_activities as x').select('x.id').whereRef('x.consultation_id', '=', 'c.id').where(sql<boolean>`x.partner_ids @> ${JSON.stringify([f.partnerId])}::jsonb`)),
          eb.exists(
            eb
              .selectFrom('project_consultations as pc')
              .innerJoin('project_partners as pp', 'pp.project_id', 'pc.project_id')
              .select('pc.project_id')
              .whereRef('pc.consultation_id', '=', 'c.id')
              .where('pp.partner_id', '=', f.partnerId!),
          ),
        ]),
      );
    if (f.fiscalYear) q = q.where('c.created_at', '>=', f.fiscalYear.from).where('c.created_at', '<', f.fiscalYear.to);
    return q.orderBy('c.created_at', 'desc').orderBy('c.id', 'desc').limit(f.limit ?? 500).execute();
  },

  assignments(db: Kysely<Database>, consultationId: number) {
    return db
      .selectFrom('consultation_assignments as a')
      .innerJoin('people as p', 'p.id', 'a.person_id')
      .selectAll('a')
      .select(['p.name', 'p.kana', 'p.email', 'p.locale'])
      .where('a.consultation_id', '=', consultationId)
      .orderBy(sql`p.kana COLLATE "C"`)
      .orderBy('p.id')
      .execute();
  },
  assignment(db: Kysely<Database>, consultationId: number, personId: number) {
    return db.selectFrom('consultation_assignments').selectAll().where('consultation_id', '=', consultationId).where('person_id', '=', personId).executeTakeFirst();
  },
  async upsertAssignment(db: Kysely<Database>, a: { consultation_id: number; person_id: number; assigned_by: number | null; assigned_at: Date }) {
    await db
      .insertInto('consultation_assignments')
      .values({ ...a, status: 'offered', decline_reason: null, responded_at: null })
      .onConflict((oc) => oc.columns(['consultation_id', 'person_id']).doUpdateSet({ status: 'offered', decline_reason: null, responded_at: null, assigned_by: a.assigned_by, assigned_at: a.assigned_at }))
      .execute();
  },
  respond(db: Kysely<Database>, consultationId: number, personId: number, status: 'accepted' | 'declined', reason: string | null, at: Date) {
    return db
      .updateTable('consultation_assignments')
      .set({ status, decline_reason: reason, responded_at: at })
      .where('consultation_id', '=', consultationId)
      .where('person_id', '=', personId)
      .returningAll()
      .executeTakeFirstOrThrow();
  },

  activities(db: Kysely<Database>, consultationId: number) {
    return db
      .selectFrom('consultation_activities as x')
      .innerJoin('people as p', 'p.id', 'x.person_id')
      .selectAll('x')
      .select(['p.name as person_name'])
      .where('x.consultation_id', '=', consultationId)
      .orderBy('x.on_date')
      .orderBy('x.id')
      .execute();
  },
  insertActivity(db: Kysely<Database>, a: Insertable<ConsultationActivityTable>) {
    return db.insertInto('consultation_activities').values(a).returningAll().executeTakeFirstOrThrow();
  },

  /**
   * What ranking coordinators needs: every certified person with profile, open load and past
   * closed cases of the kind.
   */
  async coordinatorCandidates(db: Kysely<Database>, kind: string) {
    return db
      .selectFrom('coordinator_certifications as cc')
      .innerJoin('people as p', 'p.id', 'cc.person_id')
      .leftJoin('coordinator_profiles as pr', 'pr.person_id', 'p.id')
      .leftJoin('units as u', 'u.id', 'p.unit_id')
      .select(['p.id', 'p.name', 'p.kana', 'u.name as unit_name', 'cc.valid_until', 'cc.revoked_at', 'pr.fields', 'pr.area_unit_ids'])
      .select((eb) => [
        eb
          .selectFrom('consultation_assignments as a')
          .innerJoin('consultations as c', 'c.id', 'a.consultation_id')
          .whereRef('a.person_id', '=', 'p.id')
          .where('a.status', 'in', ['offered', 'accepted'])
          .where('c.status', 'in', [...OPEN])
          .select(sql<number>`count(*)`.as('n'))
          .as('open_cases'),
        eb
          .selectFrom('consultation_assignments as a')
          .innerJoin('consultations as c', 'c.id', 'a.consultation_id')
          .whereRef('a.person_id', '=', 'p.id')
          .where('a.status', '=', 'accepted')
          .where('c.status', '=', 'closed')
          .where('c.kind', '=', kind as never)
          .select(sql<number>`count(*)`.as('n'))
          .as('past_cases'),
      ])
      .where('p.active', '=', true)
      .execute();
  },
  /** What ranking partners needs: active organisations with field trainings hosted and projects. */
  partnerCandidates(db: Kysely<Database>, now: Date) {
    return db
      .selectFrom('partners as pa')
      .select(['pa.id', 'pa.name', 'pa.kana', 'pa.fields', 'pa.area_unit_ids'])
      .select((eb) => [
        eb
          .selectFrom('offering_sessions as s')
          .whereRef('s.host_partner_id', '=', 'pa.id')
          .where('s.format', '=', 'field')
          .where('s.ends_at', '<=', now)
          .select(sql<number>`count(*)`.as('n'))
          .as('hosted'),
        eb.selectFrom('project_partners as pp').whereRef('pp.partner_id', '=', 'pa.id').select(sql<number>`count(*)`.as('n')).as('projects'),
      ])
      .where('pa.active', '=', true)
      .execute();
  },

  /** A coordinator's cases (not declined), with the minutes they logged on each. */
  casesOf(db: Kysely<Database>, personId: number) {
    return db
      .selectFrom('consultation_assignments as a')
      .innerJoin('consultations as c', 'c.id', 'a.consultation_id')
      .innerJoin('units as u', 'u.id', 'c.unit_id')
      .select(['c.id', 'c.kind', 'c.title', 'c.status', 'c.outcome', 'c.created_at', 'c.closed_at', 'u.name as unit_name', 'a.status as assignment_status', 'a.assigned_at'])
      .select((eb) =>
        eb
          .selectFrom('consultation_activities as x')
          .whereRef('x.consultation_id', '=', 'c.id')
          .where('x.person_id', '=', personId)
          .select(sql<number>`coalesce(sum(x.minutes), 0)`.as('m'))
          .as('minutes'),
      )
      .where('a.person_id', '=', personId)
      .where('a.status', '<>', 'declined')
      .orderBy('c.created_at', 'desc')
      .orderBy('c.id', 'desc')
      .execute();
  },

  // --- The coordinators' desk ---------------------------------------------------------------------
  async isDesk(db: Kysely<Database>, personId: number): Promise<boolean> {
    const r = await db.selectFrom('coordinator_profiles').select('desk').where('person_id', '=', personId).executeTakeFirst();
    return r?.desk === true;
  },
  async setDesk(db: Kysely<Database>, personId: number, desk: boolean, now: Date) {
    await db
      .insertInto('coordinator_profiles')
      .values({ person_id: personId, fields: '[]', area_unit_ids: '[]', availability: '', introduction: '', desk, updated_at: now })
      .onConflict((oc) => oc.column('person_id').doUpdateSet({ desk, updated_at: now }))
      .execute();
  },
  deskMembers(db: Kysely<Database>) {
    return db
      .selectFrom('coordinator_profiles as pr')
      .innerJoin('people as p', 'p.id', 'pr.person_id')
      .select(['p.id', 'p.name', 'p.kana', 'p.email', 'p.locale', 'p.active'])
      .where('pr.desk', '=', true)
      .orderBy(sql`p.kana COLLATE "C"`)
      .orderBy('p.id')
      .execute();
  },

  /** Consultations filed in a period, counted by kind and outcome (or status, while not closed). */
  async countByKindAndOutcome(db: Kysely<Database>, from: Date, to: Date) {
    const r = await sql<{ kind: string; outcome: string; n: number }>`
      SELECT kind, CASE WHEN status = 'closed' THEN outcome WHEN status = 'withdrawn' THEN 'withdrawn' ELSE 'open' END AS outcome, count(*) AS n
      FROM consultations WHERE created_at >= ${from} AND created_at < ${to}
      GROUP BY 1, 2`.execute(db);
    return r.rows.map((x) => ({ kind: x.kind, outcome: x.outcome, n: Number(x.n) }));
  },
};
