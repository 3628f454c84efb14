import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RESET_LIMITS } from '../../src/services/account.service.js';
import { createTestDb, type TestDb, testContext } from '../support/db.js';
import { Agent, appFor, makeUser } from '../support/http.js';

// Issue 17 (low): 「パスワードを忘れた」 had no limit (15 requests sent 15 mails), and setting a password
// left the person's other reset links working.
let tdb: TestDb;
let ctx: ReturnType<typeof testContext>;
let app: ReturnType<typeof appFor>['app'];

beforeAll(async () => {
  tdb = await createTestDb();
  ctx = testContext(tdb);
  app = appFor(ctx).app;
});
afterAll(() => tdb.close());

const resetMailsTo = async (email: string) =>
  (await ctx.db.selectFrom('outbox').select(['body_text']).where('to_address', '=', email).where('subject', 'like', '%パスワード%').orderBy('id').execute()).map((m) => m.body_text);
const linkIn = (body: string) => /\/password\/set\/([\w-]+)/.exec(body)![1]!;

describe('password reset', () => {
  it('sends an account a few links at most, and pauses an address that keeps asking, with the same answer for unknown accounts', async () => {
    const u = await makeUser(ctx);
    const a = new Agent(app, '198.51.100.70');
    const statuses: number[] = [];
    for (let i = 0; i < 15; i++) statuses.push((await a.post('/password/forgot', { email: u.email })).status);
    expect(statuses.slice(0, RESET_LIMITS.perAddress)).toEqual(Array(RESET_LIMITS.perAddress).fill(303));
    expect(statuses.slice(RESET_LIMITS.perAddress)).toEqual(Array(15 - RESET_LIMITS.perAddress).fill(429));
    const paused = await a.post('/password/forgot', { email: 'nobody@pref.example.jp' });
    expect(paused.status).toBe(429);
    expect(await paused.text()).toContain('一時的に受け付けを停止しています');
    expect(await resetMailsTo(u.email)).toHaveLength(RESET_LIMITS.perAccount);
    // From another address the account still gets no more mail in the window, and the answer is the same.
    const other = await new Agent(app, '198.51.100.71').post('/password/forgot', { email: u.email });
    expect(other.status).toBe(303);
    expect(await resetMailsTo(u.email)).toHaveLength(RESET_LIMITS.perAccount);
    // After the window, one more.
    ctx.clock.advance(ctx.config.loginLockMinutes * 60_000 + 1000);
    expect((await new Agent(app, '198.51.100.71').post('/password/forgot', { email: u.email })).status).toBe(303);
    expect(await resetMailsTo(u.email)).toHaveLength(RESET_LIMITS.perAccount + 1);
  });

  it('setting a password with one link spends every other link the person had', async () => {
    ctx.clock.advance(ctx.config.loginLockMinutes * 60_000 + 1000);
    const u = await makeUser(ctx);
    const a = new Agent(app, '198.51.100.72');
    await a.post('/password/forgot', { email: u.email });
    await a.post('/password/forgot', { email: u.email });
    const [older, newer] = (await resetMailsTo(u.email)).map(linkIn);
    expect(older).not.toBe(newer);
    expect((await a.get(`/password/set/${older}`)).status).toBe(200);
    const common = await a.post(`/password/set/${newer}`, { password: 'qwerty123456', passwordConfirm: 'qwerty123456' });
    expect(common.status).toBe(422);
    expect(await common.text()).toContain('よく使われていて推測されやすい');
    const set = await a.post(`/password/set/${newer}`, { password: 'brand new secret 77', passwordConfirm: 'brand new secret 77' });
    expect(set.status).toBe(303);
    const stale = await a.get(`/password/set/${older}`);
    expect(stale.status).not.toBe(200);
    const reuse = await a.post(`/password/set/${older}`, { password: 'attacker secret 99', passwordConfirm: 'attacker secret 99' });
    expect([404, 410, 422]).toContain(reuse.status);
    expect((await new Agent(app, '198.51.100.73').post('/login', { email: u.email, password: 'brand new secret 77' })).status).toBe(303);
  });
});

describe('API token page (issue 17)', () => {
  it('offers read or write and an expiry, read-only and one year by default, and shows both', async () => {
    const u = await makeUser(ctx);
    const a = new Agent(app, '198.51.100.74');
    await a.login(u.email);
    const form = await (await a.get('/account/tokens')).text();
    expect(form).toMatch(/<input type="radio" name="scope" value="read" checked/);
    expect(form).toMatch(/<option value="365" selected/);
    const made = await a.post('/account/tokens', { name: '集計用', scope: 'read', days: '365' });
    expect(made.status).toBe(200);
    const html = await made.text();
    expect(html).toContain('権限は読み取りのみ');
    const row = await ctx.db.selectFrom('api_tokens').select(['scope', 'expires_at']).where('person_id', '=', u.id).executeTakeFirstOrThrow();
    expect(row.scope).toBe('read');
    expect(row.expires_at.getTime() - ctx.now().getTime()).toBe(365 * 86_400_000);
    const bad = await a.post('/account/tokens', { name: 'x', scope: 'root', days: '99999' });
    expect(bad.status).toBe(422);
  });
});
