import { type Kysely, sql } from 'kysely';

/**
 * Certificates are verified by an unguessable code, not by their sequential number (issue 17). Existing
 * certificates get a code from gen_random_uuid() (built into PostgreSQL 13+): its first 24 hexadecimal
 * digits carry at least 88 random bits. Reprinting an old certificate prints its new code. Forward-only.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE certificates ADD COLUMN verification_code text`.execute(db);
  await sql`UPDATE certificates SET verification_code = upper(substr(replace(gen_random_uuid()::text, '-', ''), 1, 24))`.execute(db);
  await sql`ALTER TABLE certificates ALTER COLUMN verification_code SET NOT NULL`.execute(db);
  await sql`CREATE UNIQUE INDEX certificates_verification_code_uq ON certificates (verification_code)`.execute(db);
}
