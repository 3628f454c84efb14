import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { translator } from '../../src/i18n/index.js';
import { apply as applyFor } from '../../src/services/application.service.js';
import { getImportJob, previewImport, previewRosterImport, type RosterImportRow, startImport } from '../../src/services/import.service.js';
import { importTemplate } from '../../src/services/import-template.service.js';
import { createUnit } from '../../src/services/unit.service.js';
import { toCurrentUser } from '../../src/services/context.js';
import { personRepository } from '../../src/db/repositories/person.repository.js';
import { createTestDb, type TestDb, testContext } from '../support/db.js';
import { makeUser } from '../support/http.js';
import { makeOffering } from '../support/offerings.js';

/**
 * Imports from Excel (issue 16 §2.4) and set-based apply (issue 18 §3): cells typed as numbers,
 * dates and links come out as the person who typed them reads them; the templates read back; a
 * participant list is applied into an offering all or nothing.
 */
let tdb: TestDb;
let ctx: ReturnType<typeof testContext>;
let admin: { id: number; email: string };

beforeAll(async () => {
  tdb = await createTestDb();
  ctx = testContext(tdb);
  admin = await makeUser(ctx, ['admin', 'staff'], { email: 'xlsx-admin@pref.example.jp' });
  const dept = await createUnit(ctx, admin, { kind: 'department', name: '総務部', kana: 'ソウムブ' });
  await createUnit(ctx, admin, { kind: 'division', name: '人事課', kana: 'ジンジカ', parentId: dept.id });
}, 60_000);
afterAll(() => tdb.close());

type Cell = ExcelJS.CellValue | { value: ExcelJS.CellValue; numFmt: string };

/** A workbook of one sheet, cells as typed in Excel (a number with a format is `{ value, numFmt }`). */
async function book(rows: Cell[][], opts: { sheet?: string; before?: string } = {}): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  if (opts.before) wb.addWorksheet(opts.before).addRow(['メモ', '取り込まないシート']);
  const ws = wb.addWorksheet(opts.sheet ?? 'Sheet1');
  rows.forEach((r, i) =>
    r.forEach((c, j) => {
      const cell = ws.getRow(i + 1).getCell(j + 1);
      if (c && typeof c === 'object' && 'numFmt' in c && !(c instanceof Date)) {
        cell.value = c.value;
        cell.numFmt = c.numFmt;
      } else cell.value = c as ExcelJS.CellValue;
    }),
  );
  return new Uint8Array(await wb.xlsx.writeBuffer());
}

const people = () => tdb.db.selectFrom('people').select(['name', 'kana', 'email', 'staff_number']);

