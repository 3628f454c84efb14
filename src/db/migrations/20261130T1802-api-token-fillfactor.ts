import { type Kysely, sql } from 'kysely';

/**
 * A bearer token is marked used at most once a minute (`last_used_at`, decision 0015). Tokens are written
 * once and then only marked: with room left on each page, the mark is a heap-only update (HOT) that
 * touches neither of the table's two indexes, instead of a new row version plus an entry in each index
 * (measured in the registration burst, issue 18: three WAL records a request, one with room). Applies to
 * pages written from now on. Forward-only.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE api_tokens SET (fillfactor = 70)`.execute(db);
}
