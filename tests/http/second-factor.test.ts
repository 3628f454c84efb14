import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../../src/config/index.js';
import { createTestDb, type TestDb, testContext, TestClock } from '../support/db.js';
import { Agent, appFor, makeUser, PASSWORD } from '../support/http.js';
import { base32Decode, recoveryCodesFrom, secretFrom, totpCode } from '../support/totp.js';

// Issue 20 §1: who may sign in with a password, and a TOTP second factor (decision 0025).
let tdb: TestDb;
const clock = new TestClock(new Date('2026-11-24T01:00:10Z'));

beforeAll(async () => {
  tdb = await createTestDb();
});
afterAll(() => tdb.close());

/** An app over the one test database, with these sign-in settings. */
function appWith(config: Partial<Config> = {}) {
  const ctx = testContext(tdb, { clock, config });
  return { ctx, app: appFor(ctx).app };
}

const nextStep = () => clock.advance(30_000);
const audits = async (personId: number, action: string) =>
  tdb.db.selectFrom('audit_log').selectAll().where('actor_id', '=', personId).where('action', '=', action).execute();

/** Enrols `agent`'s signed-in person on the account page; returns the secret and the recovery codes. */
async function enrol(agent: Agent): Promise<{ secret: string; recovery: string[] }> {
  const page = await agent.get('/account/second-factor');
  expect(page.status).toBe(200);
  const secret = secretFrom(await page.text());
  const done = await agent.post('/account/second-factor', { code: totpCode(secret, clock.now()) });
  expect(done.status).toBe(200);
  const recovery = recoveryCodesFrom(await done.text());
  nextStep();
  return { secret, recovery };
}

/** Password step: expects the pending sign-in (no session yet) and returns the response. */
async function passwordStep(agent: Agent, email: string, next = '/') {
  const res = await agent.post(`/login?next=${encodeURIComponent(next)}`, { email, password: PASSWORD });
  expect(res.status).toBe(303);
  expect(res.headers.get('location')).toBe('/login/second-factor');
  return res;
}

describe('the test’s own TOTP', () => {
  it('gives RFC 6238’s SHA-1 test vector (appendix B, T=59 s: 94287082, last six digits)', () => {
    const secret = Buffer.from('12345678901234567890').toString('hex');
    expect(base32Decode('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ').toString('hex')).toBe(secret);
    expect(totpCode('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ', new Date(59_000))).toBe('287082');
    expect(totpCode('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ', new Date(1_111_111_109_000))).toBe('081804');
  });
});

