import { type Kysely, sql } from 'kysely';
import type { Database } from '../schema.js';

/** What a backup holds, counted: shown after a backup or restore, and proof that a dump loads. */
export interface DatabaseSummary {
  people: number;
  applications: number;
  auditEntries: number;
  migrations: number;
}

/**
 * The statements of backups and restores (services/backup.service.ts): about the database as a whole,
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
};
