import { type Kysely, sql } from 'kysely';

/**
 * Deciding a group of applications reads, per group, each applicant's latest application to the
 * offering and the offering's highest waitlist order (issue 18, registration burst). Both visited every
 * application of the offering (2,000 in the benchmark, on every group):
 * - `applications_waitlist_idx`: the waitlist of an offering in its order; the highest order is one
 *   probe at the end of the offering's range. Promotion (the next in line) and the waitlist positions
 *   on the applicants' list read the same range. Only rows on a waitlist are in it.
 * - `applications_person_offering_idx` (person, offering) replaces `applications_person_idx` (person),
 *   which is its prefix: one probe per applicant, whatever the offering's size.
 * Forward-only.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`CREATE INDEX applications_waitlist_idx ON applications (offering_id, waitlist_order) WHERE waitlist_order IS NOT NULL`.execute(db);
  await sql`CREATE INDEX applications_person_offering_idx ON applications (person_id, offering_id)`.execute(db);
  await sql`DROP INDEX applications_person_idx`.execute(db);
}
