import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256 } from '../../src/lib/crypto.js';
import { listAudit } from '../../src/services/audit.service.js';
import {
  createApiToken,
  listApiTokens,
  resolveApiToken,
  resolveApiTokenScoped,
  revokeApiToken,
  scopeAllows,
} from '../../src/services/api-token.service.js';
import { setPersonActive } from '../../src/services/person.service.js';
import { createTestDb, type TestDb, testContext } from '../support/db.js';
import { appFor, makeUser } from '../support/http.js';

let tdb: TestDb;
let ctx: ReturnType<typeof testContext>;

beforeAll(async () => {
  tdb = await createTestDb();
  ctx = testContext(tdb);
});
afterAll(() => tdb.close());

describe('API tokens', () => {
  it('are write tokens unless asked otherwise, as before scopes existed; only the hash is stored', async () => {
    const user = await makeUser(ctx, ['staff'], { email: 'token-default@pref.example.jp' });
    const made = await createApiToken(ctx, null, user.id, { name: 'default' });
    expect(made.scope).toBe('write');
    expect(made.token).toMatch(/^kyodo_/);
    const [row] = await listApiTokens(ctx, user.id);
    expect(row.scope).toBe('write');
    expect(row.token_hash).toBe(sha256(made.token));
    expect(Object.values(row)).not.toContain(made.token);
    expect(made.token.startsWith(row.prefix)).toBe(true);
    expect((await resolveApiToken(ctx, made.token))?.id).toBe(user.id);
    expect(await resolveApiTokenScoped(ctx, made.token)).toMatchObject({ user: { id: user.id }, scope: 'write' });
  });

  it('can be read-only: a read token reads and nothing else', async () => {
    const user = await makeUser(ctx, ['staff'], { email: 'token-read@pref.example.jp' });
    const made = await createApiToken(ctx, null, user.id, { name: 'dashboard', scope: 'read' });
    expect(made.scope).toBe('read');
    expect(await resolveApiTokenScoped(ctx, made.token)).toMatchObject({ user: { id: user.id }, scope: 'read' });
    for (const m of ['GET', 'HEAD', 'get']) expect(scopeAllows('read', m), m).toBe(true);
    for (const m of ['POST', 'PUT', 'PATCH', 'DELETE']) {
      expect(scopeAllows('read', m), m).toBe(false);
      expect(scopeAllows('write', m), m).toBe(true);
    }
  });

  it('refuses an unknown scope or a missing name, naming the field, and stores nothing', async () => {
    const user = await makeUser(ctx, ['staff'], { email: 'token-bad@pref.example.jp' });
    await expect(createApiToken(ctx, null, user.id, { name: 'x', scope: 'admin' })).rejects.toMatchObject({ status: 422, fields: { scope: { key: 'error.choice' } } });
    await expect(createApiToken(ctx, null, user.id, { name: ' ' })).rejects.toMatchObject({ status: 422, fields: { name: { key: 'error.required' } } });
    expect(await listApiTokens(ctx, user.id)).toEqual([]);
  });

  it('are revoked by their owner only, take effect at once, and are audited without the secret', async () => {
    const owner = await makeUser(ctx, ['staff'], { email: 'token-owner@pref.example.jp' });
    const other = await makeUser(ctx, ['staff'], { email: 'token-other@pref.example.jp' });
    const made = await createApiToken(ctx, owner, owner.id, { name: 'laptop', scope: 'read' });
    await expect(revokeApiToken(ctx, other, made.id)).rejects.toMatchObject({ status: 404 });
    expect(await resolveApiToken(ctx, made.token)).not.toBeNull();
    await revokeApiToken(ctx, owner, made.id);
    expect(await resolveApiToken(ctx, made.token)).toBeNull();
    await expect(revokeApiToken(ctx, owner, made.id)).rejects.toMatchObject({ status: 404 });
    const { rows } = await listAudit(ctx, { entity: 'api_token', entityId: String(made.id) }, { limit: 10, offset: 0 });
    expect(rows.map((r) => r.action).sort()).toEqual(['create', 'revoke']);
    expect(JSON.stringify(rows)).not.toContain(made.token);
    expect(rows.find((r) => r.action === 'create')?.after).toMatchObject({ name: 'laptop', scope: 'read' });
  });

  it('stop working when their person is deactivated', async () => {
    const user = await makeUser(ctx, ['staff'], { email: 'token-leaver@pref.example.jp' });
    const made = await createApiToken(ctx, null, user.id, { name: 'cli' });
    await setPersonActive(ctx, null, user.id, false);
    expect(await resolveApiToken(ctx, made.token)).toBeNull();
  });

  it('over HTTP: a read token gets 403 insufficient_scope on a write, a write token gets through', async () => {
    const { app } = appFor(ctx);
    const admin = await makeUser(ctx, ['admin', 'staff'], { email: 'token-admin@pref.example.jp' });
    const read = (await createApiToken(ctx, null, admin.id, { name: 'read', scope: 'read' })).token;
    const write = (await createApiToken(ctx, null, admin.id, { name: 'write' })).token;
    const call = (method: string, path: string, token: string, body?: unknown) =>
      app.request(`http://kyodo.test${path}`, { method, headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    expect((await call('GET', '/api/v1/me', read)).status).toBe(200);
    const refused = await call('POST', '/api/v1/programmes', read, { name: '読み取り専用では作れない研修' });
    expect(refused.status).toBe(403);
    expect((await refused.json()).error.code).toBe('insufficient_scope');
    expect((await call('POST', '/api/v1/programmes', write, { name: '書き込みトークンで作る研修' })).status).toBe(201);
  });

  it('resolves many tokens arriving together, each to its own person, and records when each was last used (at most once a minute)', async () => {
    const people = await Promise.all(Array.from({ length: 12 }, (_, i) => makeUser(ctx, ['staff'], { email: `token-many-${i}@pref.example.jp` })));
    const tokens = await Promise.all(people.map((p) => createApiToken(ctx, null, p.id, { name: 'many' })));
    const revokedFor = people[0];
    await revokeApiToken(ctx, { id: revokedFor.id }, tokens[0].id);
    await setPersonActive(ctx, null, people[1].id, false);
    const lastUsed = async (id: number) => (await tdb.db.selectFrom('api_tokens').select('last_used_at').where('id', '=', id).executeTakeFirstOrThrow()).last_used_at;

    const first = ctx.now();
    // Submitted in the same turn: one group. Unknown tokens and malformed ones are answered too.
    const resolved = await Promise.all([...tokens.map((t) => resolveApiToken(ctx, t.token)), resolveApiToken(ctx, 'kyodo_unknown'), resolveApiToken(ctx, 'no-prefix')]);
    expect(resolved.map((u) => u?.id ?? null)).toEqual([null, null, ...people.slice(2).map((p) => p.id), null, null]);
    expect(await lastUsed(tokens[0].id)).toBeNull(); // revoked
    expect(await lastUsed(tokens[1].id)).toBeNull(); // person inactive
    for (const t of tokens.slice(2)) expect((await lastUsed(t.id))?.getTime()).toBe(first.getTime());

    // Within the minute: not written again. After it: written again.
    ctx.clock.advance(30_000);
    await resolveApiToken(ctx, tokens[2].token);
    expect((await lastUsed(tokens[2].id))?.getTime()).toBe(first.getTime());
    ctx.clock.advance(31_000);
    await resolveApiToken(ctx, tokens[2].token);
    expect((await lastUsed(tokens[2].id))?.getTime()).toBe(ctx.now().getTime());
  });

  it('expire after a year by default, or after the days chosen (issue 17)', async () => {
    const user = await makeUser(ctx, ['staff'], { email: 'token-expiry@pref.example.jp' });
    const year = await createApiToken(ctx, null, user.id, { name: 'year' });
    const month = await createApiToken(ctx, null, user.id, { name: 'month', days: '30' });
    expect(year.expiresAt.getTime() - ctx.now().getTime()).toBe(365 * 86_400_000);
    await expect(createApiToken(ctx, null, user.id, { name: 'forever', days: 5000 })).rejects.toMatchObject({ fields: { days: {} } });
    ctx.clock.advance(31 * 86_400_000);
    expect(await resolveApiToken(ctx, month.token)).toBeNull();
    expect((await resolveApiToken(ctx, year.token))?.id).toBe(user.id);
    ctx.clock.advance(335 * 86_400_000);
    expect(await resolveApiToken(ctx, year.token)).toBeNull();
  });

  it("a deactivated person's tokens stay dead after reactivation, as their sessions do (issue 17)", async () => {
    const user = await makeUser(ctx, ['staff'], { email: 'token-returner@pref.example.jp' });
    const made = await createApiToken(ctx, null, user.id, { name: 'cli' });
    await setPersonActive(ctx, null, user.id, false);
    await setPersonActive(ctx, null, user.id, true);
    expect(await resolveApiToken(ctx, made.token)).toBeNull();
    const [row] = await listApiTokens(ctx, user.id);
    expect(row.revoked_at).not.toBeNull();
    // A new token works.
    const fresh = await createApiToken(ctx, null, user.id, { name: 'new' });
    expect((await resolveApiToken(ctx, fresh.token))?.id).toBe(user.id);
  });

  it('a revoked or forged token gets 401 on a POST too, not the CSRF 403 (issue 17)', async () => {
    const { app } = appFor(ctx);
    const user = await makeUser(ctx, ['staff'], { email: 'token-post@pref.example.jp' });
    const made = await createApiToken(ctx, null, user.id, { name: 'gone' });
    await revokeApiToken(ctx, user, made.id);
    for (const token of [made.token, 'kyodo_forged-token-value-0000000000000000', 'not-even-kyodo']) {
      const res = await app.request('http://kyodo.test/api/v1/consultations', {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        body: '{}',
      });
      expect(res.status, token).toBe(401);
      expect(await res.json()).toMatchObject({ error: { code: 'unauthorized' } });
    }
  });
});
