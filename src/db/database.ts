import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { lockDataDir } from './data-dir-lock.js';
import { migrateToLatest, migrationsFingerprint } from './migrate.js';
import { fillFromTemplate, isFreshDataDir, type TemplateOutcome, templateKey } from './pglite-template.js';
import { FifoPgliteDialect } from './pglite-dialect.js';
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
  return new Kysely<Database>({ dialect: new FifoPgliteDialect(pglite) });
}

export function kyselyOnPostgres(connectionString: string, max = 10): { db: Db; pool: pg.Pool } {
  const pool = new pg.Pool({ connectionString, max, types: pgTypes() });
  // A connection that dies (server restart, network cut) must not crash the process: an idle client's
  // error reaches the pool, a checked-out client's reaches its own listener; the query in flight, if
  // any, still fails and the request answers 503.
  pool.on('error', () => {});
  pool.on('connect', (client) => client.on('error', () => {}));
  return { db: new Kysely<Database>({ dialect: new PostgresDialect({ pool }) }), pool };
}

/** Opens the configured database: PostgreSQL when a URL is given, else PGlite in dataDir/pg under a lock. */
export async function openDatabase(opts: { databaseUrl: string | null; dataDir: string; pgliteTemplateDir?: string | null }): Promise<OpenedDatabase> {
  if (opts.databaseUrl) {
    const { db } = kyselyOnPostgres(opts.databaseUrl);
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

/** Refreshes planner statistics. PGlite has no autovacuum: call after bulk changes and on a schedule. */
export async function analyze(db: Db): Promise<void> {
  await sql`ANALYZE`.execute(db);
}

export async function ping(db: Db): Promise<boolean> {
  try {
    await sql`SELECT 1`.execute(db);
    return true;
  } catch {
    return false;
  }
}
