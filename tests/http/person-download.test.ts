import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { personExportColumns } from '../../src/http/person/presenter.js';
import { translator } from '../../src/i18n/index.js';
import { type ExportFormat, exportTable } from '../../src/lib/table-export.js';
import { getImportJob, previewImport, startImport, unitReferences } from '../../src/services/import.service.js';
import { createPerson, listPeople } from '../../src/services/person.service.js';
import { createUnit, setUnitActive } from '../../src/services/unit.service.js';
import { createTestDb, type TestDb, testContext } from '../support/db.js';
import { makeUser } from '../support/http.js';

/**
 * The people list's download (s8): 所属 is written as the people import reads it back as that very
 * unit, its path 「総務部／総務課」 (or its code where even the path is shared), so that a list with two
 * 総務課 in two 部局 imports back unchanged; and a 職名 such as 「-」, which the CSV formula guard writes
 * as 「'-」, comes back as 「-」.
 *
 * The download is built here as the page and the API build it, with `unitReferences(ctx)` passed to
 * `personExportColumns` (the route handlers, not in this change, pass it once they are wired).
 */
let tdb: TestDb;
let ctx: ReturnType<typeof testContext>;
let admin: { id: number };
const ids: Record<string, number> = {};

beforeAll(async () => {
  tdb = await createTestDb();
  ctx = testContext(tdb);
  admin = await makeUser(ctx, ['admin']);
  const soumu = await createUnit(ctx, admin, { kind: 'department', name: '総務部', kana: 'ソウムブ' });
  const kenko = await createUnit(ctx, admin, { kind: 'department', name: '健康医療福祉部', kana: 'ケンコウイリョウフクシブ' });
  ids.soumuSoumu = (await createUnit(ctx, admin, { kind: 'division', name: '総務課', kana: 'ソウムカ', parentId: soumu.id })).id;
  ids.kenkoSoumu = (await createUnit(ctx, admin, { kind: 'division', name: '総務課', kana: 'ソウムカ', parentId: kenko.id })).id;
  ids.jinji = (await createUnit(ctx, admin, { kind: 'division', name: '人事課', kana: 'ジンジカ', parentId: soumu.id })).id;
  // A closed unit keeps its people; its path still names it.
  ids.closed = (await createUnit(ctx, admin, { kind: 'division', name: '企画課', kana: 'キカクカ', parentId: soumu.id })).id;
  ids.open = (await createUnit(ctx, admin, { kind: 'division', name: '企画課', kana: 'キカクカ', parentId: kenko.id })).id;
  // Two top-level units of one name: only their codes tell them apart.
  ids.otsu = (await createUnit(ctx, admin, { kind: 'municipality', name: '大津市', kana: 'オオツシ', code: '252018' })).id;
  ids.twin = (await createUnit(ctx, admin, { kind: 'agency', name: '大津市', kana: 'オオツシ', code: '252026' })).id;

  const person = (n: number, unitId: number | null, extra: Record<string, unknown> = {}) =>
    createPerson(ctx, admin, { name: `往復 ${n}`, kana: `オウフク ${'イニサヨゴロナハ'[n - 1]}`, email: `dl${n}@pref.example.jp`, staffNumber: `75000${n}`, unitId: unitId ?? undefined, affiliation: 'prefecture', roles: ['staff'], ...extra });
  await person(1, ids.soumuSoumu, { jobTitle: '-' });
  await person(2, ids.kenkoSoumu, { jobTitle: '主査', roles: ['approver', 'staff'] });
  await person(3, ids.jinji);
  await person(4, ids.closed);
  await person(5, ids.open, { jobTitle: '=課長' });
  await person(6, ids.otsu, { affiliation: 'municipality' });
  await person(7, ids.twin, { affiliation: 'agency' });
  await person(8, null, { jobTitle: '@担当' });
  await setUnitActive(ctx, admin, ids.closed, false);
}, 60_000);
afterAll(() => tdb.close());

