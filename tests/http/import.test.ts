import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importJobRepository } from '../../src/db/repositories/import-job.repository.js';
import { createUnit } from '../../src/services/unit.service.js';
import { createTestDb, type TestDb, testContext } from '../support/db.js';
import { Agent, appFor, makeUser } from '../support/http.js';
import { makeOffering } from '../support/offerings.js';

/** Imports over HTTP as the 研修担当 uses them (issue 16 §2.4, issue 18 §3). */
let tdb: TestDb;
let ctx: ReturnType<typeof testContext>;
let agent: Agent;
let admin: { id: number; email: string };

beforeAll(async () => {
  tdb = await createTestDb();
  ctx = testContext(tdb);
  admin = await makeUser(ctx, ['admin', 'staff'], { email: 'http-import@pref.example.jp' });
  const dept = await createUnit(ctx, admin, { kind: 'department', name: '総務部', kana: 'ソウムブ' });
  await createUnit(ctx, admin, { kind: 'division', name: '人事課', kana: 'ジンジカ', parentId: dept.id });
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
