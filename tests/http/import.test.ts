import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importJobRepository } from '../../src/db/repositories/import-job.repository.js';
import { runningImport, unitReferences } from '../../src/services/import.service.js';
import { createPerson } from '../../src/services/person.service.js';
import { createUnit } from '../../src/services/unit.service.js';
import { createTestDb, type TestDb, testContext } from '../support/db.js';
import { Agent, appFor, makeUser } from '../support/http.js';
import { makeOffering } from '../support/offerings.js';

/** Imports over HTTP as the 研修担当 uses them (issue 16 §2.4, issue 18 §3). */
let tdb: TestDb;
let ctx: ReturnType<typeof testContext>;
let agent: Agent;
let admin: { id: number; email: string };
let unitId: number;

beforeAll(async () => {
  tdb = await createTestDb();
  ctx = testContext(tdb);
  admin = await makeUser(ctx, ['admin', 'staff'], { email: 'http-import@pref.example.jp' });
  const dept = await createUnit(ctx, admin, { kind: 'department', name: '総務部', kana: 'ソウムブ' });
  unitId = (await createUnit(ctx, admin, { kind: 'division', name: '人事課', kana: 'ジンジカ', parentId: dept.id })).id;
  agent = new Agent(appFor(ctx).app);
  await agent.login(admin.email);
}, 60_000);
afterAll(() => tdb.close());

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

async function workbook(res: Response) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(Buffer.from(await res.arrayBuffer()) as unknown as ArrayBuffer);
  return wb;
}

/** Waits for the import of the job at this page's address, if it still runs (a busy machine may take longer than the request waits). */
const finished = (at: string) => runningImport(Number(at.split('/').pop()));

async function upload(path: string, name: string, bytes: Uint8Array, type: string) {
  const form = new FormData();
  form.append('file', new File([bytes as Uint8Array<ArrayBuffer>], name, { type }));
  return agent.postMultipart(path, form);
}

