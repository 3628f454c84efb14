// 受講申込み (/my/trainings) lists a person's applications: this year's first, then earlier years, the
// latest application first within a year, whatever order they were recorded in (a walk of the sample
// data showed 令和8, 令和7, 令和3, 令和8: newest record first, which is no order a person can follow).
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { applicationRepository } from '../../src/db/repositories/application.repository.js';
import { createTestDb, type TestDb, testContext } from '../support/db.js';
import { makeOffering } from '../support/offerings.js';

let tdb: TestDb;
beforeAll(async () => {
  tdb = await createTestDb();
});
afterAll(() => tdb.close());

describe(`a person's applications (${inject('databaseUrl') ? 'PostgreSQL' : 'PGlite'})`, () => {
  it('come by fiscal year, latest first, then by application, latest first', async () => {
    const ctx = testContext(tdb);
    const { rows } = await sql<{ id: number }>`
      INSERT INTO people (name, kana, email, affiliation, search_key, created_at, updated_at)
      VALUES ('並び 順子', 'ナラビ ジュンコ', 'narabi@pref.example.jp', 'prefecture', 'narabi', now(), now()) RETURNING id`.execute(tdb.db);
    const personId = rows[0]!.id;
    // Recorded in this order (a history import, then this year's, then one more of an earlier year).
    const years = [2026, 2025, 2021, 2026, 2025];
    const titles: string[] = [];
    for (const [i, fiscalYear] of years.entries()) {
      const o = await makeOffering(ctx, { title: `並び順の研修 ${i + 1}（${fiscalYear}年度）` });
      await sql`UPDATE offerings SET fiscal_year = ${fiscalYear} WHERE id = ${o.id}`.execute(tdb.db);
      titles.push(o.title);
      await sql`INSERT INTO applications (offering_id, person_id, status, seat_group, applied_at, participant_code)
                VALUES (${o.id}, ${personId}, 'confirmed', 'prefecture', now(), ${`N-${o.id}`})`.execute(tdb.db);
    }
    const listed = (await applicationRepository.listForPerson(tdb.db, personId)).map((a) => a.offering_title);
    expect(listed).toEqual([titles[3], titles[0], titles[4], titles[1], titles[2]]);
  });
});
