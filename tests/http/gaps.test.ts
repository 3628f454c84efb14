import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readXlsx } from '../../src/lib/xlsx.js';
import { gapIndicators } from '../../src/services/gap.service.js';
import { reportYears } from '../../src/services/report.service.js';
import { loadSampleData } from '../../src/services/sample-data/sample-data.service.js';
import { createTestDb, type TestDb, TestClock, testContext } from '../support/db.js';
import { Agent, appFor, makeUser } from '../support/http.js';

let tdb: TestDb;
let ctx: ReturnType<typeof testContext>;
let admin: Agent;
let staff: Agent;
let years: number[];

beforeAll(async () => {
  tdb = await createTestDb();
  ctx = testContext(tdb, { clock: new TestClock(new Date('2026-11-30T01:00:00Z')) });
  const { app } = appFor(ctx);
  const a = await makeUser(ctx, ['admin'], { email: 'gaps-admin@pref.example.jp' });
  const s = await makeUser(ctx, ['staff'], { email: 'gaps-staff@pref.example.jp' });
  await loadSampleData(ctx, a);
  admin = new Agent(app);
  await admin.login(a.email);
  staff = new Agent(app);
  await staff.login(s.email);
  years = await reportYears(ctx);
}, 180_000);
afterAll(() => tdb.close());

describe('GET /api/v1/reports/fiscal-years/{fy}/gaps', () => {
  it('answers the three indicators in the shape the checks read, shares from 0 to 1', async () => {
    let sawInterval = false;
    for (const fy of years) {
      const res = await admin.get(`/api/v1/reports/fiscal-years/${fy}/gaps`);
      expect(res.status).toBe(200);
      const body = await res.json();
      expect(body).toEqual(JSON.parse(JSON.stringify(await gapIndicators(ctx, fy))));
      const u = body.understanding;
      expect(typeof u.n).toBe('number');
      if (u.n < 2) expect(u.ci95).toBeNull();
      if (u.n >= 10 && u.ci95) {
        expect(u.ci95[0]).toBeLessThanOrEqual(u.meanChange);
        expect(u.meanChange).toBeLessThanOrEqual(u.ci95[1]);
        sawInterval = true;
      }
      for (const key of ['fieldTrainings', 'participants', 'unitsReachedShare', 'municipalitiesReachedShare', 'hostPartners']) expect(typeof body.opportunity[key]).toBe('number');
      for (const key of ['activeCoordinators', 'consultationsServed', 'municipalitiesServedShare']) expect(typeof body.talent[key]).toBe('number');
      for (const s of [body.opportunity.unitsReachedShare, body.opportunity.municipalitiesReachedShare, body.talent.municipalitiesServedShare]) {
        expect(s).toBeGreaterThanOrEqual(0);
        expect(s).toBeLessThanOrEqual(1);
      }
    }
    expect(sawInterval).toBe(true);
  });

  it('is in the OpenAPI document, refuses staff and answers 404 for a year that is not one', async () => {
    const doc = await (await admin.get('/api/v1/openapi.json')).json();
    expect(Object.keys(doc.paths).some((p) => p.startsWith('/api/v1/reports/fiscal-years/') && p.endsWith('/gaps'))).toBe(true);
    expect((await staff.get('/api/v1/reports/fiscal-years/2025/gaps')).status).toBe(403);
    expect((await admin.get('/api/v1/reports/fiscal-years/abc/gaps')).status).toBe(404);
  });
});

describe('the page /admin/reports/gaps', () => {
  it('shows the year in wareki, the three indicators with trend charts each beside its table, in Japanese and English', async () => {
    const all = await Promise.all(years.map((y) => gapIndicators(ctx, y)));
    const fy = all.find((g) => g.understanding.n >= 10)!.fiscalYear;
    const html = await (await admin.get(`/admin/reports/gaps?fy=${fy}`)).text();
    expect(html).toContain('3つの課題の指標');
    expect(html).toContain('協働への理解');
    expect(html).toContain('現場で協働相手と出会う機会');
    expect(html).toContain('合意形成・調整ができる人材');
    expect(html).toContain('95%信頼区間');
    const charts = html.match(/<svg[^>]*role="img"/g)!.length;
    expect(charts).toBe(5);
    expect(html.match(/<table class="data-table chart__table"/g)!.length).toBe(charts);
    admin.cookies.set('kyodo_lang', 'en');
    const en = await (await admin.get(`/admin/reports/gaps?fy=${fy}`)).text();
    admin.cookies.delete('kyodo_lang');
    expect(en).toContain('Indicators of the three gaps');
    expect(en).toContain('95% confidence interval');
    expect((await staff.get(`/admin/reports/gaps?fy=${fy}`)).status).toBe(403);
  });

  it('downloads the year and the trends as xlsx that read back with every line', async () => {
    const fy = 2025;
    const g = await gapIndicators(ctx, fy);
    expect(g.understanding.ci95).not.toBeNull();
    const [sheet] = await readXlsx(new Uint8Array(await (await admin.get(`/admin/reports/gaps.xlsx?fy=${fy}`)).arrayBuffer()));
    expect(sheet.header[0]).toBe('指標');
    const field = sheet.rows.find((r) => String(r['指標']).endsWith('現地研修の実施回数'))!;
    expect(Number(Object.values(field)[1])).toBe(g.opportunity.fieldTrainings);
    // A change and its interval are numbers in the sheet (a leading sign is not made text).
    const value = (end: string) => Object.values(sheet.rows.find((r) => String(r['指標']).endsWith(end))!)[1];
    expect(Number(value('（後－前）'))).toBe(g.understanding.meanChange);
    expect(Number(value('95%信頼区間の下限'))).toBe(g.understanding.ci95![0]);
    expect(Number(value('95%信頼区間の上限'))).toBe(g.understanding.ci95![1]);
    const [trend] = await readXlsx(new Uint8Array(await (await admin.get('/admin/reports/gap-trends.xlsx')).arrayBuffer()));
    expect(trend.header).toHaveLength(years.length + 1);
    expect(trend.rows).toHaveLength(sheet.rows.length);
  });
});
