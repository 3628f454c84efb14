import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, type TestDb, testContext } from '../support/db.js';
import { Agent, appFor, makeUser, PASSWORD } from '../support/http.js';

let tdb: TestDb;
let ctx: ReturnType<typeof testContext>;
let app: ReturnType<typeof appFor>['app'];

beforeAll(async () => {
  tdb = await createTestDb();
  ctx = testContext(tdb);
  app = appFor(ctx).app;
});
afterAll(() => tdb.close());

describe('first visit and setup', () => {
  it('sends every page to /setup while there is no user, and setup creates the admin and logs in', async () => {
    const a = new Agent(app);
    const home = await a.get('/');
    expect(home.status).toBe(303);
    expect(home.headers.get('location')).toBe('/setup');
    const page = await a.get('/setup');
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('初期設定');
    expect(html).toContain('lang="ja"');

    const bad = await a.post('/setup', { name: '', kana: 'ｶﾝﾘ', email: 'not-an-email', password: 'short' });
    expect(bad.status).toBe(422);
    const badHtml = await bad.text();
    expect(badHtml).toContain('氏名を入力してください。');
    expect(badHtml).toContain('メールアドレスはメールアドレスの形式で入力してください。');
    expect(badHtml).toContain('パスワードは12文字以上で、英字と数字を含めてください。');

    const ok = await a.post('/setup', { name: '研修 花子', kana: 'けんしゅう はなこ', email: 'admin@pref.example.jp', password: PASSWORD });
    expect(ok.status).toBe(303);
    expect(ok.headers.get('location')).toBe('/');
    const me = await a.get('/');
    expect(me.status).toBe(200);
    expect(await me.text()).toContain('研修 花子さん、ようこそ。');

    // The setup page is gone once someone exists.
    const again = await new Agent(app).get('/setup');
    expect(again.status).toBe(303);
    const again2 = await new Agent(app).post('/setup', { name: 'x', kana: 'エックス', email: 'x@example.jp', password: PASSWORD });
    expect(again2.status).toBe(409);
  });
});

describe('login, sessions and CSRF', () => {
  it('rotates the session at login, sets HttpOnly SameSite cookies, and logs out', async () => {
    const u = await makeUser(ctx, ['staff']);
    const a = new Agent(app);
    await a.get('/login');
    a.cookies.set('kyodo_session', 'attacker-fixed-value');
    const res = await a.post('/login', { email: u.email, password: PASSWORD });
    expect(res.status).toBe(303);
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('kyodo_session='))!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(a.cookies.get('kyodo_session')).not.toBe('attacker-fixed-value');
    expect((await a.get('/')).status).toBe(200);
    const out = await a.post('/logout');
    expect(out.status).toBe(303);
    const after = await a.get('/my/trainings');
    expect(after.status).toBe(303);
    expect(after.headers.get('location')).toMatch(/^\/login/);
    // The home page is public: logged out, it shows the login link rather than the person's page.
    const home = await (await a.get('/')).text();
    expect(home).toContain('href="/login"');
    expect(home).not.toContain('さん、ようこそ。');
  });

  it('refuses a state-changing form without the CSRF token, and from another origin', async () => {
    const u = await makeUser(ctx, ['staff']);
    const a = new Agent(app);
    await a.login(u.email);
    const noToken = await a.post('/account/tokens', { name: 'x' }, { csrf: false });
    expect(noToken.status).toBe(403);
    expect(await noToken.text()).toContain('フォームの有効期限が切れました');
    const cross = await a.request('/account/tokens', {
      method: 'POST',
      body: new URLSearchParams({ _csrf: a.csrf, name: 'x' }),
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: 'https://evil.example' },
    });
    expect(cross.status).toBe(403);
    const ok = await a.post('/account/tokens', { name: 'x' });
    expect(ok.status).toBe(200);
  });

  it('throttles repeated failed logins and says so in Japanese', async () => {
    const u = await makeUser(ctx, ['staff']);
    const a = new Agent(app, '10.0.0.9');
    for (let i = 0; i < ctx.config.loginMaxFailures; i++) {
      const r = await a.post('/login', { email: u.email, password: 'wrong password 1' });
      expect(r.status).toBe(401);
    }
    const locked = await a.post('/login', { email: u.email, password: PASSWORD });
    expect(locked.status).toBe(429);
    expect(await locked.text()).toContain('一時的にログインを停止しています');
    ctx.clock.advance(ctx.config.loginLockMinutes * 60_000 + 1000);
    const ok = await a.post('/login', { email: u.email, password: PASSWORD });
    expect(ok.status).toBe(303);
  });

  it('throttles guessing spread over many addresses, and one address trying many accounts', async () => {
    const u = await makeUser(ctx, ['staff']);
    const max = ctx.config.loginMaxFailures;
    // One account, a different address for every guess: locked after 4× the per-address limit.
    for (let i = 0; i < max * 4; i++) {
      const r = await new Agent(app, `10.1.${Math.floor(i / 200)}.${i % 200}`).post('/login', { email: u.email, password: 'wrong password 1' });
      expect(r.status).toBe(401);
    }
    const spread = await new Agent(app, '10.1.9.9').post('/login', { email: u.email, password: PASSWORD });
    expect(spread.status).toBe(429);
    ctx.clock.advance(ctx.config.loginLockMinutes * 60_000 + 1000);
    expect((await new Agent(app, '10.1.9.9').post('/login', { email: u.email, password: PASSWORD })).status).toBe(303);

    // One address, a different account for every guess: the address is paused after 10× the limit.
    const sprayer = new Agent(app, '10.2.0.1');
    for (let i = 0; i < max * 10; i++) {
      const r = await sprayer.post('/login', { email: `nobody-${i}@pref.example.jp`, password: 'Password1234!' });
      expect(r.status).toBe(401);
    }
    expect((await sprayer.post('/login', { email: u.email, password: PASSWORD })).status).toBe(429);
    // Others are not affected by that address's pause.
    expect((await new Agent(app, '10.2.0.2').post('/login', { email: u.email, password: PASSWORD })).status).toBe(303);
   }, 180_000); // 70 logins in a row: a generous limit for a loaded machine (hashing is cheap in tests).

  it('ends a session after the idle timeout', async () => {
    const u = await makeUser(ctx, ['staff']);
    const a = new Agent(app);
    await a.login(u.email);
    expect((await a.get('/')).status).toBe(200);
    ctx.clock.advance(ctx.config.sessionIdleMinutes * 60_000 + 1000);
    expect((await a.get('/my/trainings')).status).toBe(303);
  });

  it('switches the interface to English and back', async () => {
    const u = await makeUser(ctx, ['staff']);
    const a = new Agent(app);
    await a.login(u.email);
    const sw = await a.get('/lang/en?next=/');
    expect(sw.status).toBe(303);
    const en = await (await a.get('/')).text();
    expect(en).toContain('lang="en"');
    expect(en).toContain('Welcome,');
    expect(en).toContain('FY2026');
    await a.get('/lang/ja?next=/');
    expect(await (await a.get('/')).text()).toContain('令和8年度');
  });

  it('refuses an open redirect after login', async () => {
    const u = await makeUser(ctx, ['staff']);
    const a = new Agent(app);
    await a.get('/login');
    const res = await a.post('/login?next=//evil.example/x', { email: u.email, password: PASSWORD });
    expect(res.headers.get('location')).toBe('/');
  });
});

