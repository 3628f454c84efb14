import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase, pgliteTemplateKey } from '../../src/db/database.js';
import { migrateToLatest, migrationNames } from '../../src/db/migrate.js';
import { fillFromTemplate, isFreshDataDir } from '../../src/db/pglite-template.js';

const root = mkdtempSync(join(tmpdir(), 'kyodo-template-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const dir = (name: string) => join(root, `${name}-${n++}`);

/** A stand-in for PGlite's initdb + migrations: writes a data directory's files and counts its calls. */
function fakeBuild() {
  const calls: string[] = [];
  const build = async (d: string) => {
    calls.push(d);
    mkdirSync(join(d, 'base'), { recursive: true });
    writeFileSync(join(d, 'PG_VERSION'), '18\n');
    writeFileSync(join(d, 'base', 'rows'), 'migrated');
  };
  return { calls, build };
}

describe('fresh data directories from a migrated template (files)', () => {
  it('builds the template once, then every fresh data directory is an independent copy of it', async () => {
    const cache = dir('cache');
    const { calls, build } = fakeBuild();
    const a = join(dir('data'), 'pg');
    const b = join(dir('data'), 'pg');
    expect(isFreshDataDir(a)).toBe(true);
    expect(await fillFromTemplate(a, 'pglite-k1', build, cache)).toBe('built');
    expect(await fillFromTemplate(b, 'pglite-k1', build, cache)).toBe('copied');
    expect(calls).toHaveLength(1);
    expect(isFreshDataDir(a)).toBe(false);
    writeFileSync(join(a, 'base', 'rows'), 'changed in a');
    expect(readFileSync(join(b, 'base', 'rows'), 'utf8')).toBe('migrated');
    expect(readFileSync(join(cache, 'pglite-k1', 'base', 'rows'), 'utf8')).toBe('migrated');
    // Nothing half-made is left beside the data directories or in the cache.
    expect(readdirSync(cache)).toEqual(['pglite-k1']);
    expect(readdirSync(join(a, '..'))).toEqual(['pg']);
  });

  it('never uses a template made for other migrations', async () => {
    const cache = dir('cache');
    const { calls, build } = fakeBuild();
    await fillFromTemplate(join(dir('data'), 'pg'), 'pglite-k1', build, cache);
    expect(await fillFromTemplate(join(dir('data'), 'pg'), 'pglite-k2', build, cache)).toBe('built');
    expect(calls).toHaveLength(2);
  });

  it('leaves the data directory to be created as before when the template cannot be made or is switched off', async () => {
    const cache = dir('cache');
    const pg = join(dir('data'), 'pg');
    const failing = async (d: string) => {
      mkdirSync(d, { recursive: true });
      writeFileSync(join(d, 'half'), '');
      throw new Error('migration failed');
    };
    expect(await fillFromTemplate(pg, 'pglite-k1', failing, cache)).toBe('none');
    expect(existsSync(pg)).toBe(false);
    expect(readdirSync(join(pg, '..'))).toEqual([]);
    expect(existsSync(join(cache, 'pglite-k1'))).toBe(false);
    const { calls, build } = fakeBuild();
    expect(await fillFromTemplate(pg, 'pglite-k1', build, 'off')).toBe('none');
    expect(await fillFromTemplate(pg, null, build, cache)).toBe('none');
    expect(calls).toHaveLength(0);
  });
});

describe('fresh PGlite data directories from a migrated template (PGlite)', () => {
  it('opens a copied data directory with every migration applied, independent of the others, and a restart as before', async () => {
    const cache = dir('cache');
    const opened: string[] = [];
    const use = async (dataDir: string, write?: string) => {
      const o = await openDatabase({ databaseUrl: null, dataDir, pgliteTemplateDir: cache });
      try {
        opened.push(String(o.template));
        expect(await migrateToLatest(o.db)).toEqual([]);
        const names = await sql<{ name: string }>`SELECT name FROM kysely_migration ORDER BY name`.execute(o.db);
        expect(names.rows.map((r) => r.name)).toEqual(migrationNames);
        if (write) await sql`INSERT INTO units (kind, name, kana, search_key) VALUES ('department', ${write}, 'ブ', ${write})`.execute(o.db);
        return (await sql<{ name: string }>`SELECT name FROM units ORDER BY id`.execute(o.db)).rows.map((r) => r.name);
      } finally {
        await o.close();
      }
    };
    const a = dir('data');
    const b = dir('data');
    expect(await use(a, '総務部')).toEqual(['総務部']);
    expect(await use(b)).toEqual([]);
    expect(await use(a)).toEqual(['総務部']);
    expect(opened).toEqual(['built', 'copied', 'undefined']);
    expect(readdirSync(cache)).toEqual([pgliteTemplateKey()]);
  }, 180_000);
});
