import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../../src/services/api-token.service.js';
import { createTestDb, type TestDb, testContext } from '../support/db.js';
import { Agent, appFor, makeUser, PASSWORD } from '../support/http.js';

// Found by the security scan (scripts/security-scan.sh): PostgreSQL text cannot hold U+0000, so a NUL
// in a search parameter or a body reached a query and answered 500. It is now refused with 400.
let tdb: TestDb;
let ctx: ReturnType<typeof testContext>;
let app: ReturnType<typeof appFor>['app'];
let token: string;
let email: string;

beforeAll(async () => {
  tdb = await createTestDb();
  ctx = testContext(tdb);
  app = appFor(ctx).app;
  const admin = await makeUser(ctx, ['admin', 'staff'], { email: 'nul-admin@pref.example.jp' });
  email = admin.email;
  token = (await createApiToken(ctx, null, admin.id, { name: 'nul' })).token;
});
afterAll(() => tdb.close());

const api = (method: string, path: string, body?: string) =>
  app.request(`http://kyodo.test${path}`, { method, headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body });

describe('NUL (U+0000) in input', () => {
  it('in a query string: 400 with the API error shape, not 500', async () => {
    for (const path of ['/api/v1/people?q=a%00b', '/api/v1/partners?q=%00', '/api/v1/people?q=x&page=1%00']) {
      const res = await api('GET', path);
      expect(res.status, path).toBe(400);
      expect((await res.json()).error.code).toBe('bad_request');
    }
  });

  it('in a JSON body: 400; an escaped backslash before u0000 is ordinary text', async () => {
    expect((await api('POST', '/api/v1/programmes', JSON.stringify({ name: 'a\u0000b' }))).status).toBe(400);
    const text = await api('POST', '/api/v1/programmes', JSON.stringify({ name: 'C:\\u0000 は文字列' }));
    expect(text.status).toBe(201);
  });

  it('in a page form or a page address: 400', async () => {
    const agent = new Agent(app);
    await agent.post('/login', { email, password: PASSWORD });
    expect((await agent.get('/admin/people?q=%00')).status).toBe(400);
    expect((await agent.post('/admin/units', { kind: 'department', name: 'a\u0000', kana: 'エー' })).status).toBe(400);
    expect((await agent.get('/admin/people?q=%E5%8D%94%E5%83%8D')).status).toBe(200);
  });
});
