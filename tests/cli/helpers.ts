import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, inject } from 'vitest';
import { testConfig } from '../support/db.js';
import { createTestDb, type TestDb } from '../support/db.js';
import { type Db, kyselyOnPostgres, openDatabase } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import type { AppContext } from '../../src/services/context.js';

/** Helpers for tests that run the real `kyodo` command as a separate process. */

export const bin = new URL('../../bin/kyodo.mjs', import.meta.url).pathname;
const run = promisify(execFile);

/** Runs `kyodo …` to the end. */
export async function kyodo(env: NodeJS.ProcessEnv, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await run(process.execPath, [bin, ...args], { env, timeout: 120_000, maxBuffer: 20 * 1024 * 1024 });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

export interface Served {
  child: ChildProcess;
  url: string;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts `kyodo serve` and resolves once it prints its URL (rejects if it exits first). */
export function serve(env: NodeJS.ProcessEnv, children: ChildProcess[] = []): Promise<Served> {
  const child = spawn(process.execPath, [bin, 'serve'], { env: { ...env, PORT: '0' } });
  children.push(child);
  let out = '';
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) => child.once('exit', (code, signal) => r({ code, signal })));
  return new Promise((resolve, reject) => {
    const on = (d: Buffer) => {
      out += d.toString();
      const m = out.match(/running at (http:\/\/[\d.:]+)/);
      if (m) resolve({ child, url: m[1], output: () => out, exited });
    };
    child.stdout!.on('data', on);
    child.stderr!.on('data', on);
    exited.then(({ code }) => reject(new Error(`kyodo serve exited (${code}) before it was ready:\n${out}`)));
  });
}

/**
 * Where a test's data lives: a PGlite data directory (the default pass) or this test file's own
 * PostgreSQL database (when DATABASE_URL is set). `env` is what to give `kyodo`; `withDb` opens
 * the same database in this process (for PGlite only while no server holds the directory).
 */
export interface Store {
  kind: 'pglite' | 'postgres';
  env: NodeJS.ProcessEnv;
  dataDir: string;
  url: string | null;
  withDb<T>(fn: (ctx: AppContext) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export async function makeStore(dataDir: string, extraEnv: NodeJS.ProcessEnv = {}): Promise<Store> {
  const base: NodeJS.ProcessEnv = { ...process.env, KYODO_DATA_DIR: dataDir, LOG_LEVEL: 'warn', ...extraEnv };
  delete base.DATABASE_URL;
  let tdb: TestDb | null = null;
  if (inject('databaseUrl')) tdb = await createTestDb();
  const url = tdb?.url ?? null;
  const env = url ? { ...base, DATABASE_URL: url } : base;
  const config = testConfig({ dataDir, databaseUrl: url });
  const ctxOf = (db: Db, kind: 'pglite' | 'postgres'): AppContext => ({ db, dbKind: kind, config, now: () => new Date(), kickOutbox: () => {} });
  return {
    kind: url ? 'postgres' : 'pglite',
    env,
    dataDir,
    url,
    async withDb(fn) {
      if (url) {
        const { db } = kyselyOnPostgres(url, 2);
        try {
          await migrateToLatest(db);
          return await fn(ctxOf(db, 'postgres'));
        } finally {
          await db.destroy();
        }
      }
      const opened = await openDatabase({ databaseUrl: null, dataDir });
      try {
        await migrateToLatest(opened.db);
        return await fn(ctxOf(opened.db, 'pglite'));
      } finally {
        await opened.close();
      }
    },
    async close() {
      await tdb?.close();
    },
  };
}

/** Waits for a child process to exit, or kills it after `ms`. */
export async function exitOf(s: Served, ms = 60_000) {
  const timer = setTimeout(() => s.child.kill('SIGKILL'), ms);
  try {
    return await s.exited;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * A data directory of the test file's own for the `kyodo` command, and on the PostgreSQL pass a database
 * of its own: `cli.env` is the command's environment, `cli.dir` the temporary folder (removed after).
 */
export function useCliEnv(prefix: string) {
  const cli = { dir: '', env: {} as NodeJS.ProcessEnv };
  let tdb: TestDb | null = null;
  beforeAll(async () => {
    cli.dir = mkdtempSync(join(tmpdir(), prefix));
    const base: NodeJS.ProcessEnv = { ...process.env, KYODO_DATA_DIR: join(cli.dir, 'data') };
    delete base.DATABASE_URL;
    cli.env = base;
    // On the PostgreSQL pass, the CLI works on this file's own database.
    const t = await createTestDb();
    if (t.kind === 'postgres') {
      tdb = t;
      cli.env = { ...base, DATABASE_URL: t.url! };
    } else await t.close();
  });
  afterAll(async () => {
    await tdb?.close();
    rmSync(cli.dir, { recursive: true, force: true });
  });
  return cli;
}
