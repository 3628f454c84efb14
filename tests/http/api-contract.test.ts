import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../../src/services/api-token.service.js';
import { createTestDb, type TestDb, testContext } from '../support/db.js';
import { appFor, makeUser } from '../support/http.js';

/**
 * The API's contract is its OpenAPI document, and `op` enforces it (issue 19): every operation with a
 * JSON body answers 422 with `fields` naming each missing required property before its handler runs,
 * for a record that exists or not; a query value outside the documented list is 422 too.
 */
let tdb: TestDb;
let app: ReturnType<typeof appFor>['app'];
let token: string;

interface JsonSchema {
  type?: string;
  required?: string[];
  properties?: Record<string, JsonSchema>;
  enum?: unknown[];
}
interface Operation {
  summary: string;
  requestBody?: { content: { 'application/json': { schema: JsonSchema } } };
  parameters?: { name: string; in: string; schema: JsonSchema }[];
}
let doc: { paths: Record<string, Record<string, Operation>> };

beforeAll(async () => {
  tdb = await createTestDb();
  const ctx = testContext(tdb);
  app = appFor(ctx).app;
  const admin = await makeUser(ctx, ['admin', 'staff'], { email: 'contract-admin@pref.example.jp' });
  token = (await createApiToken(ctx, null, admin.id, { name: 'contract', scope: 'write' })).token;
  doc = (await (await app.request('http://kyodo.test/api/v1/openapi.json')).json()) as typeof doc;
});
afterAll(() => tdb.close());

const call = (method: string, path: string, body?: string) =>
  app.request(`http://kyodo.test${path}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body,
  });

/** The document's path with each parameter filled in: an id that never existed, or a text. */
const concrete = (path: string, op: Operation) =>
  path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const p = op.parameters?.find((x) => x.name === name && x.in === 'path');
    return p?.schema.type === 'integer' || p?.schema.type === 'number' ? '2147483646' : '2026';
  });

function operations() {
  return Object.entries(doc.paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, op]) => ({ path, method: method.toUpperCase(), op })));
}

describe('the API enforces its documented schemas', () => {
  it('every operation with a JSON body names each missing required property with 422, before its handler', async () => {
    const withBody = operations().filter(({ op }) => op.requestBody);
    expect(withBody.length).toBeGreaterThan(20);
    const problems: string[] = [];
    for (const { path, method, op } of withBody) {
      const schema = op.requestBody!.content['application/json'].schema;
      const required = schema.type === 'array' ? [] : (schema.required ?? []);
      const res = await call(method, concrete(path, op), schema.type === 'array' ? '[{}]' : '{}');
      if (schema.type !== 'array' && !required.length) continue; // nothing required: {} is a valid body
      const text = await res.text();
      if (res.status !== 422) {
        problems.push(`${method} ${path}: ${res.status} ${text.slice(0, 120)}`);
        continue;
      }
      const fields = (JSON.parse(text) as { error: { code: string; fields: Record<string, string> } }).error.fields;
      const missing = required.filter((f) => !fields[f]);
      if (missing.length) problems.push(`${method} ${path}: 422 without ${missing.join(', ')}`);
    }
    expect(problems).toEqual([]);
  });

  it('a query value outside the documented list is 422 naming the parameter', async () => {
    const listed = operations().flatMap(({ path, method, op }) =>
      (op.parameters ?? []).filter((p) => p.in === 'query' && p.schema.enum).map((p) => ({ path, method, op, name: p.name })),
    );
    expect(listed.length).toBeGreaterThan(2);
    for (const { path, method, op, name } of listed) {
      const res = await call(method, `${concrete(path, op)}?${name}=not-a-value`);
      expect(res.status, `${method} ${path}?${name}`).toBe(422);
      const body = (await res.json()) as { error: { fields: Record<string, string> } };
      expect(Object.keys(body.error.fields), `${method} ${path}`).toEqual([name]);
    }
  });

  it('a path id that is not a positive whole number is 422 naming the parameter', async () => {
    const res = await call('GET', '/api/v1/people/abc');
    expect(res.status).toBe(422);
    expect(Object.keys(((await res.json()) as { error: { fields: Record<string, string> } }).error.fields)).toEqual(['id']);
  });
});
