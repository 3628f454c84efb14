import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { personRepository } from '../../src/db/repositories/person.repository.js';
import type { OidcConfig } from '../../src/config/index.js';
import { createTestDb, TestClock, type TestDb, testContext } from '../support/db.js';
import { Agent, appFor, makeUser } from '../support/http.js';
import { ProviderBrowser, TestProvider } from '../support/oidc-provider.js';

const BASE = 'http://kyodo.test';
let tdb: TestDb;
let provider: TestProvider;
let clock: TestClock;
let ctx: ReturnType<typeof testContext>;
let app: ReturnType<typeof appFor>['app'];

beforeAll(async () => {
  tdb = await createTestDb();
  // The provider signs with the real time: Kyodo's clock starts there too.
  clock = new TestClock(new Date());
  // id_tokens live two minutes, so that moving Kyodo's clock five minutes makes one expire while the
  // sign-in itself (ten minutes) is still waiting.
  provider = await TestProvider.start(BASE, { idTokenSeconds: 120 });
  ctx = testContext(tdb, { clock, config: { oidc: provider.config() } });
  app = appFor(ctx).app;
});
afterAll(async () => {
  await provider?.stop();
  await tdb?.close();
});

let n = 0;
beforeEach(() => {
  clock.current = new Date();
  ctx.config = { ...ctx.config, oidc: provider.config() };
});
const useOidc = (over: Partial<OidcConfig>) => {
  ctx.config = { ...ctx.config, oidc: provider.config(over) };
};

/** A person in Kyodo's directory, and an account at the provider with the given claims. */
async function person(opts: { staffNumber?: string | null; roles?: Parameters<typeof makeUser>[1]; affiliation?: 'prefecture' | 'partner'; active?: boolean } = {}) {
  const p = await makeUser(ctx, opts.roles ?? ['staff'], { affiliation: opts.affiliation, name: `単一 花子${++n}` });
  if (opts.staffNumber !== undefined || opts.active === false)
    await personRepository.update(tdb.db, p.id, { staff_number: opts.staffNumber ?? null, ...(opts.active === false ? { active: false } : {}), updated_at: ctx.now() });
  return p;
}
function account(claims: Record<string, unknown>): string {
  const id = `acct-${++n}`;
  provider.accounts.set(id, claims);
  return id;
}

/** Starts a sign-in at Kyodo and goes through the provider, stopping at the callback to Kyodo. */
async function begin(agent: Agent, browser: ProviderBrowser, accountId: string, next = '/') {
  const start = await agent.get(`/login/sso?next=${encodeURIComponent(next)}`);
  expect(start.status).toBe(302);
  const authUrl = start.headers.get('location')!;
  expect(authUrl.startsWith(provider.issuer)).toBe(true);
  provider.loginAs = accountId;
  const callback = await browser.follow(authUrl, `${BASE}/`);
  return { authUrl: new URL(authUrl), callback: callback.slice(BASE.length) };
}
async function signIn(accountId: string, next = '/') {
  const agent = new Agent(app);
  const browser = new ProviderBrowser();
  const { callback } = await begin(agent, browser, accountId, next);
  return { agent, browser, res: await agent.get(callback) };
}
async function lastAudit(action: string) {
  return tdb.db.selectFrom('audit_log').selectAll().where('action', '=', action).orderBy('id', 'desc').executeTakeFirstOrThrow();
}
async function signedInAs(agent: Agent): Promise<string | null> {
  const home = await agent.get('/');
  if (home.status !== 200) return null;
  return /単一 花子\d+|新規 太郎/.exec(await home.text())?.[0] ?? null;
}

