import { type Kysely, sql } from 'kysely';

/**
 * Lists that grow with the years (issue 18 §2) are sorted, searched and paged in the database. Found
 * with EXPLAIN ANALYZE on 50,000 people (bench/pages.ts, docs/performance.md):
 * - Text sorts use the "C" collation (フリガナ is stored as full-width katakana, so code-point order is
 *   50音順); an index on the column's default collation cannot serve them, so each sortable text
 *   column gets one in "C", with the id as the tie-breaker.
 * - Counting 50,000 people for the list's total read the whole table on every view (27 ms on PGlite,
 *   more than the page itself). `people_totals` keeps the number of active and inactive people, kept
 *   by statement-level triggers in the same transaction as every insert, update and delete (an import
 *   changes it once per statement, not once per row). An update that does not change `active` writes
 *   nothing to it (and takes no lock on it).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`CREATE INDEX people_kana_c_idx ON people ((kana COLLATE "C"), id)`.execute(db);
  await sql`CREATE INDEX people_staff_number_c_idx ON people ((staff_number COLLATE "C"), id)`.execute(db);
  await sql`CREATE INDEX people_email_c_idx ON people ((lower(email) COLLATE "C"), id)`.execute(db);
  await sql`CREATE INDEX partners_kana_c_idx ON partners ((kana COLLATE "C"), id)`.execute(db);
  // The audit log filtered by who acted or by what was done, newest first; the filter's list of
  // actions read from this index (one probe per distinct value) instead of the whole log.
  await sql`CREATE INDEX audit_log_actor_idx ON audit_log (actor_id, id)`.execute(db);
  await sql`CREATE INDEX audit_log_action_idx ON audit_log (action, id)`.execute(db);

  await sql`CREATE TABLE people_totals (active boolean PRIMARY KEY, n bigint NOT NULL)`.execute(db);
  await sql`INSERT INTO people_totals (active, n) VALUES (true, 0), (false, 0)`.execute(db);
  await sql`UPDATE people_totals t SET n = c.n FROM (SELECT active, count(*) AS n FROM people GROUP BY active) c WHERE t.active = c.active`.execute(db);
  await sql`
    CREATE FUNCTION people_totals_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'INSERT' THEN
        UPDATE people_totals t SET n = t.n + d.n FROM (SELECT active, count(*) AS n FROM new_rows GROUP BY active) d WHERE t.active = d.active;
      ELSIF TG_OP = 'DELETE' THEN
        UPDATE people_totals t SET n = t.n - d.n FROM (SELECT active, count(*) AS n FROM old_rows GROUP BY active) d WHERE t.active = d.active;
      ELSE
        UPDATE people_totals t SET n = t.n + d.n
        FROM (SELECT active, sum(k) AS n FROM (SELECT active, 1 AS k FROM new_rows UNION ALL SELECT active, -1 FROM old_rows) x GROUP BY active) d
        WHERE t.active = d.active AND d.n <> 0;
      END IF;
      RETURN NULL;
    END $$`.execute(db);
  await sql`CREATE TRIGGER people_totals_insert AFTER INSERT ON people REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION people_totals_change()`.execute(db);
  await sql`CREATE TRIGGER people_totals_update AFTER UPDATE ON people REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION people_totals_change()`.execute(db);
  await sql`CREATE TRIGGER people_totals_delete AFTER DELETE ON people REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION people_totals_change()`.execute(db);
}
