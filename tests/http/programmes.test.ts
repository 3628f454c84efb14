import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../../src/services/api-token.service.js';
import { addSession, createOffering, createProgramme } from '../../src/services/offering.service.js';
import { apply } from '../../src/services/application.service.js';
import { createTestDb, type TestDb, testContext } from '../support/db.js';
import { Agent, appFor, makeUser } from '../support/http.js';
import { userOf } from '../support/consultations.js';

let tdb: TestDb;
let ctx: ReturnType<typeof testContext>;
let app: ReturnType<typeof appFor>['app'];
let admin: Agent;
let token: string;
let adminId: number;
let npo: { id: number };
let seminar: { id: number };

const DAY = 86_400_000;

const api = (method: string, path: string, body?: unknown) =>
  app.request(`http://kyodo.test${path}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

beforeAll(async () => {
  tdb = await createTestDb();
  ctx = testContext(tdb); // 2026-11-24 10:00 JST: FY2026
  app = appFor(ctx).app;
  const a = await makeUser(ctx, ['admin', 'staff'], { email: 'programmes-admin@pref.example.jp' });
  adminId = a.id;
  token = (await createApiToken(ctx, null, a.id, { name: 'admin' })).token;
  admin = new Agent(app);
  await admin.login(a.email);
  // The sample lineage, oldest first (the form used to default to the first: NPO・協働研修).
  npo = await createProgramme(ctx, null, { name: 'NPO・協働研修', kind: 'seminar', firstFiscalYear: 1999, lastFiscalYear: 2006 });
  seminar = await createProgramme(ctx, null, { name: '協働推進セミナー', kind: 'seminar', firstFiscalYear: 2007, predecessorId: npo.id });
  await createProgramme(ctx, null, { name: '協働コーディネーター養成講座', kind: 'coordinator_course', firstFiscalYear: 2011 });
});
afterAll(() => tdb.close());

const offeringForm = (programmeId: number | string) => ({
  programmeId: String(programmeId),
  fiscalYear: '2026',
  title: '協働推進セミナー（令和8年度）',
  selection: 'first_come',
  capacity: '20',
  applicationOpensAt: '2026-11-01T09:00',
  applicationClosesAt: '2026-11-30T17:00',
  published: 'on',
});

describe('new offering form', () => {
  it('does not default to a programme, and lists only programmes still running (not NPO・協働研修, ended 平成18年度)', async () => {
    const html = await (await admin.get('/admin/offerings/new')).text();
    const select = html.match(/<select[^>]*name="programmeId"[\s\S]*?<\/select>/)![0];
    expect(select).not.toContain('NPO・協働研修');
    expect(select).toContain('協働推進セミナー');
    // The blank choice comes first and nothing else is selected, so the browser shows 「選択してください」.
    expect(select).toMatch(/<select[^>]*>\s*<option value="">選択してください<\/option>/);
    expect(select).not.toMatch(/<option value="\d+"[^>]*selected/);
    // Publishing is the officer's choice, made when the offering is ready: the box starts unticked.
    const publish = html.match(/<input[^>]*name="published"[^>]*>/)![0];
    expect(publish).not.toContain('checked');
  });

  it('refuses an offering for an ended programme, page and API, with a message at the field; nothing is saved', async () => {
    const before = await tdb.db.selectFrom('offerings').select('id').execute();
    const page = await admin.post('/admin/offerings', offeringForm(npo.id));
    expect(page.status).toBe(422);
    const html = await page.text();
    expect(html).toContain('「NPO・協働研修」は終了した研修事業です');
    expect(html).toContain('平成18年度');
    const res = await api('POST', '/api/v1/offerings', { programmeId: npo.id, fiscalYear: 2026, title: 'x', capacity: 5, selection: 'first_come', applicationOpensAt: '2026-11-01T09:00:00+09:00', applicationClosesAt: '2026-11-30T17:00:00+09:00' });
    expect(res.status).toBe(422);
    expect((await res.json()).error.fields.programmeId).toContain('終了した研修事業');
    const outside = await api('POST', '/api/v1/offerings', { programmeId: seminar.id, fiscalYear: 2006, title: 'x', capacity: 5, selection: 'first_come', applicationOpensAt: '2026-11-01T09:00:00+09:00', applicationClosesAt: '2026-11-30T17:00:00+09:00' });
    expect(outside.status).toBe(422);
    expect((await outside.json()).error.fields.fiscalYear).toContain('実施期間');
    expect(await tdb.db.selectFrom('offerings').select('id').execute()).toHaveLength(before.length);
  });
});

describe('programmes page and API', () => {
  it('creates, edits, closes and links a programme on its page, refusing a loop', async () => {
    const created = await admin.post('/admin/programmes', { name: '協働推進セミナー（新）', kind: 'seminar', firstFiscalYear: 'R9', predecessorId: String(seminar.id) });
    expect(created.status).toBe(303);
    const row = await tdb.db.selectFrom('programmes').selectAll().where('name', '=', '協働推進セミナー（新）').executeTakeFirstOrThrow();
    expect([row.first_fiscal_year, row.predecessor_id]).toEqual([2027, seminar.id]);
    const list = await (await admin.get('/admin/programmes')).text();
    expect(list).toContain('系譜：協働推進セミナー（新） ← 協働推進セミナー ← NPO・協働研修');
    expect(list).toContain(`href="/admin/programmes/${row.id}"`);

    // NPO・協働研修 cannot take its own successor's successor as predecessor.
    const loop = await admin.post(`/admin/programmes/${npo.id}`, { name: 'NPO・協働研修', kind: 'seminar', firstFiscalYear: '1999', lastFiscalYear: '2006', predecessorId: String(row.id) });
    expect(loop.status).toBe(422);
    const loopHtml = await loop.text();
    expect(loopHtml).toContain('前身の研修事業には、この研修事業自身やその後継の研修事業は指定できません');
    // A missing name is named as the programme's 名称, not a person's 氏名.
    const blank = await admin.post(`/admin/programmes/${row.id}`, { name: '', kind: 'seminar', firstFiscalYear: '2027' });
    expect(blank.status).toBe(422);
    const blankHtml = await blank.text();
    expect(blankHtml).toContain('名称を入力してください');
    expect(blankHtml).not.toContain('氏名を入力してください');

    // Close it: last fiscal year 2027.
    const closed = await admin.post(`/admin/programmes/${row.id}`, { name: '協働推進セミナー（新）', kind: 'seminar', firstFiscalYear: '2027', lastFiscalYear: '令和9年度', predecessorId: String(seminar.id) });
    expect(closed.status).toBe(303);
    expect((await tdb.db.selectFrom('programmes').select('last_fiscal_year').where('id', '=', row.id).executeTakeFirstOrThrow()).last_fiscal_year).toBe(2027);
    const edit = await (await admin.get(`/admin/programmes/${row.id}`)).text();
    expect(edit).toContain('value="2027"');
  });

  it('POST keeps firstFiscalYear; PUT edits, closes and refuses a loop, all audited', async () => {
    const res = await api('POST', '/api/v1/programmes', { name: 'フォローアップ研修', kind: 'follow_up', firstFiscalYear: 2012 });
    expect(res.status).toBe(201);
    const { id } = await res.json();
    const listed = (await (await api('GET', '/api/v1/programmes')).json()).items.find((p: { id: number }) => p.id === id);
    expect(listed).toMatchObject({ firstFiscalYear: 2012, lastFiscalYear: null, kind: 'follow_up' });

    const put = await api('PUT', `/api/v1/programmes/${id}`, { name: 'フォローアップ研修', lastFiscalYear: 2025, predecessorId: seminar.id });
    expect(put.status).toBe(200);
    expect(await put.json()).toMatchObject({ id, firstFiscalYear: 2012, lastFiscalYear: 2025, predecessorId: seminar.id });
    const loop = await api('PUT', `/api/v1/programmes/${npo.id}`, { name: 'NPO・協働研修', predecessorId: id });
    expect(loop.status).toBe(422);
    expect((await loop.json()).error.fields.predecessorId).toContain('循環');
    const bad = await api('PUT', `/api/v1/programmes/${id}`, { name: '', firstFiscalYear: 2012, lastFiscalYear: 2010 });
    expect(bad.status).toBe(422);
    const fields = (await bad.json()).error.fields;
    expect(fields.name).toBe('名称を入力してください。');
    expect((await api('PUT', '/api/v1/programmes/999999', { name: 'x' })).status).toBe(404);
    const audits = await tdb.db.selectFrom('audit_log').select(['action', 'actor_id']).where('entity', '=', 'programme').where('entity_id', '=', String(id)).orderBy('id').execute();
    expect(audits).toEqual([
      { action: 'create', actor_id: adminId },
      { action: 'update', actor_id: adminId },
    ]);
  });
});

describe('cancelling (中止) and deleting an offering', () => {
  async function withApplicants(title: string, n: number) {
    const now = ctx.now().getTime();
    const o = await createOffering(ctx, null, {
      programmeId: seminar.id,
      fiscalYear: 2026,
      title,
      selection: 'first_come',
      capacity: 1,
      applicationOpensAt: new Date(now - DAY).toISOString(),
      applicationClosesAt: new Date(now + 7 * DAY).toISOString(),
    });
    await addSession(ctx, null, o.id, { title: '現地研修', format: 'field', startsAt: '2026-12-12T10:00:00+09:00', endsAt: '2026-12-12T16:00:00+09:00', venue: '大津市' });
    for (let i = 0; i < n; i++) {
      const p = await makeUser(ctx, ['staff']);
      await apply(ctx, await userOf(ctx, p.id), o.id, {});
    }
    return o;
  }

  it('asks first, saying how many applicants will be told; then takes the offering off /schedule, the open data and /trainings', async () => {
    const o = await withApplicants('中止予定の現地研修', 3);
    expect(await (await new Agent(app).get('/schedule')).text()).toContain('中止予定の現地研修');
    const list = await (await admin.get('/admin/offerings?fy=2026')).text();
    expect(list).toContain('公開');

    const ask = await (await admin.get(`/admin/offerings/${o.id}/cancel`)).text();
    expect(ask).toContain('申込者3名');
    const unconfirmed = await admin.post(`/admin/offerings/${o.id}/cancel`, { reason: '台風接近のため' });
    expect(unconfirmed.status).toBe(422);
    expect(await unconfirmed.text()).toContain('確認の欄にチェックを入れてください');
    expect((await tdb.db.selectFrom('offerings').select('cancelled_at').where('id', '=', o.id).executeTakeFirstOrThrow()).cancelled_at).toBeNull();

    const done = await admin.post(`/admin/offerings/${o.id}/cancel`, { reason: '台風接近のため', confirm: 'on' });
    expect(done.status).toBe(303);
    const after = await (await admin.get(done.headers.get('location')!)).text();
    expect(after).toContain('申込者3名に知らせました');
    expect(after).toContain('台風接近のため');

    const anon = new Agent(app);
    expect(await (await anon.get('/schedule')).text()).not.toContain('中止予定の現地研修');
    expect(await (await anon.get('/opendata/events.csv')).text()).not.toContain('中止予定の現地研修');
    expect(await (await anon.get('/opendata/events.json')).text()).not.toContain('中止予定の現地研修');
    const staff = new Agent(app);
    await staff.login((await makeUser(ctx, ['staff'])).email);
    expect(await (await staff.get('/trainings?fy=2026')).text()).not.toContain('中止予定の現地研修');
    expect((await staff.get(`/trainings/${o.id}`)).status).toBe(404);
    const adminList = await (await admin.get('/admin/offerings?fy=2026')).text();
    expect(adminList).toContain('中止');
  });

  it('API: POST /offerings/:id/cancel with a reason; DELETE refuses one with applications, pointing to 中止, and deletes an empty one', async () => {
    const o = await withApplicants('API で中止する研修', 2);
    const noReason = await api('POST', `/api/v1/offerings/${o.id}/cancel`, {});
    expect(noReason.status).toBe(422);
    const refused = await api('DELETE', `/api/v1/offerings/${o.id}`);
    expect(refused.status).toBe(409);
    expect((await refused.json()).error.message).toContain('中止');
    const r = await api('POST', `/api/v1/offerings/${o.id}/cancel`, { reason: '講師の都合' });
    expect(r.status).toBe(200);
    expect(await r.json()).toMatchObject({ id: o.id, told: 2 });
    expect((await (await api('GET', `/api/v1/offerings/${o.id}`)).json()).cancelledReason).toBe('講師の都合');

    const empty = await withApplicants('誰も申し込まない研修', 0);
    expect((await api('DELETE', `/api/v1/offerings/${empty.id}`)).status).toBe(204);
    expect((await api('GET', `/api/v1/offerings/${empty.id}`)).status).toBe(404);
  });

  it('deletes from the page after a confirmation, or points to 中止 when someone applied', async () => {
    const used = await withApplicants('申込みのある研修', 1);
    const page = await (await admin.get(`/admin/offerings/${used.id}/delete`)).text();
    expect(page).toContain('申込みが1件あるため削除できません');
    expect(page).toContain(`href="/admin/offerings/${used.id}/cancel"`);
    const refused = await admin.post(`/admin/offerings/${used.id}/delete`, { confirm: 'on' });
    expect(refused.status).toBe(409);

    const empty = await withApplicants('削除する研修', 0);
    expect((await admin.post(`/admin/offerings/${empty.id}/delete`, {})).status).toBe(422);
    const ok = await admin.post(`/admin/offerings/${empty.id}/delete`, { confirm: 'on' });
    expect(ok.status).toBe(303);
    expect(await (await admin.get(ok.headers.get('location')!)).text()).toContain('研修を削除しました');
    expect((await admin.get(`/admin/offerings/${empty.id}`)).status).toBe(404);
  });
});

describe('lottery asks first', () => {
  it('before the deadline says why it cannot run yet (a notice, not an input error); after it, says how many applicants and seats and needs a confirmation', async () => {
    const now = ctx.now().getTime();
    const o = await createOffering(ctx, null, {
      programmeId: seminar.id,
      fiscalYear: 2026,
      title: '抽選の研修',
      selection: 'lottery',
      capacity: 2,
      applicationOpensAt: new Date(now - DAY).toISOString(),
      applicationClosesAt: '2026-11-24T11:00:00+09:00',
    });
    for (let i = 0; i < 5; i++) await apply(ctx, await userOf(ctx, (await makeUser(ctx, ['staff'])).id), o.id, {});
    const early = await admin.get(`/admin/offerings/${o.id}/lottery`);
    const earlyHtml = await early.text();
    expect(earlyHtml).toContain('まだ抽選できません');
    expect(earlyHtml).toContain('11:00');
    expect(earlyHtml).not.toContain(`action="/admin/offerings/${o.id}/lottery"`);
    const tried = await admin.post(`/admin/offerings/${o.id}/lottery`, { confirm: 'on' });
    expect(tried.status).toBe(409);
    const triedHtml = await tried.text();
    expect(triedHtml).toContain('まだ抽選できません');
    expect(triedHtml).not.toContain('入力内容を確認してください');

    ctx.clock.advance(2 * 3_600_000); // past the deadline (the login session lasts)
    try {
      const ask = await (await admin.get(`/admin/offerings/${o.id}/lottery`)).text();
      expect(ask).toContain('申込者5名から、残り2席');
      const unconfirmed = await admin.post(`/admin/offerings/${o.id}/lottery`, { seed: 'abc' });
      expect(unconfirmed.status).toBe(422);
      expect((await tdb.db.selectFrom('offerings').select('lottery_seed').where('id', '=', o.id).executeTakeFirstOrThrow()).lottery_seed).toBeNull();
      const drawn = await admin.post(`/admin/offerings/${o.id}/lottery`, { seed: 'abc', confirm: 'on' });
      expect(drawn.status).toBe(200);
      expect(await drawn.text()).toContain('受講決定2名');
    } finally {
      ctx.clock.advance(-2 * 3_600_000);
    }
  });
});