describe('roles on pages', () => {
  it.each([
    ['anonymous', '/admin/people', 303, null],
    ['staff', '/admin/people', 403, ['staff']],
    ['approver', '/admin/units', 403, ['approver', 'staff']],
    ['coordinator', '/admin/audit', 403, ['coordinator', 'staff']],
    ['partner', '/admin/outbox', 403, ['partner']],
    ['admin', '/admin/people', 200, ['admin', 'staff']],
    ['staff', '/account/tokens', 200, ['staff']],
  ] as const)('%s on %s → %i', async (_label, path, status, roles) => {
    const a = new Agent(app);
    if (roles) {
      const u = await makeUser(ctx, [...roles]);
      await a.login(u.email);
    }
    const res = await a.get(path);
    expect(res.status).toBe(status);
    if (status === 403) expect(await res.text()).toContain('この操作を行う権限がありません。');
  });
});

describe('security headers', () => {
  it('sends a CSP with no external source and no inline script', async () => {
    const res = await new Agent(app).get('/login');
    const csp = res.headers.get('content-security-policy')!;
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/https?:|unsafe-inline|\*/);
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    const html = await res.text();
    expect(html).not.toMatch(/(src|href)="https?:\/\//);
    expect(html).not.toMatch(/<script>(?!<\/script>)/);
  });

  it('serves the design tokens and the app assets itself', async () => {
    const a = new Agent(app);
    const tokens = await a.get('/assets/tokens.css');
    expect(tokens.status).toBe(200);
    expect(await tokens.text()).toContain('--color-primitive-blue-900');
    expect((await a.get('/assets/app.js')).headers.get('content-type')).toContain('javascript');
    expect((await a.get('/assets/../package.json')).status).toBe(404);
  });

  it('has an icon of its own: linked from every page, and /favicon.ico leads to it', async () => {
    const a = new Agent(app);
    const html = await (await a.get('/login')).text();
    expect(html).toContain('<link rel="icon" href="/assets/favicon.svg" type="image/svg+xml"/>');
    const icon = await a.get('/assets/favicon.svg');
    expect(icon.status).toBe(200);
    expect(icon.headers.get('content-type')).toBe('image/svg+xml');
    expect(await icon.text()).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    const legacy = await a.get('/favicon.ico');
    expect(legacy.status).toBe(301);
    expect(legacy.headers.get('location')).toBe('/assets/favicon.svg');
  });

  it('answers /healthz when the database answers', async () => {
    const res = await new Agent(app).get('/healthz');
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ok' });
  });
});

describe('setup when administrators must use single sign-on', () => {
  it('registers the first administrator and sends them to sign in through the provider, with no session', async () => {
    const fresh = await createTestDb();
    try {
      const oidc = { issuer: 'https://login.example.jp/realms/pref', clientId: 'kyodo', clientSecret: 's', scopes: ['openid'], staffNumberClaim: null, emailClaim: 'email', createPeople: false, groupsClaim: null, roleGroups: [] };
      const freshApp = appFor(testContext(fresh, { config: { oidc, adminSignIn: 'sso' } })).app;
      const a = new Agent(freshApp);
      const ok = await a.post('/setup', { name: '研修 花子', kana: 'けんしゅう はなこ', email: 'admin@pref.example.jp', password: PASSWORD });
      expect(ok.status).toBe(303);
      expect(ok.headers.get('location')).toBe('/login?notice=setup.ssoNext');
      expect(a.cookies.has('kyodo_session')).toBe(false);
      const login = await (await a.get('/login?notice=setup.ssoNext')).text();
      expect(login).toContain('管理者を登録しました。');
      expect(login).toContain('県のアカウントでログイン');
      expect(await fresh.db.selectFrom('people').select('email').execute()).toEqual([{ email: 'admin@pref.example.jp' }]);
    } finally {
      await fresh.close();
    }
  });
});
