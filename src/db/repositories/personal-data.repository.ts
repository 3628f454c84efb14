import { type Kysely, sql, type Updateable } from 'kysely';
import type { Database, PersonTable } from '../schema.js';

/**
 * The rows that are about one person (services/personal-data.service.ts, decision 0014): read for
 * their export, and cleared when they are anonymised. Extension point: when a table about people is
 * added, add it to `heldAbout` (or `consultationsOf`) and to `clearTraces`.
 */
export const personalDataRepository = {
  /** Everything held about the person in rows of their own (other than their history and consultations), each in one read. */
  async heldAbout(db: Kysely<Database>, personId: number) {
    const [applications, attendance, completions, certificates, certification, profile, assignments, invitations, responses, tokens, sessions] = await Promise.all([
      db
        .selectFrom('applications as a')
        .innerJoin('offerings as o', 'o.id', 'a.offering_id')
        .innerJoin('programmes as pr', 'pr.id', 'o.programme_id')
        .select(['a.id', 'o.fiscal_year', 'pr.name as programme', 'o.title as offering', 'a.status', 'a.seat_group', 'a.applied_at', 'a.decided_at', 'a.endorsed_at', 'a.endorse_comment', 'a.cancelled_at', 'a.cancel_reason', 'a.participant_code', 'a.answers'])
        .where('a.person_id', '=', personId)
        .orderBy('a.applied_at')
        .orderBy('a.id')
        .execute(),
      db
        .selectFrom('attendance as t')
        .innerJoin('applications as a', 'a.id', 't.application_id')
        .innerJoin('offering_sessions as s', 's.id', 't.session_id')
        .innerJoin('offerings as o', 'o.id', 'a.offering_id')
        .select(['a.id as application_id', 'o.title as offering', 's.title as session', 's.starts_at', 't.status', 't.marked_at'])
        .where('a.person_id', '=', personId)
        .orderBy('s.starts_at')
        .execute(),
      db
        .selectFrom('completions as c')
        .innerJoin('applications as a', 'a.id', 'c.application_id')
        .innerJoin('offerings as o', 'o.id', 'a.offering_id')
        .select(['a.id as application_id', 'o.title as offering', 'c.completed', 'c.completed_on', 'c.override_reason'])
        .where('a.person_id', '=', personId)
        .orderBy('a.id')
        .execute(),
      db.selectFrom('certificates').select(['number', 'title', 'completed_on', 'valid_until', 'issued_at', 'revoked_at']).where('person_id', '=', personId).orderBy('issued_at').execute(),
      db.selectFrom('coordinator_certifications').select(['granted_on', 'valid_until', 'renewed_on', 'revoked_at']).where('person_id', '=', personId).executeTakeFirst(),
      db.selectFrom('coordinator_profiles').select(['fields', 'availability', 'introduction']).where('person_id', '=', personId).executeTakeFirst(),
      db
        .selectFrom('assignments as s')
        .innerJoin('applications as a', 'a.id', 's.application_id')
        .innerJoin('offerings as o', 'o.id', 'a.offering_id')
        .select(['a.id as application_id', 'o.title as offering', 's.status', 's.submitted_at', 's.file_name', 's.file_size', 's.text'])
        .where('a.person_id', '=', personId)
        .execute(),
      db
        .selectFrom('survey_invitations as i')
        .innerJoin('surveys as s', 's.id', 'i.survey_id')
        .select(['s.title', 's.kind', 's.anonymous', 'i.invited_at', 'i.responded_on'])
        .where('i.person_id', '=', personId)
        .orderBy('i.invited_at')
        .execute(),
      // Named answers only: an anonymous answer has no person (decision 0011).
      db
        .selectFrom('survey_responses as r')
        .innerJoin('surveys as s', 's.id', 'r.survey_id')
        .select(['s.title', 's.kind', 's.questions', 'r.answers', 'r.submitted_on', 'r.updated_on'])
        .where('r.person_id', '=', personId)
        .orderBy('r.submitted_on')
        .execute(),
      db.selectFrom('api_tokens').select(['name', 'prefix', 'created_at', 'last_used_at', 'revoked_at']).where('person_id', '=', personId).orderBy('created_at').execute(),
      db.selectFrom('sessions').select(['created_at', 'last_seen_at', 'expires_at', 'user_agent']).where('person_id', '=', personId).orderBy('created_at').execute(),
    ]);
    return { applications, attendance, completions, certificates, certification, profile, assignments, invitations, responses, tokens, sessions };
  },

  /** The messages the training office sent the person with a cohort of an offering (issue 16 §2.2), oldest first. */
  messagesReceived(db: Kysely<Database>, personId: number) {
    return db
      .selectFrom('cohort_message_recipients as r')
      .innerJoin('cohort_messages as m', 'm.id', 'r.message_id')
      .innerJoin('offerings as o', 'o.id', 'm.offering_id')
      .select(['m.id', 'm.subject', 'm.body', 'm.created_at', 'o.title as offering', 'o.fiscal_year'])
      .where('r.person_id', '=', personId)
      .orderBy('m.created_at')
      .orderBy('m.id')
      .execute();
  },

  /**
   * Consultations the person asked for, was assigned to, or logged work on; the collaboration projects
   * they coordinate or recorded; the project evaluations they submitted, with each one's scores.
   */
  async consultationsOf(db: Kysely<Database>, personId: number) {
    const [requested, assigned, activities] = await Promise.all([
      db
        .selectFrom('consultations')
        .select(['id', 'kind', 'title', 'status', 'created_at', 'closed_at'])
        .where('requester_id', '=', personId)
        .orderBy('created_at')
        .execute(),
      db
        .selectFrom('consultation_assignments as x')
        .innerJoin('consultations as c', 'c.id', 'x.consultation_id')
        .select(['x.consultation_id', 'c.title', 'x.status', 'x.assigned_at', 'x.responded_at', 'x.decline_reason'])
        .where('x.person_id', '=', personId)
        .orderBy('x.assigned_at')
        .execute(),
      db
        .selectFrom('consultation_activities')
        .select(['consultation_id', 'on_date', 'minutes', 'kind', 'note'])
        .where('person_id', '=', personId)
        .orderBy('on_date')
        .execute(),
    ]);
    const [projects, evaluations] = await Promise.all([
      db
        .selectFrom('collaboration_projects')
        .select(['id', 'title', 'coordinator_id', 'starts_on', 'ends_on'])
        .where((w) => w.or([w('coordinator_id', '=', personId), w('created_by', '=', personId)]))
        .orderBy('starts_on')
        .execute(),
      db
        .selectFrom('project_evaluations as e')
        .innerJoin('collaboration_projects as p', 'p.id', 'e.project_id')
        .select(['e.id', 'e.project_id', 'p.title', 'e.side', 'e.submitted_at'])
        .where('e.submitted_by', '=', personId)
        .orderBy('e.submitted_at')
        .execute(),
    ]);
    const scores = evaluations.length
      ? await db
          .selectFrom('project_evaluation_scores as s')
          .innerJoin('evaluation_criteria as c', 'c.id', 's.criterion_id')
          .select(['s.evaluation_id', 'c.label', 's.score', 's.comment'])
          .where(
            's.evaluation_id',
            'in',
            evaluations.map((e) => e.id),
          )
          .orderBy('c.position')
          .execute()
      : [];
    return { requested, assigned, activities, projects, evaluations, scores };
  },

  /** Locks the person row: two admins anonymising at once do it once. */
  lockPerson(db: Kysely<Database>, id: number) {
    return db.selectFrom('people').select(['id', 'email', 'active', 'unit_id', 'affiliation']).where('id', '=', id).forUpdate().executeTakeFirst();
  },

  /** Overwrites the person row's identifying and sign-in columns. */
  async overwritePerson(db: Kysely<Database>, id: number, p: Updateable<PersonTable>) {
    await db.updateTable('people').set(p).where('id', '=', id).execute();
  },

  /**
   * Revokes every way in (sessions, API tokens, one-time links) and clears the free text the person
   * wrote about themselves (application answers and cancellation reasons, assignment texts and files,
   * coordinator profile) and the mail not yet sent to their old address; returns how many rows of each.
   */
  async clearTraces(db: Kysely<Database>, id: number, oldEmail: string, now: Date) {
    return {
      sessions: Number((await db.deleteFrom('sessions').where('person_id', '=', id).executeTakeFirst()).numDeletedRows),
      apiTokens: Number((await db.updateTable('api_tokens').set({ revoked_at: now }).where('person_id', '=', id).where('revoked_at', 'is', null).executeTakeFirst()).numUpdatedRows),
      oneTimeLinks: Number((await db.deleteFrom('one_time_tokens').where('person_id', '=', id).executeTakeFirst()).numDeletedRows),
      applicationTexts: Number(
        (
          await db
            .updateTable('applications')
            .set({ answers: '{}', cancel_reason: sql<string | null>`CASE WHEN cancel_reason IS NULL THEN NULL ELSE '' END` })
            .where('person_id', '=', id)
            .executeTakeFirst()
        ).numUpdatedRows,
      ),
      assignments: Number(
        (
          await db
            .updateTable('assignments')
            .set({ text: null, file_name: null, file_type: null, file_size: null, file_data: null })
            .where('application_id', 'in', db.selectFrom('applications').select('id').where('person_id', '=', id))
            .executeTakeFirst()
        ).numUpdatedRows,
      ),
      coordinatorProfile: Number(
        (await db.updateTable('coordinator_profiles').set({ availability: '', introduction: '', updated_at: now }).where('person_id', '=', id).executeTakeFirst()).numUpdatedRows,
      ),
      unsentMail: Number(
        (await db.deleteFrom('outbox').where('to_address', '=', oldEmail).where('status', 'in', ['pending', 'sending', 'failed']).executeTakeFirst()).numDeletedRows,
      ),
      loginThrottle: Number((await db.deleteFrom('login_throttle').where('key', 'like', `${oldEmail.toLowerCase().replace(/[\\%_]/g, '\\$&')}|%`).executeTakeFirst()).numDeletedRows),
    };
  },
};