describe('enrolment and signing in with a code', () => {
  it('enrols with a QR code and the key as text, confirmed by one code; then a password alone starts no session', async () => {
    const { app, ctx } = appWith();
    const user = await makeUser(ctx, ['staff']);
    const a = new Agent(app);
    await a.login(user.email);

    const page = await a.get('/account/second-factor');
    const html = await page.text();
    expect(html).toContain('認証アプリの設定');
    expect(html).toMatch(/<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(html).not.toMatch(/<img|src="https?:/);
    const secret = secretFrom(html);
    expect(base32Decode(secret)).toHaveLength(20);
    // Reloading shows the same key (an app that has scanned it keeps working).
    expect(secretFrom(await (await a.get('/account/second-factor')).text())).toBe(secret);

    const wrong = await a.post('/account/second-factor', { code: '000000' === totpCode(secret, clock.now()) ? '111111' : '000000' });
    expect(wrong.status).toBe(422);
    expect(await wrong.text()).toContain('確認コードが正しくありません。');

    const done = await a.post('/account/second-factor', { code: totpCode(secret, clock.now()) });
    expect(done.status).toBe(200);
    expect(done.headers.get('cache-control')).toContain('no-store');
    const codes = recoveryCodesFrom(await done.text());
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    expect(await audits(user.id, 'second_factor_enrolled')).toHaveLength(1);
    const status = await (await a.get('/account/second-factor')).text();
    expect(status).toContain('2段階認証は有効です');
    expect(status).toContain('未使用の回復コード：10件');
    nextStep();

    // Signing in again: the password is right, but there is no session until the code.
    const b = new Agent(app);
    const res = await passwordStep(b, user.email, '/account/tokens');
    expect(b.cookies.has('kyodo_session')).toBe(false);
    const pendingCookie = res.headers.getSetCookie().find((c) => c.startsWith('kyodo_pending_sign_in='))!;
    expect(pendingCookie).toMatch(/HttpOnly/i);
    expect(pendingCookie).toMatch(/Max-Age=300/i);
    expect((await b.get('/account/tokens')).status).toBe(303);

    const challenge = await b.get('/login/second-factor');
    expect(challenge.status).toBe(200);
    expect(await challenge.text()).toContain('確認コード（6桁）または回復コード');
    const bad = await b.post('/login/second-factor', { code: totpCode(secret, clock.now(), 5) });
    expect(bad.status).toBe(401);
    expect(await bad.text()).toContain('確認コードが正しくありません。');
    expect(b.cookies.has('kyodo_session')).toBe(false);

    const ok = await b.post('/login/second-factor', { code: totpCode(secret, clock.now()) });
    expect(ok.status).toBe(303);
    expect(ok.headers.get('location')).toBe('/account/tokens');
    expect(b.cookies.has('kyodo_session')).toBe(true);
    expect(b.cookies.has('kyodo_pending_sign_in')).toBe(false);
    expect((await b.get('/account/tokens')).status).toBe(200);
    expect(await audits(user.id, 'second_factor_used')).toHaveLength(1);
    expect(await audits(user.id, 'second_factor_failed')).toHaveLength(2);
    const login = (await audits(user.id, 'login')).at(-1)!;
    expect(JSON.stringify(login.after)).toContain('password+totp');
  });

  it('accepts a code once: the same code again (replay) is refused, the next one works', async () => {
    const { app, ctx } = appWith();
    const user = await makeUser(ctx, ['staff']);
    const a = new Agent(app);
    await a.login(user.email);
    const { secret } = await enrol(a);

    const first = new Agent(app);
    await passwordStep(first, user.email);
    const code = totpCode(secret, clock.now());
    expect((await first.post('/login/second-factor', { code })).status).toBe(303);

    const second = new Agent(app);
    await passwordStep(second, user.email);
    const replay = await second.post('/login/second-factor', { code });
    expect(replay.status).toBe(401);
    expect(await replay.text()).toContain('この確認コードは使用済みです。');
    expect(second.cookies.has('kyodo_session')).toBe(false);
    // The code of the step before is older still: refused too.
    expect((await second.post('/login/second-factor', { code: totpCode(secret, clock.now(), -1) })).status).toBe(401);

    nextStep();
    expect((await second.post('/login/second-factor', { code: totpCode(secret, clock.now()) })).status).toBe(303);
    nextStep();
  });

  it('lets a recovery code in once, and never again', async () => {
    const { app, ctx } = appWith();
    const user = await makeUser(ctx, ['partner'], { affiliation: 'partner' });
    const a = new Agent(app);
    await a.login(user.email);
    const { recovery } = await enrol(a);

    const b = new Agent(app);
    await passwordStep(b, user.email);
    // Typed in capitals, without the hyphen: the same code.
    const used = await b.post('/login/second-factor', { code: recovery[3]!.replace('-', '').toUpperCase() });
    expect(used.status).toBe(303);
    expect(JSON.stringify((await audits(user.id, 'second_factor_used')).at(-1)!.after)).toContain('recovery');
    expect(await (await b.get('/account/second-factor')).text()).toContain('未使用の回復コード：9件');

    const c = new Agent(app);
    await passwordStep(c, user.email);
    const again = await c.post('/login/second-factor', { code: recovery[3]! });
    expect(again.status).toBe(401);
    expect(c.cookies.has('kyodo_session')).toBe(false);
  });

  it('counts wrong codes against the password throttle: locked after the configured failures', async () => {
    const { app, ctx } = appWith();
    const user = await makeUser(ctx, ['staff']);
    const a = new Agent(app);
    await a.login(user.email);
    const { secret } = await enrol(a);
    const max = ctx.config.loginMaxFailures;
    const wrong = totpCode(secret, clock.now(), 7);

    const b = new Agent(app, '198.51.100.20');
    await passwordStep(b, user.email);
    for (let i = 0; i < max; i++) expect((await b.post('/login/second-factor', { code: wrong })).status).toBe(401);
    // The pending sign-in is used up …
    const after = await b.post('/login/second-factor', { code: totpCode(secret, clock.now()) });
    expect(after.status).toBe(401);
    expect(await after.text()).toContain('もう一度メールアドレスとパスワードを入力してください。');
    // … and the account is locked, even with the right password (and a right code would not help).
    const locked = await b.post('/login', { email: user.email, password: PASSWORD });
    expect(locked.status).toBe(429);
    expect(await new Agent(app, '203.0.113.9').post('/login', { email: user.email, password: PASSWORD }).then((r) => r.status)).toBe(303);

    // After the lock, the owner signs in again.
    clock.advance(ctx.config.loginLockMinutes * 60_000 + 1000);
    const c = new Agent(app, '198.51.100.20');
    await passwordStep(c, user.email);
    expect((await c.post('/login/second-factor', { code: totpCode(secret, clock.now()) })).status).toBe(303);
    nextStep();
  });

  it('forgets a pending sign-in after five minutes', async () => {
    const { app, ctx } = appWith();
    const user = await makeUser(ctx, ['staff']);
    const a = new Agent(app);
    await a.login(user.email);
    const { secret } = await enrol(a);
    const b = new Agent(app);
    await passwordStep(b, user.email);
    clock.advance(5 * 60_000 + 1000);
    const late = await b.post('/login/second-factor', { code: totpCode(secret, clock.now()) });
    expect(late.status).toBe(401);
    expect(b.cookies.has('kyodo_session')).toBe(false);
    nextStep();
  });

  it('turning it off asks for a current code', async () => {
    const { app, ctx } = appWith();
    const user = await makeUser(ctx, ['staff']);
    const a = new Agent(app);
    await a.login(user.email);
    const { secret, recovery } = await enrol(a);
    expect((await a.post('/account/second-factor/off', { code: recovery[0]! })).status).toBe(422);
    expect((await a.post('/account/second-factor/off', { code: '' })).status).toBe(422);
    const off = await a.post('/account/second-factor/off', { code: totpCode(secret, clock.now()) });
    expect(off.status).toBe(303);
    expect(await (await a.get(off.headers.get('location')!)).text()).toContain('2段階認証を無効にしました。');
    expect(await audits(user.id, 'second_factor_reset')).toHaveLength(1);
    // A password alone is enough again.
    expect((await new Agent(app).login(user.email)).headers.get('location')).toBe('/');
    nextStep();
  });
});

describe('administrators under KYODO_ADMIN_SIGN_IN=totp', () => {
  it('are taken from the password to enrolment, and the session starts after the first right code', async () => {
    const { app, ctx } = appWith({ adminSignIn: 'totp' });
    const admin = await makeUser(ctx, ['admin', 'staff']);
    const a = new Agent(app);
    await passwordStep(a, admin.email, '/admin/outbox');
    expect((await a.get('/admin/outbox')).status).toBe(303);

    const page = await a.get('/login/second-factor');
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('管理者は、パスワードに加えて確認コードでログインする必要があります。');
    const secret = secretFrom(html);
    expect((await a.post('/login/second-factor', { code: totpCode(secret, clock.now(), 9) })).status).toBe(401);
    expect(a.cookies.has('kyodo_session')).toBe(false);

    const done = await a.post('/login/second-factor', { code: totpCode(secret, clock.now()) });
    expect(done.status).toBe(200);
    const shown = await done.text();
    expect(recoveryCodesFrom(shown)).toHaveLength(10);
    expect(shown).toContain('href="/admin/outbox"');
    expect(a.cookies.has('kyodo_session')).toBe(true);
    expect((await a.get('/admin/outbox')).status).toBe(200);
    expect(await audits(admin.id, 'second_factor_enrolled')).toHaveLength(1);

    // They may not turn it off.
    const account = await (await a.get('/account/second-factor')).text();
    expect(account).toContain('管理者は2段階認証が必須です。');
    expect(account).not.toContain('/account/second-factor/off');
    nextStep();
    expect((await a.post('/account/second-factor/off', { code: totpCode(secret, clock.now()) })).status).toBe(409);

    // The next sign-in asks for the code.
    const b = new Agent(app);
    await passwordStep(b, admin.email);
    expect(await (await b.get('/login/second-factor')).text()).toContain('確認コード（6桁）または回復コード');
    expect((await b.post('/login/second-factor', { code: totpCode(secret, clock.now()) })).status).toBe(303);
    nextStep();
  });

  it('staff under the same setting sign in with a password alone', async () => {
    const { app, ctx } = appWith({ adminSignIn: 'totp' });
    const staff = await makeUser(ctx, ['staff']);
    expect((await new Agent(app).login(staff.email)).headers.get('location')).toBe('/');
  });
});

describe('who may sign in with a password', () => {
  it('under KYODO_PASSWORD_SIGN_IN=partners, refuses staff (a right password) with a message saying what to do, while a partner signs in', async () => {
    const { app, ctx } = appWith({ passwordSignIn: 'partners' });
    const staff = await makeUser(ctx, ['staff']);
    const approver = await makeUser(ctx, ['approver', 'staff']);
    const partner = await makeUser(ctx, ['partner'], { affiliation: 'partner' });

    const a = new Agent(app);
    const refused = await a.post('/login', { email: staff.email, password: PASSWORD });
    expect(refused.status).toBe(401);
    expect(await refused.text()).toContain('職員の方は県のアカウント（シングルサインオン）でログインしてください。');
    expect(a.cookies.has('kyodo_session')).toBe(false);
    expect(a.cookies.has('kyodo_pending_sign_in')).toBe(false);
    expect(await audits(staff.id, 'login_refused')).toHaveLength(1);
    expect((await new Agent(app).post('/login', { email: approver.email, password: PASSWORD })).status).toBe(401);
    // A wrong password says only that it is wrong.
    const wrong = await new Agent(app).post('/login', { email: staff.email, password: 'not the password 1' });
    expect(wrong.status).toBe(401);
    expect(await wrong.text()).not.toContain('シングルサインオン）でログインしてください');

    const p = new Agent(app);
    expect((await p.login(partner.email)).headers.get('location')).toBe('/');
    expect((await p.get('/')).status).toBe(200);
  });

  it('refusing a right password does not lock the account out of single sign-on or later tries', async () => {
    const { app, ctx } = appWith({ passwordSignIn: 'partners' });
    const staff = await makeUser(ctx, ['staff']);
    for (let i = 0; i < ctx.config.loginMaxFailures + 2; i++) expect((await new Agent(app).post('/login', { email: staff.email, password: PASSWORD })).status).toBe(401);
  });

  it('under KYODO_ADMIN_SIGN_IN=sso, refuses an admin’s password; staff still sign in with one', async () => {
    const { app, ctx } = appWith({ adminSignIn: 'sso' });
    const admin = await makeUser(ctx, ['admin', 'staff']);
    const staff = await makeUser(ctx, ['staff']);
    const refused = await new Agent(app).post('/login', { email: admin.email, password: PASSWORD });
    expect(refused.status).toBe(401);
    expect(await refused.text()).toContain('管理者は県のアカウント（シングルサインオン）でログインしてください。');
    expect(await audits(admin.id, 'login_refused')).toHaveLength(1);
    expect((await new Agent(app).login(staff.email)).headers.get('location')).toBe('/');
  });
});
