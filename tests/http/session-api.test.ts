import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../../src/services/api-token.service.js';
import { apply } from '../../src/services/application.service.js';
import { toCurrentUser } from '../../src/services/context.js';
import { getPerson } from '../../src/services/person.service.js';
import { createTestDb, type TestDb, testContext, TestClock } from '../support/db.js';
import { Agent, appFor, makeUser } from '../support/http.js';
import { makeOffering } from '../support/offerings.js';

/**
 * A session's 持ち物 and access over the API: given on create and change with the form's rule
 * (at most 1,000 characters), answered in the session's JSON, documented in the OpenAPI document; a
 * change of 持ち物 tells the confirmed participants what it now is.
 */
let tdb: TestDb;
let ctx: ReturnType<typeof testContext>;
let app: ReturnType<typeof appFor>['app'];
let token: string;

beforeAll(async () => {
  tdb = await createTestDb();
  ctx = testContext(tdb, { clock: new TestClock(new Date('2026-11-30T01:00:00Z')) }); // 10:00 JST
  app = appFor(ctx).app;
  const a = await makeUser(ctx, ['admin', 'staff'], { email: 'session-api-admin@pref.example.jp' });
  token = (await createApiToken(ctx, null, a.id, { name: 'scripts', scope: 'write' })).token;
});
afterAll(() => tdb.close());

