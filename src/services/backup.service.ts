import { spawn } from 'node:child_process';
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { type Config, redactUrl } from '../config/index.js';
import { DataDirLockedError, lockDataDir } from '../db/data-dir-lock.js';
import { analyze, type Db, kyselyOnPglite, kyselyOnPostgres, pgliteExtensions, pgliteParsers } from '../db/database.js';
import { type DatabaseSummary, maintenanceRepository } from '../db/repositories/maintenance.repository.js';
import { migrateToLatest } from '../db/migrate.js';

/**
 * Backups and restores, for operators (`kyodo backup FILE`, `kyodo restore FILE`).
 *
 * - PGlite: the data directory dumped by PGlite itself (`dumpDataDir`, a tar.gz). PGlite cannot be
 *   shared between processes, so both commands take the data directory's lock: while `kyodo serve`
 *   runs they refuse and say so. The backup is verified by loading it into a scratch in-memory
 *   database. A restore loads the file into a new directory, migrates it, and only then swaps it in;
 *   the previous directory is kept beside it.
 * - PostgreSQL: `pg_dump --format=custom` (consistent while Kyodo runs) and `pg_restore` in one
 *   transaction, after a safety dump of the current contents. A restore refuses while other sessions
 *   are connected to the database (stop every Kyodo instance first).
 *
 * After a restore, migrations run: a backup taken by an older version of Kyodo comes up to date.
 */

export type BackupFormat = 'pglite' | 'pg_dump';

export type { DatabaseSummary };

export interface BackupResult {
  file: string;
  bytes: number;
  format: BackupFormat;
  summary: DatabaseSummary;
}

export interface RestoreResult {
  file: string;
  format: BackupFormat;
  summary: DatabaseSummary;
  migrationsApplied: string[];
  /** Where the data before the restore was kept (a directory for PGlite, a dump file for PostgreSQL), if there was any. */
  previous: string | null;
}

/** A refusal an operator can act on (the CLI prints the message alone, without a stack). */
export class BackupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BackupError';
  }
}

const GZIP = [0x1f, 0x8b];
const PGDMP = 'PGDMP';

/** What kind of backup a file holds, from its first bytes. */
export function detectFormat(head: Uint8Array): BackupFormat | null {
  if (head.length >= 2 && head[0] === GZIP[0] && head[1] === GZIP[1]) return 'pglite';
  if (head.length >= 5 && Buffer.from(head.subarray(0, 5)).toString('latin1') === PGDMP) return 'pg_dump';
  return null;
}

