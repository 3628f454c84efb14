import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataDirLockedError, lockDataDir } from '../../src/db/data-dir-lock.js';
import { migrateToLatest, migrationNames } from '../../src/db/migrate.js';
import { createTestDb, type TestDb } from '../support/db.js';

let tdb: TestDb;
beforeAll(async () => {
  tdb = await createTestDb();
});
afterAll(() => tdb.close());

describe(`database (${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'})`, () => {
  it('has every migration applied, and running them again changes nothing', async () => {
    expect(await migrateToLatest(tdb.db)).toEqual([]);
    const rows = await sql<{ name: string }>`SELECT name FROM kysely_migration ORDER BY name`.execute(tdb.db);
    expect(rows.rows.map((r) => r.name)).toEqual(migrationNames);
  });

  it('returns the same JS types on both databases: count as number, date as YYYY-MM-DD, timestamptz as Date', async () => {
    const r = await sql<{ n: number; big: number; d: string; ts: Date; num: number }>`
      SELECT count(*) AS n, 9007199254740::int8 AS big, DATE '2019-05-01' AS d,
             TIMESTAMPTZ '2026-04-01 00:00:00+09' AS ts, 12.5::numeric AS num`.execute(tdb.db);
    const row = r.rows[0];
    expect(row.n).toBe(1);
    expect(row.big).toBe(9007199254740);
    expect(row.d).toBe('2019-05-01');
    expect(row.ts).toBeInstanceOf(Date);
    expect(row.ts.toISOString()).toBe('2026-03-31T15:00:00.000Z');
    expect(row.num).toBe(12.5);
  });

  it('keeps the audit log append-only: UPDATE and DELETE are refused by the database', async () => {
    await tdb.db
      .insertInto('audit_log')
      .values({ at: new Date(), actor_id: null, action: 'test', entity: 'x', entity_id: '1', before: null, after: JSON.stringify({ a: 1 }) })
      .execute();
    await expect(tdb.db.updateTable('audit_log').set({ action: 'changed' }).execute()).rejects.toThrow(/append-only/);
    await expect(tdb.db.deleteFrom('audit_log').execute()).rejects.toThrow(/append-only/);
    const n = await tdb.db.selectFrom('audit_log').select(sql<number>`count(*)`.as('n')).where('action', '=', 'test').executeTakeFirstOrThrow();
    expect(n.n).toBe(1);
  });
});

describe('PGlite data directory lock', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kyodo-lock-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses a second holder while the first is alive, and frees on release', () => {
    const release = lockDataDir(dir);
    expect(() => lockDataDir(dir)).toThrow(DataDirLockedError);
    release();
    const again = lockDataDir(dir);
    again();
  });

  it('takes over a lock naming its own pid that it does not hold: pid 1 in a container after kill -9 (issue 17)', () => {
    const own = mkdtempSync(join(tmpdir(), 'kyodo-lock-own-'));
    try {
      writeFileSync(join(own, 'kyodo.lock'), String(process.pid));
      const release = lockDataDir(own);
      expect(readFileSync(join(own, 'kyodo.lock'), 'utf8')).toBe(String(process.pid));
      // While this process holds it, a second lock in the same process is still refused.
      expect(() => lockDataDir(own)).toThrow(DataDirLockedError);
      release();
      expect(existsSync(join(own, 'kyodo.lock'))).toBe(false);
    } finally {
      rmSync(own, { recursive: true, force: true });
    }
  });

  it('a second process gets a clear message naming the data directory', async () => {
    const release = lockDataDir(dir);
    try {
      const code = `
        import { lockDataDir } from ${JSON.stringify(new URL('../../src/db/data-dir-lock.ts', import.meta.url).pathname)};
        try { lockDataDir(${JSON.stringify(dir)}); console.log('LOCKED'); } catch (e) { console.log(e.name + ': ' + e.message); }`;
      const out = await new Promise<string>((resolve) => {
        const p = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code]);
        let s = '';
        p.stdout.on('data', (d) => (s += d));
        p.on('close', () => resolve(s));
      });
      expect(out).toContain('DataDirLockedError');
      expect(out).toContain(dir);
      expect(out).toContain(String(process.pid));
    } finally {
      release();
    }
  });

  it('takes over a lock left by a process that died', async () => {
    const { writeFileSync } = await import('node:fs');
    writeFileSync(join(dir, 'kyodo.lock'), '999999999');
    const release = lockDataDir(dir);
    expect(readFileSync(join(dir, 'kyodo.lock'), 'utf8')).toBe(String(process.pid));
    release();
  });
});
