import { VERIFY_MISSES_PER_ADDRESS } from '../../src/services/completion.service.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../../src/services/api-token.service.js';
import { apply } from '../../src/services/application.service.js';
import { addSession, createProgramme } from '../../src/services/offering.service.js';
import { getPerson } from '../../src/services/person.service.js';
import { createTestDb, type TestDb, testContext } from '../support/db.js';
import { Agent, appFor, makeUser } from '../support/http.js';
import { makeOffering } from '../support/offerings.js';
import { toCurrentUser } from '../../src/services/context.js';

let tdb: TestDb;
let ctx: ReturnType<typeof testContext>;
let app: ReturnType<typeof appFor>['app'];
let admin: Agent;
let adminToken: string;

beforeAll(async () => {
  tdb = await createTestDb();
  ctx = testContext(tdb, { config: { sessionIdleMinutes: 600 } });
  app = appFor(ctx).app;
  const a = await makeUser(ctx, ['admin', 'staff'], { email: 'c-admin@pref.example.jp' });
  admin = new Agent(app);
  await admin.login(a.email);
  adminToken = (await createApiToken(ctx, null, a.id, { name: 't' })).token;
});
afterAll(() => tdb.close());
const BEFORE_START = new Date('2026-11-24T01:00:00Z'); // 10:00 JST; the course's session starts at 13:30
const AFTER_START = new Date('2026-11-24T05:00:00Z'); // 14:00 JST
afterEach(() => {
  ctx.clock.current = new Date(BEFORE_START);
});

const api = (method: string, path: string, token: string | null, body?: unknown) =>
  app.request(`http://kyodo.test${path}`, {
    method,
    headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}), 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

async function course() {
  const programme = await createProgramme(ctx, null, { name: '協働コーディネーター養成講座', kind: 'coordinator_course' });
  const o = await makeOffering(ctx, { programmeId: programme.id, capacity: 5 });
  const s = await addSession(ctx, null, o.id, { title: '合意形成の技法', format: 'workshop', startsAt: '2026-11-24T13:30:00+09:00', endsAt: '2026-11-24T17:00:00+09:00' });
  const p = await makeUser(ctx, ['staff'], { name: '認定 太郎', kana: 'ニンテイ タロウ', email: `nintei${Date.now()}@pref.example.jp` });
  const a = await apply(ctx, toCurrentUser((await getPerson(ctx, p.id))!), o.id, {});
  return { o, s, p, a };
}

