import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../../src/services/api-token.service.js';
import { createProgramme } from '../../src/services/offering.service.js';
import { createTestDb, type TestDb, testContext } from '../support/db.js';
import { appFor, Agent, makeUser } from '../support/http.js';

/** The plan (実施計画) kept from the office's own scripts (issue 20 §2), with the sheet's rules. */
let tdb: TestDb;
let ctx: ReturnType<typeof testContext>;
let app: ReturnType<typeof appFor>['app'];
let token: string;
let admin: Agent;

beforeAll(async () => {
  tdb = await createTestDb();
  ctx = testContext(tdb);
  ctx.clock.current = new Date('2026-11-30T01:00:00Z');
  app = appFor(ctx).app;
  const a = await makeUser(ctx, ['admin', 'staff'], { email: 'plan-api@pref.example.jp' });
  token = (await createApiToken(ctx, null, a.id, { name: 'plan', scope: 'write' })).token;
  admin = new Agent(app);
  await admin.login(a.email);
});
afterAll(() => tdb.close());

const api = (method: string, path: string, body?: unknown) =>
  app.request(`http://kyodo.test${path}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
const json = async <T,>(res: Response) => (await res.json()) as T;
const fields = async (res: Response) => (await json<{ error: { fields: Record<string, string> } }>(res)).error.fields;

describe('the plan over the API', () => {
  it('builds a plan, an item and a measure with a target, its grid and a year of progress; the sheet reads them back, and so does the page', async () => {
    const bad = await api('POST', '/api/v1/plans', { title: '実施計画', firstFiscalYear: 2028, lastFiscalYear: 2025 });
    expect(bad.status).toBe(422);
    expect(Object.keys(await fields(bad))).toEqual(['lastFiscalYear']);
    const plan = await json<{ id: number }>(await api('POST', '/api/v1/plans', { title: '行政経営改革実施計画', firstFiscalYear: '令和5年度', lastFiscalYear: 2027 }));
    expect(await json(await api('GET', `/api/v1/plans/${plan.id}`))).toMatchObject({ id: plan.id, firstFiscalYear: 2023, lastFiscalYear: 2027, ratingLabels: ['A', 'B', 'C'], items: [] });

    const item = await json<{ id: number }>(await api('POST', `/api/v1/plans/${plan.id}/items`, { number: '(16)', title: '協働型県政の推進のための職員研修', owningUnits: '県民活動課' }));
    const again = await api('POST', `/api/v1/plans/${plan.id}/items`, { number: '(16)', title: '重複' });
    expect(again.status).toBe(422);
    expect(Object.keys(await fields(again))).toEqual(['number']);

    const programme = await createProgramme(ctx, null, { name: '協働推進セミナー' });
    const measure = await json<{ id: number }>(await api('POST', `/api/v1/plan-items/${item.id}/measures`, { title: '現地研修の実施', programmeIds: [programme.id] }));
    const target = await api('PUT', `/api/v1/plan-items/${item.id}/measures/${measure.id}/targets`, { fiscalYear: 2026, kpi: 'fieldTrainings', target: 3 });
    expect(target.status).toBe(200);
    const badKpi = await api('PUT', `/api/v1/plan-items/${item.id}/measures/${measure.id}/targets`, { fiscalYear: 2026, kpi: 'happiness', target: 3 });
    expect(Object.keys(await fields(badKpi))).toEqual(['kpi']);
    expect((await api('PUT', `/api/v1/plan-measures/${measure.id}/schedule`, { cells: [{ fiscalYear: 2026, text: '継続実施', arrow: true }] })).status).toBe(200);
    const progress = await api('PUT', `/api/v1/plan-items/${item.id}/progress/2026`, {
      item: { status: 'on_track', rating: 'A', results: '現地研修を3回実施した。' },
      measures: [{ measureId: measure.id, status: 'done', results: '3団体で受入れ。' }],
    });
    expect(progress.status).toBe(200);
    const badRating = await api('PUT', `/api/v1/plan-items/${item.id}/progress/2026`, { item: { rating: 'S' } });
    expect(badRating.status).toBe(422);

    const sheet = await json<{
      number: string;
      progress: { fiscalYear: number; status: string; rating: string; results: string }[];
      measures: { id: number; label: string; schedule: unknown[]; targets: { fiscalYear: number; kpi: string; target: number; actual: number | null }[]; progress: { status: string }[] }[];
    }>(await api('GET', `/api/v1/plan-items/${item.id}`));
    expect(sheet.number).toBe('(16)');
    expect(sheet.progress).toEqual([expect.objectContaining({ fiscalYear: 2026, status: 'on_track', rating: 'A', results: '現地研修を3回実施した。' })]);
    expect(sheet.measures).toHaveLength(1);
    expect(sheet.measures[0]).toMatchObject({ id: measure.id, label: 'ア', schedule: [{ fiscalYear: 2026, text: '継続実施', arrow: true }], progress: [{ status: 'done' }] });
    // 令和8年度 is not over on 30 November 2026: no field training yet is in progress, not 未達成.
    expect(sheet.measures[0]!.targets).toEqual([expect.objectContaining({ fiscalYear: 2026, kpi: 'fieldTrainings', target: 3, actual: 0, verdict: 'in_progress', met: null })]);

    const page = await (await admin.get(`/admin/plan-items/${item.id}`)).text();
    expect(page).toContain('現地研修の実施');
    expect(page).toContain('継続実施');
    expect(page).toContain('3団体で受入れ。');
  });

  it('answers 404 for a plan or item that does not exist, and 422 for a year that is not one', async () => {
    expect((await api('GET', '/api/v1/plans/2147483646')).status).toBe(404);
    expect((await api('GET', '/api/v1/plan-items/2147483646')).status).toBe(404);
    expect((await api('PUT', '/api/v1/plan-items/1/progress/abc', {})).status).toBe(422);
  });
});