describe('signing in through the prefecture provider', () => {
  it('asks the provider with PKCE, state and nonce, and signs in a person found by 職員番号 (full width in the claim)', async () => {
    const p = await person({ staffNumber: '103034' });
    const acct = account({ employeeId: '１０３０３４', email: 'not-in-kyodo@pref.example.jp', email_verified: true });
    const agent = new Agent(app);
    const { authUrl, callback } = await begin(agent, new ProviderBrowser(), acct, '/account/tokens');
    expect(authUrl.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authUrl.searchParams.get('code_challenge')).toBeTruthy();
    expect(authUrl.searchParams.get('state')).toBeTruthy();
    expect(authUrl.searchParams.get('nonce')).toBeTruthy();
    expect(authUrl.searchParams.get('redirect_uri')).toBe(`${BASE}/login/sso/callback`);
    const res = await agent.get(callback);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/account/tokens');
    expect(res.headers.getSetCookie().find((c) => c.startsWith('kyodo_session='))).toMatch(/HttpOnly/);
    expect(await signedInAs(agent)).toBe(p.name);
    const login = await lastAudit('login');
    expect(login.actor_id).toBe(p.id);
    expect(login.after).toMatchObject({ method: 'sso', staffNumber: '103034', sub: acct });
  });

  it('signs in a person found by mail address when there is no 職員番号 claim', async () => {
    const p = await person();
    const { agent, res } = await signIn(account({ email: p.email.toUpperCase(), email_verified: true }));
    expect(res.status).toBe(303);
    expect(await signedInAs(agent)).toBe(p.name);
  });

  it('refuses somebody unknown by default, saying why in Japanese, and audits it', async () => {
    const { agent, res } = await signIn(account({ employeeId: '999001', email: 'stranger@pref.example.jp', name: '新規 太郎' }));
    expect(res.status).toBe(403);
    const html = await res.text();
    expect(html).toContain('県のアカウントでログインできませんでした');
    expect(html).toContain('このアカウントは Kyodo に登録されていません。');
    expect(html).toContain('研修担当');
    expect(res.headers.getSetCookie().some((c) => c.startsWith('kyodo_session='))).toBe(false);
    expect(await signedInAs(agent)).toBeNull();
    expect((await lastAudit('login_failed')).after).toMatchObject({ method: 'sso', reason: 'unknown', staffNumber: '999001' });
    expect(await personRepository.findByStaffNumber(tdb.db, '999001')).toBeUndefined();
  });

  it('shows the refusal in English after the language switch', async () => {
    const agent = new Agent(app);
    await agent.get('/lang/en');
    const { callback } = await begin(agent, new ProviderBrowser(), account({ email: 'stranger2@pref.example.jp' }));
    const res = await agent.get(callback);
    expect(res.status).toBe(403);
    expect(await res.text()).toContain('This account is not registered in Kyodo.');
  });

  it('creates somebody unknown when configured, as prefecture staff with the claims’ 職員番号, name and フリガナ', async () => {
    useOidc({ createPeople: true });
    const { agent, res } = await signIn(
      account({ employeeId: '999002', email: 'shinki@pref.example.jp', name: '新規 太郎', 'family_name#ja-Kana-JP': 'シンキ', 'given_name#ja-Kana-JP': 'タロウ' }),
    );
    expect(res.status).toBe(303);
    expect(await signedInAs(agent)).toBe('新規 太郎');
    const created = (await personRepository.findByStaffNumber(tdb.db, '999002'))!;
    expect(created).toMatchObject({ email: 'shinki@pref.example.jp', kana: 'シンキ タロウ', affiliation: 'prefecture', active: true, password_hash: null });
    expect(await personRepository.roles(tdb.db, created.id)).toEqual(['staff']);
  });

  it('takes roles from the groups claim at each sign-in, leaving roles the mapping does not name', async () => {
    useOidc({ groupsClaim: 'groups', roleGroups: [{ role: 'admin', group: 'kyodo-admins' }] });
    const p = await person({ staffNumber: '103100', roles: ['staff', 'coordinator'] });
    const first = await signIn(account({ employeeId: '103100', groups: ['kyodo-admins', 'everyone'] }));
    expect(first.res.status).toBe(303);
    expect(await personRepository.roles(tdb.db, p.id)).toEqual(['admin', 'coordinator', 'staff']);
    expect((await first.agent.get('/admin/audit')).status).toBe(200);

    const second = await signIn(account({ employeeId: '103100', groups: ['everyone'] }));
    expect(second.res.status).toBe(303);
    expect(await personRepository.roles(tdb.db, p.id)).toEqual(['coordinator', 'staff']);
    expect((await second.agent.get('/admin/audit')).status).toBe(403);
  });

  it('refuses a deactivated person', async () => {
    const p = await person({ staffNumber: '103200', active: false });
    const { res } = await signIn(account({ employeeId: '103200' }));
    expect(res.status).toBe(403);
    expect(await res.text()).toContain('この利用者は利用停止になっています。');
    const failed = await lastAudit('login_failed');
    expect(failed.actor_id).toBe(p.id);
    expect(failed.after).toMatchObject({ reason: 'inactive' });
  });

  it('refuses a partner account (partners keep their passwords) and points to the password form', async () => {
    const p = await person({ roles: ['partner'], affiliation: 'partner' });
    const { res } = await signIn(account({ email: p.email }));
    expect(res.status).toBe(403);
    const html = await res.text();
    expect(html).toContain('協働先団体の方のアカウントは、県のアカウントではログインできません。');
    expect(html).toContain('href="/login"');
  });
});