describe('imports over HTTP', () => {
  it('offers a template of each kind, which opens in Excel with the header, required marks and the guide', async () => {
    const list = await (await agent.get('/admin/imports')).text();
    for (const kind of ['people', 'units', 'history', 'partners', 'roster']) {
      expect(list).toContain(`/admin/imports/templates/${kind}.xlsx`);
      expect(list).toContain(`/admin/imports/templates/${kind}.csv`);
    }
    const res = await agent.get('/admin/imports/templates/history.xlsx');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(XLSX);
    expect(res.headers.get('content-disposition')).toContain('kyodo-import-history.xlsx');
    const wb = await workbook(res);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['入力', '説明']);
    expect(wb.worksheets[0].getRow(1).values).toEqual([undefined, '職員番号', 'メールアドレス', '年度（必須）', '研修事業', '研修名（必須）', '修了（必須）', '備考']);
    const csv = await agent.get('/admin/imports/templates/people.csv');
    expect(csv.headers.get('content-type')).toContain('text/csv');
    expect((await agent.get('/admin/imports/templates/nothing.xlsx')).status).toBe(404);
    // Not for staff.
    const staff = await makeUser(ctx, ['staff']);
    const other = new Agent(appFor(ctx).app);
    await other.login(staff.email);
    expect([403, 404]).toContain((await other.get('/admin/imports/templates/people.xlsx')).status);
  });

  it('uploads an .xlsx, previews it, and imports it all at once', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('入力');
    ws.addRow(['氏名（必須）', 'フリガナ（必須）', 'メールアドレス（必須）', '職員番号', '所属', '所属区分（必須）']);
    ws.addRow(['画面 一郎', 'ガメン イチロウ', 'gamen1@pref.example.jp', '040001', '人事課', '県']);
    const row = ws.addRow(['画面 二郎', 'ガメン ジロウ', 'gamen2@pref.example.jp', 40002, '人事課', '県']);
    row.getCell(4).numFmt = '000000';
    const posted = await upload('/admin/imports?kind=people', '職員.xlsx', new Uint8Array(await wb.xlsx.writeBuffer()), XLSX);
    expect(posted.status).toBe(303);
    const at = posted.headers.get('location')!;
    const preview = await (await agent.get(at)).text();
    expect(preview).toContain('職員.xlsx');
    expect(preview).toContain('xlsx');
    expect(preview).toContain('040002');
    expect(preview).toContain('2行を取り込む');
    const applied = await agent.post(`${at}/apply`);
    expect(applied.status).toBe(303);
    await finished(at);
    expect(await (await agent.get(at)).text()).toContain('2行を取り込みました。');
    const p = await tdb.db.selectFrom('people').select('staff_number').where('email', '=', 'gamen2@pref.example.jp').executeTakeFirstOrThrow();
    expect(p.staff_number).toBe('040002');
  });

  it('names the row and column of each error in an .xlsx, and imports nothing', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('入力');
    ws.addRow(['氏名', 'フリガナ', 'メールアドレス', '所属区分']);
    ws.addRow(['正しい 行', 'タダシイ ギョウ', 'right@pref.example.jp', '県']);
    ws.addRow(['誤り 行', 'アヤマリ ギョウ', 'wrong-at-example', '県庁']);
    const posted = await upload('/admin/imports?kind=people', 'bad.xlsx', new Uint8Array(await wb.xlsx.writeBuffer()), XLSX);
    const html = await (await agent.get(posted.headers.get('location')!)).text();
    expect(html).toContain('誤りのある行');
    expect(html).toMatch(/<td[^>]*>3<\/td>\s*<td[^>]*>メールアドレス<\/td>/);
    expect(html).not.toContain('行を取り込む</button>');
    expect(await tdb.db.selectFrom('people').select('id').where('email', '=', 'right@pref.example.jp').executeTakeFirst()).toBeUndefined();
  });

  it('imports a participant list into an offering from the offering page: preview with statuses, then applications', async () => {
    const offering = await makeOffering(ctx, { capacity: 1, waitlist: true });
    const a = await makeUser(ctx, ['staff'], { email: 'list-a@pref.example.jp', name: '名簿 花子' });
    const b = await makeUser(ctx, ['staff'], { email: 'list-b@pref.example.jp', name: '名簿 次郎' });
    const page = await (await agent.get(`/admin/offerings/${offering.id}`)).text();
    const link = `/admin/imports/new?kind=roster&amp;offering=${offering.id}`;
    expect(page).toContain(link);
    const form = await (await agent.get(`/admin/imports/new?kind=roster&offering=${offering.id}`)).text();
    expect(form).toContain(offering.title);
    expect(form).toContain('受講者名簿の取込み');
    const csv = new TextEncoder().encode('メールアドレス,氏名（必須）\r\nlist-a@pref.example.jp,名簿 花子\r\nlist-b@pref.example.jp,名簿 次郎\r\n');
    const posted = await upload(`/admin/imports?kind=roster&offering=${offering.id}`, '名簿.csv', csv, 'text/csv');
    expect(posted.status).toBe(303);
    const at = posted.headers.get('location')!;
    const preview = await (await agent.get(at)).text();
    expect(preview).toContain('受講決定1人、補欠1人、見送り0人');
    expect(preview).toContain('2人を申し込む（2人にメールで知らせます）');
    expect(await (await agent.post(`${at}/apply`)).status).toBe(303);
    await finished(at);
    expect(await (await agent.get(at)).text()).toContain('2人を申し込みました。');
    const apps = await tdb.db.selectFrom('applications').select(['person_id', 'status']).where('offering_id', '=', offering.id).orderBy('id').execute();
    expect(apps).toEqual([
      { person_id: a.id, status: 'confirmed' },
      { person_id: b.id, status: 'waitlisted' },
    ]);
    // Applying the same job again is refused; the page says it is done.
    const again = await agent.post(`${at}/apply`);
    expect(again.status).toBe(303);
    expect(await tdb.db.selectFrom('applications').select('id').where('offering_id', '=', offering.id).execute()).toHaveLength(2);
  });

  it('shows a running import as a progress bar that refreshes itself without JavaScript', async () => {
    const job = await importJobRepository.insert(tdb.db, { kind: 'people', filename: 'big.csv', encoding: 'utf-8', rows: new Array(400).fill({}), errors: [], createdBy: admin.id, now: ctx.now() });
    await importJobRepository.transition(tdb.db, job.id, 'preview', 'running', ctx.now());
    await importJobRepository.progress(tdb.db, job.id, 100, ctx.now());
    const res = await agent.get(`/admin/imports/${job.id}`);
    expect(res.headers.get('refresh')).toBe('2');
    const html = await res.text();
    expect(html).toMatch(/<meta http-equiv="refresh" content="2"/);
    expect(html).toMatch(/<progress[^>]*max="400"[^>]*value="100"|<progress[^>]*value="100"[^>]*max="400"/);
    expect(html).toContain('取り込んでいます：100 / 400行（25%）');
    expect(html).toContain('<h1');
    await importJobRepository.finish(tdb.db, job.id, 'failed', ctx.now(), [{ line: 0, message: 'error.server' }]);
    const after = await agent.get(`/admin/imports/${job.id}`);
    expect(after.headers.get('refresh')).toBeNull();
  });
});

/**
 * A downloaded people list imports back as it is (the 研修担当 downloads it, types 職名 in Excel and
 * imports it): in Japanese and English, as CSV and .xlsx, 職名 and everything else stay as they were.
 */