/** Everything an import writes about each person. */
const everyone = async () => {
  const rows = await tdb.db.selectFrom('people').select(['id', 'name', 'kana', 'email', 'staff_number', 'title', 'unit_id', 'affiliation', 'active']).orderBy('id').execute();
  const roles = await tdb.db.selectFrom('person_roles').select(['person_id', 'role']).orderBy('role').execute();
  return rows.map((p) => ({ ...p, roles: roles.filter((r) => r.person_id === p.id).map((r) => r.role) }));
};

/** The download as the handlers build it; `refs` empty: 所属 by the unit's name alone, as it was written before. */
async function download(format: ExportFormat, lang: 'ja' | 'en', refs: ReadonlyMap<number, string>) {
  const t = translator(lang);
  const { rows } = await listPeople(ctx, { limit: 1_000_000, offset: 0 });
  return (await exportTable(format, t('people.title'), personExportColumns(t, refs), rows)).body;
}

describe('the people download writes 所属 so that the import reads it back as the same unit', () => {
  it('writes each unit by its path (a 部局 or 市町 by its name), and by its code where even the path is shared', async () => {
    const refs = await unitReferences(ctx);
    expect(refs.get(ids.soumuSoumu)).toBe('総務部／総務課');
    expect(refs.get(ids.kenkoSoumu)).toBe('健康医療福祉部／総務課');
    expect(refs.get(ids.jinji)).toBe('総務部／人事課');
    expect(refs.get(ids.closed)).toBe('総務部／企画課');
    expect(refs.get(ids.otsu)).toBe('252018');
    expect(refs.get(ids.twin)).toBe('252026');
    const csv = new TextDecoder().decode((await download('csv', 'ja', refs)).subarray(3));
    const lines = csv.split('\r\n');
    expect(lines[0]).toBe('氏名,フリガナ,メールアドレス,職員番号,職名,所属,所属区分,役割,状態');
    expect(lines.find((l) => l.includes('dl1@'))).toBe("往復 1,オウフク イ,dl1@pref.example.jp,750001,'-,総務部／総務課,県,職員,有効");
    expect(lines.find((l) => l.includes('dl5@'))).toContain(",'=課長,健康医療福祉部／企画課,");
  });

  for (const lang of ['ja', 'en'] as const)
    for (const format of ['csv', 'csv-sjis', 'xlsx'] as const)
      it(`the ${lang === 'ja' ? 'Japanese' : 'English'} ${format} download imports back without a change (two 総務課, a closed unit, 「-」 as 職名)`, async () => {
        const before = await everyone();
        const bytes = await download(format, lang, await unitReferences(ctx));
        const job = await previewImport(ctx, admin, 'people', `people.${format === 'xlsx' ? 'xlsx' : 'csv'}`, bytes);
        expect(job.errors).toEqual([]);
        expect(job.total_rows).toBe(before.length);
        await (await startImport(ctx, admin, job.id)).finished;
        expect((await getImportJob(ctx, job.id))!.status).toBe('done');
        expect(await everyone()).toEqual(before);
        expect(before.find((p) => p.email === 'dl1@pref.example.jp')!.title).toBe('-');
      });

  it('written by name alone (without the references), the two 総務課 are refused as ambiguous, naming the row, the column and the candidates', async () => {
    const job = await previewImport(ctx, admin, 'people', 'people.csv', await download('csv', 'ja', new Map()));
    const ambiguous = job.errors.filter((e) => e.message === 'imports.unitAmbiguous');
    const soumu = { value: '総務課', candidates: '「健康医療福祉部／総務課」、「総務部／総務課」' };
    const otsu = { value: '大津市', candidates: '「大津市（252018）」、「大津市（252026）」' };
    expect(ambiguous.map((e) => [e.field, e.params]).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)))).toEqual(
      [['unit', soumu], ['unit', soumu], ['unit', otsu], ['unit', otsu]].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))),
    );
    expect(ambiguous.every((e) => e.line > 1)).toBe(true);
  });
});