describe('people from .xlsx', () => {
  it('keeps a staff number typed as a number with leading zeros shown, reads links and rich text, and names rows as Excel numbers them', async () => {
    const file = await book(
      [
        ['氏名（必須）', 'フリガナ', 'メールアドレス', '職員番号', '所属', '所属区分'],
        ['数値 一郎', 'スウチ イチロウ', { text: 'suuchi@pref.example.jp', hyperlink: 'mailto:suuchi@pref.example.jp' }, { value: 1234, numFmt: '000000' }, '人事課', '県'],
        [{ richText: [{ text: '文字 ' }, { text: '二郎', font: { bold: true } }] }, 'もじ じろう', 'moji@pref.example.jp', '001235', '総務部/人事課', '県'],
        [],
        ['誤り 三郎', 'ゴアヤマリ サブロウ', 'not-an-email', 1236, '存在しない課', '県'],
      ],
      { before: 'メモ' },
    );
    const bad = await previewImport(ctx, admin, 'people', 'staff.xlsx', file);
    expect(bad.encoding).toBe('xlsx');
    // Row 5 in Excel (an empty row 4 in between), each wrong column named.
    expect(bad.errors.map((e) => [e.line, e.field, e.message])).toEqual([
      [5, 'email', 'error.email'],
      [5, 'unit', 'error.unitNotFound'],
    ]);
    const good = await book([
      ['氏名（必須）', 'フリガナ', 'メールアドレス', '職員番号', '所属', '所属区分'],
      ['数値 一郎', 'スウチ イチロウ', { text: 'suuchi@pref.example.jp', hyperlink: 'mailto:suuchi@pref.example.jp' }, { value: 1234, numFmt: '000000' }, '人事課', '県'],
      [{ richText: [{ text: '文字 ' }, { text: '二郎', font: { bold: true } }] }, 'もじ じろう', 'moji@pref.example.jp', '001235', '総務部/人事課', '県'],
    ]);
    const job = await previewImport(ctx, admin, 'people', 'staff.xlsx', good);
    expect(job.errors).toEqual([]);
    await (await startImport(ctx, admin, job.id)).finished;
    expect((await getImportJob(ctx, job.id))!.status).toBe('done');
    expect(await people().where('email', 'in', ['suuchi@pref.example.jp', 'moji@pref.example.jp']).orderBy('email', 'desc').execute()).toEqual([
      { name: '数値 一郎', kana: 'スウチ イチロウ', email: 'suuchi@pref.example.jp', staff_number: '001234' },
      { name: '文字 二郎', kana: 'モジ ジロウ', email: 'moji@pref.example.jp', staff_number: '001235' },
    ]);
  });

  it('refuses an old .xls and a broken workbook with a message at the file field', async () => {
    const xls = new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0, 0]);
    await expect(previewImport(ctx, admin, 'people', 'old.xls', xls)).rejects.toMatchObject({ status: 422, fields: { file: { key: 'error.csv' } }, params: { detail: expect.stringContaining('.xls') } });
    const zip = new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3, 4, 5]);
    await expect(previewImport(ctx, admin, 'people', 'broken.xlsx', zip)).rejects.toMatchObject({ status: 422, params: { detail: expect.stringContaining('.xlsx') } });
  });

  it('says which rows name the same registered person twice, or an email another person holds, before anything is applied', async () => {
    const seed = await book([
      ['氏名', 'フリガナ', 'メールアドレス', '職員番号', '所属区分'],
      ['重複 花子', 'チョウフク ハナコ', 'hanako@pref.example.jp', '200001', '県'],
      ['別人 太郎', 'ベツジン タロウ', 'taro@pref.example.jp', '200002', '県'],
    ]);
    await (await startImport(ctx, admin, (await previewImport(ctx, admin, 'people', 'seed.xlsx', seed)).id)).finished;
    const file = await book([
      ['氏名', 'フリガナ', 'メールアドレス', '職員番号', '所属区分'],
      ['重複 花子', 'チョウフク ハナコ', 'hanako.new@pref.example.jp', '200001', '県'], // by staff number
      ['重複 花子', 'チョウフク ハナコ', 'hanako@pref.example.jp', '', '県'], // by email: the same person again
      ['別人 太郎', 'ベツジン タロウ', 'hanako.new2@pref.example.jp', '200002', '県'],
      ['別人 太郎', 'ベツジン タロウ', 'taro@pref.example.jp', '200003', '県'], // a new staff number, but by email the same person as line 4
    ]);
    const job = await previewImport(ctx, admin, 'people', 'dupe.xlsx', file);
    expect(job.errors.map((e) => [e.line, e.field, e.message, e.params?.line])).toEqual([
      [3, 'email', 'imports.samePerson', 2],
      [5, 'email', 'imports.samePerson', 4],
    ]);
  });
});

