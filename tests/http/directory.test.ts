import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readXlsx } from '../../src/lib/xlsx.js';
import { loadSampleData } from '../../src/services/sample-data/sample-data.service.js';
import { createPerson } from '../../src/services/person.service.js';
import { createTestDb, type TestDb, testContext } from '../support/db.js';
import { Agent, appFor, makeUser } from '../support/http.js';

let tdb: TestDb;
let ctx: ReturnType<typeof testContext>;
let admin: Agent;

beforeAll(async () => {
  tdb = await createTestDb();
  ctx = testContext(tdb);
  await loadSampleData(ctx, null);
  const { app } = appFor(ctx);
  const u = await makeUser(ctx, ['admin', 'staff'], { email: 'dir-admin@pref.example.jp', name: '管理 一郎', kana: 'カンリ イチロウ' });
  admin = new Agent(app);
  await admin.login(u.email);
});
afterAll(() => tdb.close());

function cellTexts(html: string): string[] {
  return [...html.matchAll(/<span class="kana">([^<]*)<\/span>/g)].map((m) => m[1]);
}

describe('people pages', () => {
  it('lists 50 per page in 50音順, sorts by a column both ways, and pages', async () => {
    const p1 = await (await admin.get('/admin/people')).text();
    const kanas = cellTexts(p1);
    expect(kanas).toHaveLength(50);
    expect([...kanas].sort()).toEqual(kanas);
    expect(p1).toContain('aria-sort="ascending"');
    const p2 = await (await admin.get('/admin/people?page=2')).text();
    expect(cellTexts(p2)[0] >= kanas[49]).toBe(true);
    const desc = cellTexts(await (await admin.get('/admin/people?sort=kana&dir=desc')).text());
    expect([...desc].sort().reverse()).toEqual(desc);
  });

  it('searches on a normalised copy: half-width kana, hiragana, email', async () => {
    const html = await (await admin.get(`/admin/people?q=${encodeURIComponent('ｶﾝﾘ')}`)).text();
    expect(html).toContain('管理 一郎');
    const html2 = await (await admin.get(`/admin/people?q=${encodeURIComponent('かんり いちろう')}`)).text();
    expect(html2).toContain('管理 一郎');
  });

  it('creates, edits and deactivates a person through the forms, with messages at each field', async () => {
    const bad = await admin.post('/admin/people', { name: '', kana: 'abc', email: 'bad', affiliation: 'prefecture', roles: 'staff' });
    expect(bad.status).toBe(422);
    const html = await bad.text();
    expect(html).toContain('class="error-summary"');
    expect(html).toContain('href="#f-name"');
    expect(html).toContain('aria-invalid="true"');
    expect(html).toContain('フリガナはカタカナまたはひらがなで入力してください。');
    const ok = await admin.post('/admin/people', { name: '新規 職員', kana: 'シンキ ショクイン', email: 'shinki@pref.example.jp', affiliation: 'prefecture', roles: ['staff', 'approver'] });
    expect(ok.status).toBe(303);
    const loc = ok.headers.get('location')!;
    const id = loc.match(/\/admin\/people\/(\d+)/)![1];
    const edit = await admin.post(`/admin/people/${id}`, { name: '新規 職員改', kana: 'シンキ ショクインカイ', email: 'shinki@pref.example.jp', affiliation: 'municipality', roles: 'staff' });
    expect(edit.status).toBe(303);
    const page = await (await admin.get(edit.headers.get('location')!)).text();
    expect(page).toContain('value="新規 職員改"');
    expect(page).toContain('保存しました。');
    // Deactivating asks first: without the confirmation nothing changes.
    const unconfirmed = await admin.post(`/admin/people/${id}/deactivate`);
    expect(unconfirmed.status).toBe(422);
    expect(await unconfirmed.text()).toContain('ログインできなくなり');
    expect(await (await admin.get('/admin/people?q=shinki')).text()).toContain('新規 職員改');
    expect((await admin.post(`/admin/people/${id}/deactivate`, { confirmDeactivate: 'yes' })).status).toBe(303);
    const list = await (await admin.get('/admin/people?q=shinki')).text();
    expect(list).not.toContain('新規 職員改');
    const audit = await (await admin.get(`/admin/audit?entity=person&entityId=${id}`)).text();
    expect(audit).toContain('無効にした');
    expect(audit).toContain('変更');
    expect(audit).toContain('管理 一郎');
  });

  it('downloads the list as CSV (UTF-8 with BOM), CSV (Shift_JIS) and xlsx, all in the same 50音順', async () => {
    const csv = await admin.get('/admin/people.csv');
    expect(csv.headers.get('content-type')).toContain('text/csv');
    expect(csv.headers.get('content-disposition')).toContain("filename*=UTF-8''people.csv");
    const bytes = new Uint8Array(await csv.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = new TextDecoder().decode(bytes.slice(3)).trim().split('\r\n');
    expect(lines[0]).toBe('氏名,フリガナ,メールアドレス,職員番号,職名,所属,所属区分,役割,状態');
    const partnerContacts = await ctx.db.selectFrom('people').select('id').where('affiliation', '=', 'partner').execute();
    expect(lines.length, lines.slice(-3).join('\n')).toBe(203 + partnerContacts.length); // header + 200 sample staff + the sample sign-in admin + this admin + partners' members
    const sjis = await admin.get('/admin/people.csv?encoding=shift_jis');
    const text = iconv.decode(Buffer.from(await sjis.arrayBuffer()), 'cp932');
    expect(text.split('\r\n')[0]).toBe(lines[0]);
    // A name Shift_JIS cannot hold: a page says which and where, and offers UTF-8 or 〓 (issue 17).
    await createPerson(ctx, null, { name: '𠮷田 花子', kana: 'ヨシダ ハナコ', email: 'yoshida-tsuchi@pref.example.jp', affiliation: 'prefecture' });
    const refused = await admin.get('/admin/people.csv?encoding=shift_jis');
    expect(refused.status).toBe(422);
    const page = await refused.text();
    expect(page).toContain('Shift_JISでは書き出せない文字があります');
    expect(page).toContain('𠮷');
    expect(page).toContain('U+20BB7');
    expect(page).toContain('href="/admin/people.csv"');
    expect(page).toContain('href="/admin/people.csv?encoding=shift_jis&amp;unencodable=geta"');
    const geta = await admin.get('/admin/people.csv?encoding=shift_jis&unencodable=geta');
    expect(geta.status).toBe(200);
    expect(iconv.decode(Buffer.from(await geta.arrayBuffer()), 'cp932')).toContain('〓田 花子');
    const xlsx = await admin.get('/admin/people.xlsx');
    const [sheet] = await readXlsx(new Uint8Array(await xlsx.arrayBuffer()));
    expect(sheet.rows).toHaveLength(203 + partnerContacts.length);
    const kanas = sheet.rows.map((r) => r['フリガナ']);
    expect([...kanas].sort()).toEqual(kanas);
  });
});

describe('units pages', () => {
  it('shows the tree: each 部局 followed by its 課・室, then 市町 with codes', async () => {
    const html = await (await admin.get('/admin/units')).text();
    const i = html.indexOf('総務部');
    expect(html.indexOf('人事課')).toBeGreaterThan(i);
    expect(html).toContain('252018');
    expect(html.indexOf('大津市')).toBeGreaterThan(html.indexOf('防災危機管理課'));
  });

  it('refuses a municipality with a wrong check digit, naming the field', async () => {
    const res = await admin.post('/admin/units', { kind: 'municipality', name: '架空市', kana: 'カクウシ', code: '252019' });
    expect(res.status).toBe(422);
    expect(await res.text()).toContain('団体コードは6桁の全国地方公共団体コード（検査数字を含む）で入力してください。');
  });

  it('exports units as xlsx with the parent names', async () => {
    const res = await admin.get('/admin/units.xlsx');
    const [sheet] = await readXlsx(new Uint8Array(await res.arrayBuffer()));
    const jinji = sheet.rows.find((r) => r['組織名'] === '人事課')!;
    expect(jinji['上位組織']).toBe('総務部');
    expect(sheet.rows.find((r) => r['組織名'] === '大津市')!['団体コード']).toBe('252018');
  });
});

describe('outbox, programmes and password reset', () => {
  it('shows mail that would have gone out when no SMTP is configured, including a reset link that works', async () => {
    await makeUser(ctx, ['staff'], { email: 'forgetful@pref.example.jp' });
    const anon = new Agent(admin.app);
    const r = await anon.post('/password/forgot', { email: 'forgetful@pref.example.jp' });
    expect(r.status).toBe(303);
    // Unknown addresses get the same answer.
    const r2 = await anon.post('/password/forgot', { email: 'nobody@pref.example.jp' });
    expect(r2.headers.get('location')).toBe(r.headers.get('location'));
    const html = await (await admin.get('/admin/outbox')).text();
    expect(html).toContain('SMTPサーバーが設定されていないため');
    expect(html).toContain('【Kyodo】パスワードの再設定');
    const token = html.match(/\/password\/set\/([\w-]+)/)![1];
    expect((await anon.get(`/password/set/${token}`)).status).toBe(200);
    const mismatch = await anon.post(`/password/set/${token}`, { password: 'another pass 2026', passwordConfirm: 'different 2026x' });
    expect(mismatch.status).toBe(422);
    expect(await mismatch.text()).toContain('パスワード（確認）が一致しません。');
    const ok = await anon.post(`/password/set/${token}`, { password: 'another pass 2026', passwordConfirm: 'another pass 2026' });
    expect(ok.status).toBe(303);
    await anon.login('forgetful@pref.example.jp', 'another pass 2026');
    expect((await anon.get(`/password/set/${token}`)).status).toBe(404);
  });

  it('shows the programmes with their lineage and fiscal years in wareki', async () => {
    const html = await (await admin.get('/admin/programmes')).text();
    expect(html).toContain('NPO・協働研修');
    expect(html).toContain('平成11年度 (1999) – 平成18年度 (2006)');
    expect(html).toContain('平成19年度 (2007)から');
  });
});