describe('the people list: download → import', () => {
  /** Everything an import writes about each person, by email. */
  const everyone = async () => {
    const rows = await tdb.db
      .selectFrom('people')
      .select(['id', 'name', 'kana', 'email', 'staff_number', 'title', 'unit_id', 'affiliation', 'active'])
      .orderBy('id')
      .execute();
    const roles = await tdb.db.selectFrom('person_roles').select(['person_id', 'role']).orderBy('role').execute();
    return rows.map((p) => ({ ...p, roles: roles.filter((r) => r.person_id === p.id).map((r) => r.role) }));
  };
  /** Uploads a file as a people import; its job (the preview) once read. */
  const preview = async (name: string, bytes: Uint8Array) => {
    const posted = await upload('/admin/imports?kind=people', name, bytes, name.endsWith('.xlsx') ? XLSX : 'text/csv');
    expect(posted.status).toBe(303);
    const id = Number(posted.headers.get('location')!.split('/').pop());
    return (await importJobRepository.find(tdb.db, id))!;
  };
  const apply = async (id: number) => {
    expect((await agent.post(`/admin/imports/${id}/apply`)).status).toBe(303);
    await runningImport(id);
    expect((await importJobRepository.find(tdb.db, id))!.status).toBe('done');
  };

  beforeAll(async () => {
    await createPerson(ctx, admin, { name: '往復 一郎', kana: 'オウフク イチロウ', email: 'rt1@pref.example.jp', staffNumber: '730001', jobTitle: '課長補佐', unitId, affiliation: 'prefecture', roles: ['approver', 'coordinator', 'staff'] });
    await createPerson(ctx, admin, { name: '往復 二子', kana: 'オウフク ニコ', email: 'rt2@pref.example.jp', jobTitle: '主任主事（"総務"担当）, 兼務', affiliation: 'municipality', roles: ['staff'] });
    await createPerson(ctx, admin, { name: '往復 三郎', kana: 'オウフク サブロウ', email: 'rt3@pref.example.jp', staffNumber: '730003', affiliation: 'agency', roles: ['staff'] });
    await createPerson(ctx, admin, { name: '往復 四子', kana: 'オウフク ヨンコ', email: 'rt4@pref.example.jp', jobTitle: '理事', affiliation: 'partner', roles: ['partner'] });
    // 「-」 (a "none" mark) is written 「'-」 by the CSV formula guard, and read back as 「-」.
    await createPerson(ctx, admin, { name: '往復 五郎', kana: 'オウフク ゴロウ', email: 'rt5@pref.example.jp', jobTitle: '-', unitId, affiliation: 'prefecture', roles: ['staff'] });
  });
  afterAll(() => agent.cookies.delete('kyodo_lang'));

  for (const lang of ['ja', 'en'] as const)
    for (const format of ['csv', 'xlsx'] as const)
      it(`the ${lang === 'ja' ? 'Japanese' : 'English'} ${format} download imports back without a change`, async () => {
        agent.cookies.set('kyodo_lang', lang);
        const before = await everyone();
        expect(before.filter((p) => p.email.startsWith('rt')).map((p) => p.title)).toEqual(['課長補佐', '主任主事（"総務"担当）, 兼務', null, '理事', '-']);
        const res = await agent.get(`/admin/people.${format}`);
        expect(res.status).toBe(200);
        const job = await preview(`people.${format}`, new Uint8Array(await res.arrayBuffer()));
        expect(job.errors).toEqual([]);
        expect(job.total_rows).toBe(before.length);
        await apply(job.id);
        expect(await everyone()).toEqual(before);
      });

  it('a 職名 changed in the download is imported; a changed 状態 is refused, naming the row', async () => {
    agent.cookies.set('kyodo_lang', 'ja');
    // The upload page lists the template's columns and says what an empty cell does.
    const form = await (await agent.get('/admin/imports/new?kind=people')).text();
    expect(form).toContain('<code>氏名（必須）,フリガナ（必須）,メールアドレス（必須）,職員番号,所属,所属区分（必須）,役割,職名</code>');
    expect(form).toContain('空欄のセルは、職員番号・職名・所属では「なし」として上書きし');
    expect(form).toContain('職員番号・職名・所属の列がないファイルでは、登録済みの職員のその値は変わりません。');
    const text = new TextDecoder().decode(await (await agent.get('/admin/people.csv')).arrayBuffer());
    expect(text.split('\r\n')[0]).toBe('氏名,フリガナ,メールアドレス,職員番号,職名,所属,所属区分,役割,状態');
    // 所属 as the import reads it back as that very unit (its path from the top, unitReferences).
    expect(text.split('\r\n').find((l) => l.includes('rt1@'))).toContain(`,${(await unitReferences(ctx)).get(unitId)},県,`);
    const changed = await preview('people.csv', new TextEncoder().encode(text.replace(',課長補佐,', ',課長,')));
    expect(changed.errors).toEqual([]);
    await apply(changed.id);
    expect((await tdb.db.selectFrom('people').select('title').where('email', '=', 'rt1@pref.example.jp').executeTakeFirstOrThrow()).title).toBe('課長');

    const lines = text.split('\r\n');
    const at = lines.findIndex((l) => l.includes('rt3@pref.example.jp'));
    lines[at] = lines[at].replace(/,有効$/, ',無効');
    const refused = await preview('people.csv', new TextEncoder().encode(lines.join('\r\n')));
    expect(refused.errors).toEqual([expect.objectContaining({ line: at + 1, field: 'active', message: 'imports.activeStays' })]);
    const html = await (await agent.get(`/admin/imports/${refused.id}`)).text();
    expect(html).toContain('状態は取込みでは変わりません。');
    expect((await tdb.db.selectFrom('people').select('active').where('email', '=', 'rt3@pref.example.jp').executeTakeFirstOrThrow()).active).toBe(true);
  });
});
