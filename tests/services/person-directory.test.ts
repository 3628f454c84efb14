// The people directory page reads its page, its count and its unit filter in one statement
// (`peopleDirectory`, issue 18): it must give exactly what the list (`listPeople`) and the unit pick
// list (`listUnits`, active units, tree order) give, for every sort, direction, filter and page,
// past the last page too, and whatever characters names hold.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PersonListQuery } from '../../src/db/repositories/person.repository.js';
import { unitRepository } from '../../src/db/repositories/unit.repository.js';
import { unitTree } from '../../src/domain/unit-tree.js';
import { AFFILIATIONS, ROLES } from '../../src/domain/values.js';
import { createPerson, listPeople, peopleDirectory, setPersonActive } from '../../src/services/person.service.js';
import { loadSampleData } from '../../src/services/sample-data/sample-data.service.js';
import { createUnit, listUnitPicks, listUnits, setUnitActive } from '../../src/services/unit.service.js';
import { createTestDb, type TestDb, testContext } from '../support/db.js';

let tdb: TestDb;
let ctx: ReturnType<typeof testContext>;
let unitIds: number[] = [];
let closedUnitId = 0;

beforeAll(async () => {
  tdb = await createTestDb();
  ctx = testContext(tdb);
  await loadSampleData(ctx, null);
  // A unit that is closed (not in the filter, still named on its people's rows), and people whose
  // names need escaping in HTML and in JSON, with several roles, none of the usual ones, or no unit.
  const dept = await createUnit(ctx, null, { kind: 'department', name: '閉鎖部"<&>\'', kana: 'ヘイサブ' });
  closedUnitId = dept.id;
  const odd = [
    { name: 'O\'Brien "Tom" <b>&amp;', kana: 'オブライエン トム', email: 'obrien@pref.example.jp', roles: ['staff', 'admin', 'approver'] },
    { name: '改行\\なし \u3000全角空白', kana: 'カイギョウ ナシ', email: 'backslash@pref.example.jp', roles: ['coordinator'] },
    { name: '𠮷野 家', kana: 'ヨシノ ヤ', email: 'yoshino@pref.example.jp', roles: ['staff'], unitId: String(dept.id) },
    { name: '無所属 太郎', kana: 'ムショゾク タロウ', email: 'nounit@pref.example.jp', roles: ['staff'] },
  ];
  for (const p of odd) await createPerson(ctx, null, { ...p, affiliation: 'prefecture' });
  await setUnitActive(ctx, null, dept.id, false);
  const gone = await createPerson(ctx, null, { name: '退職 済', kana: 'タイショク ズミ', email: 'retired@pref.example.jp', affiliation: 'municipality' });
  await setPersonActive(ctx, null, gone.id, false);
  unitIds = (await listUnits(ctx, { activeOnly: true, counts: false })).map((u) => u.id);
});
afterAll(() => tdb.close());

/** What the page shows of a directory read: its rows, count and units; `shown` must be the number of rows. */
async function shown(q: Omit<PersonListQuery, 'q' | 'after'> & { q?: string }) {
  const d = await peopleDirectory(ctx, q);
  expect(d.shown, JSON.stringify(q)).toBe(d.rows.length);
  return { rows: d.rows, total: d.total, units: d.units };
}

/** What the page showed when it read the list and the units apart. */
async function apart(q: Omit<PersonListQuery, 'q' | 'after'> & { q?: string }) {
  const { rows, total } = await listPeople(ctx, q);
  const units = await listUnits(ctx, { activeOnly: true, counts: false });
  return {
    rows: rows.map((r) => ({ id: r.id, name: r.name, kana: r.kana, email: r.email, staff_number: r.staff_number, affiliation: r.affiliation, unit_name: r.unit_name, roles: r.roles })),
    total,
    units: units.map((u) => ({ id: u.id, kind: u.kind, parent_id: u.parent_id, name: u.name, kana: u.kana, code: u.code, depth: u.depth })),
  };
}

