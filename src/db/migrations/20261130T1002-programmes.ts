import { type Kysely, sql } from 'kysely';

/**
 * Records and figures (issue 15): programmes and offerings. Forward-only.
 *
 * - An offering can be cancelled (中止): when, by whom and why. A cancelled offering is off every
 *   public list and takes no applications; its applicants were told.
 * - A programme's years read forwards, and it is not its own predecessor (longer cycles are refused by
 *   the service, which sees the whole lineage).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE offerings
    ADD COLUMN cancelled_at timestamptz,
    ADD COLUMN cancelled_by integer REFERENCES people(id),
    ADD COLUMN cancelled_reason text`.execute(db);
  await sql`ALTER TABLE programmes
    ADD CONSTRAINT programmes_years_order CHECK (first_fiscal_year IS NULL OR last_fiscal_year IS NULL OR last_fiscal_year >= first_fiscal_year),
    ADD CONSTRAINT programmes_not_own_predecessor CHECK (predecessor_id IS NULL OR predecessor_id <> id)`.execute(db);
}
