// The migrations check at start-up (issue 18 §5): a database whose applied migrations are exactly the
// listed ones is left alone after one statement; anything else goes through Kysely's Migrator, so a
// database behind gets what it lacks and a fresh one gets everything.
import { PGlite } from '@electric-sql/pglite';
import { type Kysely, sql } from 'kysely';
import { Migrator } from 'kysely/migration';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { kyselyOnPglite, kyselyOnPostgres, pgliteExtensions, pgliteParsers } from '../../src/db/database.js';
import { listedMigrations, migrateToLatest, migrationNames } from '../../src/db/migrate.js';
import { createTestDb, type TestDb } from '../support/db.js';
import { databaseUrlFor } from '../support/global-setup.js';

/** An empty database on the suite's database: a new in-memory PGlite, or a new PostgreSQL database. */
async function emptyDb(): Promise<{ db: Kysely<any>; close: () => Promise<void> }> {
  const serverUrl = inject('databaseUrl');
  if (serverUrl) {
    const name = `kyodo_t_${process.pid}_mig_${Math.random().toString(36).slice(2, 8)}`;
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const { db } = kyselyOnPostgres(databaseUrlFor(serverUrl, name), 2);
    return {
      db,
      close: async () => {
        await db.destroy();
        const a = new pg.Client({ connectionString: serverUrl });
        await a.connect();
        await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await a.end();
      },
    };
  }
  const pglite = await PGlite.create({ parsers: pgliteParsers, extensions: pgliteExtensions() });
  const db = kyselyOnPglite(pglite);
  return { db, close: () => db.destroy() };
}

const applied = async (db: Kysely<any>) => (await sql<{ name: string }>`SELECT name FROM kysely_migration ORDER BY name`.execute(db)).rows.map((r) => r.name);

describe(`migrations check at start-up (${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'})`, () => {
  let tdb: TestDb;
  beforeAll(async () => {
    tdb = await createTestDb();
  });
  afterAll(() => tdb.close());

  it('lists the migrations in the order they run', () => {
    expect(migrationNames).toEqual([...migrationNames].sort());
    expect(new Set(migrationNames).size).toBe(migrationNames.length);
  });

  it('gives a fresh database every migration, then finds nothing more to do', async () => {
    const empty = await emptyDb();
    try {
      expect(await migrateToLatest(empty.db)).toEqual(migrationNames);
      expect(await applied(empty.db)).toEqual(migrationNames);
      expect(await migrateToLatest(empty.db)).toEqual([]);
    } finally {
      await empty.close();
    }
  }, 120_000);

  it('applies the one migration a database lacks (an update after a restart)', async () => {
    const empty = await emptyDb();
    try {
      const behind = migrationNames[migrationNames.length - 2]!;
      const { error } = await new Migrator({ db: empty.db, provider: listedMigrations }).migrateTo(behind);
      expect(error).toBeUndefined();
      expect(await applied(empty.db)).toEqual(migrationNames.slice(0, -1));
      expect(await migrateToLatest(empty.db)).toEqual([migrationNames[migrationNames.length - 1]]);
      expect(await applied(empty.db)).toEqual(migrationNames);
    } finally {
      await empty.close();
    }
  }, 120_000);

  it('does not hide an applied list that no longer matches: the Migrator reports it', async () => {
    const middle = migrationNames[Math.floor(migrationNames.length / 2)]!;
    await tdb.db.deleteFrom('kysely_migration' as never).where('name' as never, '=', middle as never).execute();
    await expect(migrateToLatest(tdb.db)).rejects.toThrow();
  });
});