describe('responses that do not fit the sign-in begun', () => {
  it('refuses a callback whose state is not the one this browser was given', async () => {
    await person({ staffNumber: '104001' });
    const agent = new Agent(app);
    const { callback } = await begin(agent, new ProviderBrowser(), account({ employeeId: '104001' }));
    const forged = new URL(callback, BASE);
    forged.searchParams.set('state', 'forged-state-value');
    const res = await agent.get(forged.pathname + forged.search);
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('ログインの手続の有効期限が切れたか、既に使われています。');
    expect(await signedInAs(agent)).toBeNull();
    expect((await lastAudit('login_failed')).after).toMatchObject({ reason: 'state' });
  });

  it('refuses a replayed callback (same code, same state, same browser cookie)', async () => {
    const p = await person({ staffNumber: '104002' });
    const agent = new Agent(app);
    const { callback } = await begin(agent, new ProviderBrowser(), account({ employeeId: '104002' }));
    const stateCookie = agent.cookies.get('kyodo_sso')!;
    expect((await agent.get(callback)).status).toBe(303);
    expect(await signedInAs(agent)).toBe(p.name);

    const attacker = new Agent(app);
    attacker.cookies.set('kyodo_sso', stateCookie);
    const replay = await attacker.get(callback);
    expect(replay.status).toBe(400);
    expect(await signedInAs(attacker)).toBeNull();
  });

  it('refuses an expired id_token (Kyodo’s clock moved past its exp)', async () => {
    await person({ staffNumber: '104003' });
    const agent = new Agent(app);
    const { callback } = await begin(agent, new ProviderBrowser(), account({ employeeId: '104003' }));
    clock.advance(5 * 60_000);
    const res = await agent.get(callback);
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('県の認証基盤からの応答を確認できませんでした。');
    expect(await signedInAs(agent)).toBeNull();
    expect((await lastAudit('login_failed')).after).toMatchObject({ reason: 'invalid_response', claim: 'exp' });
  });

  it('refuses an id_token the provider minted for another client (wrong audience)', async () => {
    await person({ staffNumber: '104004' });
    const agent = new Agent(app);
    const browser = new ProviderBrowser();
    const start = await agent.get('/login/sso');
    const authUrl = new URL(start.headers.get('location')!);
    const acct = account({ employeeId: '104004', email: 'aud@pref.example.jp' });
    provider.loginAs = acct;
    // The same person, the same nonce, but a token for other-app: presented to Kyodo in place of its own.
    provider.swapIdToken = await provider.idTokenForOtherClient(browser, authUrl.searchParams.get('nonce')!);
    const callback = await browser.follow(authUrl.href, `${BASE}/`);
    const res = await agent.get(callback.slice(BASE.length));
    expect(res.status).toBe(400);
    expect(await signedInAs(agent)).toBeNull();
    expect((await lastAudit('login_failed')).after).toMatchObject({ reason: 'invalid_response', claim: 'aud' });
  });
});

