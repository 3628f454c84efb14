import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { instantField, realDate, validate } from '../../src/lib/validation.js';
import { createApiToken } from '../../src/services/api-token.service.js';
import { createTestDb, type TestDb, testContext } from '../support/db.js';
import { Agent, appFor, makeUser } from '../support/http.js';
import { makeOffering } from '../support/offerings.js';
import { z } from 'zod';

// Issue 17 (low): the smaller findings of the outside probe, each reproduced.
let tdb: TestDb;
let ctx: ReturnType<typeof testContext>;
let app: ReturnType<typeof appFor>['app'];
let admin: Agent;
let token: string;

beforeAll(async () => {
  tdb = await createTestDb();
  ctx = testContext(tdb);
  app = appFor(ctx).app;
  const u = await makeUser(ctx, ['admin', 'staff']);
  admin = new Agent(app);
  await admin.login(u.email);
  token = (await createApiToken(ctx, null, u.id, { name: 'probe', scope: 'write' })).token;
});
afterAll(() => tdb.close());

describe('the probe findings', () => {
  it.each(['__proto__', 'valueOf', 'hasOwnProperty', 'constructor', 'toString'])('/admin/partners?sort=%s answers 200 in the default order', async (sort) => {
    const res = await admin.get(`/admin/partners?sort=${sort}`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('<h1');
  });

  it('an offering title with markup is escaped in the <title> of the certificates download', async () => {
    const o = await makeOffering(ctx, { title: '</title><script>alert(1)</script>' });
    const res = await admin.get(`/admin/offerings/${o.id}/certificates.html`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).not.toContain('<script>alert(1)</script>');
    expect(html).toContain('<title>&#60;/title&#62;&#60;script&#62;alert(1)&#60;/script&#62;</title>');
  });

  it.each([
    ['0000-01-01T10:00:00+09:00'],
    ['2026-02-30T10:00:00+09:00'],
    ['2026-02-30T10:00'],
    ['2026-13-01T10:00'],
    ['2026-04-31T10:00'],
    ['2026-01-01T24:00'],
  ])('the impossible date %s is refused as a bad datetime (422), never stored or answered 500', async (startsAt) => {
    const o = await makeOffering(ctx);
    const before = await ctx.db.selectFrom('offering_sessions').select('id').where('offering_id', '=', o.id).execute();
    const res = await app.request(`http://kyodo.test/api/v1/offerings/${o.id}/sessions`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ title: '第1回', format: 'lecture', startsAt, endsAt: '2026-12-01T12:00:00+09:00', confirm: true }),
    });
    expect(res.status).toBe(422);
    expect(Object.keys((await res.json()).error.fields)).toContain('startsAt');
    expect(await ctx.db.selectFrom('offering_sessions').select('id').where('offering_id', '=', o.id).execute()).toHaveLength(before.length);
  });

  it('real dates still pass, the leap day included', () => {
    expect(realDate('2028-02-29T10:00')).toBe(true);
    expect(realDate('2026-02-29T10:00')).toBe(false);
    const v = validate(z.object({ at: instantField() }), { at: '2028-02-29T10:00' });
    expect(v.ok).toBe(true);
  });
});
