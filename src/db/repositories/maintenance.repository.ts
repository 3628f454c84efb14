import { type Kysely, sql } from 'kysely';
import type { Database } from '../schema.js';

/** What a backup holds, counted: shown after a backup or restore, and proof that a dump loads. */
export interface DatabaseSummary {
  people: number;
  applications: number;
  auditEntries: number;
  migrations: number;
}

/** What one table needs (PGlite's own autovacuum, db/database.ts `maintain`). */
export interface TableUpkeep {
  table: string;
  vacuum: boolean;
  analyze: boolean;
}

/**
 * The statements of backups, restores and upkeep (services/backup.service.ts): about the database as a whole,
 * not about any one table's rows, so they take any Kysely instance.
 */
export const maintenanceRepository = {
  async summarise(db: Kysely<Database>): Promise<DatabaseSummary> {
    const r = await sql<DatabaseSummary>`
    SELECT (SELECT count(*) FROM people) AS people,
           (SELECT count(*) FROM applications) AS applications,
           (SELECT count(*) FROM audit_log) AS "auditEntries",
           (SELECT count(*) FROM kysely_migration) AS migrations`.execute(db);
    const x = r.rows[0];
    return { people: Number(x.people), applications: Number(x.applications), auditEntries: Number(x.auditEntries), migrations: Number(x.migrations) };
  },

  /** Writes everything to the data files (before PGlite dumps its directory). */
  async checkpoint(db: Kysely<Database>): Promise<void> {
    await sql`CHECKPOINT`.execute(db);
  },

  /** Other sessions connected to this database, and their application names. */
  async otherSessions(db: Kysely<Database>): Promise<{ n: number; apps: string | null }> {
    const r = await sql<{ n: number; apps: string | null }>`
      SELECT count(*) AS n, string_agg(DISTINCT coalesce(nullif(application_name, ''), '?'), ', ') AS apps
      FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`.execute(db);
    return r.rows[0];
  },

  /** Does the public schema hold any table? */
  async hasTables(db: Kysely<Database>): Promise<boolean> {
    const r = await sql<{ n: number }>`SELECT count(*) AS n FROM information_schema.tables WHERE table_schema = 'public'`.execute(db);
    return Number(r.rows[0].n) > 0;
  },

  /** Drops the public schema with everything in it and creates it empty. */
  async emptySchema(db: Kysely<Database>): Promise<void> {
    await sql`DROP SCHEMA IF EXISTS public CASCADE`.execute(db);
    await sql`CREATE SCHEMA public`.execute(db);
  },

  /**
   * PGlite (no autovacuum): which tables of the public schema need VACUUM or ANALYZE, by autovacuum's own
   * rule with PostgreSQL's default settings: VACUUM when dead rows exceed 50 + 20 % of the table, or rows
   * inserted since the last VACUUM exceed 1,000 + 20 % (that sets the visibility map after bulk inserts);
   * ANALYZE when rows changed since the last ANALYZE exceed 50 + 10 %, or the table was never analysed.
   * `everyTable`: both for every table (PGlite keeps these counters in memory only: after a start they
   * begin again from zero, and changes made before it would never be counted).
   * The counters are flushed first (PGlite flushes them at most once a second otherwise).
   */
  async tablesDue(db: Kysely<Database>, everyTable: boolean): Promise<TableUpkeep[]> {
    await sql`SELECT pg_stat_force_next_flush()`.execute(db);
    const r = await sql<TableUpkeep>`
      SELECT s.relname AS "table",
             ${everyTable}::boolean OR s.n_dead_tup > 50 + 0.2 * greatest(c.reltuples, 0)
               OR s.n_ins_since_vacuum > 1000 + 0.2 * greatest(c.reltuples, 0) AS vacuum,
             ${everyTable}::boolean OR c.reltuples < 0 OR s.n_mod_since_analyze > 50 + 0.1 * greatest(c.reltuples, 0) AS analyze
      FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid
      WHERE s.schemaname = 'public'
      ORDER BY s.relname`.execute(db);
    return r.rows.filter((t) => t.vacuum || t.analyze);
  },

  /** VACUUM one table: dead rows reclaimed, the visibility map set, a GIN index's pending list emptied (never inside a transaction). */
  async vacuum(db: Kysely<Database>, table: string): Promise<void> {
    await sql`VACUUM ${sql.id(table)}`.execute(db);
  },

  /** ANALYZE these tables in one statement. */
  async analyzeTables(db: Kysely<Database>, tables: readonly string[]): Promise<void> {
    if (tables.length) await sql`ANALYZE ${sql.join(tables.map((t) => sql.id(t)))}`.execute(db);
  },
};