describe('peopleDirectory (one statement for the people page)', () => {
  it('gives the rows, the count and the unit filter the list and the unit list give, for every sort and direction', async () => {
    for (const sort of ['kana', 'email', 'staff_number', 'unit', 'affiliation'] as const)
      for (const dir of ['asc', 'desc'] as const)
        for (const offset of [0, 50, 150, 200]) {
          const q = { sort, dir, limit: 50, offset };
          expect(await shown(q), JSON.stringify(q)).toEqual(await apart(q));
        }
  });

  it('agrees with the list for searches, filters, inactive people and pages past the end', async () => {
    const queries: (Omit<PersonListQuery, 'q' | 'after'> & { q?: string })[] = [
      { q: 'タナカ' },
      { q: 'たなか', sort: 'unit', dir: 'desc' },
      { q: 'pref.example.jp', limit: 20, offset: 40 },
      { q: 'pref.example.jp', limit: 20, offset: 100_000 },
      { q: '%' },
      { q: '_' },
      { q: 'no such person anywhere' },
      { q: 'オブライエン' },
      { q: '𠮷野', includeInactive: true },
      { includeInactive: true, limit: 50, offset: 150 },
      { includeInactive: true, sort: 'affiliation', dir: 'desc' },
      { limit: 50, offset: 100_000 },
      { unitId: closedUnitId },
      { unitId: closedUnitId, includeInactive: true },
      ...unitIds.slice(0, 6).map((unitId) => ({ unitId, sort: 'staff_number' as const })),
      ...AFFILIATIONS.map((affiliation) => ({ affiliation, includeInactive: true })),
      ...ROLES.map((role) => ({ role, sort: 'email' as const, dir: 'desc' as const })),
      { role: 'staff', affiliation: 'prefecture', unitId: unitIds[3], q: 'a' },
    ];
    for (const q of queries) {
      expect(await shown({ limit: 50, offset: 0, ...q }), JSON.stringify(q)).toEqual(await apart({ limit: 50, offset: 0, ...q }));
    }
  });

  it('keeps names exactly as stored, names a closed unit on its people, and leaves closed units out of the filter', async () => {
    const d = await peopleDirectory(ctx, { q: 'オブライエン', limit: 50, offset: 0 });
    expect(d.rows).toEqual([expect.objectContaining({ name: 'O\'Brien "Tom" <b>&amp;', roles: ['admin', 'approver', 'staff'], unit_name: null })]);
    const y = await peopleDirectory(ctx, { q: 'ヨシノ', limit: 50, offset: 0 });
    expect(y.rows).toEqual([expect.objectContaining({ name: '𠮷野 家', unit_name: '閉鎖部"<&>\'' })]);
    expect(y.units.map((u) => u.id)).not.toContain(closedUnitId);
    expect(y.total).toBe(1);
  });

  it('gives equal fingerprints for equal pages, and another one when anything the page shows changes', async () => {
    const q = { limit: 50, offset: 0 };
    const before = (await peopleDirectory(ctx, q)).fingerprint;
    expect((await peopleDirectory(ctx, q)).fingerprint).toBe(before);
    expect((await peopleDirectory(ctx, { ...q, offset: 50 })).fingerprint).not.toBe(before);
    const first = (await peopleDirectory(ctx, q)).rows[0]!;
    await tdb.db.updateTable('people').set({ email: `changed-${first.email}` }).where('id', '=', first.id).execute();
    const changed = (await peopleDirectory(ctx, q)).fingerprint;
    expect(changed).not.toBe(before);
    await tdb.db.updateTable('units').set({ name: '名称変更課' }).where('id', '=', unitIds[0]!).execute();
    expect((await peopleDirectory(ctx, q)).fingerprint).not.toBe(changed);
  });

  it('reads the unit pick list in tree order, whatever order the rows come in', async () => {
    const picks = await unitRepository.picks(ctx.db);
    expect(picks.length).toBeGreaterThan(10);
    const tree = await listUnitPicks(ctx);
    expect(unitTree([...picks].reverse())).toEqual(tree);
    expect(tree.map((u) => u.id)).toEqual(unitIds);
  });
});
