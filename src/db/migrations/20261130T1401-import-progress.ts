import { type Kysely, sql } from 'kysely';

/**
 * Imports from Excel, rosters and progress (issues 16 §2.4, 18 §3). A participant list (受講者名簿) is
 * imported into one offering: the job says which (`offering_id`), and `roster` joins the kinds. A
 * running job records when it started and, after each chunk, how far it has got (`processed_rows`,
 * `progress_at`), so that any instance on the same PostgreSQL can show its progress. Forward-only.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE import_jobs DROP CONSTRAINT import_jobs_kind_check`.execute(db);
  await sql`ALTER TABLE import_jobs ADD CONSTRAINT import_jobs_kind_check CHECK (kind IN ('units','people','history','partners','roster'))`.execute(db);
  await db.schema
    .alterTable('import_jobs')
    .addColumn('offering_id', 'integer', (c) => c.references('offerings.id').onDelete('cascade'))
    .execute();
  await db.schema.alterTable('import_jobs').addColumn('started_at', 'timestamptz').execute();
  await db.schema.alterTable('import_jobs').addColumn('progress_at', 'timestamptz').execute();
  // A previewed file's rows are stored as JSON text and read back whole: json keeps the text as sent,
  // where jsonb rebuilt it (a 50,000-row file is ~10 MB; issue 18 §3).
  await sql`ALTER TABLE import_jobs ALTER COLUMN rows TYPE json USING rows::json`.execute(db);
  await sql`ALTER TABLE import_jobs ADD CONSTRAINT import_jobs_roster_offering CHECK ((kind = 'roster') = (offering_id IS NOT NULL))`.execute(db);
}
