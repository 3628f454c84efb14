import { type Kysely, sql } from 'kysely';

/**
 * Records and figures (issue 15): completion. Forward-only.
 * Certificates count in the fiscal year of their completion date, imported training records in
 * their own fiscal year: index both for the yearly figures.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`CREATE INDEX IF NOT EXISTS certificates_completed_on_idx ON certificates (completed_on) WHERE revoked_at IS NULL`.execute(db);
  await sql`CREATE INDEX IF NOT EXISTS training_records_fiscal_year_idx ON training_records (fiscal_year) WHERE completed`.execute(db);
}