describe('attendance, completion and certificates over HTTP and API', () => {
  it('PUT attendance completes the participant; the certificate is public by number with only its five fields', async () => {
    const { o, s, p } = await course();
    ctx.clock.current = AFTER_START;
    const bad = await api('PUT', `/api/v1/sessions/${s.id}/attendance`, adminToken, [{ personId: p.id, status: 'asleep' }]);
    expect(bad.status).toBe(422);
    const res = await api('PUT', `/api/v1/sessions/${s.id}/attendance`, adminToken, [{ personId: p.id, status: 'present' }]);
    expect(await res.json()).toEqual({ changed: 1 });
    const certs = await (await api('GET', `/api/v1/people/${p.id}/certificates`, adminToken)).json();
    expect(certs.items).toHaveLength(1);
    const number = certs.items[0].number;
    // Public by the unguessable code printed on it (issue 17), never by the sequential number.
    expect(certs.items[0].verificationUrl).toMatch(/^http:\/\/kyodo\.test\/verify\/([0-9A-F]{4}-){5}[0-9A-F]{4}$/);
    const code = certs.items[0].verificationUrl.split('/verify/')[1];
    expect((await api('GET', `/api/v1/certificates/${number}`, null)).status).toBe(404);
    expect((await new Agent(app).get(`/verify/${number}`)).status).toBe(404);
    const pub = await api('GET', `/api/v1/certificates/${code}`, null);
    const body = await pub.json();
    expect(Object.keys(body).sort()).toEqual(['code', 'completedOn', 'name', 'number', 'programme', 'status', 'validUntil']);
    expect(body).toMatchObject({ number, code, name: '認定 太郎', status: 'valid', completedOn: '2026-11-24', validUntil: '2029-11-23' });
    // Typed by hand from paper: lower case, spaces, full width all work.
    const typed = code.toLowerCase().replace(/-/g, ' ').replace('a', 'ａ');
    expect((await (await new Agent(app).get(`/verify?code=${encodeURIComponent(typed)}`)).text())).toContain('有効な修了証です。');
    const page = await (await new Agent(app).get(`/verify/${code}`)).text();
    expect(page).toContain('有効な修了証です。');
    expect(page).toContain('令和8年11月24日');
    expect(page).not.toContain(p.email);
    expect([...page.matchAll(/KYODO-\d{4}-\d{6}/g)].every((m) => m[0] === number)).toBe(true); // no other certificate numbers
    const completion = await (await admin.get(`/admin/offerings/${o.id}/completion`)).text();
    expect(completion).toContain(number);
    expect(completion).toContain('修了');
    const printable = await (await admin.get(`/certificates/${number}`)).text();
    expect(printable).toContain('修了証');
    expect(printable).toContain('<svg');
    const all = await admin.get(`/admin/offerings/${o.id}/certificates.html`);
    expect(all.headers.get('content-disposition')).toContain('attachment');
    expect(await all.text()).toContain(number);
    // Another staff member cannot open someone else's certificate page or list.
    const other = await makeUser(ctx, ['staff']);
    const otherToken = (await createApiToken(ctx, null, other.id, { name: 'x' })).token;
    expect((await api('GET', `/api/v1/people/${p.id}/certificates`, otherToken)).status).toBe(404);
    const oa = new Agent(app);
    await oa.login(other.email);
    expect((await oa.get(`/certificates/${number}`)).status).toBe(404);
  });

  it('the kiosk page checks in by code with a clear message for a wrong code', async () => {
    const { s, a } = await course();
    ctx.clock.current = new Date('2026-11-24T04:25:00Z');
    const wrong = await admin.post(`/kiosk/sessions/${s.id}`, { code: 'AAAA-BBBB' });
    expect(wrong.status).toBe(422);
    expect(await wrong.text()).toContain('この参加者コードは見つかりません。');
    const ok = await admin.post(`/kiosk/sessions/${s.id}`, { code: a.participant_code });
    expect(await ok.text()).toContain('認定 太郎さん、受付しました（出席）。');
    const again = await admin.post(`/kiosk/sessions/${s.id}`, { code: a.participant_code });
    expect(await again.text()).toContain('この参加者コードはすでに受付済みです。');
    ctx.clock.current = new Date('2026-11-24T01:00:00Z');
    const sheet = await (await admin.get(`/admin/sessions/${s.id}/sign-in-sheet`)).text();
    expect(sheet).toContain(a.participant_code);
  });

  it('the coordinator directory lists the new coordinator; unknown certificates are 404', async () => {
    const { s, p } = await course();
    ctx.clock.current = AFTER_START;
    await api('PUT', `/api/v1/sessions/${s.id}/attendance`, adminToken, [{ personId: p.id, status: 'present' }]);
    const staff = new Agent(app);
    await staff.login((await makeUser(ctx, ['staff'])).email);
    expect(await (await staff.get('/coordinators')).text()).toContain('認定 太郎');
    const list = await (await api('GET', '/api/v1/coordinators', adminToken)).json();
    expect(list.items.map((x: { name: string }) => x.name)).toContain('認定 太郎');
    expect((await api('GET', '/api/v1/certificates/KYODO-2026-424242', null)).status).toBe(404);
    expect((await new Agent(app).get('/verify?code=0000-0000-0000-0000-0000-0000')).status).toBe(404);
  });
});

