import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../../src/services/api-token.service.js';
import { toCurrentUser } from '../../src/services/account.service.js';
import { apply } from '../../src/services/application.service.js';
import { addSession, createProgramme } from '../../src/services/offering.service.js';
import { getPerson } from '../../src/services/person.service.js';
import { createTestDb, type TestDb, testContext } from '../support/db.js';
import { Agent, appFor, makeUser } from '../support/http.js';
import { makeOffering } from '../support/offerings.js';

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
    const bad = await api('PUT', `/api/v1/sessions/${s.id}/attendance`, adminToken, [{ personId: p.id, status: 'asleep' }]);
    expect(bad.status).toBe(422);
    const res = await api('PUT', `/api/v1/sessions/${s.id}/attendance`, adminToken, [{ personId: p.id, status: 'present' }]);
    expect(await res.json()).toEqual({ changed: 1 });
    const certs = await (await api('GET', `/api/v1/people/${p.id}/certificates`, adminToken)).json();
    expect(certs.items).toHaveLength(1);
    const number = certs.items[0].number;
    const pub = await api('GET', `/api/v1/certificates/${number}`, null);
    const body = await pub.json();
    expect(Object.keys(body).sort()).toEqual(['completedOn', 'name', 'number', 'programme', 'status', 'validUntil']);
    expect(body).toMatchObject({ name: '認定 太郎', status: 'valid', completedOn: '2026-11-24', validUntil: '2029-11-23' });
    const page = await (await new Agent(app).get(`/verify/${number}`)).text();
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
    await api('PUT', `/api/v1/sessions/${s.id}/attendance`, adminToken, [{ personId: p.id, status: 'present' }]);
    const staff = new Agent(app);
    await staff.login((await makeUser(ctx, ['staff'])).email);
    expect(await (await staff.get('/coordinators')).text()).toContain('認定 太郎');
    const list = await (await api('GET', '/api/v1/coordinators', adminToken)).json();
    expect(list.items.map((x: { name: string }) => x.name)).toContain('認定 太郎');
    expect((await api('GET', '/api/v1/certificates/KYODO-2026-424242', null)).status).toBe(404);
    expect((await new Agent(app).get('/verify?number=KYODO-2026-424242')).status).toBe(404);
  });
});
