import { type Insertable, type Kysely, sql } from 'kysely';
import type { Database, SurveyTable, SurveyTemplateTable } from '../schema.js';
import { type SurveyKind } from '../../domain/values.js';

/** Survey templates, survey instances, invitations, responses and their numeric scores. */
export const surveyRepository = {
  templates(db: Kysely<Database>) {
    return db.selectFrom('survey_templates').selectAll().orderBy('builtin', 'desc').orderBy('id').execute();
  },
  findTemplate(db: Kysely<Database>, id: number) {
    return db.selectFrom('survey_templates').selectAll().where('id', '=', id).executeTakeFirst();
  },
  findTemplateByCode(db: Kysely<Database>, code: string) {
    return db.selectFrom('survey_templates').selectAll().where('code', '=', code).executeTakeFirst();
  },
  insertTemplate(db: Kysely<Database>, t: Insertable<SurveyTemplateTable>) {
    return db.insertInto('survey_templates').values(t).returningAll().executeTakeFirstOrThrow();
  },
  updateTemplate(db: Kysely<Database>, id: number, t: Partial<Insertable<SurveyTemplateTable>>) {
    return db.updateTable('survey_templates').set(t).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
  },

  find(db: Kysely<Database>, id: number) {
    return db.selectFrom('surveys').selectAll().where('id', '=', id).executeTakeFirst();
  },
  findForUpdate(db: Kysely<Database>, id: number) {
    return db.selectFrom('surveys').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
  },
  /** Inserts unless one of the same kind already exists for the session (or, for pre/post, the offering). */
  insert(db: Kysely<Database>, s: Insertable<SurveyTable>) {
    return db.insertInto('surveys').values(s).onConflict((oc) => oc.doNothing()).returningAll().executeTakeFirst();
  },
  /** Surveys with their invitation and response counts, newest first. */
  list(db: Kysely<Database>, f: { offeringId?: number; kind?: SurveyKind; sessionId?: number; fiscalYear?: number }) {
    let q = db
      .selectFrom('surveys')
      .leftJoin('offerings', 'offerings.id', 'surveys.offering_id')
      .leftJoin('offering_sessions', 'offering_sessions.id', 'surveys.session_id')
      .selectAll('surveys')
      .select([
        'offerings.title as offering_title',
        'offerings.fiscal_year as fiscal_year',
        'offering_sessions.title as session_title',
        'offering_sessions.starts_at as session_starts_at',
        (eb) => eb.selectFrom('survey_invitations').whereRef('survey_invitations.survey_id', '=', 'surveys.id').select((e) => e.fn.countAll<number>().as('n')).as('invited'),
        (eb) => eb.selectFrom('survey_responses').whereRef('survey_responses.survey_id', '=', 'surveys.id').select((e) => e.fn.countAll<number>().as('n')).as('responded'),
      ]);
    if (f.offeringId) q = q.where('surveys.offering_id', '=', f.offeringId);
    if (f.sessionId) q = q.where('surveys.session_id', '=', f.sessionId);
    if (f.kind) q = q.where('surveys.kind', '=', f.kind);
    if (f.fiscalYear) q = q.where('offerings.fiscal_year', '=', f.fiscalYear);
    return q.orderBy('surveys.closes_at', 'desc').orderBy('surveys.id', 'desc').limit(500).execute();
  },
  counts(db: Kysely<Database>, surveyId: number) {
    return db
      .selectFrom('survey_invitations')
      .where('survey_id', '=', surveyId)
      .select((e) => [e.fn.countAll<number>().as('invited'), e.fn.count<number>('responded_on').as('responded')])
      .executeTakeFirstOrThrow();
  },

  // --- who a survey asks (read from the people, attendance and applications it is about) ---
  /** The active members of a partner (a field training's host). */
  activeMembersOf(db: Kysely<Database>, partnerId: number) {
    return db.selectFrom('people').select('id').where('partner_id', '=', partnerId).where('active', '=', true).execute();
  },
  /** The attendance marks of a session, with whose they are. */
  attendanceOf(db: Kysely<Database>, sessionId: number) {
    return db.selectFrom('attendance').innerJoin('applications', 'applications.id', 'attendance.application_id').select(['applications.person_id', 'attendance.status']).where('attendance.session_id', '=', sessionId).execute();
  },
  /** The confirmed participants of an offering. */
  confirmedParticipants(db: Kysely<Database>, offeringId: number) {
    return db.selectFrom('applications').select('person_id').where('offering_id', '=', offeringId).where('status', '=', 'confirmed').execute();
  },
  /** Of these people, the active ones, with what a mail needs. */
  activePeople(db: Kysely<Database>, personIds: number[]) {
    if (!personIds.length) return Promise.resolve([]);
    return db.selectFrom('people').select(['id', 'name', 'email', 'locale']).where('id', 'in', personIds).where('active', '=', true).execute();
  },
  /** Sessions of offerings not cancelled that ended after `endedAfter` and by `endedBy`, with no post-session questionnaire yet. */
  endedWithoutQuestionnaire(db: Kysely<Database>, endedAfter: Date, endedBy: Date) {
    return db
      .selectFrom('offering_sessions')
      .innerJoin('offerings', 'offerings.id', 'offering_sessions.offering_id')
      .select(['offering_sessions.id', 'offering_sessions.offering_id', 'offering_sessions.title', 'offering_sessions.ends_at', 'offering_sessions.host_partner_id', 'offerings.title as offering_title'])
      .where('offering_sessions.ends_at', '<=', endedBy)
      .where('offering_sessions.ends_at', '>', endedAfter)
      .where('offerings.cancelled_at', 'is', null)
      .where((eb) =>
        eb.not(eb.exists(eb.selectFrom('surveys').select('surveys.id').whereRef('surveys.session_id', '=', 'offering_sessions.id').where('surveys.kind', '=', 'post_session'))),
      )
      .execute();
  },

  invite(db: Kysely<Database>, surveyId: number, personIds: number[], now: Date) {
    if (!personIds.length) return Promise.resolve([]);
    return db
      .insertInto('survey_invitations')
      .values(personIds.map((person_id) => ({ survey_id: surveyId, person_id, invited_at: now })))
      .onConflict((oc) => oc.doNothing())
      .returning('person_id')
      .execute();
  },
  invitation(db: Kysely<Database>, surveyId: number, personId: number) {
    return db.selectFrom('survey_invitations').selectAll().where('survey_id', '=', surveyId).where('person_id', '=', personId).executeTakeFirst();
  },
  invitationForUpdate(db: Kysely<Database>, surveyId: number, personId: number) {
    return db.selectFrom('survey_invitations').selectAll().where('survey_id', '=', surveyId).where('person_id', '=', personId).forUpdate().executeTakeFirst();
  },
  markResponded(db: Kysely<Database>, surveyId: number, personId: number, on: string) {
    return db.updateTable('survey_invitations').set({ responded_on: on }).where('survey_id', '=', surveyId).where('person_id', '=', personId).execute();
  },
  /** Invitees who have not answered (with what a mail needs). */
  pending(db: Kysely<Database>, surveyId: number) {
    return db
      .selectFrom('survey_invitations')
      .innerJoin('people', 'people.id', 'survey_invitations.person_id')
      .select(['people.id', 'people.name', 'people.email', 'people.locale'])
      .where('survey_invitations.survey_id', '=', surveyId)
      .where('survey_invitations.responded_on', 'is', null)
      .where('people.active', '=', true)
      .orderBy('people.id')
      .execute();
  },
  markReminded(db: Kysely<Database>, surveyId: number, personIds: number[], now: Date) {
    if (!personIds.length) return Promise.resolve();
    return db.updateTable('survey_invitations').set({ reminded_at: now }).where('survey_id', '=', surveyId).where('person_id', 'in', personIds).execute();
  },
  /** Claims the automatic reminder of a survey: true for exactly one caller. */
  async claimAutoReminder(db: Kysely<Database>, surveyId: number, now: Date): Promise<boolean> {
    const r = await db.updateTable('surveys').set({ auto_reminded_at: now }).where('id', '=', surveyId).where('auto_reminded_at', 'is', null).returning('id').executeTakeFirst();
    return r !== undefined;
  },
  /** Open surveys closing before the horizon that have not had their automatic reminder. */
  closingSoon(db: Kysely<Database>, now: Date, horizon: Date) {
    return db.selectFrom('surveys').selectAll().where('auto_reminded_at', 'is', null).where('opens_at', '<=', now).where('closes_at', '>', now).where('closes_at', '<=', horizon).execute();
  },
  /** A person's invitations, with the survey and whether they answered. */
  forPerson(db: Kysely<Database>, personId: number) {
    return db
      .selectFrom('survey_invitations')
      .innerJoin('surveys', 'surveys.id', 'survey_invitations.survey_id')
      .leftJoin('offerings', 'offerings.id', 'surveys.offering_id')
      .select(['surveys.id', 'surveys.title', 'surveys.kind', 'surveys.anonymous', 'surveys.opens_at', 'surveys.closes_at', 'survey_invitations.responded_on', 'offerings.title as offering_title'])
      .where('survey_invitations.person_id', '=', personId)
      .orderBy('surveys.closes_at', 'desc')
      .limit(200)
      .execute();
  },

  responseOf(db: Kysely<Database>, surveyId: number, personId: number) {
    return db.selectFrom('survey_responses').selectAll().where('survey_id', '=', surveyId).where('person_id', '=', personId).executeTakeFirst();
  },
  responseByKey(db: Kysely<Database>, surveyId: number, keyHash: string) {
    return db.selectFrom('survey_responses').selectAll().where('survey_id', '=', surveyId).where('edit_key_hash', '=', keyHash).executeTakeFirst();
  },
  async saveResponse(
    db: Kysely<Database>,
    r: { id: string; survey_id: number; person_id: number | null; edit_key_hash: string | null; answers: string; submitted_on: string | null; updated_on: string | null },
    scores: { question_id: string; item: string; score: number }[],
    existing: boolean,
  ) {
    if (existing) {
      await db.updateTable('survey_responses').set({ answers: r.answers, updated_on: r.updated_on }).where('id', '=', r.id).execute();
      await db.deleteFrom('survey_scores').where('response_id', '=', r.id).execute();
    } else await db.insertInto('survey_responses').values(r).execute();
    if (scores.length) await db.insertInto('survey_scores').values(scores.map((s) => ({ ...s, response_id: r.id, survey_id: r.survey_id }))).execute();
  },
  // --- the pool of anonymous answers waiting for their batch (decision 0018) ---
  addToPool(db: Kysely<Database>, row: { id: string; survey_id: number; sealed: string }) {
    return db.insertInto('survey_answer_pool').values(row).execute();
  },
  pool(db: Kysely<Database>, surveyId: number) {
    return db.selectFrom('survey_answer_pool').select(['id', 'sealed']).where('survey_id', '=', surveyId).execute();
  },
  poolSize(db: Kysely<Database>, surveyId: number) {
    return db.selectFrom('survey_answer_pool').select((e) => e.fn.countAll<number>().as('n')).where('survey_id', '=', surveyId).executeTakeFirstOrThrow();
  },
  /** Surveys with answers waiting whose answering has closed (their last batch is due). */
  closedWithPool(db: Kysely<Database>, now: Date) {
    return db
      .selectFrom('surveys')
      .select('surveys.id')
      .where('surveys.closes_at', '<=', now)
      .where((eb) => eb.exists(eb.selectFrom('survey_answer_pool').select('survey_answer_pool.id').whereRef('survey_answer_pool.survey_id', '=', 'surveys.id')))
      .execute();
  },
  removeFromPool(db: Kysely<Database>, ids: readonly string[]) {
    if (!ids.length) return Promise.resolve();
    return db.deleteFrom('survey_answer_pool').where('id', 'in', [...ids]).execute();
  },
  /** One writer of a survey's batches at a time (several instances on one PostgreSQL). */
  lockForBatch(db: Kysely<Database>, surveyId: number) {
    return db.selectFrom('surveys').select('id').where('id', '=', surveyId).forUpdate().executeTakeFirst();
  },
  /** Responses with their scores, to be written again within a batch (padding, decision 0018). */
  async responsesWithScores(db: Kysely<Database>, ids: readonly string[]) {
    if (!ids.length) return [];
    const rows = await db.selectFrom('survey_responses').selectAll().where('id', 'in', [...ids]).execute();
    const scores = await db.selectFrom('survey_scores').selectAll().where('response_id', 'in', [...ids]).execute();
    return rows.map((r) => ({ ...r, scores: scores.filter((s) => s.response_id === r.id) }));
  },
  responseIds(db: Kysely<Database>, surveyId: number) {
    return db.selectFrom('survey_responses').select('id').where('survey_id', '=', surveyId).execute();
  },
  /** A batch of anonymous responses in one statement each, in the order given (no person, no time). */
  async insertBatch(db: Kysely<Database>, surveyId: number, rows: { id: string; editKeyHash: string | null; answers: unknown; scores: { question_id: string; item: string; score: number }[] }[]) {
    if (!rows.length) return;
    await db
      .insertInto('survey_responses')
      .values(rows.map((r) => ({ id: r.id, survey_id: surveyId, person_id: null, edit_key_hash: r.editKeyHash, answers: JSON.stringify(r.answers), submitted_on: null, updated_on: null })))
      .execute();
    const scores = rows.flatMap((r) => r.scores.map((x) => ({ ...x, response_id: r.id, survey_id: surveyId })));
    if (scores.length) await db.insertInto('survey_scores').values(scores).execute();
  },
  async deleteResponses(db: Kysely<Database>, ids: readonly string[]) {
    if (!ids.length) return;
    await db.deleteFrom('survey_scores').where('response_id', 'in', [...ids]).execute();
    await db.deleteFrom('survey_responses').where('id', 'in', [...ids]).execute();
  },
  /** Answers of a survey, in a stable order that says nothing about who answered when. */
  answers(db: Kysely<Database>, surveyId: number) {
    return db.selectFrom('survey_responses').select(['id', 'answers', 'submitted_on']).where('survey_id', '=', surveyId).orderBy('id').execute();
  },
  /** Named answers with the respondent (never used for anonymous surveys). */
  namedAnswers(db: Kysely<Database>, surveyId: number) {
    return db
      .selectFrom('survey_responses')
      .innerJoin('people', 'people.id', 'survey_responses.person_id')
      .leftJoin('units', 'units.id', 'people.unit_id')
      .leftJoin('partners', 'partners.id', 'people.partner_id')
      .select(['survey_responses.answers', 'survey_responses.submitted_on', 'survey_responses.updated_on', 'people.name', 'people.kana', 'people.affiliation', 'units.name as unit_name', 'partners.name as partner_name'])
      .where('survey_responses.survey_id', '=', surveyId)
      .orderBy(sql`people.kana COLLATE "C"`)
      .orderBy('people.id')
      .execute();
  },

  /** Pre/post score pairs: the same person, item and question, in an offering's pre and post surveys. */
  pairs(db: Kysely<Database>, f: { fiscalYear?: number; offeringId?: number }) {
    let q = db
      .selectFrom('surveys as pre')
      .innerJoin('surveys as post', (j) => j.onRef('post.offering_id', '=', 'pre.offering_id').on('post.kind', '=', 'post'))
      .innerJoin('offerings', 'offerings.id', 'pre.offering_id')
      .innerJoin('survey_responses as r1', 'r1.survey_id', 'pre.id')
      .innerJoin('survey_responses as r2', (j) => j.onRef('r2.survey_id', '=', 'post.id').onRef('r2.person_id', '=', 'r1.person_id'))
      .innerJoin('survey_scores as s1', 's1.response_id', 'r1.id')
      .innerJoin('survey_scores as s2', (j) => j.onRef('s2.response_id', '=', 'r2.id').onRef('s2.question_id', '=', 's1.question_id').onRef('s2.item', '=', 's1.item'))
      .innerJoin('people', 'people.id', 'r1.person_id')
      .leftJoin('units', 'units.id', 'people.unit_id')
      .select(['r1.person_id as person_id', 's1.item', 's1.score as pre', 's2.score as post', 'offerings.id as offering_id', 'offerings.title as offering_title', 'offerings.fiscal_year', 'people.affiliation', 'units.name as unit_name', 'units.kana as unit_kana'])
      .where('pre.kind', '=', 'pre');
    if (f.fiscalYear) q = q.where('offerings.fiscal_year', '=', f.fiscalYear);
    if (f.offeringId) q = q.where('offerings.id', '=', f.offeringId);
    return q.execute();
  },
};
