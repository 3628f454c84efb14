import { type Kysely, sql } from 'kysely';
import type { ApplicationStatus } from '../../domain/selection.js';
import type { Database } from '../schema.js';

export interface CohortRecipient {
  id: number;
  name: string;
  email: string;
  locale: string | null;
}

/** Messages to a cohort of an offering and their recipients (issue 16 §2.2). */
export const cohortMessageRepository = {
  /** The people (active, each once) holding an application to the offering in one of these statuses. */
  byStatus(db: Kysely<Database>, offeringId: number, statuses: readonly ApplicationStatus[]): Promise<CohortRecipient[]> {
    if (!statuses.length) return Promise.resolve([]);
    return db
      .selectFrom('people')
      .select(['people.id', 'people.name', 'people.email', 'people.locale'])
      .where('people.active', '=', true)
      .where((eb) =>
        eb.exists(
          eb
            .selectFrom('applications')
            .select('applications.id')
            .whereRef('applications.person_id', '=', 'people.id')
            .where('applications.offering_id', '=', offeringId)
            .where('applications.status', 'in', [...statuses]),
        ),
      )
      .orderBy('people.kana')
      .orderBy('people.id')
      .execute();
  },
  /**
   * A session's participants: those marked there (present, late or left early) once attendance is
   * taken; before that, everyone confirmed for the offering.
   */
  async bySession(db: Kysely<Database>, offeringId: number, sessionId: number): Promise<CohortRecipient[]> {
    const marked = await db
      .selectFrom('attendance')
      .innerJoin('applications', 'applications.id', 'attendance.application_id')
      .select(['applications.person_id', 'attendance.status'])
      .where('attendance.session_id', '=', sessionId)
      .execute();
    if (!marked.length) return this.byStatus(db, offeringId, ['confirmed']);
    const ids = [...new Set(marked.filter((m) => m.status === 'present' || m.status === 'late' || m.status === 'left_early').map((m) => m.person_id))];
    if (!ids.length) return [];
    return db.selectFrom('people').select(['id', 'name', 'email', 'locale']).where('id', 'in', ids).where('active', '=', true).orderBy('kana').orderBy('id').execute();
  },
  /** How many active people hold an application in each status. */
  async countsByStatus(db: Kysely<Database>, offeringId: number): Promise<Partial<Record<ApplicationStatus, number>>> {
    const rows = await db
      .selectFrom('applications')
      .innerJoin('people', 'people.id', 'applications.person_id')
      .select(['applications.status', sql<number>`count(DISTINCT applications.person_id)`.as('n')])
      .where('applications.offering_id', '=', offeringId)
      .where('people.active', '=', true)
      .groupBy('applications.status')
      .execute();
    return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
  },
  async insert(
    db: Kysely<Database>,
    m: { offeringId: number; sessionId: number | null; statuses: readonly string[]; subject: string; body: string; personIds: readonly number[]; sentBy: number | null; now: Date },
  ) {
    const row = await db
      .insertInto('cohort_messages')
      .values({
        offering_id: m.offeringId,
        session_id: m.sessionId,
        statuses: JSON.stringify(m.statuses),
        subject: m.subject,
        body: m.body,
        recipients: m.personIds.length,
        sent_by: m.sentBy,
        created_at: m.now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    if (m.personIds.length)
      await db
        .insertInto('cohort_message_recipients')
        .values(m.personIds.map((p) => ({ message_id: row.id, person_id: p })))
        .execute();
    return row;
  },
  /** The messages a person received, newest first, with the offering's title. */
  forPerson(db: Kysely<Database>, personId: number) {
    return db
      .selectFrom('cohort_message_recipients')
      .innerJoin('cohort_messages', 'cohort_messages.id', 'cohort_message_recipients.message_id')
      .innerJoin('offerings', 'offerings.id', 'cohort_messages.offering_id')
      .select(['cohort_messages.id', 'cohort_messages.subject', 'cohort_messages.body', 'cohort_messages.created_at', 'offerings.id as offering_id', 'offerings.title as offering_title'])
      .where('cohort_message_recipients.person_id', '=', personId)
      .orderBy('cohort_messages.created_at', 'desc')
      .orderBy('cohort_messages.id', 'desc')
      .execute();
  },
  /** The messages sent to the offering's cohorts, newest first. */
  forOffering(db: Kysely<Database>, offeringId: number) {
    return db.selectFrom('cohort_messages').selectAll().where('offering_id', '=', offeringId).orderBy('created_at', 'desc').orderBy('id', 'desc').execute();
  },
};
