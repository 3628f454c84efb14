import ICAL from 'ical.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readXlsx } from '../../src/lib/xlsx.js';
import { createApiToken } from '../../src/services/api-token.service.js';
import { sendDueReminders } from '../../src/services/calendar-feed.service.js';
import { createUnit } from '../../src/services/unit.service.js';
import { createTestDb, type TestDb, testContext } from '../support/db.js';
import { Agent, appFor, makeUser } from '../support/http.js';

let tdb: TestDb;
let ctx: ReturnType<typeof testContext>;
let app: ReturnType<typeof appFor>['app'];
let adminToken: string;
let unitId: number;

const api = (path: string, token: string | null, body?: unknown) =>
  app.request(`http://kyodo.test${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}), 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

async function staffToken(extra: Parameters<typeof makeUser>[2] = {}, roles: Parameters<typeof makeUser>[1] = ['staff']) {
  const u = await makeUser(ctx, roles, { unitId, ...extra });
  return { user: u, token: (await createApiToken(ctx, null, u.id, { name: 't' })).token };
}

beforeAll(async () => {
  tdb = await createTestDb();
  ctx = testContext(tdb); // clock: 2026-11-24T01:00Z = 10:00 JST
  app = appFor(ctx).app;
  const dept = await createUnit(ctx, null, { kind: 'department', name: '総務部', kana: 'ソウムブ' });
  unitId = (await createUnit(ctx, null, { kind: 'division', name: '人事課', kana: 'ジンジカ', parentId: dept.id })).id;
  const admin = await makeUser(ctx, ['admin', 'staff'], { unitId });
  adminToken = (await createApiToken(ctx, null, admin.id, { name: 'admin' })).token;
});
afterAll(() => tdb.close());

async function offering(extra: Record<string, unknown> = {}) {
  const p = await api('/api/v1/programmes', adminToken, { name: '協働推進セミナー' });
  expect(p.status).toBe(201);
  const { id: programmeId } = await p.json();
  const o = await api('/api/v1/offerings', adminToken, {
    programmeId,
    fiscalYear: 2026,
    title: '協働推進セミナー（現地研修）',
    capacity: 2,
    selection: 'first_come',
    endorsementRequired: false,
    applicationOpensAt: '2026-11-01T09:00:00+09:00',
    applicationClosesAt: '2026-11-30T17:00:00+09:00',
    ...extra,
  });
  expect(o.status, await o.clone().text()).toBe(201);
  const { id } = await o.json();
  const s = await api(`/api/v1/offerings/${id}/sessions`, adminToken, {
    title: 'NPO法人の活動現場を訪ねる',
    format: 'field',
    startsAt: '2026-12-05T10:00:00+09:00',
    endsAt: '2026-12-05T16:00:00+09:00',
    venue: '大津市 NPO活動支援センター',
  });
  expect(s.status).toBe(201);
  return { id, sessionId: (await s.json()).id as number };
}

describe('offerings API', () => {
  it('creates programme, offering and session; applies, waitlists, cancels and promotes, with 1-based waitlist positions', async () => {
    const { id } = await offering();
    const people = await Promise.all([1, 2, 3, 4].map(() => staffToken()));
    const statuses = [];
    for (const p of people) {
      const r = await api(`/api/v1/offerings/${id}/applications`, p.token, {});
      expect(r.status).toBe(201);
      statuses.push((await r.json()).status);
    }
    expect(statuses).toEqual(['confirmed', 'confirmed', 'waitlisted', 'waitlisted']);
    const list = await (await api(`/api/v1/offerings/${id}/applications`, adminToken)).json();
    expect(list.items.map((a: { status: string; waitlistPosition: number | null }) => [a.status, a.waitlistPosition])).toEqual([
      ['confirmed', null],
      ['confirmed', null],
      ['waitlisted', 1],
      ['waitlisted', 2],
    ]);
    const cancel = await api(`/api/v1/applications/${list.items[0].id}/cancel`, people[0].token, {});
    expect(await cancel.json()).toMatchObject({ status: 'cancelled' });
    const after = await (await api(`/api/v1/offerings/${id}/applications`, adminToken)).json();
    expect(after.items.map((a: { status: string; waitlistPosition: number | null }) => [a.status, a.waitlistPosition])).toEqual([
      ['cancelled', null],
      ['confirmed', null],
      ['confirmed', null],
      ['waitlisted', 1],
    ]);
  });

  it('answers every bad request with a clear 4xx, and changes nothing', async () => {
    const { id } = await offering({ capacity: 1, waitlist: false });
    const a = await staffToken();
    const b = await staffToken();
    expect((await api(`/api/v1/offerings/${id}/applications`, a.token, {})).status).toBe(201);
    const twice = await api(`/api/v1/offerings/${id}/applications`, a.token, {});
    expect(twice.status).toBe(409);
    expect((await twice.json()).error.message).toBe('この研修にはすでに申し込んでいます。');
    const full = await api(`/api/v1/offerings/${id}/applications`, b.token, {});
    expect(full.status).toBe(409);
    expect((await full.json()).error.message).toContain('定員に達しており');
    const other = await api(`/api/v1/offerings/${id}/applications`, b.token, { personId: a.user.id });
    expect(other.status).toBe(403);
    const badOffering = await api('/api/v1/offerings', adminToken, { programmeId: 999999, fiscalYear: 2026, title: '', capacity: 0, selection: 'random', applicationOpensAt: 'tomorrow', applicationClosesAt: '2026-01-01T00:00:00+09:00' });
    expect(badOffering.status).toBe(422);
    const fields = (await badOffering.json()).error.fields;
    expect(Object.keys(fields).sort()).toEqual(['applicationOpensAt', 'capacity', 'selection', 'title']);
    expect(fields.applicationOpensAt).toBe('申込開始は日時の形式（例：2026-12-01T10:00）で入力してください。');
    const badSession = await api(`/api/v1/offerings/${id}/sessions`, adminToken, { title: '逆転', format: 'lecture', startsAt: '2026-12-05T16:00:00+09:00', endsAt: '2026-12-05T10:00:00+09:00' });
    expect(badSession.status).toBe(422);
    expect((await badSession.json()).error.fields.endsAt).toBe('終了日時は開始日時より後にしてください。');
    const list = await (await api(`/api/v1/offerings/${id}/applications`, adminToken)).json();
    expect(list.items).toHaveLength(1);
  });

  it('runs a lottery after the window closes, with a seed drawn by the server that the admin cannot choose (issue 17)', async () => {
    const { id } = await offering({ selection: 'lottery', capacity: 2, applicationClosesAt: '2026-11-25T17:00:00+09:00' });
    for (let i = 0; i < 5; i++) await api(`/api/v1/offerings/${id}/applications`, (await staffToken()).token, {});
    expect((await api(`/api/v1/offerings/${id}/lottery`, adminToken, {})).status).toBe(409);
    ctx.clock.advance(2 * 86_400_000);
    const chosen = await api(`/api/v1/offerings/${id}/lottery`, adminToken, { seed: 'abc123' });
    expect(chosen.status).toBe(422);
    expect((await chosen.json()).error.fields.seed).toContain('サーバーが引いて記録します');
    const r = await api(`/api/v1/offerings/${id}/lottery`, adminToken, {});
    const body = await r.json();
    expect(body).toMatchObject({ confirmed: 2, waitlisted: 3 });
    expect(body.seed).toMatch(/^[0-9a-f-]{16,}$/i);
    expect(body.seed).not.toBe('abc123');
    const row = await ctx.db.selectFrom('offerings').select('lottery_seed').where('id', '=', id).executeTakeFirstOrThrow();
    expect(row.lottery_seed).toBe(body.seed);
    ctx.clock.advance(-2 * 86_400_000);
  });
});

describe('pages, notices and calendars', () => {
  it('a staff member applies through the page, sees the notice with the participant code and QR, and gets a working .ics', async () => {
    const { id, sessionId } = await offering({ questions: [{ id: 'q1', label: '受講の動機', required: true }] });
    const u = await makeUser(ctx, ['staff'], { unitId, name: '受講 一郎' });
    const a = new Agent(app);
    await a.login(u.email);
    const catalogue = await (await a.get('/trainings')).text();
    expect(catalogue).toContain('協働推進セミナー（現地研修）');
    expect(catalogue).toContain('令和8年度');
    const missing = await a.post(`/trainings/${id}/apply`, {});
    expect(missing.status).toBe(422);
    expect(await missing.text()).toContain('「受講の動機」に回答してください。');
    const ok = await a.post(`/trainings/${id}/apply`, { 'answers.q1': '現場を知りたい' });
    expect(ok.status).toBe(303);
    const detail = await (await a.get(ok.headers.get('location')!)).text();
    expect(detail).toContain('申込みを受け付けました。');
    expect(detail).toContain('あなたの申込み：受講決定');
    const my = await (await a.get('/my/trainings')).text();
    const appId = my.match(/\/my\/applications\/(\d+)/)![1];
    const notice = await (await a.get(`/my/applications/${appId}`)).text();
    expect(notice).toContain('受講決定通知');
    expect(notice).toMatch(/[A-Z2-9]{4}-[A-Z2-9]{4}/);
    expect(notice).toContain('<svg');
    const ics = await a.get(`/trainings/sessions/${sessionId}.ics`);
    expect(ics.headers.get('content-type')).toContain('text/calendar');
    const ev = new ICAL.Event(new ICAL.Component(ICAL.parse(await ics.text())).getFirstSubcomponent('vevent')!);
    expect(ev.startDate.toJSDate().toISOString()).toBe('2026-12-05T01:00:00.000Z');
    // The personal feed works without a login, by its secret URL only (made when the person asks for it).
    expect(my).toContain('購読用URLを作る');
    expect((await a.post('/my/calendar-feed', {})).status).toBe(303);
    const withFeed = await (await a.get('/my/trainings')).text();
    const feedUrl = withFeed.match(/http:\/\/kyodo\.test(\/calendar\/[\w-]+\.ics)/)![1];
    const feed = await new Agent(app).get(feedUrl);
    expect(feed.status).toBe(200);
    const feedEvents = new ICAL.Component(ICAL.parse(await feed.text())).getAllSubcomponents('vevent').map((v) => new ICAL.Event(v));
    expect(feedEvents.map((e) => e.summary)).toEqual(['協働推進セミナー（現地研修）：NPO法人の活動現場を訪ねる']);
    expect((await new Agent(app).get('/calendar/wrong-token-aaaaaaaaaaaaaaaaaaaaaa.ics')).status).toBe(404);
    // Another person cannot see the notice.
    const b = new Agent(app);
    await b.login((await makeUser(ctx, ['staff'])).email);
    expect((await b.get(`/my/applications/${appId}`)).status).toBe(404);
  });

  it('the approver endorses from the queue; the admin sees counts and downloads the applicants', async () => {
    const { id } = await offering({ endorsementRequired: true });
    const staff = new Agent(app);
    const s = await makeUser(ctx, ['staff'], { unitId, name: '推薦 待子' });
    await staff.login(s.email);
    await staff.post(`/trainings/${id}/apply`, {});
    const approver = new Agent(app);
    await approver.login((await makeUser(ctx, ['approver', 'staff'], { unitId })).email);
    const queue = await (await approver.get('/approvals')).text();
    expect(queue).toContain('推薦 待子');
    const appId = queue.match(/action="\/approvals\/(\d+)"/)![1];
    const r = await approver.post(`/approvals/${appId}`, { decision: 'endorse', comment: '推薦します' });
    expect(r.status).toBe(303);
    expect(await (await approver.get('/approvals')).text()).toContain('推薦・承認を待っている申込みはありません。');
    const admin = new Agent(app);
    await admin.login((await makeUser(ctx, ['admin', 'staff'])).email);
    const page = await (await admin.get(`/admin/offerings/${id}/applications`)).text();
    expect(page).toContain('受講決定1名／定員2名');
    const xlsx = await admin.get(`/admin/offerings/${id}/applications.xlsx`);
    const [sheet] = await readXlsx(new Uint8Array(await xlsx.arrayBuffer()));
    expect(sheet.rows.map((x) => [x['氏名'], x['状態']])).toEqual([['推薦 待子', '受講決定']]);
  });

  it('sends each reminder once, the configured days before a session', async () => {
    const { id } = await offering({ reminderDays: 3 });
    const t = await staffToken();
    await api(`/api/v1/offerings/${id}/applications`, t.token, {});
    expect(await sendDueReminders(ctx)).toBe(0); // 11 days before
    ctx.clock.advance(9 * 86_400_000); // 3 Dec, 10:00 JST: 2 days before
    const sent = await sendDueReminders(ctx);
    expect(sent).toBeGreaterThanOrEqual(1);
    expect(await sendDueReminders(ctx)).toBe(0);
    const mail = await tdb.db.selectFrom('outbox').selectAll().where('to_address', '=', t.user.email).where('subject', 'like', '【Kyodo】研修のお知らせ%').execute();
    expect(mail).toHaveLength(1);
    expect(mail[0].body_text).toContain('2026年12月5日(土) 10:00〜16:00');
    ctx.clock.advance(-9 * 86_400_000);
  });

  it('warns admins when a session falls on a weekend or a holiday', async () => {
    const { id } = await offering();
    const admin = new Agent(app);
    await admin.login((await makeUser(ctx, ['admin', 'staff'])).email);
    const html = await (await admin.get(`/admin/offerings/${id}`)).text();
    expect(html).toContain('2026-12-05は土曜日・日曜日です。');
  });
});

describe('admin: proxy application and unit nomination', () => {
  it('applies on behalf of one person by email, and nominates a whole unit, skipping those already applied', async () => {
    const { id } = await offering({ capacity: 50 });
    const admin = new Agent(app);
    await admin.login((await makeUser(ctx, ['admin', 'staff'])).email);
    const dept = await createUnit(ctx, null, { kind: 'department', name: '農政部', kana: 'ノウセイブ' });
    const div = await createUnit(ctx, null, { kind: 'division', name: '農政課', kana: 'ノウセイカ', parentId: dept.id });
    const members = await Promise.all([1, 2, 3].map(() => makeUser(ctx, ['staff'], { unitId: div.id })));
    const unknown = await admin.post(`/admin/offerings/${id}/proxy`, { email: 'nobody@pref.example.jp' });
    expect(unknown.status).toBe(422);
    expect(await unknown.text()).toContain('メールアドレスに該当する職員が見つかりません。');
    const proxy = await admin.post(`/admin/offerings/${id}/proxy`, { email: members[0].email });
    expect(proxy.status).toBe(200);
    // A nomination mails the whole unit: it asks first, saying how many.
    const ask = await admin.post(`/admin/offerings/${id}/nominate`, { unitId: String(div.id) });
    expect(await ask.text()).toContain('農政課の職員2名について');
    const nominate = await admin.post(`/admin/offerings/${id}/nominate`, { unitId: String(div.id), confirmStep: '1', confirmNominate: 'yes' });
    expect(await nominate.text()).toContain('2名を申し込みました（1名は申込み済みなどのため対象外）。');
    const list = await (await api(`/api/v1/offerings/${id}/applications`, adminToken)).json();
    expect(list.items.map((a: { personId: number }) => a.personId).sort()).toEqual(members.map((m) => m.id).sort());
    const audit = await tdb.db.selectFrom('audit_log').select('action').where('entity', '=', 'application').where('action', '=', 'apply_on_behalf').execute();
    expect(audit.length).toBeGreaterThanOrEqual(3);
  });
});
