// A migrated database for a benchmark, opened the way Kyodo opens it (same dialects and type
// parsers), with two additions: every statement Kysely sends can be recorded, and recorded
// statements can be replayed on the bare driver (no Kysely, no service code) to time the SQL alone.
import { PGlite } from '@electric-sql/pglite';
import { Kysely, type LogEvent, PostgresDialect } from 'kysely';
import { FifoPgliteDialect } from '../src/db/pglite-dialect.js';
import pg from 'pg';
import { loadConfig } from '../src/config/index.js';
import { type Db, pgliteExtensions, pgliteParsers, pgTypes } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { markPglite } from '../src/db/database-kind.js';
import type { Database } from '../src/db/schema.js';
import type { AppContext } from '../src/services/context.js';
import { freshDatabase, NO_POSTGRES, postgresServerUrl, tempDir, wants } from './support.js';

export interface Statement {
  sql: string;
  parameters: readonly unknown[];
}

export interface BenchDb {
  kind: 'pglite' | 'postgres';
  label: string;
  db: Db;
  ctx: AppContext;
  /** Runs one statement on the bare driver (one connection), outside Kysely. */
  raw(sql: string, parameters?: readonly unknown[]): Promise<{ rows: unknown[] }>;
  /** Records every statement Kysely sends while `fn` runs. */
  record<T>(fn: () => Promise<T>): Promise<{ result: T; statements: Statement[] }>;
  close(): Promise<void>;
}

function recorder() {
  let sink: Statement[] | null = null;
  return {
    log: (e: LogEvent) => {
      if (sink && e.level === 'query') sink.push({ sql: e.query.sql, parameters: e.query.parameters });
    },
    async record<T>(fn: () => Promise<T>) {
      const statements: Statement[] = [];
      sink = statements;
      try {
        return { result: await fn(), statements };
      } finally {
        sink = null;
      }
    },
  };
}

function context(db: Db, kind: 'pglite' | 'postgres'): AppContext {
  return { db, dbKind: kind, config: loadConfig({ LOG_LEVEL: 'silent', PORT: '0' }, { databaseUrl: null, smtpUrl: null }), now: () => new Date(), kickOutbox: () => {} };
}

/** A fresh PGlite in a temporary data directory (on disk, as Kyodo runs it), migrated. */
export async function openPglite(): Promise<BenchDb> {
  const tmp = tempDir('kyodo-bench-lite-');
  const pglite = await PGlite.create({ dataDir: tmp.dir, parsers: pgliteParsers, extensions: pgliteExtensions() });
  const rec = recorder();
  const db = new Kysely<Database>({ dialect: new FifoPgliteDialect(pglite), log: rec.log });
  markPglite(db);
  await migrateToLatest(db);
  return {
    kind: 'pglite',
    label: 'PGlite',
    db,
    ctx: context(db, 'pglite'),
    raw: (text, params = []) => pglite.query(text, params as unknown[]),
    record: rec.record,
    close: async () => {
      await db.destroy();
      if (!pglite.closed) await pglite.close();
      tmp.remove();
    },
  };
}

/** A fresh database on the benchmark's PostgreSQL server, migrated; null when there is no server. */
export async function openPostgres(): Promise<BenchDb | null> {
  const serverUrl = await postgresServerUrl();
  if (!serverUrl) return null;
  const fresh = await freshDatabase(serverUrl, 'kyodo_bench');
  const pool = new pg.Pool({ connectionString: fresh.url, max: 10, types: pgTypes() });
  const client = new pg.Client({ connectionString: fresh.url, types: pgTypes() });
  await client.connect();
  const rec = recorder();
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }), log: rec.log });
  await migrateToLatest(db);
  return {
    kind: 'postgres',
    label: 'PostgreSQL',
    db,
    ctx: context(db, 'postgres'),
    raw: (text, params = []) => client.query(text, params as unknown[]),
    record: rec.record,
    close: async () => {
      await client.end();
      await db.destroy();
      await fresh.drop();
    },
  };
}

/** Replays recorded statements one after another on the bare driver. */
/** Runs `measure` on a fresh PGlite and on PostgreSQL (each when wanted), closing each afterwards. */
export async function onEachDatabase(measure: (b: BenchDb) => Promise<void>): Promise<void> {
  if (wants('pglite')) {
    const lite = await openPglite();
    try {
      await measure(lite);
    } finally {
      await lite.close();
    }
  }
  if (!wants('postgres')) return;
  const pg = await openPostgres();
  if (!pg) {
    console.log(`\n${NO_POSTGRES}`);
    return;
  }
  try {
    await measure(pg);
  } finally {
    await pg.close();
  }
}

export async function replay(b: BenchDb, statements: Statement[]): Promise<void> {
  for (const s of statements) await b.raw(s.sql, s.parameters);
}
