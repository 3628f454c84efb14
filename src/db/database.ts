import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { lockDataDir } from './data-dir-lock.js';
import { isPglite, markPglite } from './database-kind.js';
import { migrateToLatest, migrationsFingerprint } from './migrate.js';
import { fillFromTemplate, isFreshDataDir, type TemplateOutcome, templateKey } from './pglite-template.js';
import { FifoPgliteDialect } from './pglite-dialect.js';
import { PreparingClient } from './prepared.js';
import { maintenanceRepository, type TableUpkeep } from './repositories/maintenance.repository.js';
import type { Database } from './schema.js';

export type Db = Kysely<Database>;

export interface OpenedDatabase {
  db: Db;
  kind: 'pglite' | 'postgres';
  /** PGlite: how a fresh data directory was made ('copied' from the migrated template, 'built' it first, 'none': created in place); absent on a restart and on PostgreSQL. */
  template?: TemplateOutcome;
  close(): Promise<void>;
}

// Same JS values on both databases: int8 and numeric as number, date as 'YYYY-MM-DD'.
const INT8 = 20;
const NUMERIC = 1700;
const DATE = 1082;
const parseInt8 = (v: string) => Number(v);
const keepDate = (v: string) => v;

export const pgliteParsers = { [INT8]: parseInt8, [NUMERIC]: parseInt8, [DATE]: keepDate };

export function pgTypes() {
  return {
    getTypeParser(oid: number, format?: 'text' | 'binary') {
      if (oid === INT8 || oid === NUMERIC) return parseInt8;
      if (oid === DATE) return keepDate;
      return pg.types.getTypeParser(oid, format as 'text');
    },
  } as pg.CustomTypesConfig;
}

export function pgliteExtensions() {
  return { pg_trgm };
}

export function kyselyOnPglite(pglite: PGlite): Db {
  const db = new Kysely<Database>({ dialect: new FifoPgliteDialect(pglite) });
  markPglite(db);
  return db;
}

export function kyselyOnPostgres(connectionString: string, max = 10, prepared = true): { db: Db; pool: pg.Pool } {
  // Marked hot-path statements go as named prepared statements (src/db/prepared.ts, decision 0029),
  // unless turned off (KYODO_DB_PREPARED_STATEMENTS=off: a pooler that cannot keep them).
  const pool = new pg.Pool({ connectionString, max, types: pgTypes(), ...(prepared ? { Client: PreparingClient } : {}) });
  // A connection that dies (server restart, network cut) must not crash the process: an idle client's
  // error reaches the pool, a checked-out client's reaches its own listener; the query in flight, if
  // any, still fails and the request answers 503.
  pool.on('error', () => {});
  pool.on('connect', (client) => client.on('error', () => {}));
  return { db: new Kysely<Database>({ dialect: new PostgresDialect({ pool }) }), pool };
}

/** Opens the configured database: PostgreSQL when a URL is given, else PGlite in dataDir/pg under a lock. */
export async function openDatabase(opts: { databaseUrl: string | null; databasePreparedStatements?: boolean; dataDir: string; pgliteTemplateDir?: string | null }): Promise<OpenedDatabase> {
  if (opts.databaseUrl) {
    const { db } = kyselyOnPostgres(opts.databaseUrl, undefined, opts.databasePreparedStatements ?? true);
    return { db, kind: 'postgres', close: () => db.destroy() };
  }
  const release = lockDataDir(opts.dataDir);
  try {
    const dataDir = join(opts.dataDir, 'pg');
    // A fresh data directory is a copy of the migrated template (db/pglite-template.ts), not initdb + every migration.
    const template = isFreshDataDir(dataDir) ? await fillFromTemplate(dataDir, pgliteTemplateKey(), buildTemplate, opts.pgliteTemplateDir ?? null) : undefined;
    const pglite = await PGlite.create({ dataDir, parsers: pgliteParsers, extensions: pgliteExtensions() });
    const db = kyselyOnPglite(pglite);
    return {
      db,
      kind: 'pglite',
      template,
      close: async () => {
        await db.destroy();
        if (!pglite.closed) await pglite.close();
        release();
      },
    };
  } catch (e) {
    release();
    throw e;
  }
}

/** The key of the migrated template for this PGlite build, its extensions and the listed migrations. */
export function pgliteTemplateKey(): string | null {
  return templateKey({ extensions: Object.keys(pgliteExtensions()), migrations: migrationsFingerprint() });
}

/** Creates a PGlite data directory in `dir`, applies every migration, closes it (the template's content). */
async function buildTemplate(dir: string): Promise<void> {
  const pglite = await PGlite.create({ dataDir: dir, parsers: pgliteParsers, extensions: pgliteExtensions() });
  try {
    await migrateToLatest(kyselyOnPglite(pglite));
  } finally {
    await pglite.close();
  }
}

