import { type Kysely, sql } from 'kysely';
import type { Insertable, Updateable } from 'kysely';
import type { AssignmentTable, AttendanceTable, CompletionTable, Database } from '../schema.js';

/** What completion is made of: attendance per session, the assignment, and the completion record itself. */
export const completionRepository = {
  attendanceForOffering(db: Kysely<Database>, offeringId: number) {
    return db
      .selectFrom('attendance')
      .innerJoin('offering_sessions', 'offering_sessions.id', 'attendance.session_id')
      .selectAll('attendance')
      .where('offering_sessions.offering_id', '=', offeringId)
      .execute();
  },
  attendanceForApplication(db: Kysely<Database>, applicationId: number) {
    return db.selectFrom('attendance').selectAll().where('application_id', '=', applicationId).execute();
  },
  findAttendance(db: Kysely<Database>, sessionId: number, applicationId: number) {
    return db.selectFrom('attendance').selectAll().where('session_id', '=', sessionId).where('application_id', '=', applicationId).executeTakeFirst();
  },
  async upsertAttendance(db: Kysely<Database>, a: Insertable<AttendanceTable>) {
    await db
      .insertInto('attendance')
      .values(a)
      .onConflict((oc) => oc.columns(['session_id', 'application_id']).doUpdateSet({ status: a.status, via: a.via, marked_by: a.marked_by, marked_at: a.marked_at }))
      .execute();
  },
  findAssignment(db: Kysely<Database>, applicationId: number) {
    return db.selectFrom('assignments').selectAll().where('application_id', '=', applicationId).executeTakeFirst();
  },
  assignmentsForOffering(db: Kysely<Database>, offeringId: number) {
    return db
      .selectFrom('assignments')
      .innerJoin('applications', 'applications.id', 'assignments.application_id')
      .select(['assignments.application_id', 'assignments.status', 'assignments.file_name', 'assignments.text', 'assignments.submitted_at', 'assignments.review_comment'])
      .where('applications.offering_id', '=', offeringId)
      .execute();
  },
  async saveAssignment(db: Kysely<Database>, a: Insertable<AssignmentTable>) {
    await db
      .insertInto('assignments')
      .values(a)
      .onConflict((oc) => oc.column('application_id').doUpdateSet(a))
      .execute();
  },
  /** Records the review of a submitted assignment (accepted or returned, with the reviewer's comment). */
  async reviewAssignment(db: Kysely<Database>, applicationId: number, review: Pick<Updateable<AssignmentTable>, 'status' | 'review_comment' | 'reviewed_by' | 'reviewed_at'>) {
    await db.updateTable('assignments').set(review).where('application_id', '=', applicationId).execute();
  },
  findCompletion(db: Kysely<Database>, applicationId: number) {
    return db.selectFrom('completions').selectAll().where('application_id', '=', applicationId).executeTakeFirst();
  },
  completionsForOffering(db: Kysely<Database>, offeringId: number) {
    return db
      .selectFrom('completions')
      .innerJoin('applications', 'applications.id', 'completions.application_id')
      .selectAll('completions')
      .where('applications.offering_id', '=', offeringId)
      .execute();
  },
  async saveCompletion(db: Kysely<Database>, c: Insertable<CompletionTable>) {
    await db
      .insertInto('completions')
      .values(c)
      .onConflict((oc) => oc.column('application_id').doUpdateSet(c))
      .execute();
  },
  /** The confirmed application of a participant code, with its offering. */
  findByCode(db: Kysely<Database>, code: string) {
    return db
      .selectFrom('applications')
      .innerJoin('people', 'people.id', 'applications.person_id')
      .select(['applications.id', 'applications.offering_id', 'applications.status', 'applications.person_id', 'people.name as person_name'])
      .where('applications.participant_code', '=', code)
      .executeTakeFirst();
  },
  async countByStatus(db: Kysely<Database>, offeringId: number) {
    return db
      .selectFrom('completions')
      .innerJoin('applications', 'applications.id', 'completions.application_id')
      .select(['completions.completed', sql<number>`count(*)`.as('n')])
      .where('applications.offering_id', '=', offeringId)
      .groupBy('completions.completed')
      .execute();
  },
};
