import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../../src/services/api-token.service.js';
import type { TestDb, testContext } from '../support/db.js';
import type { Agent, appFor } from '../support/http.js';
import { sampleDataWorld } from '../support/sample-world.js';

let tdb: TestDb;
let ctx: ReturnType<typeof testContext>;
let app: ReturnType<typeof appFor>['app'];
let admin: Agent;
let adminToken: string;
let staffToken: string;
let personToken: string;
let ids: { person: number; unit: number; offering: number };

beforeAll(async () => {
  ({ tdb, ctx, app, admin, adminToken, staffToken } = await sampleDataWorld('reads'));
  // The person with the most applications, and the offering with the most.
  const person = await ctx.db.selectFrom('applications').select(['person_id', (eb) => eb.fn.countAll<number>().as('n')]).groupBy('person_id').orderBy('n', 'desc').orderBy('person_id').executeTakeFirstOrThrow();
  const offering = await ctx.db.selectFrom('applications').select(['offering_id', (eb) => eb.fn.countAll<number>().as('n')]).groupBy('offering_id').orderBy('n', 'desc').orderBy('offering_id').executeTakeFirstOrThrow();
  const unit = await ctx.db.selectFrom('people').select('unit_id').where('id', '=', person.person_id).executeTakeFirstOrThrow();
  ids = { person: person.person_id, unit: unit.unit_id!, offering: offering.offering_id };
  personToken = (await createApiToken(ctx, null, person.person_id, { name: 'reads' })).token;
}, 300_000);
afterAll(() => tdb.close());

const api = (path: string, token = adminToken) => app.request(path.startsWith('http') ? path : `http://kyodo.test${path}`, { headers: { Authorization: `Bearer ${token}` } });
const json = async (path: string, token = adminToken) => {
  const res = await api(path, token);
  expect(res.status, path).toBe(200);
  return res.json();
};
/** The page's CSV download as objects by header. */
const pageCsv = async (path: string) => parse((await (await admin.get(path)).text()).replace(/^\ufeff/, ''), { columns: true }) as Record<string, string>[];

/** Every item of a list, following `next` from the first page. */
async function walk(first: string, token = adminToken) {
  const items: { id: number }[] = [];
  let pages = 0;
  for (let url: string | null = first; url; pages++) {
    const body = await json(url, token);
    items.push(...body.items);
    url = body.next;
  }
  return { items, pages };
}

describe('training history over the API', () => {
  it('a person’s history (admins) is the one on their page, and theirs with their own token', async () => {
    const body = await json(`/api/v1/people/${ids.person}/history`);
    expect(body.next).toBeNull();
    expect(body.items.length).toBeGreaterThan(1);
    const csv = await pageCsv(`/admin/people/${ids.person}/history.csv`);
    expect(body.items.map((r: { title: string }) => r.title)).toEqual(csv.map((r) => r['名称']));
    expect(body.items.every((r: { personId: number }) => r.personId === ids.person)).toBe(true);
    expect(await json('/api/v1/me/history', personToken)).toEqual(body);
  });

  it('a unit’s history has its members’ trainings', async () => {
    const body = await json(`/api/v1/units/${ids.unit}/history`);
    const csv = await pageCsv(`/admin/units/${ids.unit}/history.csv`);
    expect(body.items.map((r: { name: string; title: string }) => [r.name, r.title])).toEqual(csv.map((r) => [r['氏名'], r['名称']]));
    expect(body.items.some((r: { personId: number }) => r.personId === ids.person)).toBe(true);
  });

  it('an unknown person or unit is 404; staff may read only their own', async () => {
    expect((await api('/api/v1/people/999999/history')).status).toBe(404);
    expect((await api('/api/v1/units/999999/history')).status).toBe(404);
    expect((await api(`/api/v1/people/${ids.person}/history`, staffToken)).status).toBe(403);
    expect((await api(`/api/v1/units/${ids.unit}/history`, staffToken)).status).toBe(403);
    expect((await json('/api/v1/me/history', staffToken)).items).toEqual([]);
  });
});

