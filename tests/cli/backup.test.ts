import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { kyselyOnPostgres } from '../../src/db/database.js';
import { listPeople } from '../../src/services/person.service.js';
import { coverage, fiscalYearKpis, implementationTable, reportYears } from '../../src/services/report.service.js';
import type { AppContext } from '../../src/services/context.js';
import { exitOf, kyodo, makeStore, serve, type Store } from './helpers.js';

/**
 * The round trip an operator relies on: sample data → `kyodo backup` → the database is wiped →
 * `kyodo restore` → every report reads exactly as before. On PGlite (the default pass), and on
 * PostgreSQL (pg_dump / pg_restore) when DATABASE_URL is set.
 */
let dir: string;
let store: Store;
const children: ChildProcess[] = [];
// Reports depend on "now" (which sessions have been held): read both times at the same instant.
const at = new Date();

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kyodo-backup-'));
  store = await makeStore(join(dir, 'data'));
}, 60_000);
afterAll(async () => {
  for (const c of children) c.kill('SIGKILL');
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

async function reports(): Promise<Record<string, unknown>> {
  return store.withDb(async (live) => {
    const ctx: AppContext = { ...live, now: () => at };
    const out: Record<string, unknown> = {};
    for (const fy of await reportYears(ctx)) {
      out[`kpi-${fy}`] = await fiscalYearKpis(ctx, fy);
      out[`table-${fy}`] = await implementationTable(ctx, fy);
    }
    out.coverage = await coverage(ctx);
    out.people = (await listPeople(ctx, { includeInactive: true, sort: 'kana', dir: 'asc', limit: 100_000, offset: 0 })).rows;
    out.audit = (await sql<{ n: number }>`SELECT count(*) AS n FROM audit_log`.execute(ctx.db)).rows[0].n;
    return out;
  });
}

async function wipe() {
  if (store.kind === 'pglite') return rmSync(store.dataDir, { recursive: true, force: true });
  const { db } = kyselyOnPostgres(store.url!, 1);
  await sql`DROP SCHEMA public CASCADE`.execute(db);
  await sql`CREATE SCHEMA public`.execute(db);
  await db.destroy();
}

describe('kyodo backup and kyodo restore', () => {
  it('are documented in --help', async () => {
    const h = await kyodo(store.env, '--help');
    expect(h.stdout).toContain('backup FILE');
    expect(h.stdout).toContain('restore FILE');
  });

  it('round trip: after a wipe and a restore, the fiscal-year reports, coverage and the people list are identical', async () => {
    const loaded = await kyodo(store.env, 'sample-data');
    expect(loaded.code, loaded.stderr).toBe(0);
    expect(loaded.stdout).toContain('loaded');
    const before = await reports();
    expect((before.people as unknown[]).length).toBeGreaterThan(150);
    expect((before['kpi-2025'] as { participantsTotal: number }).participantsTotal).toBeGreaterThan(0);

    const file = join(dir, 'kyodo.backup');
    const b = await kyodo(store.env, 'backup', file);
    expect(b.code, b.stderr).toBe(0);
    expect(b.stdout).toMatch(new RegExp(`backup written: ${file} \\((PGlite data directory dump|pg_dump archive)`));
    expect(b.stdout).toMatch(/verified: \d{3} people/);
    expect(existsSync(file)).toBe(true);

    await wipe();
    const r = await kyodo(store.env, 'restore', file);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`restored ${file}`);
    expect(await reports()).toEqual(before);

    // Restoring over live data keeps what was there.
    const again = await kyodo(store.env, 'restore', file);
    expect(again.code, again.stderr).toBe(0);
    const kept = again.stdout.match(/the data before the restore is kept in (\S+)/);
    expect(kept).not.toBeNull();
    expect(existsSync(kept![1])).toBe(true);
    expect(await reports()).toEqual(before);
  }, 300_000);

  it('refuses a file that is not a backup, or one made for the other kind of database, and changes nothing', async () => {
    const junk = join(dir, 'junk.backup');
    writeFileSync(junk, 'not a backup at all');
    const r = await kyodo(store.env, 'restore', junk);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('is not a Kyodo backup');
    expect(r.stderr).not.toMatch(/\n\s+at /); // a message, not a stack trace
    const other = join(dir, 'other.backup');
    writeFileSync(other, store.kind === 'pglite' ? 'PGDMP-pretend' : Buffer.from([0x1f, 0x8b, 0x08, 0x00]));
    const wrong = await kyodo(store.env, 'restore', other);
    expect(wrong.code).toBe(3);
    expect(wrong.stderr).toMatch(store.kind === 'pglite' ? /is a PostgreSQL backup \(pg_dump\), but no DATABASE_URL is set/ : /is a backup of the embedded database \(PGlite\), but DATABASE_URL points to PostgreSQL/);
    const missing = await kyodo(store.env, 'restore', join(dir, 'nope.backup'));
    expect(missing.code).toBe(3);
    expect(missing.stderr).toContain('no such file');
    const people = await store.withDb(async (ctx) => (await sql<{ n: number }>`SELECT count(*) AS n FROM people`.execute(ctx.db)).rows[0].n);
    expect(Number(people)).toBeGreaterThan(150);
  }, 120_000);

  it.runIf(!inject('databaseUrl'))('on PGlite, refuses to back up or restore while kyodo serve holds the data directory, saying what to do', async () => {
    if (store.kind !== 'pglite') return;
    const server = await serve(store.env, children);
    const b = await kyodo(store.env, 'backup', join(dir, 'while-running.backup'));
    expect(b.code).toBe(3);
    expect(b.stderr).toContain('Cannot take a backup while Kyodo is running');
    expect(b.stderr).toContain(`process ${server.child.pid}`);
    expect(b.stderr).toContain('Stop Kyodo (kyodo serve) first');
    expect(existsSync(join(dir, 'while-running.backup'))).toBe(false);
    const r = await kyodo(store.env, 'restore', join(dir, 'kyodo.backup'));
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('Cannot restore while Kyodo is running');
    server.child.kill('SIGTERM');
    expect(await exitOf(server)).toEqual({ code: 0, signal: null });
  }, 120_000);
});
