import { type Kysely, sql } from 'kysely';

/**
 * Personal API tokens get a scope: 'read' (GET/HEAD only) or 'write' (everything the person may do).
 * Tokens made before this migration keep the access they had: 'write'.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE api_tokens ADD COLUMN scope text NOT NULL DEFAULT 'write' CHECK (scope IN ('read', 'write'))`.execute(db);
}
