import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RouteInfo } from '../../src/http/router.js';
import { createApiToken } from '../../src/services/api-token.service.js';
import { loadSampleData } from '../../src/services/sample-data/sample-data.service.js';
import { createTestDb, type TestDb, testContext } from '../support/db.js';
import { Agent, appFor, makeUser } from '../support/http.js';

/**
 * Bad input, generated: every state-changing form and API body, with random fields and values.
 * Whatever arrives, the answer is never a 5xx, and a refusal changes nothing in the database.
 */
let tdb: TestDb;
let app: ReturnType<typeof appFor>['app'];
let routes: RouteInfo[];
let admin: Agent;
let adminToken: string;
let adminId: number;

const statuses: Record<number, number> = {};
const TABLES = ['people', 'units', 'offerings', 'offering_sessions', 'applications', 'partners', 'partner_sites', 'field_offers', 'certificates', 'completions', 'attendance', 'api_tokens'] as const;

async function counts(): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of TABLES) out[t] = (await sql<{ n: number }>`SELECT count(*) AS n FROM ${sql.table(t)}`.execute(tdb.db)).rows[0].n;
  return out;
}

beforeAll(async () => {
  tdb = await createTestDb();
  const ctx = testContext(tdb, { config: { sessionIdleMinutes: 600 } });
  const a = await makeUser(ctx, ['admin', 'staff'], { email: 'fuzz-admin@pref.example.jp' });
  adminId = a.id;
  await loadSampleData(ctx, a);
  ({ app, routes } = appFor(ctx));
  admin = new Agent(app);
  await admin.login(a.email);
  adminToken = (await createApiToken(ctx, null, a.id, { name: 'fuzz' })).token;
}, 120_000);
afterAll(() => tdb.close());

// Routes whose success is not a refusal of bad input: logging out, the login form (throttling is tested elsewhere), and abandoning a sign-in's second step (it goes back to the login page).
const SKIP = new Set(['POST /logout', 'POST /login', 'POST /setup', 'POST /password/forgot', 'POST /login/second-factor/cancel']);
const concrete = (path: string) => path.replace(/:(\w+)/g, (_m, n: string) => (n === 'token' ? 'x'.repeat(30) : n === 'number' ? 'KYODO-2026-000001' : '1'));

const value = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.constantFrom('', ' ', '-1', '0', '99999999999', '2026-13-45T25:61', '=cmd|calc', '<script>', '髙﨑①', 'null', 'true', '../../etc/passwd'),
  fc.integer().map(String),
);
const formBody = fc.dictionary(fc.constantFrom('name', 'kana', 'email', 'capacity', 'title', 'kind', 'code', 'affiliation', 'roles', 'decision', 'reason', 'comment', 'status', 'selection', 'applicationOpensAt', 'applicationClosesAt', 'startsAt', 'endsAt', 'format', 'siteId', 'offeringId', 'start', 'type', 'password', 'unitId', 'seed', 'body', 'completed', 'text', 'code'), value, { maxKeys: 8 });
const jsonValue = fc.oneof(value, fc.integer(), fc.boolean(), fc.constant(null), fc.array(fc.integer(), { maxLength: 3 }));
const jsonBody = fc.oneof(
  fc.dictionary(fc.constantFrom('name', 'kana', 'email', 'affiliation', 'programmeId', 'fiscalYear', 'title', 'capacity', 'selection', 'applicationOpensAt', 'applicationClosesAt', 'startsAt', 'endsAt', 'format', 'personId', 'seed', 'decision', 'applicationIds', 'siteId', 'theme', 'candidateStarts', 'durationMinutes', 'type', 'reason', 'start', 'offeringId'), jsonValue, { maxKeys: 8 }),
  fc.array(fc.record({ personId: fc.integer(), status: fc.string({ maxLength: 10 }) }), { maxLength: 3 }),
  fc.constant('not json'),
);

describe('generated bad input', () => {
  it('no form answers 5xx, and refusals change nothing', async () => {
    const forms = routes.filter((r) => !r.api && r.method === 'POST' && !SKIP.has(`${r.method} ${r.path}`));
    expect(forms.length).toBeGreaterThan(20);
    for (const route of forms) {
      await fc.assert(
        fc.asyncProperty(formBody, async (body) => {
          const before = await counts();
          const res = await admin.post(concrete(route.path), body);
          statuses[res.status] = (statuses[res.status] ?? 0) + 1;
          // The admin stays logged in throughout (a test that logged itself out would prove nothing).
          expect(res.headers.get('location') ?? '').not.toMatch(/^\/login/);
          expect(res.status, `${route.method} ${route.path} ${JSON.stringify(body)}`).toBeLessThan(500);
          await res.arrayBuffer();
          if (res.status >= 400) expect(await counts(), `${route.path} changed data on refusal`).toEqual(before);
        }),
        { numRuns: Number(process.env.KYODO_FUZZ_RUNS ?? 8) },
      );
    }
  }, 300_000);

  it('no API body answers 5xx; refusals are JSON errors naming fields and change nothing', async () => {
    // A fresh token: the form fuzzing above may have revoked the first one.
    adminToken = (await createApiToken(testContext(tdb), null, adminId, { name: 'fuzz-api' })).token;
    const ops = routes.filter((r) => r.api && r.method !== 'GET');
    for (const route of ops) {
      await fc.assert(
        fc.asyncProperty(jsonBody, async (body) => {
          const before = await counts();
          const res = await app.request(`http://kyodo.test${concrete(route.path)}`, {
            method: route.method,
            headers: { Authorization: `Bearer ${adminToken}`, 'Content-Type': 'application/json' },
            body: typeof body === 'string' ? body : JSON.stringify(body),
          });
          expect(res.status, `${route.method} ${route.path} ${JSON.stringify(body)}`).toBeLessThan(500);
          expect(res.status, 'the API token must stay valid').not.toBe(401);
          if (res.status >= 400) {
            const err = (await res.json()) as { error: { code: string; message: string; fields: Record<string, string> } };
            expect(typeof err.error.message).toBe('string');
            expect(err.error.message.length).toBeGreaterThan(0);
            if (res.status === 422) expect(Object.keys(err.error.fields).length, JSON.stringify(err)).toBeGreaterThan(0);
            expect(await counts(), `${route.path} changed data on refusal`).toEqual(before);
          }
        }),
        { numRuns: Number(process.env.KYODO_FUZZ_RUNS ?? 10) },
      );
    }
  }, 300_000);
});
