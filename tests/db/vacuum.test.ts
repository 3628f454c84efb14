// PGlite has no autovacuum: the scheduled maintenance and the one after an import VACUUM there (the
// visibility map is set: relallvisible > 0), and leave VACUUM to autovacuum on PostgreSQL.
import { CamelCasePlugin, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type Db, maintain, maintainAfterBulkWrite } from '../../src/db/database.js';
import { isPglite } from '../../src/db/database-kind.js';
import { personImportRepository } from '../../src/db/repositories/person-import.repository.js';
import { createTestDb, type TestDb } from '../support/db.js';

let tdb: TestDb;
beforeAll(async () => {
  tdb = await createTestDb();
});
afterAll(() => tdb.close());

let batch = 0;
/** Adds `n` people in one statement, as a bulk import does. */
async function addPeople(db: Db, n: number) {
  const b = ++batch;
  await sql`INSERT INTO people (name, kana, email, affiliation, search_key)
    SELECT '保守 職員' || g, 'ホシュ ショクイン', 'vacuum-' || ${b}::int || '-' || g || '@pref.example.jp', 'prefecture', 'ほしゅ|' || ${b}::int || '-' || g
    FROM generate_series(1, ${n}::int) g`.execute(db);
}

async function pages(db: Db, table: string) {
  const r = await sql<{ relpages: number; relallvisible: number }>`SELECT relpages, relallvisible FROM pg_class WHERE relname = ${table} AND relnamespace = 'public'::regnamespace`.execute(db);
  return r.rows[0];
}

/** Manual VACUUM and ANALYZE of a table, as PostgreSQL records them (autovacuum's own are counted apart). */
async function manual(db: Db, table: string) {
  const r = await sql<{ vacuums: number; analyzes: number }>`SELECT vacuum_count AS vacuums, analyze_count AS analyzes FROM pg_stat_user_tables WHERE relname = ${table} AND schemaname = 'public'`.execute(db);
  return { vacuums: Number(r.rows[0].vacuums), analyzes: Number(r.rows[0].analyzes) };
}

describe.runIf(!inject('databaseUrl'))('maintenance on PGlite (no autovacuum)', () => {
  it('knows its database: the test database is PGlite, and so are its transactions and plugin copies', async () => {
    expect(isPglite(tdb.db)).toBe(true);
    expect(isPglite(tdb.db.withPlugin(new CamelCasePlugin()))).toBe(true);
    await tdb.db.transaction().execute(async (trx) => expect(isPglite(trx)).toBe(true));
  });

  it('the scheduled run vacuums a table that had a bulk insert: the visibility map is set, which ANALYZE alone never does', async () => {
    await addPeople(tdb.db, 3000);
    await sql`ANALYZE people`.execute(tdb.db);
    const before = await pages(tdb.db, 'people');
    expect(before.relpages).toBeGreaterThan(0);
    expect(before.relallvisible).toBe(0);

    const run = await maintain(tdb.db);
    expect(run.vacuumed).toContain('people');
    const after = await pages(tdb.db, 'people');
    expect(after.relallvisible).toBeGreaterThan(0);
    expect(after.relallvisible).toBeLessThanOrEqual(after.relpages);
  });

  it('the next run leaves alone what has not changed, and takes up a table once enough rows changed', async () => {
    const quiet = await maintain(tdb.db);
    expect(quiet.vacuumed).not.toContain('people');
    expect(quiet.analyzed).not.toContain('people');

    // Autovacuum's rule: dead rows over 50 + 20 % of the table.
    await sql`UPDATE people SET updated_at = now() WHERE email LIKE 'vacuum-%' AND id % 2 = 0`.execute(tdb.db);
    // The update cleared the visibility map of the pages it touched (ANALYZE counts the map again).
    await sql`ANALYZE people`.execute(tdb.db);
    const mid = await pages(tdb.db, 'people');
    expect(mid.relallvisible).toBeLessThan(mid.relpages);
    const run = await maintain(tdb.db);
    expect(run.vacuumed).toContain('people');
    const after = await pages(tdb.db, 'people');
    expect(after.relallvisible).toBe(after.relpages);
  });

  it('the first run after a start vacuums and analyses every table (the change counters start from zero)', async () => {
    const run = await maintain(tdb.db, { everyTable: true });
    expect(run.vacuumed).toEqual(expect.arrayContaining(['people', 'person_roles', 'audit_log', 'applications']));
    expect(run.analyzed).toEqual(run.vacuumed);
  });

  it('stops between statements when the server is stopping', async () => {
    let statements = 0;
    const run = await maintain(tdb.db, { everyTable: true, stopping: () => ++statements > 3 });
    expect(run.vacuumed.length + run.analyzed.length).toBe(3);
  });

  it('after an import, the tables it filled are vacuumed and analysed at once', async () => {
    await addPeople(tdb.db, 2000);
    await sql`ANALYZE people`.execute(tdb.db);
    const before = await pages(tdb.db, 'people');
    expect(before.relallvisible).toBeLessThan(before.relpages);

    // What services/import.service.ts calls after an import's transaction commits.
    await personImportRepository.analyze(tdb.db, ['people', 'person_roles', 'audit_log']);
    const after = await pages(tdb.db, 'people');
    expect(after.relallvisible).toBe(after.relpages);
  });
});

describe.runIf(!!inject('databaseUrl'))('maintenance on PostgreSQL (autovacuum runs VACUUM there)', () => {
  it('the scheduled run and the one after an import ANALYZE and never VACUUM', async () => {
    expect(isPglite(tdb.db)).toBe(false);
    await addPeople(tdb.db, 3000);
    const start = await manual(tdb.db, 'people');
    const scheduled = await maintain(tdb.db, { everyTable: true });
    expect(scheduled.vacuumed).toEqual([]);
    await maintainAfterBulkWrite(tdb.db, ['people', 'person_roles']);
    await personImportRepository.analyze(tdb.db, ['people']);
    const end = await manual(tdb.db, 'people');
    expect(end.vacuums).toBe(start.vacuums);
    expect(end.analyzes).toBe(start.analyzes + 3);
  });
});
