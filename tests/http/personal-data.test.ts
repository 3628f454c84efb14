import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/http/app.js';
import { createLogger } from '../../src/lib/logger.js';
import { readXlsx } from '../../src/lib/xlsx.js';
import { createApiToken } from '../../src/services/api-token.service.js';
import { apply } from '../../src/services/application.service.js';
import { personRepository } from '../../src/db/repositories/person.repository.js';
import { createTestDb, type TestDb, testContext } from '../support/db.js';
import { Agent, appFor, makeUser } from '../support/http.js';
import { makeOffering } from '../support/offerings.js';
import { toCurrentUser } from '../../src/services/context.js';

let tdb: TestDb;
let ctx: ReturnType<typeof testContext>;
let app: ReturnType<typeof appFor>['app'];
let admin: Agent;
let adminToken: string;
let staff: Agent;
let staffId: number;
let staffToken: string;

beforeAll(async () => {
  tdb = await createTestDb();
  ctx = testContext(tdb);
  app = appFor(ctx).app;
  const a = await makeUser(ctx, ['admin', 'staff'], { email: 'pdh-admin@pref.example.jp' });
  const s = await makeUser(ctx, ['staff'], { email: 'pdh-staff@pref.example.jp', name: '個人 情報子', kana: 'コジン ジョウホウコ' });
  staffId = s.id;
  admin = new Agent(app);
  await admin.login(a.email);
  staff = new Agent(app);
  await staff.login(s.email);
  adminToken = (await createApiToken(ctx, null, a.id, { name: 'pdh' })).token;
  staffToken = (await createApiToken(ctx, null, s.id, { name: 'pdh' })).token;
  const o = await makeOffering(ctx, { capacity: 5, questions: undefined });
  await apply(ctx, toCurrentUser((await personRepository.find(tdb.db, s.id))!), o.id, { answers: {} });
}, 60_000);
afterAll(() => tdb.close());

describe('my data (自分のデータ)', () => {
  it('shows the person their own records, says anonymous answers are not linked to them, and links the downloads', async () => {
    const res = await staff.get('/account/data');
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('自分のデータ');
    expect(html).toContain('個人 情報子');
    expect(html).toContain('協働推進セミナー');
    expect(html).toContain('無記名アンケートの回答は、誰の回答か分からない形で保存しているため、ここには含まれません。');
    expect(html).toContain('href="/account/data.json"');
    expect(html).toContain('href="/account/data.xlsx"');
    // Linked from the home page.
    expect(await (await staff.get('/')).text()).toContain('href="/account/data"');
  });

  it('downloads as JSON and as xlsx (one sheet per table), and the API gives the same JSON', async () => {
    const json = await staff.get('/account/data.json');
    expect(json.status).toBe(200);
    expect(json.headers.get('content-disposition')).toMatch(/attachment; filename="kyodo-my-data-\d+\.json"/);
    const d = await json.json();
    expect(d.profile).toMatchObject({ id: staffId, name: '個人 情報子', email: 'pdh-staff@pref.example.jp' });
    expect(d.applications).toHaveLength(1);

    const xlsx = await staff.get('/account/data.xlsx');
    expect(xlsx.status).toBe(200);
    const sheets = await readXlsx(new Uint8Array(await xlsx.arrayBuffer()));
    expect(sheets.map((s) => s.name)).toEqual(expect.arrayContaining(['プロフィール', '受講申込み', '出欠', '修了', '修了証', '研修履歴', '記名アンケートの回答', '相談・支援依頼']));
    const profile = sheets.find((s) => s.name === 'プロフィール')!;
    expect(profile.rows.find((r) => r['項目'] === '氏名')?.['内容']).toBe('個人 情報子');
    expect(sheets.find((s) => s.name === '受講申込み')!.rows).toHaveLength(1);

    const api = await app.request('http://kyodo.test/api/v1/me/export', { headers: { Authorization: `Bearer ${staffToken}` } });
    expect(api.status).toBe(200);
    const viaApi = await api.json();
    expect({ ...viaApi, generatedAt: null, apiTokens: null, loginSessions: null }).toEqual({ ...d, generatedAt: null, apiTokens: null, loginSessions: null });
    expect((await app.request('http://kyodo.test/api/v1/me/export')).status).toBe(401);
  });

  it('is in the OpenAPI document, with the anonymise operation', async () => {
    const doc = await (await app.request('http://kyodo.test/api/v1/openapi.json')).json();
    expect(doc.paths['/api/v1/me/export'].get['x-kyodo-access']).toBe('user');
    expect(doc.paths['/api/v1/people/{id}/anonymise'].post['x-kyodo-access']).toEqual(['admin']);
    expect(doc.paths['/api/v1/people/{id}/anonymise'].post.requestBody.content['application/json'].schema.required).toEqual(['reason', 'confirm']);
  });
});