/** Refreshes planner statistics of the whole database in one statement (after loading the sample data, a restore). */
export async function analyze(db: Db): Promise<void> {
  await sql`ANALYZE`.execute(db);
}

/**
 * PGlite runs inside the event loop and a statement holds it: between two maintenance statements,
 * requests (and their statements, queued on PGlite's FIFO lock) get their turn.
 */
const letRequestsIn = () => new Promise<void>((r) => setImmediate(r));

export interface MaintenanceRun {
  vacuumed: string[];
  analyzed: string[];
  /** Wall time of the run, and of its longest statement (what a request may have waited for). */
  ms: number;
  longestMs: number;
  longestTable: string | null;
}

/** VACUUM, then ANALYZE, each table as due: one statement at a time, requests let in before each. */
async function upkeepEach(db: Db, due: readonly TableUpkeep[], stopping: () => boolean = () => false): Promise<MaintenanceRun> {
  const run: MaintenanceRun = { vacuumed: [], analyzed: [], ms: 0, longestMs: 0, longestTable: null };
  const started = performance.now();
  const step = async (table: string, work: () => Promise<void>): Promise<boolean> => {
    await letRequestsIn();
    if (stopping()) return false;
    const t0 = performance.now();
    await work();
    const ms = performance.now() - t0;
    if (ms > run.longestMs) {
      run.longestMs = ms;
      run.longestTable = table;
    }
    return true;
  };
  for (const t of due) {
    if (t.vacuum && (await step(t.table, () => maintenanceRepository.vacuum(db, t.table)))) run.vacuumed.push(t.table);
    if (t.analyze && (await step(t.table, () => maintenanceRepository.analyzeTables(db, [t.table])))) run.analyzed.push(t.table);
  }
  run.ms = Math.round(performance.now() - started);
  run.longestMs = Math.round(run.longestMs);
  return run;
}

/**
 * The scheduled upkeep (src/server.ts, every KYODO_ANALYZE_INTERVAL_MINUTES).
 * PostgreSQL: ANALYZE, as before; its autovacuum does the rest (VACUUM there is the DBA's, not ours).
 * PGlite has no autovacuum, so this is one in miniature: the tables that autovacuum's rule says are due
 * get VACUUM and/or ANALYZE, one statement at a time with the event loop free in between
 * (`maintenanceRepository.tablesDue`; `everyTable`: both for every table, for the first run after a start;
 * `stopping`: asked before each statement, so that a shutdown does not wait for the rest).
 * VACUUM reclaims dead rows, sets the visibility map (no index-only scan without it) and empties the
 * trigram index's pending list (which every search otherwise reads); ANALYZE refreshes statistics.
 * Measured on ten years of synthetic data (docs/performance.md): a run with nothing due ~10 ms; a first run
 * (every table) ~4.5 s in all, its longest statement ~0.5 s; the whole-database ANALYZE it replaces ~2 s in
 * one statement, every hour.
 */
export async function maintain(db: Db, opts: { everyTable?: boolean; stopping?: () => boolean } = {}): Promise<MaintenanceRun> {
  if (!isPglite(db)) return analyzedOnPostgres(['*'], () => analyze(db));
  return upkeepEach(db, await maintenanceRepository.tablesDue(db, !!opts.everyTable), opts.stopping);
}

/**
 * After a bulk write (an import) of these tables, outside any transaction. PGlite: VACUUM and ANALYZE each
 * (the visibility map, the trigram index's pending list, statistics), one statement at a time with the
 * event loop free in between. PostgreSQL: ANALYZE them (autovacuum vacuums them within its naptime).
 */
export async function maintainAfterBulkWrite(db: Db, tables: readonly string[]): Promise<MaintenanceRun> {
  const names = tables.filter((t) => /^[a-z_]+$/.test(t));
  if (isPglite(db)) return upkeepEach(db, names.map((table) => ({ table, vacuum: true, analyze: true })));
  return analyzedOnPostgres(names, () => maintenanceRepository.analyzeTables(db, names));
}

/** PostgreSQL's part of the upkeep: one ANALYZE statement (`analyzed`: what it covered, '*' for all), timed. */
async function analyzedOnPostgres(analyzed: string[], work: () => Promise<void>): Promise<MaintenanceRun> {
  const started = performance.now();
  await work();
  const ms = Math.round(performance.now() - started);
  return { vacuumed: [], analyzed, ms, longestMs: ms, longestTable: null };
}

export async function ping(db: Db): Promise<boolean> {
  try {
    await sql`SELECT 1`.execute(db);
    return true;
  } catch {
    return false;
  }
}