/** Writes a file whole or not at all: a temporary file beside it, flushed, then renamed over. */
function writeAtomically(file: string, data: Uint8Array) {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = join(dirname(file), `.${basename(file)}.${process.pid}.tmp`);
  const fd = openSync(tmp, 'w', 0o600);
  try {
    let off = 0;
    while (off < data.length) off += writeSync(fd, data, off, data.length - off);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
}

function stamp(now: Date): string {
  return now.toISOString().replace(/[-:]/g, '').replace(/\..*/, '');
}

function lockForMaintenance(config: Config, what: string): () => void {
  try {
    return lockDataDir(config.dataDir);
  } catch (e) {
    if (e instanceof DataDirLockedError)
      throw new BackupError(
        `Cannot ${what} while Kyodo is running: the data directory ${e.dir} is in use by process ${e.pid}. ` +
          'Stop Kyodo (kyodo serve) first, then run this command again. (On PostgreSQL, backups can be taken while Kyodo runs.)',
      );
    throw e;
  }
}

// ---------------------------------------------------------------------------------------------
// PGlite

async function openPglite(dataDir: string, load?: Blob) {
  const pglite = await PGlite.create({ dataDir, parsers: pgliteParsers, extensions: pgliteExtensions(), ...(load ? { loadDataDir: load } : {}) });
  return { pglite, db: kyselyOnPglite(pglite) };
}

async function closePglite(x: { pglite: PGlite; db: Db }) {
  await x.db.destroy();
  if (!x.pglite.closed) await x.pglite.close();
}

async function backupPglite(config: Config, file: string): Promise<BackupResult> {
  const pgDir = join(config.dataDir, 'pg');
  if (!existsSync(join(pgDir, 'PG_VERSION'))) throw new BackupError(`Nothing to back up: there is no database in ${config.dataDir} (KYODO_DATA_DIR).`);
  const release = lockForMaintenance(config, 'take a backup');
  let dump: Uint8Array;
  try {
    const live = await openPglite(pgDir);
    try {
      await maintenanceRepository.checkpoint(live.db);
      dump = new Uint8Array(await (await live.pglite.dumpDataDir('gzip')).arrayBuffer());
    } finally {
      await closePglite(live);
    }
  } finally {
    release();
  }
  // Verify before replacing anything: the dump must load and hold Kyodo's tables.
  const summary = await verifyPgliteDump(dump);
  writeAtomically(file, dump);
  return { file, bytes: dump.length, format: 'pglite', summary };
}

async function verifyPgliteDump(dump: Uint8Array): Promise<DatabaseSummary> {
  let scratch: Awaited<ReturnType<typeof openPglite>> | null = null;
  try {
    scratch = await openPglite('memory://', new Blob([dump as Uint8Array<ArrayBuffer>]));
    return await maintenanceRepository.summarise(scratch.db);
  } catch (e) {
    throw new BackupError(`The backup could not be read back (${(e as Error).message}); nothing was written.`);
  } finally {
    if (scratch) await closePglite(scratch);
  }
}

async function restorePglite(config: Config, file: string, data: Uint8Array, now: Date): Promise<RestoreResult> {
  const release = lockForMaintenance(config, 'restore');
  try {
    const pgDir = join(config.dataDir, 'pg');
    const incoming = join(config.dataDir, `pg.restoring-${process.pid}`);
    rmSync(incoming, { recursive: true, force: true });
    let summary: DatabaseSummary;
    let migrationsApplied: string[];
    try {
      const db = await openPglite(incoming, new Blob([data as Uint8Array<ArrayBuffer>]));
      try {
        migrationsApplied = await migrateToLatest(db.db);
        summary = await maintenanceRepository.summarise(db.db);
      } finally {
        await closePglite(db);
      }
    } catch (e) {
      rmSync(incoming, { recursive: true, force: true });
      throw new BackupError(`${file} could not be restored (${(e as Error).message}); the current data is unchanged.`);
    }
    let previous: string | null = null;
    if (existsSync(pgDir)) {
      const has = readdirSync(pgDir).length > 0;
      if (has) {
        previous = join(config.dataDir, `pg.before-restore-${stamp(now)}`);
        renameSync(pgDir, previous);
      } else rmSync(pgDir, { recursive: true, force: true });
    }
    renameSync(incoming, pgDir);
    return { file, format: 'pglite', summary, migrationsApplied, previous };
  } finally {
    release();
  }
}

// ---------------------------------------------------------------------------------------------
// PostgreSQL

/** Where pg_dump and pg_restore are: KYODO_PG_BIN_DIR, else the newest /usr/lib/postgresql/N/bin, else the usual places. */
export function findPgTool(config: Config, tool: 'pg_dump' | 'pg_restore'): string {
  const versioned = existsSync('/usr/lib/postgresql')
    ? readdirSync('/usr/lib/postgresql')
        .filter((v) => /^\d+$/.test(v))
        .sort((a, b) => Number(b) - Number(a))
        .map((v) => `/usr/lib/postgresql/${v}/bin`)
    : [];
  const dirs = config.pgBinDir ? [config.pgBinDir] : [...versioned, '/usr/local/bin', '/usr/bin', '/usr/local/pgsql/bin', '/opt/homebrew/bin'];
  for (const d of dirs) {
    const p = join(d, tool);
    if (existsSync(p) && statSync(p).isFile()) return p;
  }
  throw new BackupError(
    `${tool} was not found (looked in ${dirs.join(', ')}). Install the PostgreSQL client tools (Debian: apt-get install postgresql-client), ` +
      'or set KYODO_PG_BIN_DIR to the directory that holds them.',
  );
}

/** Runs a PostgreSQL client tool with the password in its environment (never on its command line). */
function runPgTool(tool: string, args: string[], databaseUrl: string): Promise<void> {
  const u = new URL(databaseUrl);
  const password = decodeURIComponent(u.password);
  u.password = '';
  const env: NodeJS.ProcessEnv = { PGAPPNAME: 'kyodo-backup', PGCONNECT_TIMEOUT: '10', ...(password ? { PGPASSWORD: password } : {}) };
  return new Promise((resolveRun, reject) => {
    const child = spawn(tool, [...args, `--dbname=${u.toString()}`], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', (e) => reject(new BackupError(`${basename(tool)} could not be started: ${e.message}`)));
    child.on('exit', (code) => {
      if (code === 0) resolveRun();
      else reject(new BackupError(`${basename(tool)} failed (exit ${code}) on ${redactUrl(databaseUrl)}:\n${stderr.trim()}`));
    });
  });
}

async function withPostgres<T>(url: string, fn: (db: Db) => Promise<T>): Promise<T> {
  const { db } = kyselyOnPostgres(url, 1);
  try {
    return await fn(db);
  } finally {
    await db.destroy();
  }
}

async function dumpPostgres(config: Config, url: string, file: string): Promise<number> {
  const tmp = join(dirname(file), `.${basename(file)}.${process.pid}.tmp`);
  mkdirSync(dirname(file), { recursive: true });
  try {
    await runPgTool(findPgTool(config, 'pg_dump'), ['--format=custom', '--no-owner', '--no-privileges', `--file=${tmp}`], url);
    // The archive must list its contents (pg_restore reads its table of contents).
    await runPgTool(findPgTool(config, 'pg_restore'), ['--list', tmp], url).catch((e) => {
      throw new BackupError(`The dump could not be read back: ${(e as Error).message}`);
    });
    const fd = openSync(tmp, 'r+');
    fsyncSync(fd);
    closeSync(fd);
    renameSync(tmp, file);
    return statSync(file).size;
  } finally {
    rmSync(tmp, { force: true });
  }
}

async function backupPostgres(config: Config, url: string, file: string): Promise<BackupResult> {
  const summary = await withPostgres(url, maintenanceRepository.summarise).catch((e) => {
    throw new BackupError(`Cannot read the database at ${redactUrl(url)}: ${(e as Error).message}`);
  });
  const bytes = await dumpPostgres(config, url, file);
  return { file, bytes, format: 'pg_dump', summary };
}

async function restorePostgres(config: Config, url: string, file: string, now: Date): Promise<RestoreResult> {
  // Refuse while anything else is connected: a running Kyodo would keep writing into the old tables.
  const others = await withPostgres(url, maintenanceRepository.otherSessions);
  if (Number(others.n) > 0)
    throw new BackupError(
      `Cannot restore while ${others.n} other session(s) are connected to the database (${others.apps}). ` +
        'Stop every Kyodo instance (and other clients) first, then run this command again.',
    );
  // Check the archive before touching anything.
  await runPgTool(findPgTool(config, 'pg_restore'), ['--list', file], url).catch((e) => {
    throw new BackupError(`${file} is not a readable pg_dump archive: ${(e as Error).message}`);
  });
  // A safety copy of what is there now, unless the database is empty.
  const hasTables = await withPostgres(url, maintenanceRepository.hasTables);
  let previous: string | null = null;
  if (hasTables) {
    previous = join(dirname(resolve(file)), `kyodo-before-restore-${stamp(now)}.dump`);
    await dumpPostgres(config, url, previous);
  }
  // Empty the schema, then restore the archive in one transaction.
  await withPostgres(url, maintenanceRepository.emptySchema);
  await runPgTool(findPgTool(config, 'pg_restore'), ['--no-owner', '--no-privileges', '--single-transaction', '--exit-on-error', file], url).catch((e) => {
    throw new BackupError(`${(e as Error).message}\nThe database is now empty${previous ? `; the data before the restore is in ${previous}` : ''}.`);
  });
  return withPostgres(url, async (db) => {
    const migrationsApplied = await migrateToLatest(db);
    await analyze(db);
    return { file, format: 'pg_dump' as const, summary: await maintenanceRepository.summarise(db), migrationsApplied, previous };
  });
}

// ---------------------------------------------------------------------------------------------

/** Takes a backup of the configured database into `file` (replaced whole, or left untouched on failure). */
export async function backup(config: Config, file: string): Promise<BackupResult> {
  const target = resolve(file);
  if (existsSync(target) && statSync(target).isDirectory()) throw new BackupError(`${file} is a directory: give a file name, e.g. kyodo-${stamp(new Date()).slice(0, 8)}.backup`);
  return config.databaseUrl ? backupPostgres(config, config.databaseUrl, target) : backupPglite(config, target);
}

/** Replaces the configured database's contents with the backup in `file`, keeping what was there before. */
export async function restore(config: Config, file: string, now = new Date()): Promise<RestoreResult> {
  const source = resolve(file);
  if (!existsSync(source) || !statSync(source).isFile()) throw new BackupError(`${file}: no such file.`);
  const data = new Uint8Array(readFileSync(source));
  const format = detectFormat(data);
  const expected: BackupFormat = config.databaseUrl ? 'pg_dump' : 'pglite';
  if (!format) throw new BackupError(`${file} is not a Kyodo backup (neither a PGlite data directory dump nor a pg_dump archive).`);
  if (format !== expected)
    throw new BackupError(
      format === 'pglite'
        ? `${file} is a backup of the embedded database (PGlite), but DATABASE_URL points to PostgreSQL. Unset DATABASE_URL to restore it into KYODO_DATA_DIR.`
        : `${file} is a PostgreSQL backup (pg_dump), but no DATABASE_URL is set. Set DATABASE_URL to the PostgreSQL database to restore it into.`,
    );
  return config.databaseUrl ? restorePostgres(config, config.databaseUrl, source, now) : restorePglite(config, source, data, now);
}
