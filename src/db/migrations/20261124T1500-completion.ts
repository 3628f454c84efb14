import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('programmes')
    .addColumn('kind', 'text', (c) => c.notNull().defaultTo('other').check(sql`kind IN ('seminar','coordinator_course','follow_up','other')`))
    .execute();
  await sql`UPDATE programmes SET kind = CASE code
      WHEN 'kyodo-suishin-seminar' THEN 'seminar' WHEN 'npo-kyodo-kenshu' THEN 'seminar'
      WHEN 'kyodo-coordinator-course' THEN 'coordinator_course' WHEN 'coordinator-follow-up' THEN 'follow_up' ELSE 'other' END`.execute(db);

  await db.schema
    .createTable('attendance')
    .addColumn('session_id', 'integer', (c) => c.notNull().references('offering_sessions.id').onDelete('cascade'))
    .addColumn('application_id', 'integer', (c) => c.notNull().references('applications.id').onDelete('cascade'))
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status IN ('present','late','left_early','absent','excused')`))
    .addColumn('via', 'text', (c) => c.notNull().check(sql`via IN ('admin','kiosk','api')`))
    .addColumn('marked_by', 'integer', (c) => c.references('people.id'))
    .addColumn('marked_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('attendance_pk', ['session_id', 'application_id'])
    .execute();
  await db.schema.createIndex('attendance_application_idx').on('attendance').column('application_id').execute();

  await db.schema
    .createTable('assignments')
    .addColumn('application_id', 'integer', (c) => c.primaryKey().references('applications.id').onDelete('cascade'))
    .addColumn('text', 'text')
    .addColumn('file_name', 'text')
    .addColumn('file_type', 'text')
    .addColumn('file_size', 'integer')
    .addColumn('file_data', 'bytea')
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status IN ('submitted','accepted','returned')`))
    .addColumn('submitted_at', 'timestamptz', (c) => c.notNull())
    .addColumn('review_comment', 'text')
    .addColumn('reviewed_by', 'integer', (c) => c.references('people.id'))
    .addColumn('reviewed_at', 'timestamptz')
    .execute();

  await db.schema
    .createTable('completions')
    .addColumn('application_id', 'integer', (c) => c.primaryKey().references('applications.id').onDelete('cascade'))
    .addColumn('completed', 'boolean', (c) => c.notNull())
    .addColumn('computed', 'boolean', (c) => c.notNull())
    .addColumn('parts', 'jsonb', (c) => c.notNull())
    .addColumn('override_completed', 'boolean')
    .addColumn('override_reason', 'text')
    .addColumn('overridden_by', 'integer', (c) => c.references('people.id'))
    .addColumn('signed_off_by', 'integer', (c) => c.references('people.id'))
    .addColumn('signed_off_at', 'timestamptz')
    .addColumn('completed_on', 'date')
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .execute();

  await sql`CREATE SEQUENCE certificate_number_seq`.execute(db);
  await db.schema
    .createTable('certificates')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('number', 'text', (c) => c.notNull().unique())
    .addColumn('application_id', 'integer', (c) => c.references('applications.id'))
    .addColumn('person_id', 'integer', (c) => c.notNull().references('people.id'))
    .addColumn('programme_id', 'integer', (c) => c.notNull().references('programmes.id'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('completed_on', 'date', (c) => c.notNull())
    .addColumn('valid_until', 'date')
    .addColumn('issued_at', 'timestamptz', (c) => c.notNull())
    .addColumn('revoked_at', 'timestamptz')
    .addColumn('revoke_reason', 'text')
    .execute();
  // One standing certificate per application.
  await sql`CREATE UNIQUE INDEX certificates_application_uq ON certificates (application_id) WHERE revoked_at IS NULL`.execute(db);
  await db.schema.createIndex('certificates_person_idx').on('certificates').column('person_id').execute();

  await db.schema
    .createTable('coordinator_certifications')
    .addColumn('person_id', 'integer', (c) => c.primaryKey().references('people.id'))
    .addColumn('granted_on', 'date', (c) => c.notNull())
    .addColumn('valid_until', 'date')
    .addColumn('renewed_on', 'date')
    .addColumn('certificate_id', 'integer', (c) => c.references('certificates.id'))
    .addColumn('revoked_at', 'timestamptz')
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('coordinator_profiles')
    .addColumn('person_id', 'integer', (c) => c.primaryKey().references('people.id'))
    .addColumn('fields', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('area_unit_ids', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('availability', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('introduction', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('training_records')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('person_id', 'integer', (c) => c.notNull().references('people.id'))
    .addColumn('programme_id', 'integer', (c) => c.references('programmes.id'))
    .addColumn('fiscal_year', 'integer', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('completed', 'boolean', (c) => c.notNull())
    .addColumn('note', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('training_records_person_idx').on('training_records').column('person_id').execute();

  await sql`ALTER TABLE import_jobs DROP CONSTRAINT import_jobs_kind_check`.execute(db);
  await sql`ALTER TABLE import_jobs ADD CONSTRAINT import_jobs_kind_check CHECK (kind IN ('units','people','history'))`.execute(db);
}