const api = (method: string, path: string, body?: unknown) =>
  app.request(`http://kyodo.test${path}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
const stored = (id: number) => tdb.db.selectFrom('offering_sessions').select(['belongings', 'access', 'title']).where('id', '=', id).executeTakeFirstOrThrow();
const base = { title: '第1回 協働の基礎', format: 'lecture', startsAt: '2026-12-10T13:30:00+09:00', endsAt: '2026-12-10T16:30:00+09:00', venue: '県庁本館 大会議室' };

describe('a session’s 持ち物 and access over the API', () => {
  it('are stored on create, answered in the session’s JSON, changed, kept when left out and cleared by ""', async () => {
    const o = await makeOffering(ctx);
    const created = await api('POST', `/api/v1/offerings/${o.id}/sessions`, { ...base, belongings: '  筆記用具\n名刺（20枚程度） ', access: 'JR大津駅から徒歩10分' });
    expect(created.status, await created.clone().text()).toBe(201);
    const s = (await created.json()) as { id: number; belongings: string; access: string; title: string };
    expect(s).toMatchObject({ title: '第1回 協働の基礎', belongings: '筆記用具\n名刺（20枚程度）', access: 'JR大津駅から徒歩10分' });
    expect(await stored(s.id)).toMatchObject({ belongings: '筆記用具\n名刺（20枚程度）', access: 'JR大津駅から徒歩10分' });
    // The 研修担当's page of the session shows them with their line breaks.
    const admin = new Agent(app);
    await admin.login('session-api-admin@pref.example.jp');
    const edit = await (await admin.get(`/admin/offerings/${o.id}/sessions/${s.id}/edit`)).text();
    expect(edit).toContain('<dd>筆記用具<br/>名刺（20枚程度）</dd>');
    // The offering's own JSON lists its sessions with them too.
    const offering = (await (await api('GET', `/api/v1/offerings/${o.id}`)).json()) as { sessions: { id: number; belongings: string; access: string }[] };
    expect(offering.sessions.find((x) => x.id === s.id)).toMatchObject({ belongings: '筆記用具\n名刺（20枚程度）', access: 'JR大津駅から徒歩10分' });

    const changed = await api('PUT', `/api/v1/sessions/${s.id}`, { ...base, belongings: '筆記用具、名刺', access: '駐車場はありません' });
    expect(changed.status, await changed.clone().text()).toBe(200);
    expect(await changed.json()).toMatchObject({ id: s.id, belongings: '筆記用具、名刺', access: '駐車場はありません' });

    // Left out: as it was (a client that does not know the fields does not wipe them).
    const renamed = await api('PUT', `/api/v1/sessions/${s.id}`, { ...base, title: '第1回 協働の基礎（改）' });
    expect(await renamed.json()).toMatchObject({ title: '第1回 協働の基礎（改）', belongings: '筆記用具、名刺', access: '駐車場はありません' });

    // "" (or blanks): cleared.
    const cleared = await api('PUT', `/api/v1/sessions/${s.id}`, { ...base, title: '第1回 協働の基礎（改）', belongings: '', access: '   ' });
    expect(cleared.status, await cleared.clone().text()).toBe(200);
    expect(await cleared.json()).toMatchObject({ belongings: '', access: '' });
    expect(await stored(s.id)).toMatchObject({ belongings: '', access: '' });
  });

  it('refuses more than 1,000 characters with 422 naming the field, saving nothing', async () => {
    const o = await makeOffering(ctx);
    const long = 'あ'.repeat(1001);
    const before = await tdb.db.selectFrom('offering_sessions').select('id').where('offering_id', '=', o.id).execute();
    const bad = await api('POST', `/api/v1/offerings/${o.id}/sessions`, { ...base, belongings: long });
    expect(bad.status).toBe(422);
    const fields = ((await bad.json()) as { error: { fields: Record<string, string> } }).error.fields;
    expect(Object.keys(fields)).toEqual(['belongings']);
    expect(fields.belongings).toContain('持ち物');
    expect(fields.belongings).toContain('1000');
    expect(await tdb.db.selectFrom('offering_sessions').select('id').where('offering_id', '=', o.id).execute()).toHaveLength(before.length);

    // Exactly 1,000 (after trimming) is fine.
    const ok = await api('POST', `/api/v1/offerings/${o.id}/sessions`, { ...base, belongings: 'あ'.repeat(1000), access: ` ${'い'.repeat(1000)} ` });
    expect(ok.status, await ok.clone().text()).toBe(201);
    const { id } = (await ok.json()) as { id: number };

    const badChange = await api('PUT', `/api/v1/sessions/${id}`, { ...base, access: long });
    expect(badChange.status).toBe(422);
    expect(Object.keys(((await badChange.json()) as { error: { fields: Record<string, string> } }).error.fields)).toEqual(['access']);
    expect(await stored(id)).toMatchObject({ belongings: 'あ'.repeat(1000), access: 'い'.repeat(1000) });
    // Not text: refused, not turned into one.
    expect((await api('PUT', `/api/v1/sessions/${id}`, { ...base, belongings: 42 })).status).toBe(422);
  });

  it('a change of 持ち物 alone mails the confirmed participants the old and the new 持ち物', async () => {
    const o = await makeOffering(ctx);
    const p = await makeUser(ctx, ['staff'], { email: 'session-api-participant@pref.example.jp' });
    const created = await api('POST', `/api/v1/offerings/${o.id}/sessions`, { ...base, belongings: '筆記用具' });
    const { id } = (await created.json()) as { id: number };
    expect((await apply(ctx, toCurrentUser((await getPerson(ctx, p.id))!), o.id, {})).status).toBe('confirmed');
    const res = await api('PUT', `/api/v1/sessions/${id}`, { ...base, belongings: '筆記用具\n動きやすい服装' });
    expect(res.status, await res.clone().text()).toBe(200);
    const mails = await tdb.db.selectFrom('outbox').select(['subject', 'body_text']).where('to_address', '=', p.email).where('subject', 'like', '%変更%').execute();
    expect(mails).toHaveLength(1);
    expect(mails[0].body_text).toContain('変更前：第1回 協働の基礎');
    expect(mails[0].body_text).toContain('　持ち物：筆記用具\n変更後：');
    expect(mails[0].body_text).toContain('　持ち物：筆記用具\n　　動きやすい服装');
  });

  it('are documented in the OpenAPI document: request bodies of create and change, and the answer', async () => {
    type Schema = { properties: Record<string, { type?: string; maxLength?: number; description?: string }> };
    type Op = { requestBody: { content: { 'application/json': { schema: Schema } } }; responses: Record<string, { content: { 'application/json': { schema: Schema } } }> };
    const doc = (await (await app.request('http://kyodo.test/api/v1/openapi.json')).json()) as { paths: Record<string, Record<string, Op>> };
    const create = doc.paths['/api/v1/offerings/{id}/sessions'].post;
    const change = doc.paths['/api/v1/sessions/{id}'].put;
    for (const op of [create, change]) {
      const props = op.requestBody.content['application/json'].schema.properties;
      for (const f of ['belongings', 'access']) {
        expect(props[f]).toMatchObject({ type: 'string', maxLength: 1000 });
        expect(props[f].description).toContain('1,000');
      }
    }
    expect(change.requestBody.content['application/json'].schema.properties.belongings.description).toContain('"" clears it');
    for (const [op, status] of [[create, '201'], [change, '200']] as const) {
      const out = op.responses[status].content['application/json'].schema.properties;
      expect(out.belongings?.type).toBe('string');
      expect(out.access?.type).toBe('string');
    }
  });
});
