// The read behind a group of applications (applicationStatements.batchState, decision 0015) must not
// grow with the offering it is filling. An offering that opens is not yet in the table's statistics
// while its applications pour in; looked up by offering, each applicant's previous application was
// found by reading all of the offering's applications, once per applicant (issue 18).
import { CompiledQuery, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { applicationStatements } from '../../src/db/repositories/application.repository.js';
import { createTestDb, type TestDb, testContext } from '../support/db.js';
import { makeOffering } from '../support/offerings.js';

let tdb: TestDb;
beforeAll(async () => {
  tdb = await createTestDb();
});
afterAll(() => tdb.close());

/** People numbered from..to, inserted as an import would; their ids in that order. */
async function people(from: number, to: number): Promise<number[]> {
  const { rows } = await sql<{ id: number }>`
    INSERT INTO people (name, kana, email, affiliation, search_key, created_at, updated_at)
    SELECT '職員 ' || n, 'ショクイン', 'staff' || n || '@pref.example.jp', 'prefecture', 'staff' || n, now(), now()
    FROM generate_series(${from}::int, ${to}::int) n RETURNING id`.execute(tdb.db);
  return rows.map((r) => r.id).sort((a, b) => a - b);
}

/** Applications of these people to a first-come offering of 100 seats, written straight into the table. */
async function apply(offeringId: number, ids: number[], tag = '') {
  await sql`
    INSERT INTO applications (offering_id, person_id, status, seat_group, applied_at, participant_code, waitlist_order)
    SELECT ${offeringId}::int, p, CASE WHEN n <= 100 THEN 'confirmed' ELSE 'waitlisted' END, 'prefecture', now(),
           'B' || ${offeringId}::int || '-' || p || ${tag}::text, CASE WHEN n > 100 THEN n - 100 END
    FROM unnest(${sql.val(ids)}::int[]) WITH ORDINALITY AS x(p, n) ORDER BY n`.execute(tdb.db);
}

/** Pages (buffers) the read of a group of these applicants touches, from EXPLAIN (ANALYZE, BUFFERS). */
async function pagesRead(offeringId: number, applicants: number[]): Promise<number> {
  const q = applicationStatements.batchState(offeringId, applicants, applicants.length).compile(tdb.db);
  const { rows } = await tdb.db.executeQuery<{ 'QUERY PLAN': unknown }>(CompiledQuery.raw(`EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${q.sql}`, [...q.parameters]));
  const raw = rows[0]!['QUERY PLAN'];
  const plan = (typeof raw === 'string' ? JSON.parse(raw) : raw) as { Plan: Record<string, number> }[];
  return plan[0]!.Plan['Shared Hit Blocks']! + plan[0]!.Plan['Shared Read Blocks']!;
}

describe(`the read of a group of applications (${inject('databaseUrl') ? 'PostgreSQL' : 'PGlite'})`, () => {
  it('touches as many pages for an offering of 1,500 applications as for one of 10, though the statistics know neither', async () => {
    const ctx = testContext(tdb);
    const small = await makeOffering(ctx, { capacity: 5000 });
    const large = await makeOffering(ctx, { capacity: 5000 });
    const everyone = await people(1, 1560);
    // Earlier applications elsewhere, in the order applicants happened to come (not by person), then the
    // statistics, taken before either offering had an application.
    const earlier = await people(5001, 7000);
    await apply((await makeOffering(ctx, { capacity: 5000 })).id, earlier.map((_, i) => earlier[(i * 7919) % earlier.length]!));
    await sql`ANALYZE`.execute(tdb.db);
    await apply(small.id, everyone.slice(0, 10));
    await apply(large.id, everyone.slice(0, 1500));
    const group = everyone.slice(1500, 1540);
    const pagesSmall = await pagesRead(small.id, group);
    const pagesLarge = await pagesRead(large.id, group);
    // Read by offering, the large one can cost 40 × 1,500 index entries: in the registration benchmark,
    // 1,691 pages against 331 for a group of 40 (docs/performance.md, 1 December, morning).
    expect(pagesLarge).toBeLessThan(pagesSmall * 2 + 50);
  });

  it('still finds each applicant’s latest application to the offering, and none for those without one', async () => {
    const ctx = testContext(tdb);
    const offering = await makeOffering(ctx, { capacity: 5000 });
    const elsewhere = await makeOffering(ctx, { capacity: 5000 });
    const [a, b, c] = await people(9001, 9003);
    await apply(offering.id, [a!]);
    await sql`UPDATE applications SET status = 'cancelled' WHERE person_id = ${a!}`.execute(tdb.db);
    await apply(offering.id, [a!, b!], '-again');
    await apply(elsewhere.id, [c!]);
    const { rows: latest } = await sql<{ id: number; person_id: number }>`
      SELECT max(id) AS id, person_id FROM applications WHERE offering_id = ${offering.id} GROUP BY person_id`.execute(tdb.db);
    const { rows } = await applicationStatements.batchState(offering.id, [a!, b!, c!], 0).execute(tdb.db);
    const previous = rows[0]!.batch_previous.map((x) => ({ id: x.id, person: x.person_id, status: x.status })).sort((x, y) => x.person - y.person);
    expect(previous).toEqual([
      { id: latest.find((l) => l.person_id === a)!.id, person: a, status: 'confirmed' },
      { id: latest.find((l) => l.person_id === b)!.id, person: b, status: 'confirmed' },
    ]);
  });
});
