// Named prepared statements for the marked hot-path statements (src/db/prepared.ts, decision 0029).
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { kyselyOnPostgres } from '../../src/db/database.js';
import { preparedMark, preparedName } from '../../src/db/prepared.js';
import { apiTokenStatements } from '../../src/db/repositories/api-token.repository.js';
import { personRepository } from '../../src/db/repositories/person.repository.js';
import { createPerson } from '../../src/services/person.service.js';
import { createUnit } from '../../src/services/unit.service.js';
import { createTestDb, type TestDb, testContext } from '../support/db.js';

let tdb: TestDb;
beforeAll(async () => {
  tdb = await createTestDb();
  // A few people for the directory to page through: in a unit, with roles, and without either.
  const ctx = testContext(tdb);
  const unit = await createUnit(ctx, null, { kind: 'department', name: '総務部', kana: 'ソウムブ' });
  for (const [i, kana] of ['アオキ', 'イトウ', 'ウエダ', 'タナカ'].entries())
    await createPerson(ctx, null, { name: `${kana} ${i}`, kana: `${kana} タロウ`, email: `prep${i}@pref.example.jp`, affiliation: 'prefecture', roles: i ? ['staff'] : ['staff', 'admin'], ...(i % 2 ? {} : { unitId: String(unit.id) }) });
});
afterAll(() => tdb.close());

describe('which statements are prepared', () => {
  it.each([
    ['an unmarked statement', 'SELECT 1', false],
    ['a statement with the mark further in', 'SELECT 1 /* prepared */ ', false],
    ['a marked statement', '/* prepared */ SELECT 1', true],
  ])('%s: named %s', (_what, text, named) => {
    expect(preparedName(text) !== null).toBe(named);
  });

  it('gives the same text the same name, and another text another name', () => {
    const a = preparedName('/* prepared */ SELECT $1::int');
    expect(a).toMatch(/^k_[0-9a-f]{20}$/);
    expect(preparedName('/* prepared */ SELECT $1::int')).toBe(a);
    expect(preparedName('/* prepared */ SELECT $1::bigint')).not.toBe(a);
  });
});

describe(`marked statements run and answer the same (${inject('databaseUrl') ? 'PostgreSQL' : 'PGlite'})`, () => {
  it('a marked statement answers as an unmarked one, again and again (on PGlite the mark is a comment)', async () => {
    for (let i = 0; i < 8; i++) {
      const marked = await sql<{ n: number }>`${preparedMark}SELECT ${i}::int + 1 AS n`.execute(tdb.db);
      const plain = await sql<{ n: number }>`SELECT ${i}::int + 1 AS n`.execute(tdb.db);
      expect(marked.rows).toEqual(plain.rows);
    }
  });
});

describe.runIf(inject('databaseUrl'))('named prepared statements on PostgreSQL', () => {
  it('prepares a marked statement once per connection, and leaves unmarked ones unnamed', async () => {
    // One connection, so that pg_prepared_statements (per session) shows what this pool prepared.
    const { db } = kyselyOnPostgres(tdb.url!, 1);
    try {
      const prepared = () => sql<{ name: string; statement: string }>`SELECT name, statement FROM pg_prepared_statements ORDER BY name`.execute(db);
      expect((await prepared()).rows).toEqual([]);
      const lookup = apiTokenStatements.findActiveByHashes(['no-such-hash'], new Date('2026-11-30T00:00:00Z'), new Date('2026-11-29T23:59:00Z'));
      for (let i = 0; i < 7; i++) expect((await lookup.execute(db)).rows).toEqual([{ tokens: null }]);
      const rows = (await prepared()).rows;
      expect(rows).toHaveLength(1);
      expect(rows[0].name).toBe(preparedName(lookup.compile(db).sql));
      expect(rows[0].statement.startsWith('/* prepared */')).toBe(true);
    } finally {
      await db.destroy();
    }
  });

  it('the person directory: its first page without filters is prepared with no parameter; another page and a search are not, and every page answers as before', async () => {
    const { db } = kyselyOnPostgres(tdb.url!, 1);
    try {
      // What a page gives: its figures, fingerprint, rows and units.
      const answer = async (d: ReturnType<typeof personRepository.directory>) => {
        const { read, ...figures } = await d;
        return { ...figures, ...read() };
      };
      const first = () => answer(personRepository.directory(db, { sort: 'kana', dir: 'asc', limit: 50, offset: 0 }));
      const expected = await answer(personRepository.directory(tdb.db, { sort: 'kana', dir: 'asc', limit: 50, offset: 0, q: undefined }));
      expect(expected.rows.map((r) => [r.kana, r.unit_name, r.roles])).toEqual([
        ['アオキ タロウ', '総務部', ['admin', 'staff']],
        ['イトウ タロウ', null, ['staff']],
        ['ウエダ タロウ', '総務部', ['staff']],
        ['タナカ タロウ', null, ['staff']],
      ]);
      for (let i = 0; i < 7; i++) expect(await first()).toEqual(expected);
      await personRepository.directory(db, { sort: 'kana', dir: 'asc', limit: 50, offset: 50 });
      await personRepository.directory(db, { q: 'たなか', sort: 'kana', dir: 'asc', limit: 50, offset: 0 });
      const rows = (await sql<{ statement: string; parameter_types: unknown }>`SELECT statement, parameter_types::text AS parameter_types FROM pg_prepared_statements`.execute(db)).rows;
      // Two texts: the page's fingerprint alone, and with the rows (read when the page is not drawn yet).
      expect(rows).toHaveLength(2);
      for (const r of rows) {
        expect(r.statement).toMatch(/^\/\* prepared \*\/ WITH .*LIMIT 50 OFFSET 0/s);
        expect(r.parameter_types).toBe('{}');
      }
    } finally {
      await db.destroy();
    }
  });

  it('with prepared statements turned off (KYODO_DB_PREPARED_STATEMENTS=off), a marked statement runs unnamed', async () => {
    const { db } = kyselyOnPostgres(tdb.url!, 1, false);
    try {
      for (let i = 0; i < 3; i++) expect((await sql<{ n: number }>`${preparedMark}SELECT ${i}::int AS n`.execute(db)).rows).toEqual([{ n: i }]);
      expect((await sql`SELECT name FROM pg_prepared_statements`.execute(db)).rows).toEqual([]);
    } finally {
      await db.destroy();
    }
  });

  it('past 64 distinct marked texts, the rest run unnamed and still answer', async () => {
    const { db } = kyselyOnPostgres(tdb.url!, 1);
    try {
      for (let i = 0; i < 70; i++) {
        const r = await sql<{ n: number }>`${preparedMark}SELECT ${sql.raw(String(i))}::int AS n`.execute(db);
        expect(r.rows).toEqual([{ n: i }]);
      }
      const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM pg_prepared_statements`.execute(db);
      // 64 names at most per process (this file's earlier tests took a few): some of the 70 went unnamed.
      expect(rows[0].n).toBeGreaterThan(0);
      expect(rows[0].n).toBeLessThan(70);
      expect(preparedName('/* prepared */ SELECT 12345')).toBeNull();
    } finally {
      await db.destroy();
    }
  });
});
