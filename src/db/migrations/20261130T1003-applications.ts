import { type Kysely, sql } from 'kysely';

/**
 * Records and figures (issue 15): applications. Forward-only.
 *
 * `answers_pending`: the application was taken for the applicant by someone else (代理申込, 所属推薦)
 * without the answers to its required questions; the applicant is asked to answer them on their
 * application page. False for every application taken before.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE applications ADD COLUMN IF NOT EXISTS answers_pending boolean NOT NULL DEFAULT false`.execute(db);
}