describe('職名 from .xlsx', () => {
  const HEAD = ['氏名', 'フリガナ', 'メールアドレス', '職員番号', '職名', '所属区分'];
  const titles = (emails: string[]) => tdb.db.selectFrom('people').select(['email', 'title']).where('email', 'in', emails).orderBy('email').execute();

  it('gives new people their 職名, changes a registered person\'s, and an empty cell removes it', async () => {
    const first = await book([HEAD, ['表 一子', 'オモテ イチコ', 'xt1@pref.example.jp', '720001', '主査', '県'], ['表 二子', 'オモテ ニコ', 'xt2@pref.example.jp', '720002', { richText: [{ text: '課長' }, { text: '補佐', font: { bold: true } }] }, '県']]);
    const job = await previewImport(ctx, admin, 'people', 'titles.xlsx', first);
    expect(job.errors).toEqual([]);
    await (await startImport(ctx, admin, job.id)).finished;
    expect(await titles(['xt1@pref.example.jp', 'xt2@pref.example.jp'])).toEqual([
      { email: 'xt1@pref.example.jp', title: '主査' },
      { email: 'xt2@pref.example.jp', title: '課長補佐' },
    ]);
    // Row 2 changes 職名, row 3 leaves the cell empty (no value at all in the sheet).
    const second = await book([HEAD, ['表 一子', 'オモテ イチコ', 'xt1@pref.example.jp', '720001', '係長', '県'], ['表 二子', 'オモテ ニコ', 'xt2@pref.example.jp', '720002', null, '県']]);
    const again = await previewImport(ctx, admin, 'people', 'titles.xlsx', second);
    expect(again.rows).toMatchObject([
      { jobTitle: '係長', existing: { jobTitle: '主査' } },
      { jobTitle: null, existing: { jobTitle: '課長補佐' } },
    ]);
    await (await startImport(ctx, admin, again.id)).finished;
    expect(await titles(['xt1@pref.example.jp', 'xt2@pref.example.jp'])).toEqual([
      { email: 'xt1@pref.example.jp', title: '係長' },
      { email: 'xt2@pref.example.jp', title: null },
    ]);
  });

  it('refuses the whole workbook when a 職名 is over 100 characters, naming the Excel row and the column; nothing is saved', async () => {
    const before = await tdb.db.selectFrom('people').select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow();
    const file = await book([HEAD, ['長 一', 'チョウ ハジメ', 'xt3@pref.example.jp', '720003', '主査', '県'], [], ['長 二', 'チョウ ジ', 'xt4@pref.example.jp', '720004', 'あ'.repeat(101), '県']]);
    const job = await previewImport(ctx, admin, 'people', 'long.xlsx', file);
    expect(job.errors.map((e) => [e.line, e.field, e.message])).toEqual([[4, 'jobTitle', 'error.tooLong']]);
    await expect(startImport(ctx, admin, job.id)).rejects.toMatchObject({ code: 'import_errors' });
    expect(await tdb.db.selectFrom('people').select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow()).toEqual(before);
  });
});

describe('training history from .xlsx', () => {
  it('takes 年度 typed as a date (its fiscal year), as a number or in wareki, and 修了 typed as TRUE', async () => {
    await makeUser(ctx, ['staff'], { email: 'history@pref.example.jp' });
    await tdb.db.updateTable('people').set({ staff_number: '000777' }).where('email', '=', 'history@pref.example.jp').execute();
    const file = await book([
      ['職員番号', '年度', '研修名', '修了'],
      [{ value: 777, numFmt: '000000' }, new Date(Date.UTC(2012, 2, 31)), '協働入門（年度末）', true],
      ['000777', 2013, '協働入門', '修了'],
      ['000777', '平成23年度', '協働実践', false],
    ]);
    const job = await previewImport(ctx, admin, 'history', 'history.xlsx', file);
    expect(job.errors).toEqual([]);
    expect((job.rows as { fiscalYear: number; completed: boolean }[]).map((r) => [r.fiscalYear, r.completed])).toEqual([
      [2011, true], // 2012-03-31 falls in fiscal year 2011
      [2013, true],
      [2011, false],
    ]);
    await (await startImport(ctx, admin, job.id)).finished;
    const audited = await sql<{ n: number }>`SELECT count(*)::int AS n FROM audit_log WHERE entity = 'training_record' AND action = 'import_create'`.execute(tdb.db);
    expect(audited.rows[0].n).toBe(3);
  });
});

