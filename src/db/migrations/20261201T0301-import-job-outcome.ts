import { type Kysely, sql } from 'kysely';

/**
 * What a people import did, counted when it was applied: people added, people changed, and rows that
 * matched a registered person without changing anything (not written). The finished job's page says
 * so; jobs applied before this have none (null) and say only how many rows they had.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE import_jobs ADD COLUMN outcome jsonb`.execute(db);
}
