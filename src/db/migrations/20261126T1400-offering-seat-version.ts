import { type Kysely, sql } from 'kysely';

/**
 * `seat_version` counts the changes that can move a seat of the offering: every operation that takes
 * the offering's lock raises it. Applications are decided on a snapshot and written only if the version
 * is still the one they read (decision 0015); seat counts themselves are still derived from the
 * applications (decision 0007).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE offerings ADD COLUMN seat_version bigint NOT NULL DEFAULT 0`.execute(db);
}
