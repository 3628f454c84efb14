import { type Kysely, sql } from 'kysely';

/**
 * Records and figures (issue 15): field-offers. Forward-only.
 *
 * A session that came from a partner's offer can be deleted: the offer loses its session (SET NULL
 * instead of a foreign-key error) and keeps a note of the withdrawn session, which the admin and the
 * partner see while the offer is back under consideration.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE field_offers DROP CONSTRAINT IF EXISTS field_offers_session_id_fkey`.execute(db);
  await sql`ALTER TABLE field_offers ADD CONSTRAINT field_offers_session_id_fkey FOREIGN KEY (session_id) REFERENCES offering_sessions (id) ON DELETE SET NULL`.execute(db);
  await sql`CREATE INDEX IF NOT EXISTS field_offers_session_idx ON field_offers (session_id) WHERE session_id IS NOT NULL`.execute(db);
  await db.schema
    .alterTable('field_offers')
    .addColumn('withdrawn_session_starts_at', 'timestamptz')
    .addColumn('session_withdrawn_at', 'timestamptz')
    .addColumn('session_withdrawn_reason', 'text')
    .execute();
}