describe('reports over the API', () => {
  it('coverage lists every unit of the page, and recruit=true those with a reason', async () => {
    const all = await json('/api/v1/reports/coverage');
    const csv = await pageCsv('/admin/reports/coverage.csv');
    expect(all.items.map((r: { name: string }) => r.name)).toEqual(csv.map((r) => r['所属']));
    const recruit = await json('/api/v1/reports/coverage?recruit=true');
    expect(recruit.items.length).toBeGreaterThan(0);
    expect(recruit.items.length).toBeLessThan(all.items.length);
    expect(recruit.items.every((r: { reasons: string[] }) => r.reasons.length > 0)).toBe(true);
    expect((await api('/api/v1/reports/coverage', staffToken)).status).toBe(403);
  });

  it('the implementation table, the map and the impact read as their pages', async () => {
    const impl = await json('/api/v1/reports/fiscal-years/2026/implementation');
    expect(impl.items.length).toBe((await pageCsv('/admin/reports/implementation.csv?fy=2026')).length);
    expect((await api('/api/v1/reports/fiscal-years/1800/implementation')).status).toBe(404);
    const map = await json('/api/v1/reports/fiscal-years/2026/map?indicator=participants');
    const mapCsv = await pageCsv('/admin/reports/map.csv?fy=2026&indicator=participants');
    expect(map.tiles.map((x: { code: string; value: number | null }) => [x.code, x.value === null ? '' : String(x.value)])).toEqual(mapCsv.map((r) => [r[Object.keys(r)[0]!], r[Object.keys(r).at(-1)!]]));
    const impact = await json('/api/v1/reports/impact?by=affiliation');
    expect(impact.byGroup.length).toBe((await pageCsv('/admin/impact.csv?by=affiliation')).length);
  });

  it('the KPI and gap trends give every year with records, each year as its own operation gives it', async () => {
    const kpi = await json('/api/v1/reports/trends');
    const gap = await json('/api/v1/reports/gap-trends');
    expect(kpi.years.length).toBeGreaterThan(1);
    expect(gap.years).toEqual(kpi.years);
    expect(kpi.years).toEqual([...kpi.years].sort((a: number, b: number) => a - b));
    for (const [i, fy] of [[0, kpi.years[0]], [kpi.years.length - 1, kpi.years.at(-1)]] as [number, number][]) {
      expect(kpi.kpis[i]).toEqual(await json(`/api/v1/reports/fiscal-years/${fy}`));
      expect(gap.gaps[i]).toEqual(await json(`/api/v1/reports/fiscal-years/${fy}/gaps`));
    }
    expect((await api('/api/v1/reports/trends', staffToken)).status).toBe(403);
  });
});

describe('every list pages by cursor', () => {
  const lists = [
    ['consultations', () => '/api/v1/consultations'],
    ['projects', () => '/api/v1/projects'],
    ['offerings', () => '/api/v1/offerings'],
    ['applications of an offering', () => `/api/v1/offerings/${ids.offering}/applications`],
    ['surveys', () => '/api/v1/surveys'],
    ['partners', () => '/api/v1/partners'],
  ] as const;
  it.each(lists)('%s: small pages give every item of the whole list once, in its order', async (_, path) => {
    const whole = await json(`${path()}?limit=500`);
    expect(whole.next).toBeNull();
    expect(whole.items.length).toBeGreaterThan(2);
    const { items, pages } = await walk(`${path()}?limit=2`);
    expect(items.map((x) => x.id)).toEqual(whole.items.map((x: { id: number }) => x.id));
    expect(pages).toBe(Math.ceil(whole.items.length / 2));
  });

  it('my applications page by cursor, newest first', async () => {
    const { items } = await walk('/api/v1/me/applications?limit=1', personToken);
    expect(items.length).toBeGreaterThan(1);
    expect(items.map((x) => x.id)).toEqual([...items.map((x) => x.id)].sort((a, b) => b - a));
  });

  it('a cursor from another list, or edited, is refused with 422 naming cursor', async () => {
    const { next } = await json(`/api/v1/offerings/${ids.offering}/applications?limit=1`);
    const cursor = new URL(next).searchParams.get('cursor')!;
    for (const path of [`/api/v1/partners?cursor=${cursor}`, `/api/v1/offerings/${ids.offering}/applications?cursor=${cursor.slice(2)}`]) {
      const res = await api(path);
      expect(res.status, path).toBe(422);
      expect(Object.keys((await res.json()).error.fields)).toEqual(['cursor']);
    }
  });
});