describe('templates', () => {
  it('gives each kind an .xlsx with the Japanese header, required columns marked and a guide sheet, which imports once filled in', async () => {
    const t = translator('ja');
    const out = await importTemplate('people', 'xlsx', t);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(out.body) as unknown as ArrayBuffer);
    const [data, guide] = wb.worksheets;
    // 職名 last (a template filled in by column position before it came still fits); 状態 (only checked on import) is not offered.
    expect(data.getRow(1).values).toEqual([undefined, '氏名（必須）', 'フリガナ（必須）', 'メールアドレス（必須）', '職員番号', '所属', '所属区分（必須）', '役割', '職名']);
    expect(data.getColumn(4).width).toBeGreaterThanOrEqual(10);
    expect(guide.name).toBe('説明');
    const guideRows = guide.getSheetValues().filter(Boolean).map((r) => (r as unknown[]).slice(1));
    expect(guideRows).toContainEqual(['職員番号', '任意', expect.stringContaining('先頭の0'), '012345']);
    expect(guideRows).toContainEqual(['職名', '任意', expect.stringContaining('空欄にすると、その職員の職名を消します'), '主査']);
    // Filled in as an office would: typed into the text-formatted cells.
    data.getRow(2).values = ['記入 太郎', 'キニュウ タロウ', 'kinyu@pref.example.jp', '012345', '人事課', '県', '職員', '主査'];
    const job = await previewImport(ctx, admin, 'people', 'template.xlsx', new Uint8Array(await wb.xlsx.writeBuffer()));
    expect(job.errors).toEqual([]);
    expect(job.rows).toMatchObject([{ line: 2, staffNumber: '012345', jobTitle: '主査' }]);
    const csvPeople = new TextDecoder('utf-8', { ignoreBOM: true }).decode((await importTemplate('people', 'csv', t)).body);
    expect(csvPeople).toBe('\ufeff氏名（必須）,フリガナ（必須）,メールアドレス（必須）,職員番号,所属,所属区分（必須）,役割,職名\r\n');
    const csvTemplate = new TextDecoder('utf-8', { ignoreBOM: true }).decode((await importTemplate('roster', 'csv', t)).body);
    expect(csvTemplate).toBe('\ufeff職員番号,メールアドレス,氏名（必須）\r\n');
  });
});

