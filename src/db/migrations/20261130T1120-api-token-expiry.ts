import { sql, type Kysely } from 'kysely';

/**
 * API tokens expire (issue 17): new ones after one year by default. Tokens made before this had no end;
 * they get one year from their creation, but at least 90 days from today, so that nobody's integration
 * stops without notice. Forward-only.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE api_tokens ADD COLUMN expires_at timestamptz`.execute(db);
  await sql`UPDATE api_tokens SET expires_at = GREATEST(created_at + interval '1 year', now() + interval '90 days')`.execute(db);
  await sql`ALTER TABLE api_tokens ALTER COLUMN expires_at SET NOT NULL`.execute(db);
}
