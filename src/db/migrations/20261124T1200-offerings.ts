import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('offerings')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('programme_id', 'integer', (c) => c.notNull().references('programmes.id'))
    .addColumn('fiscal_year', 'integer', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('audience', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('selection', 'text', (c) => c.notNull().check(sql`selection IN ('first_come','review','lottery')`))
    .addColumn('capacity', 'integer', (c) => c.notNull().check(sql`capacity > 0`))
    .addColumn('seats', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('waitlist', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('endorsement_required', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('application_opens_at', 'timestamptz', (c) => c.notNull())
    .addColumn('application_closes_at', 'timestamptz', (c) => c.notNull())
    .addColumn('cancellation_deadline', 'timestamptz')
    .addColumn('promotion_cutoff', 'timestamptz')
    .addColumn('questions', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('completion_rule', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('priority_rules', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('reminder_days', 'integer', (c) => c.notNull().defaultTo(3))
    .addColumn('published', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('lottery_seed', 'text')
    .addColumn('lottery_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('offerings_fy_idx').on('offerings').columns(['fiscal_year', 'programme_id']).execute();

  await db.schema
    .createTable('offering_sessions')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('offering_id', 'integer', (c) => c.notNull().references('offerings.id').onDelete('cascade'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('format', 'text', (c) => c.notNull().check(sql`format IN ('lecture','workshop','field','online')`))
    .addColumn('starts_at', 'timestamptz', (c) => c.notNull())
    .addColumn('ends_at', 'timestamptz', (c) => c.notNull())
    .addColumn('venue', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('lecturers', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('capacity', 'integer')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('session_ends_after_start', sql`ends_at > starts_at`)
    .execute();
  await db.schema.createIndex('offering_sessions_idx').on('offering_sessions').columns(['offering_id', 'starts_at']).execute();
  await db.schema.createIndex('offering_sessions_start_idx').on('offering_sessions').column('starts_at').execute();

  await db.schema
    .createTable('applications')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('offering_id', 'integer', (c) => c.notNull().references('offerings.id').onDelete('cascade'))
    .addColumn('person_id', 'integer', (c) => c.notNull().references('people.id'))
    .addColumn('status', 'text', (c) =>
      c.notNull().check(sql`status IN ('applied','endorsed','returned','confirmed','waitlisted','not_selected','cancelled')`),
    )
    .addColumn('seat_group', 'text', (c) => c.notNull().check(sql`seat_group IN ('prefecture','municipality','partner')`))
    .addColumn('answers', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('applied_at', 'timestamptz', (c) => c.notNull())
    .addColumn('applied_by', 'integer', (c) => c.references('people.id'))
    .addColumn('endorsed_at', 'timestamptz')
    .addColumn('endorsed_by', 'integer', (c) => c.references('people.id'))
    .addColumn('endorse_comment', 'text')
    .addColumn('decided_at', 'timestamptz')
    .addColumn('waitlist_order', 'bigint')
    .addColumn('lottery_rank', 'integer')
    .addColumn('cancelled_at', 'timestamptz')
    .addColumn('cancel_reason', 'text')
    .addColumn('participant_code', 'text', (c) => c.notNull().unique())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  // One live application per person and offering.
  await sql`CREATE UNIQUE INDEX applications_live_uq ON applications (offering_id, person_id)
            WHERE status IN ('applied','endorsed','confirmed','waitlisted')`.execute(db);
  await db.schema.createIndex('applications_offering_status_idx').on('applications').columns(['offering_id', 'status']).execute();
  await db.schema.createIndex('applications_person_idx').on('applications').column('person_id').execute();

  await db.schema
    .createTable('session_reminders')
    .addColumn('session_id', 'integer', (c) => c.notNull().references('offering_sessions.id').onDelete('cascade'))
    .addColumn('application_id', 'integer', (c) => c.notNull().references('applications.id').onDelete('cascade'))
    .addColumn('sent_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('session_reminders_pk', ['session_id', 'application_id'])
    .execute();

  await db.schema.alterTable('people').addColumn('calendar_token', 'text').execute();
  await sql`CREATE UNIQUE INDEX people_calendar_token_uq ON people (calendar_token) WHERE calendar_token IS NOT NULL`.execute(db);
}
