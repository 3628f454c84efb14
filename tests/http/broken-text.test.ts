import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../../src/services/api-token.service.js';
import { createTestDb, type TestDb, testContext } from '../support/db.js';
import { appFor, makeUser } from '../support/http.js';

// Issue 17 (low): a lone surrogate inside a JSON array answered 500, and invalid UTF-8 or a lone
// surrogate in a text field was stored as "�" with a 201. Each is refused with 422 naming the field.
let tdb: TestDb;
let ctx: ReturnType<typeof testContext>;
let app: ReturnType<typeof appFor>['app'];
let token: string;

beforeAll(async () => {
  tdb = await createTestDb();
  ctx = testContext(tdb);
  app = appFor(ctx).app;
  const admin = await makeUser(ctx, ['admin', 'staff']);
  token = (await createApiToken(ctx, null, admin.id, { name: 'broken' })).token;
});
afterAll(() => tdb.close());

const post = (path: string, body: string | Uint8Array<ArrayBuffer>) =>
  app.request(`http://kyodo.test${path}`, { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body });
const count = async (table: 'partners' | 'offerings' | 'consultations' | 'survey_templates' | 'people') =>
  Number((await tdb.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

describe('text that is not valid Unicode', () => {
  it.each([
    ['/api/v1/partners', '{"name":"湖南の会","kana":"コナンノカイ","type":"npo","fields":["\\ud800"]}', 'fields', 'partners'],
    ['/api/v1/offerings', '{"title":"x\\udc00","programmeId":1,"fiscalYear":2026}', 'title', 'offerings'],
    ['/api/v1/consultations', '{"kind":"bridge","title":"相談","details":["a","\\ud83d"]}', 'details', 'consultations'],
    ['/api/v1/survey-templates', '{"name":"t","questions":[{"id":"q1","text":"\\udfff"}]}', 'questions', 'survey_templates'],
  ] as const)('a lone surrogate in %s is 422 naming the field, nothing saved', async (path, body, field, table) => {
    const before = await count(table);
    const res = await post(path, body);
    expect(res.status).toBe(422);
    const json = await res.json();
    expect(json.error.code).toBe('validation');
    expect(Object.keys(json.error.fields)).toEqual([field]);
    expect(json.error.message).toContain('文字として読めないデータ');
    expect(await count(table)).toBe(before);
  });

  it('invalid UTF-8 bytes are 422 naming the field, not stored as "�"', async () => {
    const before = await count('people');
    const head = new TextEncoder().encode('{"name":"山田');
    const tail = new TextEncoder().encode(' 花子","kana":"ヤマダ ハナコ","email":"bad-utf8@pref.example.jp","affiliation":"prefecture"}');
    const body = new Uint8Array([...head, 0xff, 0xfe, ...tail]) as Uint8Array<ArrayBuffer>;
    const res = await post('/api/v1/people', body);
    expect(res.status).toBe(422);
    expect(Object.keys((await res.json()).error.fields)).toEqual(['name']);
    expect(await count('people')).toBe(before);
  });

  it('well-formed text, emoji and 𠮷 included, goes through', async () => {
    const res = await post('/api/v1/people', JSON.stringify({ name: '𠮷田 花子😀', kana: 'ヨシダ ハナコ', email: 'fine-utf8@pref.example.jp', affiliation: 'prefecture' }));
    expect(res.status).toBe(201);
  });
});
