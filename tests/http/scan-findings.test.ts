import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../../src/services/api-token.service.js';
import { createTestDb, type TestDb, testContext } from '../support/db.js';
import { Agent, appFor, makeUser, PASSWORD } from '../support/http.js';

// Inputs that answered 500 during the security scan (scripts/security-scan.sh, docs/security.md):
// each now gets an ordinary answer.
let tdb: TestDb;
let ctx: ReturnType<typeof testContext>;
let app: ReturnType<typeof appFor>['app'];
let agent: Agent;
let offeringId: number;

beforeAll(async () => {
  tdb = await createTestDb();
  ctx = testContext(tdb);
  app = appFor(ctx).app;
  const admin = await makeUser(ctx, ['admin', 'staff'], { email: 'scan-admin@pref.example.jp' });
  const token = (await createApiToken(ctx, null, admin.id, { name: 'scan' })).token;
  const post = async (path: string, body: unknown) => {
    const r = await app.request(`http://kyodo.test${path}`, { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    expect(r.status, path).toBe(201);
    return (await r.json()) as { id: number };
  };
  const programme = await post('/api/v1/programmes', { name: '診断用研修' });
  offeringId = (
    await post('/api/v1/offerings', {
      programmeId: programme.id,
      fiscalYear: 2026,
      title: '診断用セミナー',
      capacity: 20,
      selection: 'first_come',
      applicationOpensAt: '2026-10-01T09:00:00+09:00',
      applicationClosesAt: '2026-12-01T17:00:00+09:00',
    })
  ).id;
  agent = new Agent(app);
  expect((await agent.post('/login', { email: admin.email, password: PASSWORD })).status).toBe(303);
});
afterAll(() => tdb.close());

describe('inputs that answered 500 in the security scan', () => {
  it('a line break in the language switch’s next: redirected, the break percent-encoded (no header injection)', async () => {
    const res = await agent.get('/lang/en?next=%2F%0Aenv%3B');
    expect(res.status).toBe(303);
    expect(res.headers.get('Location')).toBe('/%0Aenv;');
    expect((await agent.get('/lang/ja?next=%2Fadmin%2Fpeople')).headers.get('Location')).toBe('/admin/people');
    expect((await agent.get('/lang/ja?next=%2F%2Fevil.example')).headers.get('Location')).toBe('/');
  });

  it('an offering saved with fiscal year 1: refused (422) naming the field, the form shown again', async () => {
    const res = await agent.post(`/admin/offerings/${offeringId}`, {
      title: '診断用セミナー',
      capacity: '20',
      programmeId: '1',
      fiscalYear: '1',
      selection: 'first_come',
      applicationOpensAt: '2026-10-01T09:00',
      applicationClosesAt: '2026-12-01T17:00',
    });
    expect(res.status).toBe(422);
    expect(await res.text()).toContain('name="fiscalYear"');
  });

  it('a report for a year with no wareki (?fy=1, ?fy=99999): the current year instead', async () => {
    for (const path of ['/admin/reports?fy=1', '/admin/reports?fy=99999', '/admin/reports/implementation?fy=1', '/admin/reports/kpis.csv?fy=1'])
      expect((await agent.get(path)).status, path).toBe(200);
  });

  it('an audit filter with an impossible date (2026-02-31, 0001-01-01): ignored', async () => {
    for (const path of ['/admin/audit?from=2026-02-31', '/admin/audit?to=0001-01-01', '/admin/audit?from=2026-04-01&to=2027-03-31'])
      expect((await agent.get(path)).status, path).toBe(200);
  });
});