describe('nothing is recorded before it happened (issue 15)', () => {
  it('the API refuses present and absent before the start with 422 and the time it starts; 公務等 may be entered ahead', async () => {
    const { s, p, o } = await course();
    const early = await api('PUT', `/api/v1/sessions/${s.id}/attendance`, adminToken, [{ personId: p.id, status: 'present' }]);
    expect(early.status).toBe(422);
    const body = await early.json();
    expect(body.error.code).toBe('not_yet');
    expect(body.error.message).toContain('この回は2026年11月24日(火) 13:30に始まります。');
    expect(body.error.fields.attendance).toContain('13:30');
    expect((await api('PUT', `/api/v1/sessions/${s.id}/attendance`, adminToken, [{ personId: p.id, status: 'absent' }])).status).toBe(422);
    expect(await (await api('PUT', `/api/v1/sessions/${s.id}/attendance`, adminToken, [{ personId: p.id, status: 'excused' }])).json()).toEqual({ changed: 1 });
    // Nothing completed, no certificate.
    expect((await (await api('GET', `/api/v1/people/${p.id}/certificates`, adminToken)).json()).items).toEqual([]);
    expect(await (await admin.get(`/admin/offerings/${o.id}/completion`)).text()).not.toMatch(/KYODO-\d{4}-\d{6}/);
  });

  it('「全員を出席にする」 before the start answers 422 with the reason on the page, saving nothing', async () => {
    const { s, o } = await course();
    const page = await (await admin.get(`/admin/sessions/${s.id}/attendance`)).text();
    const select = /name="(status\.\d+)"/.exec(page)![1];
    expect(page).toContain('この回は2026年11月24日(火) 13:30に始まります。');
    const res = await admin.post(`/admin/sessions/${s.id}/attendance`, { [select]: '', all: 'present' });
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html).toContain('role="alert"');
    expect(html).toContain('この回の出欠は、まだ記録できません');
    expect(html).not.toContain('入力内容を確認してください');
    expect(html).toContain('この回は2026年11月24日(火) 13:30に始まります。出席・遅刻・早退・欠席は開始後に記録できます。');
    expect(html).not.toContain('件の出欠を保存しました');
    expect(await (await admin.get(`/admin/offerings/${o.id}/completion`)).text()).not.toContain('>出席<');
    // Once started, it works.
    ctx.clock.current = AFTER_START;
    const ok = await admin.post(`/admin/sessions/${s.id}/attendance`, { [select]: '', all: 'present' });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain('1件の出欠を保存しました。');
  });

  it('the kiosk has no admin menu, focuses the code field, and names the session\'s date on the wrong day', async () => {
    const { s, a } = await course();
    const get = await (await admin.get(`/kiosk/sessions/${s.id}`)).text();
    expect(get).not.toContain('class="main-nav"');
    expect(get).not.toContain('/admin/offerings"');
    expect(get).toMatch(/<input id="f-code"[^>]*autofocus/);
    ctx.clock.current = new Date('2026-11-23T05:00:00Z'); // the day before
    const wrong = await admin.post(`/kiosk/sessions/${s.id}`, { code: a.participant_code });
    expect(wrong.status).toBe(422);
    const text = await wrong.text();
    expect(text).toContain('本日は、この回の開催日ではありません。この回の開催日は2026年11月24日(火)です。');
    expect(text).not.toContain('使えません');
    ctx.clock.current = new Date('2026-11-24T03:00:00Z'); // 12:00 JST: reception opens at 13:00
    const early = await admin.post(`/kiosk/sessions/${s.id}`, { code: a.participant_code });
    expect(await early.text()).toContain('受付は13:00から始まります。');
  });
});

