import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, type TestDb, testContext } from '../support/db.js';
import { Agent, appFor, makeUser } from '../support/http.js';
import { makeOffering } from '../support/offerings.js';

/**
 * Security headers on every kind of answer (page, API, download, error, public, asset), with the app
 * behind http and behind https (HSTS only then): a CSP with no source outside the app and no inline
 * script, no framing, no MIME sniffing, a same-origin referrer.
 */
let tdb: TestDb;
let http: ReturnType<typeof appFor>['app'];
let https: ReturnType<typeof appFor>['app'];
let email: string;
let ctxOf: ReturnType<typeof testContext>;

beforeAll(async () => {
  tdb = await createTestDb();
  const ctx = testContext(tdb);
  ctxOf = ctx;
  http = appFor(ctx).app;
  https = appFor(testContext(tdb, { config: { baseUrl: 'https://kyodo.pref.example.jp', secureCookies: true } })).app;
  email = (await makeUser(ctx, ['admin', 'staff'], { email: 'headers@pref.example.jp' })).email;
});
afterAll(() => tdb.close());

function directives(csp: string): Map<string, string[]> {
  return new Map(
    csp
      .split(';')
      .map((d) => d.trim())
      .filter(Boolean)
      .map((d) => {
        const [name, ...values] = d.split(/\s+/);
        return [name.toLowerCase(), values];
      }),
  );
}

const PATHS = ['/login', '/', '/admin/people', '/admin/people.csv', '/api/v1/me', '/schedule', '/opendata/events.json', '/verify/KYODO-2026-999999', '/no-such-page', '/assets/app.css', '/healthz'];

describe('security headers', () => {
  for (const [label, which] of [
    ['http', () => http],
    ['https', () => https],
  ] as const)
    it(`are sent on every kind of answer (${label})`, async () => {
      const agent = new Agent(which());
      await agent.login(email);
      for (const path of PATHS) {
        const res = await agent.get(path);
        await res.arrayBuffer();
        const h = res.headers;
        const csp = h.get('content-security-policy');
        expect(csp, `${path}: CSP`).toBeTruthy();
        const d = directives(csp!);
        // Nothing from outside the app: every source list holds only 'self', 'none' or data: for images.
        for (const [name, values] of d) {
          if (['upgrade-insecure-requests', 'block-all-mixed-content'].includes(name)) continue;
          for (const v of values) expect(["'self'", "'none'", ...(name === 'img-src' ? ['data:'] : [])], `${path}: ${name} ${v}`).toContain(v);
        }
        expect(d.get('default-src'), path).toEqual(["'self'"]);
        const scripts = d.get('script-src') ?? d.get('default-src')!;
        expect(scripts, path).not.toContain("'unsafe-inline'");
        expect(scripts, path).not.toContain("'unsafe-eval'");
        expect(d.get('frame-ancestors'), path).toEqual(["'none'"]);
        expect(d.get('object-src'), path).toEqual(["'none'"]);
        expect(d.get('base-uri'), path).toEqual(["'none'"]);
        expect(d.get('form-action'), path).toEqual(["'self'"]);
        expect(h.get('x-content-type-options'), path).toBe('nosniff');
        expect(h.get('x-frame-options'), path).toBe('DENY');
        expect(h.get('referrer-policy'), path).toMatch(/^(same-origin|no-referrer|strict-origin(-when-cross-origin)?)$/);
        const hsts = h.get('strict-transport-security');
        if (label === 'https') {
          expect(hsts, `${path}: HSTS`).toMatch(/max-age=(\d+)/);
          expect(Number(/max-age=(\d+)/.exec(hsts!)![1])).toBeGreaterThanOrEqual(15_552_000); // at least 180 days
        } else expect(hsts, `${path}: no HSTS over plain http`).toBeNull();
      }
    });

  it('pages carry no inline script or handler and load nothing from elsewhere', async () => {
    const agent = new Agent(http);
    await agent.login(email);
    for (const path of ['/login', '/', '/admin/people', '/schedule', '/admin/reports']) {
      const html = await (await agent.get(path)).text();
      expect(html, path).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/i);
      expect(html, path).not.toMatch(/\son[a-z]+\s*=/i);
      expect(html, path).not.toMatch(/(src|href|action)="(https?:)?\/\//i);
      expect(html, path).not.toMatch(/javascript:/i);
    }
  });

  it('the session cookie is HttpOnly and SameSite, and Secure behind https', async () => {
    for (const [app, secure] of [
      [http, false],
      [https, true],
    ] as const) {
      const agent = new Agent(app);
      await agent.get('/login');
      const res = await agent.post('/login', { email, password: 'correct horse 42 battery' });
      const cookies = res.headers.getSetCookie();
      const session = cookies.find((c) => c.startsWith('kyodo_session='))!;
      expect(session).toBeDefined();
      expect(session).toMatch(/;\s*HttpOnly/i);
      expect(session).toMatch(/;\s*SameSite=(Lax|Strict)/i);
      if (secure) expect(session).toMatch(/;\s*Secure/i);
      else expect(session).not.toMatch(/;\s*Secure/i);
    }
  });

  it("keeps the sandbox policy on a downloaded upload: a participant's HTML file cannot run as the app (issue 17)", async () => {
    const ctx = ctxOf;
    const o = await makeOffering(ctx);
    const p = await makeUser(ctx, ['staff']);
    const now = ctx.now();
    const a = await ctx.db
      .insertInto('applications')
      .values({ offering_id: o.id, person_id: p.id, status: 'confirmed', seat_group: 'prefecture', answers: JSON.stringify({}), applied_at: now, updated_at: now, participant_code: 'CSP-TEST-0001' } as never)
      .returning('id')
      .executeTakeFirstOrThrow();
    const html = new TextEncoder().encode('<script>fetch("/api/v1/me")</script>');
    await ctx.db
      .insertInto('assignments')
      .values({ application_id: a.id, text: null, file_name: 'report.html', file_type: 'text/html', file_size: html.length, file_data: html, status: 'submitted', submitted_at: now })
      .execute();
    const agent = new Agent(http);
    await agent.login(email);
    const res = await agent.get(`/admin/applications/${a.id}/assignment`);
    expect(res.status).toBe(200);
    await res.arrayBuffer();
    const d = directives(res.headers.get('content-security-policy')!);
    expect(d.get('default-src')).toEqual(["'none'"]);
    expect(d.has('sandbox')).toBe(true);
    expect(res.headers.get('content-disposition')).toMatch(/^attachment;/);
  });
});
