import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fiscalYearOf } from '../../src/domain/calendar.js';
import { createApiToken } from '../../src/services/api-token.service.js';
import { createTestDb, type TestDb, testContext } from '../support/db.js';
import { Agent, appFor, makeUser } from '../support/http.js';

let tdb: TestDb;
let ctx: ReturnType<typeof testContext>;
let app: ReturnType<typeof appFor>['app'];
let adminToken: string;
let adminEmail: string;

const api = (path: string, token: string | null, body?: unknown) =>
  app.request(`http://kyodo.test${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}), 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

async function staff() {
  const u = await makeUser(ctx, ['staff']);
  return { user: u, token: (await createApiToken(ctx, null, u.id, { name: 't' })).token };
}

/** An offering of FY2026 (令和8年度) with three sessions, one on a Saturday, made through the API. */
async function offering(capacity = 2) {
  const p = await api('/api/v1/programmes', adminToken, { name: '協働推進セミナー' });
  const { id: programmeId } = await p.json();
  const o = await api('/api/v1/offerings', adminToken, {
    programmeId,
    fiscalYear: 2026,
    title: '協働推進セミナー',
    capacity,
    selection: 'first_come',
    applicationOpensAt: '2026-11-01T09:00:00+09:00',
    applicationClosesAt: '2026-11-30T17:00:00+09:00',
    questions: [{ id: 'q1', label: '受講の動機', required: false }],
    seats: { prefecture: capacity },
  });
  expect(o.status, await o.clone().text()).toBe(201);
  const { id } = await o.json();
  for (const [title, start, end] of [
    ['第1回 講義', '2026-12-08T10:00:00+09:00', '2026-12-08T12:00:00+09:00'],
    ['第2回 現地研修', '2026-12-12T09:00:00+09:00', '2026-12-12T15:00:00+09:00'],
    ['第3回 演習', '2027-02-24T13:30:00+09:00', '2027-02-24T16:30:00+09:00'],
  ]) {
    const s = await api(`/api/v1/offerings/${id}/sessions`, adminToken, { title, format: 'lecture', startsAt: start, endsAt: end, venue: '県庁本館' });
    expect(s.status).toBe(201);
  }
  return id as number;
}

beforeAll(async () => {
  tdb = await createTestDb();
  ctx = testContext(tdb); // clock: 2026-11-24T01:00Z = 10:00 JST
  app = appFor(ctx).app;
  adminEmail = 'bulk-admin@pref.example.jp';
  const admin = await makeUser(ctx, ['admin', 'staff'], { email: adminEmail });
  adminToken = (await createApiToken(ctx, null, admin.id, { name: 'admin' })).token;
});
afterAll(() => tdb.close());

describe('POST /api/v1/offerings/{id}/copy', () => {
  it('{"fiscalYear": 2027} → 201 {"id"}: the same number of sessions, all in FY2027, unpublished', async () => {
    const id = await offering();
    const res = await api(`/api/v1/offerings/${id}/copy`, adminToken, { fiscalYear: 2027 });
    expect(res.status, await res.clone().text()).toBe(201);
    const body = await res.json();
    expect(typeof body.id).toBe('number');
    expect(body.id).not.toBe(id);
    // The Saturday session and the one on 天皇誕生日 (2028-02-23) moved, and the answer says why.
    expect(body.sessions).toEqual([
      { from: '2026-12-08', to: '2027-12-07', moved: null },
      { from: '2026-12-12', to: '2027-12-13', moved: 'weekend' },
      { from: '2027-02-24', to: '2028-02-24', moved: 'holiday' },
    ]);
    const copy = await (await api(`/api/v1/offerings/${body.id}`, adminToken)).json();
    expect(copy.fiscalYear).toBe(2027);
    expect(copy.published).toBe(false);
    expect(copy.questions).toEqual([{ id: 'q1', label: '受講の動機', required: false }]);
    expect(copy.seats).toEqual({ prefecture: 2 });
    expect(copy.sessions).toHaveLength(3);
    for (const s of copy.sessions) expect(fiscalYearOf(new Date(s.startsAt))).toBe(2027);
    // Unpublished: staff do not see it.
    const { token } = await staff();
    expect((await api(`/api/v1/offerings/${body.id}`, token)).status).toBe(404);
  });

  it('refuses staff (403), the same year and a wrong year (422 naming the field, in Japanese), an unknown offering (404)', async () => {
    const id = await offering();
    const { token } = await staff();
    expect((await api(`/api/v1/offerings/${id}/copy`, token, { fiscalYear: 2027 })).status).toBe(403);
    const same = await api(`/api/v1/offerings/${id}/copy`, adminToken, { fiscalYear: 2026 });
    expect(same.status).toBe(422);
    expect((await same.json()).error.fields.fiscalYear).toBe('年度には、元の研修と違う年度を入力してください。');
    const wrong = await api(`/api/v1/offerings/${id}/copy`, adminToken, { fiscalYear: 'next' });
    expect(wrong.status).toBe(422);
    expect((await wrong.json()).error.fields.fiscalYear).toContain('年度');
    expect((await api('/api/v1/offerings/999999/copy', adminToken, { fiscalYear: 2027 })).status).toBe(404);
  });
});

describe('POST /api/v1/offerings/{id}/messages', () => {
  it('{"subject","body","statuses":["confirmed"]} → 201 {"queued": N}, N exactly the people with those statuses', async () => {
    const id = await offering(2);
    const people = await Promise.all([1, 2, 3].map(() => staff()));
    for (const p of people) expect((await api(`/api/v1/offerings/${id}/applications`, p.token, {})).status).toBe(201);
    const res = await api(`/api/v1/offerings/${id}/messages`, adminToken, { subject: '事前課題のお知らせ', body: '第1回までに提出してください。', statuses: ['confirmed'] });
    expect(res.status, await res.clone().text()).toBe(201);
    expect((await res.json()).queued).toBe(2);
    const both = await api(`/api/v1/offerings/${id}/messages`, adminToken, { subject: '全員へ', body: '会場のご案内です。', statuses: ['confirmed', 'waitlisted'] });
    expect((await both.json()).queued).toBe(3);
    const mail = await tdb.db.selectFrom('outbox').select(['to_address', 'subject']).where('subject', '=', '事前課題のお知らせ').execute();
    expect(mail.map((m) => m.to_address).sort()).toEqual([people[0].user.email, people[1].user.email].sort());
  });

  it('refuses staff (403) and a message with no recipients or no subject (422), queuing nothing', async () => {
    const id = await offering();
    const { token } = await staff();
    expect((await api(`/api/v1/offerings/${id}/messages`, token, { subject: 'x', body: 'y', statuses: ['confirmed'] })).status).toBe(403);
    const none = await api(`/api/v1/offerings/${id}/messages`, adminToken, { subject: '件名', body: '本文', statuses: ['confirmed'] });
    expect(none.status).toBe(422);
    expect((await none.json()).error.fields.statuses).toBe('選んだ宛先に当たる人がいません。申込みの状況を選び直してください。');
    const noSubject = await api(`/api/v1/offerings/${id}/messages`, adminToken, { subject: '', body: '本文', statuses: ['confirmed'] });
    expect(noSubject.status).toBe(422);
    expect((await noSubject.json()).error.fields.subject).toContain('件名');
    expect(await tdb.db.selectFrom('cohort_messages').select('id').where('offering_id', '=', id).execute()).toEqual([]);
  });
});

describe('pages (no JavaScript)', () => {
  it('copies from the offering page: the year, the dates with the moves said, then the copy', async () => {
    const id = await offering();
    const a = new Agent(app);
    await a.login(adminEmail);
    const edit = await (await a.get(`/admin/offerings/${id}`)).text();
    expect(edit).toContain(`href="/admin/offerings/${id}/copy"`);
    expect(edit).toContain(`href="/admin/offerings/${id}/messages"`);
    const preview = await a.get(`/admin/offerings/${id}/copy?fiscalYear=${encodeURIComponent('令和9年度')}`);
    expect(preview.status).toBe(200);
    const html = await preview.text();
    expect(html).toContain('令和9年度 (2027)の日程（案）');
    expect(html).toContain('土日のため移しました');
    expect(html).toContain('祝日（天皇誕生日）のため移しました');
    const bad = await a.get(`/admin/offerings/${id}/copy?fiscalYear=2026`);
    expect(bad.status).toBe(422);
    expect(await bad.text()).toContain('複製先の年度には、元の研修と違う年度を入力してください。');
    const done = await a.post(`/admin/offerings/${id}/copy`, { fiscalYear: '2027' });
    expect(done.status).toBe(200);
    const text = await done.text();
    expect(text).toContain('令和9年度 (2027)に複製しました。回3件のうち2件を、土日・祝日を避けて移しました。');
    const copy = await tdb.db.selectFrom('offerings').select(['id', 'published']).where('fiscal_year', '=', 2027).orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect(copy.published).toBe(false);
    expect(text).toContain(`href="/admin/offerings/${copy.id}"`);
    // In English too.
    await a.get('/lang/en');
    const en = await (await a.get(`/admin/offerings/${id}/copy?fiscalYear=2027`)).text();
    expect(en).toContain('Dates in FY2027 (Reiwa 9) (draft)');
    expect(en).toContain('Moved: the same weekday, 23 Feb 2028 (Reiwa 10), is a national holiday (Emperor&#39;s Birthday)');
  });

  it('messages a cohort: says how many, asks to confirm, queues, and each person reads their copy on /my/messages', async () => {
    const id = await offering(2);
    const people = await Promise.all([1, 2, 3].map(() => staff()));
    for (const p of people) await api(`/api/v1/offerings/${id}/applications`, p.token, {});
    const a = new Agent(app);
    await a.login(adminEmail);
    const form = await (await a.get(`/admin/offerings/${id}/messages`)).text();
    expect(form).toContain('受講決定（2人）');
    expect(form).toContain('補欠（1人）');
    const msg = { statuses: 'confirmed', sessionId: '', subject: '持ち物のご案内', body: '筆記用具をお持ちください。' };
    const confirm = await a.post(`/admin/offerings/${id}/messages`, msg);
    expect(confirm.status).toBe(200);
    expect(await confirm.text()).toContain('この連絡を2人に送ります。');
    const unticked = await a.post(`/admin/offerings/${id}/messages`, { ...msg, step: 'send' });
    expect(unticked.status).toBe(422);
    expect(await tdb.db.selectFrom('cohort_messages').select('id').where('offering_id', '=', id).execute()).toEqual([]);
    const sent = await a.post(`/admin/offerings/${id}/messages`, { ...msg, step: 'send', confirm: 'on' });
    expect(sent.status).toBe(303);
    expect(sent.headers.get('location')).toBe(`/admin/offerings/${id}/messages?sent=2`);
    const after = await (await a.get(sent.headers.get('location')!)).text();
    expect(after).toContain('2人への連絡を送信待ちにしました。');
    expect(after).toContain('持ち物のご案内');
    const empty = await a.post(`/admin/offerings/${id}/messages`, { ...msg, statuses: 'not_selected' });
    expect(empty.status).toBe(422);
    expect(await empty.text()).toContain('選んだ宛先に当たる人がいません。');

    const s = new Agent(app);
    await s.login(people[0].user.email);
    const mine = await (await s.get('/my/messages')).text();
    expect(mine).toContain('持ち物のご案内');
    expect(mine).toContain('筆記用具をお持ちください。');
    expect(await (await s.get('/my/trainings')).text()).toContain('href="/my/messages"');
    expect((await s.get(`/admin/offerings/${id}/messages`)).status).toBe(403);
    const w = new Agent(app);
    await w.login(people[2].user.email);
    expect(await (await w.get('/my/messages')).text()).not.toContain('持ち物のご案内');
  });
});
