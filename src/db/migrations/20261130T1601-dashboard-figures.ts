import { type Kysely, sql } from 'kysely';

/**
 * The dashboard's whole yearly KPIs stored (decision 0022, issue 18): besides the figures that read
 * whole tables, a year's stored KPIs now also hold its sessions held by kind, its coordinators
 * (certified, cumulative, standing) and its consultations by kind and outcome, which were read from
 * their tables on every view. Their tables get the same statement triggers as in
 * 20261130T1404-yearly-figures: a change marks the fiscal years it moves, in the writer's transaction.
 *
 * - `consultations`: the year it was filed in.
 * - `programmes`: a programme's kind splits sessions held into seminars and course sessions: the years
 *   of its offerings' sessions.
 * - `coordinator_certifications`: certified in its year, and counted (cumulative, standing) in every
 *   later one: every year from the grant's to 2100, the last a report asks for (report pages clamp ?fy=
 *   to 1950–2100, and report.service.ts stores no KPIs of a later year).
 *
 * Forward-only.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const watched: { table: string; columns: string; years: string }[] = [
    { table: 'consultations', columns: 'id, created_at, kind, status, outcome', years: `SELECT figures_fy(created_at) FROM r` },
    {
      table: 'programmes',
      columns: 'id, kind',
      years: `SELECT figures_fy(s.starts_at) FROM offering_sessions s JOIN offerings o ON o.id = s.offering_id WHERE o.programme_id IN (SELECT id FROM r)`,
    },
    { table: 'coordinator_certifications', columns: 'person_id, granted_on, valid_until, revoked_at', years: `SELECT generate_series(figures_fy(granted_on), 2100) FROM r` },
  ];
  for (const w of watched) {
    const body = (rows: string) => `WITH r AS (${rows}) INSERT INTO figure_changes (fiscal_year, txid)
      SELECT DISTINCT y, pg_current_xact_id() FROM (${w.years}) t(y) WHERE y IS NOT NULL ON CONFLICT DO NOTHING;`;
    await sql
      .raw(
        `CREATE FUNCTION figures_touched_${w.table}() RETURNS trigger LANGUAGE plpgsql AS $f$
         BEGIN
           IF TG_OP = 'INSERT' THEN ${body(`SELECT ${w.columns} FROM new_rows`)}
           ELSIF TG_OP = 'DELETE' THEN ${body(`SELECT ${w.columns} FROM old_rows`)}
           ELSE ${body(`(SELECT ${w.columns} FROM old_rows EXCEPT ALL SELECT ${w.columns} FROM new_rows) UNION ALL (SELECT ${w.columns} FROM new_rows EXCEPT ALL SELECT ${w.columns} FROM old_rows)`)}
           END IF;
           RETURN NULL;
         END $f$`,
      )
      .execute(db);
    await sql.raw(`CREATE TRIGGER figures_ins AFTER INSERT ON ${w.table} REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION figures_touched_${w.table}()`).execute(db);
    await sql.raw(`CREATE TRIGGER figures_upd AFTER UPDATE ON ${w.table} REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION figures_touched_${w.table}()`).execute(db);
    await sql.raw(`CREATE TRIGGER figures_del AFTER DELETE ON ${w.table} REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION figures_touched_${w.table}()`).execute(db);
  }
}