describe('signing out', () => {
  it('ends the Kyodo session and the provider’s session, and comes back to the login page', async () => {
    const p = await person({ staffNumber: '105001' });
    const { agent, browser, res } = await signIn(account({ employeeId: '105001' }));
    expect(res.status).toBe(303);
    expect(await signedInAs(agent)).toBe(p.name);

    const out = await agent.post('/logout');
    expect(out.status).toBe(303);
    const endSession = new URL(out.headers.get('location')!);
    expect(endSession.href.startsWith(`${provider.issuer}/session/end`)).toBe(true);
    expect(endSession.searchParams.get('id_token_hint')).toBeTruthy();
    expect(endSession.searchParams.get('post_logout_redirect_uri')).toBe(`${BASE}/login?notice=logout.done`);
    expect(await signedInAs(agent)).toBeNull();

    const back = await browser.confirmSignOut(endSession.href);
    expect(back).toBe(`${BASE}/login?notice=logout.done`);
    expect(provider.signOuts).toBe(1);
    expect(await (await agent.get('/login?notice=logout.done')).text()).toContain('ログアウトしました。');

    // The provider asks who is signing in again: this time somebody else.
    const q = await person({ staffNumber: '105002' });
    const again = await begin(agent, browser, account({ employeeId: '105002' }));
    expect(browser.visited.some((u) => u.includes('/interaction/'))).toBe(true);
    expect((await agent.get(again.callback)).status).toBe(303);
    expect(await signedInAs(agent)).toBe(q.name);
  });

  it('signs a password session out as before', async () => {
    const p = await person();
    const agent = new Agent(app);
    await agent.login(p.email);
    const out = await agent.post('/logout');
    expect(out.headers.get('location')).toBe('/login?notice=logout.done');
  });
});

describe('the login page and an unreachable provider', () => {
  it('offers the prefecture account first; with partners-only passwords the password form is for partners', async () => {
    const html = await (await new Agent(app).get('/login?next=/history')).text();
    expect(html).toContain('県のアカウントでログイン');
    expect(html).toContain('href="/login/sso?next=%2Fhistory"');
    expect(html.indexOf('県のアカウントでログイン')).toBeLessThan(html.indexOf('name="password"'));
    ctx.config = { ...ctx.config, passwordSignIn: 'partners' };
    try {
      expect(await (await new Agent(app).get('/login')).text()).toContain('協働先団体の方');
    } finally {
      ctx.config = { ...ctx.config, passwordSignIn: 'everyone' };
    }
    ctx.config = { ...ctx.config, oidc: null };
    const plain = await (await new Agent(app).get('/login')).text();
    expect(plain).not.toContain('県のアカウントでログイン');
    expect((await new Agent(app).get('/login/sso')).status).toBe(404);
  });

  it('answers 502 when the provider goes away between the sign-in and its callback', async () => {
    const gone = await TestProvider.start(BASE);
    try {
      gone.accounts.set('someone', { email: 'someone@pref.example.jp' });
      useOidc({ issuer: gone.issuer });
      const agent = new Agent(app);
      const start = await agent.get('/login/sso');
      gone.loginAs = 'someone';
      const callback = await new ProviderBrowser().follow(start.headers.get('location')!, `${BASE}/`);
      await gone.stop();
      const res = await agent.get(callback.slice(BASE.length));
      expect(res.status).toBe(502);
      expect(await res.text()).toContain('県の認証基盤（シングルサインオン）が応答していません。');
    } finally {
      await gone.stop().catch(() => {});
    }
  });

  it('answers 503 with a Japanese message when the provider cannot be reached', async () => {
    useOidc({ issuer: 'http://127.0.0.1:9' });
    const res = await new Agent(app).get('/login/sso');
    expect(res.status).toBe(503);
    expect(await res.text()).toContain('県の認証基盤（シングルサインオン）が応答していません。');
  });
});
