import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RouteInfo } from '../../src/http/router.js';
import { createApiToken } from '../../src/services/api-token.service.js';
import { createTestDb, type TestDb, testContext } from '../support/db.js';
import { Agent, appFor, makeUser } from '../support/http.js';
import { ROLES, type Role } from '../../src/domain/values.js';
import { allows } from '../../src/http/access.js';

/**
 * The authorisation matrix, generated from the app's own route table: every role (and anonymous)
 * against every route and method. A refused combination answers 401/403 (or a redirect to login for
 * pages) and leaks nothing; an allowed one is never refused.
 */
let tdb: TestDb;
let ctx: ReturnType<typeof testContext>;
let app: ReturnType<typeof appFor>['app'];
let routes: RouteInfo[];
const agents = new Map<Role | 'anonymous', Agent>();
const tokens = new Map<Role, string>();

beforeAll(async () => {
  tdb = await createTestDb();
  ctx = testContext(tdb);
  ({ app, routes } = appFor(ctx));
  agents.set('anonymous', new Agent(app));
  for (const role of ROLES) {
    const u = await makeUser(ctx, [role], { email: `matrix-${role}@pref.example.jp` });
    const a = new Agent(app);
    await a.login(u.email);
    agents.set(role, a);
    tokens.set(role, (await createApiToken(ctx, null, u.id, { name: 'matrix' })).token);
  }
});
afterAll(() => tdb.close());

const SAMPLE_PARAMS: Record<string, string> = { id: '999999', token: 'not-a-token', lang: 'ja', file: 'app.css' };
const concrete = (path: string) => path.replace(/:(\w+)/g, (_m, name: string) => SAMPLE_PARAMS[name] ?? '1');

describe('authorisation matrix', () => {
  it('every route has an access rule, and only the public ones are open to anonymous users', () => {
    const open = routes.filter((r) => r.access === 'public').map((r) => `${r.method} ${r.path}`);
    expect(open.sort()).toEqual(
      [
        'GET /healthz',
        'GET /readyz',
        'GET /assets/:file',
        'GET /favicon.ico', // leads to the app's own icon (/assets/favicon.svg)
        'GET /setup',
        'POST /setup',
        'GET /login',
        'POST /login',
        'GET /login/sso', // single sign-on: to the prefecture's provider, and back (issue 20 §1)
        'GET /login/sso/callback',
        'GET /login/second-factor', // the second step of a password sign-in: its own short-lived cookie, not a session
        'POST /login/second-factor',
        'POST /login/second-factor/cancel',
        'POST /logout',
        'GET /password/forgot',
        'POST /password/forgot',
        'GET /password/set/:token',
        'POST /password/set/:token',
        'GET /lang/:lang',
        'GET /api/v1/openapi.json',
        'GET /calendar/:file',
        'GET /verify',
        'GET /verify/:code',
        'GET /api/v1/certificates/:code',
        'GET /schedule',
        'GET /', // the home page: public schedule, verification and login when logged out (issue 16 §1)
        'GET /accessibility', // the accessibility test results, JIS X 8341-3:2016 (issue 20 §5)
        'GET /opendata/events.csv',
        'GET /opendata/events.json',
        'GET /credentials/achievements/:key', // verifiable certificates: issuer, keys, achievements, status list (issue 20 §4)
        'GET /credentials/issuer',
        'GET /credentials/keys',
        'GET /credentials/keys/:kid',
        'GET /credentials/status/revocation',
      ].sort(),
    );
  });

  it('covers every role against every non-public route', async () => {
    const problems: string[] = [];
    for (const route of routes.filter((r) => r.access !== 'public')) {
      for (const who of ['anonymous', ...ROLES] as const) {
        const allowed = who !== 'anonymous' && allows(route.access, [who]);
        const path = concrete(route.path);
        let res: Response;
        if (route.api) {
          const token = who === 'anonymous' ? null : tokens.get(who)!;
          res = await app.request(`http://kyodo.test${path}`, {
            method: route.method,
            headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}), 'Content-Type': 'application/json' },
            body: route.method === 'GET' ? undefined : '{}',
          });
        } else {
          const a = agents.get(who)!;
          res = route.method === 'GET' ? await a.get(path) : await a.post(path, {});
        }
        const body = await res.text();
        const refused = res.status === 401 || res.status === 403 || (res.status === 303 && (res.headers.get('location') ?? '').startsWith('/login'));
        if (allowed && refused) problems.push(`${who} refused on ${route.method} ${route.path} (${res.status})`);
        if (!allowed && !refused) problems.push(`${who} NOT refused on ${route.method} ${route.path} (${res.status})`);
        if (!allowed && body.includes('@pref.example.jp'))
          problems.push(`${who} on ${route.method} ${route.path}: refusal leaks personal data`);
        if (res.status >= 500) problems.push(`${who} on ${route.method} ${route.path}: ${res.status}`);
      }
    }
    expect(problems).toEqual([]);
    // Six callers against every route: a few hundred requests, slow on a busy two-core machine.
  }, 180_000);
});
