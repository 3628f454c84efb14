import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import { createTestDb, type TestDb, testContext } from '../support/db.js';
import { Agent, appFor, makeUser, PASSWORD } from '../support/http.js';

// Issue 17, high 1 and medium 3: the address-wide throttle behind a proxy, and parallel guesses.
let tdb: TestDb;
let ctx: ReturnType<typeof testContext>;
let app: ReturnType<typeof appFor>['app'];

beforeAll(async () => {
  tdb = await createTestDb();
  ctx = testContext(tdb, { config: { trustedProxies: ['10.9.0.0/16'] } });
  app = appFor(ctx).app;
});
afterAll(() => tdb.close());

/** Posts the login form as `agent`, with an X-Forwarded-For header as a proxy would add. */
async function loginVia(agent: Agent, email: string, password: string, forwardedFor?: string) {
  if (!agent.csrf) await agent.get('/login');
  const body = new URLSearchParams({ _csrf: agent.csrf, email, password });
  const headers: Record<string, string> = { 'Content-Type': 'application/x-www-form-urlencoded' };
  if (forwardedFor) headers['X-Forwarded-For'] = forwardedFor;
  return agent.request('/login', { method: 'POST', body, headers });
}

/** These tests loop over 50+ logins: a generous limit, so a loaded machine does not fail them. */
const LOOP = 180_000;

const nextWindow = () => ctx.clock.advance(ctx.config.loginLockMinutes * 60_000 + 1000);

describe('the address-wide throttle', () => {
  it('behind a trusted proxy, counts the client named in X-Forwarded-For, not the proxy', async () => {
    const u = await makeUser(ctx);
    const max = ctx.config.loginMaxFailures;
    const proxy = '10.9.0.1';
    for (let i = 0; i < max * 10; i++) {
      const r = await loginVia(new Agent(app, proxy), `made-up-${i}@pref.example.jp`, 'Password1234!', '203.0.113.66');
      expect(r.status).toBe(401);
    }
    // The attacker's address is paused …
    expect((await loginVia(new Agent(app, proxy), u.email, PASSWORD, '203.0.113.66')).status).toBe(429);
    // … everyone else behind the same proxy is not, even on a browser that never logged in.
    expect((await loginVia(new Agent(app, proxy), u.email, PASSWORD, '198.51.100.7')).status).toBe(303);
    // A client cannot escape by forging the left part of the header: the proxy appends what it saw.
    expect((await loginVia(new Agent(app, proxy), u.email, PASSWORD, '198.51.100.7, 203.0.113.66')).status).toBe(429);
    nextWindow();
  }, LOOP);

  it('ignores X-Forwarded-For from a peer that is not a trusted proxy', async () => {
    const u = await makeUser(ctx);
    const max = ctx.config.loginMaxFailures;
    const peer = '203.0.113.80';
    for (let i = 0; i < max * 10; i++) {
      // A different made-up client address each time: it must not help.
      const r = await loginVia(new Agent(app, peer), `nobody-${i}@pref.example.jp`, 'Password1234!', `198.51.100.${i % 250}`);
      expect(r.status).toBe(401);
    }
    expect((await loginVia(new Agent(app, peer), u.email, PASSWORD, '198.51.100.200')).status).toBe(429);
    nextWindow();
  }, LOOP);

  it('a flood of failures for other accounts from one address cannot stop a person whose browser has logged in before', async () => {
    const u = await makeUser(ctx);
    const shared = '203.0.113.90'; // everyone behind one unconfigured proxy
    const owner = new Agent(app, shared);
    await owner.login(u.email);
    await owner.post('/logout');
    expect(owner.cookies.get('kyodo_device')).toMatch(/^[\w-]{40,}$/);
    const max = ctx.config.loginMaxFailures;
    for (let i = 0; i < max * 10 + 5; i++) await loginVia(new Agent(app, shared), `made-up-${i}@pref.example.jp`, 'Password1234!');
    // A browser with no history is paused with the address …
    expect((await loginVia(new Agent(app, shared), u.email, PASSWORD)).status).toBe(429);
    // … the owner's browser is not.
    expect((await loginVia(owner, u.email, PASSWORD)).status).toBe(303);
    nextWindow();
  }, LOOP);

  it('failures for the account itself from other browsers do not lock out its owner on a known browser', async () => {
    const u = await makeUser(ctx);
    const owner = new Agent(app, '198.51.100.30');
    await owner.login(u.email);
    await owner.post('/logout');
    const max = ctx.config.loginMaxFailures;
    for (let i = 0; i < max * 4 + 3; i++) await loginVia(new Agent(app, `198.51.100.${100 + i}`), u.email, 'wrong password 1');
    expect((await loginVia(new Agent(app, '198.51.100.31'), u.email, PASSWORD)).status).toBe(429);
    expect((await loginVia(owner, u.email, PASSWORD)).status).toBe(303);
    nextWindow();
  }, LOOP);

  it('a known browser that keeps failing is paused itself, then counted like any other', async () => {
    const u = await makeUser(ctx);
    const owner = new Agent(app, '198.51.100.40');
    await owner.login(u.email);
    await owner.post('/logout');
    const max = ctx.config.loginMaxFailures;
    for (let i = 0; i < max; i++) expect((await loginVia(owner, u.email, 'wrong password 1')).status).toBe(401);
    // The device is paused, so the attempt falls back to the address and account counts, which still allow it.
    expect((await loginVia(owner, u.email, PASSWORD)).status).toBe(303);
    nextWindow();
  }, LOOP);
});

describe('parallel guesses', () => {
  it('each count: 25 wrong passwords sent at once pause the account', async () => {
    const u = await makeUser(ctx);
    const max = ctx.config.loginMaxFailures;
    const a = new Agent(app, '198.51.100.50');
    await a.get('/login');
    const statuses = await Promise.all(Array.from({ length: 25 }, () => loginVia(a, u.email, 'wrong password 1').then((r) => r.status)));
    expect(statuses.filter((s) => s === 401)).toHaveLength(max);
    expect(statuses.filter((s) => s === 429)).toHaveLength(25 - max);
    expect((await loginVia(a, u.email, PASSWORD)).status).toBe(429);
    nextWindow();
  }, LOOP);

  it('a burst of 30 ending in the right password does not log in', async () => {
    const u = await makeUser(ctx);
    const a = new Agent(app, '198.51.100.60');
    await a.get('/login');
    const tries = Array.from({ length: 30 }, (_, i) => (i === 29 ? PASSWORD : `wrong password ${i}`));
    const statuses = await Promise.all(tries.map((p) => loginVia(a, u.email, p).then((r) => r.status)));
    expect(statuses.at(-1)).toBe(429);
    expect(statuses).not.toContain(303);
    nextWindow();
  }, LOOP);
});

describe('KYODO_TRUSTED_PROXIES', () => {
  it('is read by the configuration, and a bad entry stops the start naming the variable', () => {
    expect(loadConfig({ KYODO_TRUSTED_PROXIES: '10.0.0.0/8 , 192.168.1.10' }).trustedProxies).toEqual(['10.0.0.0/8', '192.168.1.10']);
    expect(loadConfig({}).trustedProxies).toEqual([]);
    expect(() => loadConfig({ KYODO_TRUSTED_PROXIES: '10.0.0.0/40' })).toThrow(/KYODO_TRUSTED_PROXIES: "10.0.0.0\/40"/);
  });
});
