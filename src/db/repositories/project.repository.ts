import { type Insertable, type Kysely, sql, type Updateable } from 'kysely';
import type { CollaborationProjectTable, Database, EvaluationCriterionTable } from '../schema.js';

/** Collaboration projects (協働事業), their partners and source consultations, criteria and evaluations. */
export const projectRepository = {
  find(db: Kysely<Database>, id: number) {
    return db
      .selectFrom('collaboration_projects as pj')
      .innerJoin('units as u', 'u.id', 'pj.unit_id')
      .leftJoin('people as co', 'co.id', 'pj.coordinator_id')
      .selectAll('pj')
      .select(['u.name as unit_name', 'co.name as coordinator_name'])
      .where('pj.id', '=', id)
      .executeTakeFirst();
  },
  lock(db: Kysely<Database>, id: number) {
    return db.selectFrom('collaboration_projects').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
  },
  insert(db: Kysely<Database>, p: Insertable<CollaborationProjectTable>) {
    return db.insertInto('collaboration_projects').values(p).returningAll().executeTakeFirstOrThrow();
  },
  update(db: Kysely<Database>, id: number, p: Updateable<CollaborationProjectTable>) {
    return db.updateTable('collaboration_projects').set(p).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
  },
  async setLinks(db: Kysely<Database>, projectId: number, partnerIds: number[], consultationIds: number[]) {
    await db.deleteFrom('project_partners').where('project_id', '=', projectId).execute();
    await db.deleteFrom('project_consultations').where('project_id', '=', projectId).execute();
    if (partnerIds.length) await db.insertInto('project_partners').values(partnerIds.map((partner_id) => ({ project_id: projectId, partner_id }))).execute();
    if (consultationIds.length) await db.insertInto('project_consultations').values(consultationIds.map((consultation_id) => ({ project_id: projectId, consultation_id }))).execute();
  },
  partners(db: Kysely<Database>, projectId: number) {
    return db
      .selectFrom('project_partners as pp')
      .innerJoin('partners as p', 'p.id', 'pp.partner_id')
      .select(['p.id', 'p.name', 'p.kana'])
      .where('pp.project_id', '=', projectId)
      .orderBy(sql`p.kana COLLATE "C"`)
      .orderBy('p.id')
      .execute();
  },
  consultations(db: Kysely<Database>, projectId: number) {
    return db
      .selectFrom('project_consultations as pc')
      .innerJoin('consultations as c', 'c.id', 'pc.consultation_id')
      .select(['c.id', 'c.title', 'c.kind', 'c.status', 'c.outcome', 'c.requester_id'])
      .where('pc.project_id', '=', projectId)
      .orderBy('c.id')
      .execute();
  },
  /** Whether the person filed, or accepted an assignment to, one of the consultations the project came from. */
  async onLinkedCase(db: Kysely<Database>, projectId: number, personId: number) {
    const row = await db
      .selectFrom('project_consultations as pc')
      .innerJoin('consultations as c', 'c.id', 'pc.consultation_id')
      .select('pc.consultation_id')
      .where('pc.project_id', '=', projectId)
      .where((eb) =>
        eb.or([
          eb('c.requester_id', '=', personId),
          eb.exists(eb.selectFrom('consultation_assignments as a').select('a.person_id').whereRef('a.consultation_id', '=', 'c.id').where('a.person_id', '=', personId).where('a.status', '=', 'accepted')),
        ]),
      )
      .limit(1)
      .executeTakeFirst();
    return !!row;
  },
  /** Projects with unit, coordinator and partner names; filtered to what a viewer may see. */
  list(db: Kysely<Database>, f: { partnerId?: number; visibleTo?: { personId: number; unitId: number | null } }) {
    let q = db
      .selectFrom('collaboration_projects as pj')
      .innerJoin('units as u', 'u.id', 'pj.unit_id')
      .leftJoin('people as co', 'co.id', 'pj.coordinator_id')
      .selectAll('pj')
      .select(['u.name as unit_name', 'co.name as coordinator_name'])
      .select((eb) => [
        eb
          .selectFrom('project_partners as pp')
          .innerJoin('partners as p', 'p.id', 'pp.partner_id')
          .whereRef('pp.project_id', '=', 'pj.id')
          .select(sql<string>`string_agg(p.name, '、' ORDER BY p.kana COLLATE "C")`.as('n'))
          .as('partner_names'),
        eb.selectFrom('project_evaluations as e').whereRef('e.project_id', '=', 'pj.id').select(sql<number>`count(*)`.as('n')).as('evaluations'),
      ]);
    if (f.partnerId) q = q.where((eb) => eb.exists(eb.selectFrom('project_partners as pp2').select('pp2.project_id').whereRef('pp2.project_id', '=', 'pj.id').where('pp2.partner_id', '=', f.partnerId!)));
    if (f.visibleTo) {
      const v = f.visibleTo;
      q = q.where((eb) =>
        eb.or([
          eb('pj.coordinator_id', '=', v.personId),
          eb('pj.created_by', '=', v.personId),
          ...(v.unitId ? [eb('pj.unit_id', '=', v.unitId)] : []),
          eb.exists(
            eb
              .selectFrom('project_consultations as pc')
              .innerJoin('consultations as c', 'c.id', 'pc.consultation_id')
              .select('pc.project_id')
              .whereRef('pc.project_id', '=', 'pj.id')
              .where((e2) =>
                e2.or([
                  e2('c.requester_id', '=', v.personId),
                  e2.exists(e2.selectFrom('consultation_assignments as a').select('a.person_id').whereRef('a.consultation_id', '=', 'c.id').where('a.person_id', '=', v.personId).where('a.status', '=', 'accepted')),
                ]),
              ),
          ),
        ]),
      );
    }
    return q.orderBy('pj.starts_on', 'desc').orderBy('pj.id', 'desc').limit(500).execute();
  },

  criteria(db: Kysely<Database>, opts: { activeOnly?: boolean } = {}) {
    let q = db.selectFrom('evaluation_criteria').selectAll();
    if (opts.activeOnly) q = q.where('active', '=', true);
    return q.orderBy('position').orderBy('id').execute();
  },
  findCriterion(db: Kysely<Database>, id: number) {
    return db.selectFrom('evaluation_criteria').selectAll().where('id', '=', id).executeTakeFirst();
  },
  insertCriterion(db: Kysely<Database>, c: Insertable<EvaluationCriterionTable>) {
    return db.insertInto('evaluation_criteria').values(c).returningAll().executeTakeFirstOrThrow();
  },
  updateCriterion(db: Kysely<Database>, id: number, c: Updateable<EvaluationCriterionTable>) {
    return db.updateTable('evaluation_criteria').set(c).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
  },

  evaluations(db: Kysely<Database>, projectId: number) {
    return db
      .selectFrom('project_evaluations as e')
      .leftJoin('people as p', 'p.id', 'e.submitted_by')
      .selectAll('e')
      .select(['p.name as submitted_by_name'])
      .where('e.project_id', '=', projectId)
      .orderBy('e.id')
      .execute();
  },
  scores(db: Kysely<Database>, evaluationIds: number[]) {
    if (!evaluationIds.length) return Promise.resolve([]);
    return db.selectFrom('project_evaluation_scores').selectAll().where('evaluation_id', 'in', evaluationIds).execute();
  },
  findEvaluation(db: Kysely<Database>, projectId: number, side: 'unit' | 'partner', partnerId: number | null) {
    let q = db.selectFrom('project_evaluations').selectAll().where('project_id', '=', projectId).where('side', '=', side);
    q = partnerId === null ? q.where('partner_id', 'is', null) : q.where('partner_id', '=', partnerId);
    return q.executeTakeFirst();
  },
  async saveEvaluation(
    db: Kysely<Database>,
    e: { project_id: number; side: 'unit' | 'partner'; partner_id: number | null; submitted_by: number | null; at: Date },
    scores: { criterion_id: number; score: number; comment: string }[],
    existingId: number | null,
  ) {
    let id = existingId;
    if (id === null) {
      id = (
        await db
          .insertInto('project_evaluations')
          .values({ project_id: e.project_id, side: e.side, partner_id: e.partner_id, submitted_by: e.submitted_by, submitted_at: e.at, updated_at: e.at })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id;
    } else {
      await db.updateTable('project_evaluations').set({ submitted_by: e.submitted_by, updated_at: e.at }).where('id', '=', id).execute();
      // Scores of retired criteria stay: only the criteria asked again are replaced.
      if (scores.length)
        await db
          .deleteFrom('project_evaluation_scores')
          .where('evaluation_id', '=', id)
          .where(
            'criterion_id',
            'in',
            scores.map((s) => s.criterion_id),
          )
          .execute();
    }
    if (scores.length) await db.insertInto('project_evaluation_scores').values(scores.map((s) => ({ evaluation_id: id!, ...s }))).execute();
    return id;
  },
};
