import { type Kysely, sql } from 'kysely';

/**
 * Messages to a cohort (issue 16 §2.2): what the training office wrote to the applicants of an
 * offering (chosen by status, or a session's participants), and who received it, so that each person
 * sees their copy on their own page. The mail itself goes through the outbox. Forward-only.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('cohort_messages')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('offering_id', 'integer', (c) => c.notNull().references('offerings.id').onDelete('cascade'))
    .addColumn('session_id', 'integer', (c) => c.references('offering_sessions.id').onDelete('set null'))
    .addColumn('statuses', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('recipients', 'integer', (c) => c.notNull())
    .addColumn('sent_by', 'integer', (c) => c.references('people.id'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('cohort_messages_offering').on('cohort_messages').column('offering_id').execute();
  await db.schema
    .createTable('cohort_message_recipients')
    .addColumn('message_id', 'integer', (c) => c.notNull().references('cohort_messages.id').onDelete('cascade'))
    .addColumn('person_id', 'integer', (c) => c.notNull().references('people.id'))
    .addPrimaryKeyConstraint('cohort_message_recipients_pk', ['message_id', 'person_id'])
    .execute();
  await db.schema.createIndex('cohort_message_recipients_person').on('cohort_message_recipients').column('person_id').execute();
}
