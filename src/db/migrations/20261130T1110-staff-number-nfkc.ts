import { type Kysely, sql } from 'kysely';

/**
 * Staff numbers are NFKC-normalised and trimmed on every way in (issue 17, medium 7). Existing ones
 * entered in full width (「１０３０３４」 from a CP932 roster) are normalised here too, unless another
 * person already holds the normalised number: that pair is left for an administrator to sort out.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    UPDATE people p SET staff_number = btrim(normalize(p.staff_number, NFKC))
    WHERE p.staff_number IS NOT NULL
      AND p.staff_number <> btrim(normalize(p.staff_number, NFKC))
      AND NOT EXISTS (SELECT 1 FROM people q WHERE q.id <> p.id AND q.staff_number = btrim(normalize(p.staff_number, NFKC)))
  `.execute(db);
}