describe('a participant list into an offering', () => {
  it('previews who is added with which status, refuses unknown, repeated, mismatched and already applied people, then applies all at once', async () => {
    const offering = await makeOffering(ctx, { capacity: 2, waitlist: true });
    const members = [];
    for (let i = 1; i <= 4; i++) {
      const p = await makeUser(ctx, ['staff'], { email: `roster${i}@pref.example.jp`, name: `名簿 ${i}郎`, kana: 'メイボ' });
      await tdb.db.updateTable('people').set({ staff_number: `30000${i}` }).where('id', '=', p.id).execute();
      members.push(p);
    }
    const applied = members[3];
    const me = toCurrentUser((await personRepository.find(tdb.db, applied.id))!);
    await applyFor(ctx, me, offering.id, {});
    const header = ['職員番号', 'メールアドレス', '氏名'];
    const bad = await previewRosterImport(
      ctx,
      admin,
      offering.id,
      '名簿.xlsx',
      await book([
        header,
        ['300001', '', '名簿 1郎'],
        ['', 'roster2@pref.example.jp', '名簿　2郎'], // a full-width space is the same name
        ['399999', '', '不明 太郎'],
        ['300001', '', '名簿 1郎'],
        ['300003', '', '別の 名前'],
        ['300004', '', '名簿 4郎'],
      ]),
    );
    expect(bad.errors.map((e) => [e.line, e.field, e.message])).toEqual([
      [4, 'staffNumber', 'error.personNotFound'],
      [5, 'staffNumber', 'imports.duplicateInFile'],
      [6, 'name', 'imports.rosterNameMismatch'],
      [7, 'staffNumber', 'error.alreadyApplied'],
    ]);
    await expect(startImport(ctx, admin, bad.id)).rejects.toMatchObject({ code: 'import_errors' });

    const good = await previewRosterImport(
      ctx,
      admin,
      offering.id,
      '名簿.csv',
      new TextEncoder().encode(['職員番号,氏名', '300001,名簿 1郎', '300002,名簿 2郎', '300003,名簿 3郎'].join('\r\n')),
    );
    expect(good.errors).toEqual([]);
    // One seat was taken by the person who applied themselves: one more confirmed, then the waitlist.
    expect((good.rows as RosterImportRow[]).map((r) => [r.line, r.name, r.status])).toEqual([
      [2, '名簿 1郎', 'confirmed'],
      [3, '名簿 2郎', 'waitlisted'],
      [4, '名簿 3郎', 'waitlisted'],
    ]);
    const outboxBefore = (await sql<{ n: number }>`SELECT count(*)::int AS n FROM outbox`.execute(tdb.db)).rows[0].n;
    const progress: number[] = [];
    await (await startImport(ctx, admin, good.id, { onProgress: (n) => progress.push(n) })).finished;
    expect((await getImportJob(ctx, good.id))!.status).toBe('done');
    expect(progress.at(-1)).toBe(3);
    const apps = await tdb.db.selectFrom('applications').select(['person_id', 'status', 'answers_pending']).where('offering_id', '=', offering.id).orderBy('person_id').execute();
    expect(apps.map((a) => [a.person_id, a.status])).toEqual([
      [members[0].id, 'confirmed'],
      [members[1].id, 'waitlisted'],
      [members[2].id, 'waitlisted'],
      [members[3].id, 'confirmed'],
    ]);
    // Each person is mailed (through the outbox, committed with the applications).
    expect((await sql<{ n: number }>`SELECT count(*)::int AS n FROM outbox`.execute(tdb.db)).rows[0].n).toBe(outboxBefore + 3);
  });

  it('applies nothing, and names the row, when someone on the list applied between the preview and the import', async () => {
    const offering = await makeOffering(ctx, { capacity: 5 });
    const a = await makeUser(ctx, ['staff'], { email: 'race-a@pref.example.jp', name: '競合 一' });
    const b = await makeUser(ctx, ['staff'], { email: 'race-b@pref.example.jp', name: '競合 二' });
    const job = await previewRosterImport(ctx, admin, offering.id, 'race.csv', new TextEncoder().encode('メールアドレス,氏名\r\nrace-a@pref.example.jp,競合 一\r\nrace-b@pref.example.jp,競合 二'));
    expect(job.errors).toEqual([]);
    await applyFor(ctx, toCurrentUser((await personRepository.find(tdb.db, b.id))!), offering.id, {});
    const outboxBefore = (await sql<{ n: number }>`SELECT count(*)::int AS n FROM outbox`.execute(tdb.db)).rows[0].n;
    await (await startImport(ctx, admin, job.id)).finished;
    const done = (await getImportJob(ctx, job.id))!;
    expect(done.status).toBe('failed');
    expect(done.errors).toEqual([{ line: 3, field: 'email', message: 'error.alreadyApplied' }]);
    const apps = await tdb.db.selectFrom('applications').select('person_id').where('offering_id', '=', offering.id).execute();
    expect(apps.map((x) => x.person_id)).toEqual([b.id]);
    expect(apps.map((x) => x.person_id)).not.toContain(a.id);
    expect((await sql<{ n: number }>`SELECT count(*)::int AS n FROM outbox`.execute(tdb.db)).rows[0].n).toBe(outboxBefore);
  });
});
