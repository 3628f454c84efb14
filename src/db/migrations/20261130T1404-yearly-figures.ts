import { type Kysely, sql } from 'kysely';

/**
 * Yearly figures that do not recompute history on every view (issue 18 §1, decision 0022).
 *
 * - `figure_changes`: one row per (fiscal year, writing transaction) whose changes move a figure of
 *   that year. Written by the statement triggers below, inside the writer's own transaction, so a
 *   change and its mark commit (or roll back) together. Insert-only, keyed by the transaction id: no
 *   two writers ever wait on each other's row.
 * - `figure_cache`: figures computed from the records (per key and fiscal year) with the snapshot
 *   they were read under. An entry counts only while no change of its year is invisible to that
 *   snapshot, and only inside [valid_from, valid_until) (sessions that end later become "held"), and
 *   only on the database cluster that wrote it (`cluster`: transaction ids of a dump restored into
 *   another cluster mean nothing there).
 *
 * The fiscal year of an instant is the Tokyo date's year, April to March (domain/calendar.ts).
 * Forward-only.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`CREATE TABLE figure_changes (fiscal_year integer NOT NULL, txid xid8 NOT NULL, PRIMARY KEY (fiscal_year, txid))`.execute(db);
  await sql`CREATE TABLE figure_cache (
    key text NOT NULL,
    fiscal_year integer NOT NULL,
    snapshot pg_snapshot NOT NULL,
    cluster text NOT NULL,
    valid_from timestamptz NOT NULL,
    valid_until timestamptz NOT NULL,
    figures jsonb NOT NULL,
    PRIMARY KEY (key, fiscal_year))`.execute(db);

  await sql`CREATE FUNCTION figures_fy(ts timestamptz) RETURNS integer LANGUAGE sql STABLE AS
    $$ SELECT extract(year FROM (ts AT TIME ZONE 'Asia/Tokyo') - interval '3 months')::integer $$`.execute(db);
  await sql`CREATE FUNCTION figures_fy(d date) RETURNS integer LANGUAGE sql IMMUTABLE AS
    $$ SELECT extract(year FROM d - interval '3 months')::integer $$`.execute(db);
  // Per table: the columns a figure reads, and the fiscal years a set of such rows (`r`) falls in.
  // An UPDATE marks only rows whose columns changed (old EXCEPT ALL new, and new EXCEPT ALL old).
  const offeringYears = (ids: string) => `SELECT o.fiscal_year FROM offerings o WHERE o.id IN (${ids})
    UNION SELECT figures_fy(s.starts_at) FROM offering_sessions s WHERE s.offering_id IN (${ids})`;
  const surveyYears = (ids: string) => `SELECT figures_fy(s.starts_at) FROM surveys v JOIN offering_sessions s ON s.id = v.session_id WHERE v.id IN (${ids})
    UNION SELECT o.fiscal_year FROM surveys v JOIN offerings o ON o.id = v.offering_id WHERE v.id IN (${ids})`;
  const watched: { table: string; columns: string; years: string }[] = [
    { table: 'offerings', columns: 'id, fiscal_year, programme_id, cancelled_at IS NULL, title', years: `SELECT fiscal_year FROM r UNION SELECT figures_fy(s.starts_at) FROM offering_sessions s WHERE s.offering_id IN (SELECT id FROM r)` },
    { table: 'offering_sessions', columns: 'id, offering_id, starts_at, ends_at, format, host_partner_id', years: `SELECT figures_fy(starts_at) FROM r` },
    { table: 'applications', columns: 'id, offering_id, person_id, status', years: offeringYears('SELECT offering_id FROM r') },
    { table: 'attendance', columns: 'session_id, application_id, status', years: `SELECT figures_fy(s.starts_at) FROM offering_sessions s WHERE s.id IN (SELECT session_id FROM r)` },
    { table: 'completions', columns: 'application_id, completed', years: `SELECT o.fiscal_year FROM applications a JOIN offerings o ON o.id = a.offering_id WHERE a.id IN (SELECT application_id FROM r)` },
    { table: 'certificates', columns: 'id, completed_on, revoked_at IS NULL', years: `SELECT figures_fy(completed_on) FROM r` },
    { table: 'training_records', columns: 'id, person_id, fiscal_year, completed', years: `SELECT fiscal_year FROM r` },
    {
      table: 'surveys',
      columns: 'id, kind, offering_id, session_id',
      years: `SELECT figures_fy(s.starts_at) FROM offering_sessions s WHERE s.id IN (SELECT session_id FROM r) UNION SELECT o.fiscal_year FROM offerings o WHERE o.id IN (SELECT offering_id FROM r)`,
    },
    { table: 'survey_responses', columns: 'id, survey_id, person_id', years: surveyYears('SELECT survey_id FROM r') },
    { table: 'survey_scores', columns: 'response_id, survey_id, question_id, item, score', years: surveyYears('SELECT survey_id FROM r') },
    {
      // A person's affiliation and unit are read as they are now, for every year the person took part in.
      table: 'people',
      columns: 'id, affiliation, unit_id',
      years: `${offeringYears('SELECT a.offering_id FROM applications a WHERE a.person_id IN (SELECT id FROM r)')}
              UNION ${surveyYears('SELECT x.survey_id FROM survey_responses x WHERE x.person_id IN (SELECT id FROM r)')}`,
    },
  ];
  for (const w of watched) {
    // One plain INSERT per statement (helper functions cost more than the work: measured on PGlite).
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
    // Transition tables allow one event per trigger.
    await sql.raw(`CREATE TRIGGER figures_ins AFTER INSERT ON ${w.table} REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION figures_touched_${w.table}()`).execute(db);
    await sql.raw(`CREATE TRIGGER figures_upd AFTER UPDATE ON ${w.table} REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION figures_touched_${w.table}()`).execute(db);
    await sql.raw(`CREATE TRIGGER figures_del AFTER DELETE ON ${w.table} REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION figures_touched_${w.table}()`).execute(db);
  }
}
