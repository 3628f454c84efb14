import { type Kysely, sql } from 'kysely';

/**
 * `applications_offering_status_idx (offering_id, status)` is covered by
 * `applications_offering_cover_idx (offering_id, status) INCLUDE (id, person_id)`: same keys, so every
 * query it served uses the covering index instead. Each application written paid for both (found by
 * the registration benchmark, decision 0015).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`DROP INDEX IF EXISTS applications_offering_status_idx`.execute(db);
}