describe('anonymising from the people pages and the API', () => {
  it('asks for a reason and a confirmation (no JavaScript needed), then anonymises and ends the person’s session', async () => {
    const victim = await makeUser(ctx, ['staff'], { email: 'leaver@pref.example.jp', name: '退職 予定', kana: 'タイショク ヨテイ' });
    const leaver = new Agent(app);
    await leaver.login(victim.email);
    expect((await leaver.get('/account/data')).status).toBe(200);

    const person = await admin.get(`/admin/people/${victim.id}`);
    expect(await person.text()).toContain(`href="/admin/people/${victim.id}/anonymise"`);
    const form = await admin.get(`/admin/people/${victim.id}/anonymise`);
    expect(form.status).toBe(200);
    const html = await form.text();
    expect(html).toContain('退職 予定（leaver@pref.example.jp）');
    expect(html).toMatch(/<label for="f-reason">理由/);
    expect(html).toContain('元に戻せないことを理解しました');
    expect(html).toContain('name="_csrf"');

    const refused = await admin.post(`/admin/people/${victim.id}/anonymise`, { reason: '退職のため' });
    expect(refused.status).toBe(422);
    expect(await refused.text()).toContain('確認の欄にチェックを入れてください。');
    expect((await personRepository.find(tdb.db, victim.id))!.name).toBe('退職 予定');

    const done = await admin.post(`/admin/people/${victim.id}/anonymise`, { reason: '退職のため', confirm: 'on' });
    expect(done.status).toBe(303);
    expect(done.headers.get('location')).toBe(`/admin/people/${victim.id}?notice=common.saved`);
    const after = await (await admin.get(`/admin/people/${victim.id}`)).text();
    expect(after).toContain('この職員は匿名化されています。');
    expect(after).not.toContain('leaver@pref.example.jp');
    // The leaver's browser session is over.
    const gone = await leaver.get('/account/data');
    expect(gone.status).toBe(303);
    expect(gone.headers.get('location')).toMatch(/^\/login/);
    // Twice: refused with a message.
    const twice = await admin.post(`/admin/people/${victim.id}/anonymise`, { reason: 'x', confirm: 'on' });
    expect(twice.status).toBe(409);
  });

  it('API: admins only, JSON body with confirm: true', async () => {
    const victim = await makeUser(ctx, ['staff'], { email: 'leaver2@pref.example.jp' });
    const call = (token: string, body: unknown) =>
      app.request(`http://kyodo.test/api/v1/people/${victim.id}/anonymise`, { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    expect((await call(staffToken, { reason: 'x', confirm: true })).status).toBe(403);
    const bad = await call(adminToken, { reason: 'x' });
    expect(bad.status).toBe(422);
    expect((await bad.json()).error.fields.confirm).toBeDefined();
    const ok = await call(adminToken, { reason: '退職', confirm: true });
    expect(ok.status).toBe(200);
    expect((await ok.json()).id).toBe(victim.id);
  });
});

describe('readiness, request ids and logs', () => {
  it('/readyz is public: 200 when started, migrated and the database answers; 503 while starting or stopping', async () => {
    const ready = await app.request('http://kyodo.test/readyz');
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', database: 'ok', migrations: 'applied' });
    for (const state of ['starting', 'stopping'] as const) {
      const { app: other } = createApp(ctx, { lifecycle: () => state });
      const res = await other.request('http://kyodo.test/readyz');
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toBe('5');
      expect(await res.json()).toEqual({ status: state });
      // Liveness is another question: the process and the database are fine.
      expect((await other.request('http://kyodo.test/healthz')).status).toBe(200);
    }
  });

  it('echoes a sane X-Request-Id, replaces anything else, and logs one JSON line per request with it', async () => {
    const lines: Record<string, unknown>[] = [];
    const sink = new Writable({
      write(chunk, _enc, cb) {
        for (const l of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(l));
        cb();
      },
    });
    const { app: logged } = createApp(ctx, { logger: createLogger({ logLevel: 'info' }, sink) });
    const mine = await logged.request('http://kyodo.test/login?next=/secret-search', { headers: { 'X-Request-Id': 'lb-1234.abc' } });
    expect(mine.headers.get('x-request-id')).toBe('lb-1234.abc');
    const evil = await logged.request('http://kyodo.test/login', { headers: { 'X-Request-Id': 'x"}{injected ' + 'a'.repeat(200) } });
    expect(evil.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const none = await logged.request('http://kyodo.test/api/v1/me', { headers: { Authorization: `Bearer ${staffToken}` } });
    const generated = none.headers.get('x-request-id')!;
    expect(generated).toMatch(/^[0-9a-f-]{36}$/);
    await new Promise((r) => setImmediate(r));
    const byId = (id: string) => lines.find((l) => l.reqId === id);
    expect(byId('lb-1234.abc')).toMatchObject({ level: 'info', method: 'GET', path: '/login', status: 200, app: 'kyodo' });
    expect(byId(generated)).toMatchObject({ path: '/api/v1/me', status: 200, user: staffId });
    const text = JSON.stringify(lines);
    expect(text).not.toContain('secret-search'); // no query strings
    expect(text).not.toContain(staffToken); // no credentials
    expect(text).not.toContain('injected');
  });
});