describe('a change of the completion rule that revokes certificates asks first (issue 15)', () => {
  it('the page shows how many and needs the confirmation; the API answers 409 with the counts unless confirm is true', async () => {
    const { o, s, p } = await course();
    ctx.clock.current = AFTER_START;
    await api('PUT', `/api/v1/sessions/${s.id}/attendance`, adminToken, [{ personId: p.id, status: 'present' }]);
    const item = (await (await api('GET', `/api/v1/people/${p.id}/certificates`, adminToken)).json()).items[0];
    const code = item.verificationUrl.split('/verify/')[1];

    const ask = await admin.post(`/admin/offerings/${o.id}/completion-rule`, { completionMinSessions: '', completionAssignment: 'on' });
    expect(ask.status).toBe(200);
    const confirmPage = await ask.text();
    expect(confirmPage).toContain('修了を取り消す人数：1人');
    expect(confirmPage).toContain('失効する修了証：1件');
    expect(confirmPage).toMatch(/<input id="f-confirm" type="checkbox" name="confirm" value="on" required/);
    expect((await (await api('GET', `/api/v1/certificates/${code}`, null)).json()).status).toBe('valid');
    // Posted without the tick (a browser would not let it): refused again, with the counts.
    const unticked = await admin.post(`/admin/offerings/${o.id}/completion-rule`, { completionAssignment: 'on', confirming: '1' });
    expect(unticked.status).toBe(422);
    const again = await unticked.text();
    expect(again).toContain('失効する修了証：1件');
    expect(again).toContain('修了の取消しを確認し、「1人の修了を取り消し、修了証1件を失効させることを確認しました」にチェックを入れてください。');

    const apiAsk = await api('PUT', `/api/v1/offerings/${o.id}/completion-rule`, adminToken, { assignment: true });
    expect(apiAsk.status).toBe(409);
    expect((await apiAsk.json()).error).toMatchObject({ code: 'confirmation_required', certificatesRevoked: 1, completionsLost: 1 });
    expect((await (await api('GET', `/api/v1/certificates/${code}`, null)).json()).status).toBe('valid');

    const done = await admin.post(`/admin/offerings/${o.id}/completion-rule`, { completionAssignment: 'on', confirm: 'on' });
    expect(done.status).toBe(303);
    expect(done.headers.get('location')).toContain('notice=rule');
    expect(await (await admin.get(done.headers.get('location')!)).text()).toContain('取り消した修了：1人、失効した修了証：1件');
    expect((await (await api('GET', `/api/v1/certificates/${code}`, null)).json()).status).toBe('revoked');
    // Back to the easier rule: nothing to revoke, no question asked.
    const back = await api('PUT', `/api/v1/offerings/${o.id}/completion-rule`, adminToken, { minSessions: 1 });
    expect(back.status).toBe(200);
    expect(await back.json()).toEqual({ rule: { minSessions: 1 }, certificatesRevoked: 0, completionsLost: 0 });
    expect((await api('PUT', `/api/v1/offerings/${o.id}/completion-rule`, adminToken, { minSessions: 'two' })).status).toBe(422);
  });
});

describe('certificate verification cannot be used to list holders (issue 17)', () => {
  it('guessing is paused per address after a few misses; the QR code and the printed page carry the code', async () => {
    const { s, p } = await course();
    ctx.clock.current = AFTER_START;
    await api('PUT', `/api/v1/sessions/${s.id}/attendance`, adminToken, [{ personId: p.id, status: 'present' }]);
    const item = (await (await api('GET', `/api/v1/people/${p.id}/certificates`, adminToken)).json()).items[0];
    const code = item.verificationUrl.split('/verify/')[1];
    const printable = await (await admin.get(`/certificates/${item.number}`)).text();
    expect(printable).toContain(`/verify/${code}`);
    expect(printable).toContain(code);
    const guesser = new Agent(app, '203.0.113.200');
    const statuses: number[] = [];
    for (let i = 0; i < VERIFY_MISSES_PER_ADDRESS + 5; i++) {
      const n = String(i).padStart(6, '0');
      statuses.push((await guesser.get(`/verify/KYODO-2026-${n}`)).status);
    }
    expect(statuses.slice(0, VERIFY_MISSES_PER_ADDRESS + 1).every((x) => x === 404)).toBe(true);
    expect(statuses.slice(VERIFY_MISSES_PER_ADDRESS + 1).every((x) => x === 429)).toBe(true);
    // Paused means paused, even for a real code; others are not affected.
    expect((await guesser.get(`/verify/${code}`)).status).toBe(429);
    const api429 = await app.request(`http://kyodo.test/api/v1/certificates/${code}`, {}, { incoming: { socket: { remoteAddress: '203.0.113.200' } } });
    expect(api429.status).toBe(429);
    expect((await new Agent(app, '203.0.113.201').get(`/verify/${code}`)).status).toBe(200);
  });
});
