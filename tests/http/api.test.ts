import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../../src/services/api-token.service.js';
import { createTestDb, type TestDb, testContext } from '../support/db.js';
import { Agent, appFor, makeUser } from '../support/http.js';

let tdb: TestDb;
let ctx: ReturnType<typeof testContext>;
let app: ReturnType<typeof appFor>['app'];
let adminToken: string;
let staffToken: string;

beforeAll(async () => {
  tdb = await createTestDb();
  ctx = testContext(tdb);
  app = appFor(ctx).app;
  const admin = await makeUser(ctx, ['admin', 'staff'], { email: 'api-admin@pref.example.jp' });
  adminToken = (await createApiToken(ctx, null, admin.id, { name: 'test' })).token;
  const staff = await makeUser(ctx, ['staff']);
  staffToken = (await createApiToken(ctx, null, staff.id, { name: 'test' })).token;
});
afterAll(() => tdb.close());

const call = (path: string, token: string | null, init: RequestInit = {}) =>
  app.request(`http://kyodo.test${path}`, {
    ...init,
    headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}), 'Content-Type': 'application/json', ...(init.headers ?? {}) },
  });

describe('/api/v1', () => {
  it('GET /me returns {id,email,name,roles}', async () => {
    const res = await call('/api/v1/me', adminToken);
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(Object.keys(body).sort()).toEqual(['email', 'id', 'name', 'roles']);
    expect(body.email).toBe('api-admin@pref.example.jp');
    expect(body.roles).toEqual(['admin', 'staff']);
  });

  it('refuses without a token (401) and with a revoked or unknown token', async () => {
    expect((await call('/api/v1/me', null)).status).toBe(401);
    const unknown = await call('/api/v1/me', 'kyodo_not-a-real-token');
    expect(unknown.status).toBe(401);
    expect(await unknown.json()).toMatchObject({ error: { code: 'unauthorized' } });
  });

  it('POST /people creates a person (admin) → 201 {id}', async () => {
    const res = await call('/api/v1/people', adminToken, {
      method: 'POST',
      body: JSON.stringify({ name: '湖南 一郎', kana: 'コナン イチロウ', email: 'konan@city252115.example.jp', affiliation: 'municipality' }),
    });
    expect(res.status).toBe(201);
    const { id } = await res.json();
    expect(id).toBeGreaterThan(0);
    const got = await call(`/api/v1/people/${id}`, adminToken);
    expect(await got.json()).toMatchObject({ name: '湖南 一郎', kana: 'コナン イチロウ', affiliation: 'municipality', roles: ['staff'] });
  });

  it('POST /people refuses bad input with 422 naming each field, and saves nothing', async () => {
    const before = (await (await call('/api/v1/people', adminToken)).json()).total;
    const res = await call('/api/v1/people', adminToken, {
      method: 'POST',
      body: JSON.stringify({ name: '', kana: 'Konan', email: 'x', affiliation: 'city' }),
    });
    expect(res.status).toBe(422);
    const body = await res.json();
    expect(body.error.code).toBe('validation');
    expect(body.error.fields).toEqual({
      name: '氏名を入力してください。',
      kana: 'フリガナはカタカナまたはひらがなで入力してください。',
      email: 'メールアドレスはメールアドレスの形式で入力してください。',
      affiliation: '所属区分の値が正しくありません。',
    });
    expect((await (await call('/api/v1/people', adminToken)).json()).total).toBe(before);
  });

  it('answers malformed JSON with 400, and a duplicate email with 422 on the field', async () => {
    const bad = await call('/api/v1/people', adminToken, { method: 'POST', body: '{"name":' });
    expect(bad.status).toBe(400);
    const dup = await call('/api/v1/people', adminToken, {
      method: 'POST',
      body: JSON.stringify({ name: '重複', kana: 'ジュウフク', email: 'API-ADMIN@pref.example.jp', affiliation: 'prefecture' }),
    });
    expect(dup.status).toBe(422);
    expect((await dup.json()).error.fields.email).toBe('このメールアドレスはすでに登録されています。');
  });

  it('refuses staff on admin endpoints with 403', async () => {
    const res = await call('/api/v1/people', staffToken, { method: 'POST', body: JSON.stringify({}) });
    expect(res.status).toBe(403);
    expect((await res.json()).error.code).toBe('forbidden');
  });

  it('a cookie session needs the CSRF header for state changes', async () => {
    const a = new Agent(app);
    await a.login('api-admin@pref.example.jp');
    const body = JSON.stringify({ name: '佐藤 次郎', kana: 'サトウ ジロウ', email: 'jiro@pref.example.jp', affiliation: 'prefecture' });
    const without = await a.request('/api/v1/people', { method: 'POST', body, headers: { 'Content-Type': 'application/json' } });
    expect(without.status).toBe(403);
    const withHeader = await a.request('/api/v1/people', { method: 'POST', body, headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': a.csrf } });
    expect(withHeader.status).toBe(201);
  });

  it('publishes an OpenAPI 3.1 document listing every API route', async () => {
    const res = await call('/api/v1/openapi.json', null);
    expect(res.status).toBe(200);
    const doc = await res.json();
    expect(doc.openapi).toBe('3.1.0');
    const { routes } = appFor(ctx);
    const apiRoutes = routes.filter((r) => r.api);
    for (const r of apiRoutes) {
      const path = r.path.replace(/:(\w+)/g, '{$1}');
      expect(doc.paths[path]?.[r.method.toLowerCase()], `${r.method} ${r.path}`).toBeDefined();
    }
    expect(doc.paths['/api/v1/people'].post.requestBody.content['application/json'].schema.properties.affiliation.enum).toEqual([
      'prefecture',
      'municipality',
      'agency',
      'partner',
    ]);
  });

  it('unknown API paths answer JSON 404', async () => {
    const res = await call('/api/v1/nothing', adminToken);
    expect(res.status).toBe(404);
    expect((await res.json()).error.code).toBe('not_found');
  });
});
