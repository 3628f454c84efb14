import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readXlsx } from '../../src/lib/xlsx.js';
import { createApiToken } from '../../src/services/api-token.service.js';
import { loadSampleData } from '../../src/services/sample-data/sample-data.service.js';
import { createTestDb, type TestDb, TestClock, testContext } from '../support/db.js';
import { Agent, appFor, makeUser } from '../support/http.js';

/**
 * 達成 / 未達成 is judged once the fiscal year has ended: during 令和8年度 (April 2026 – March 2027) the
 * sheet, the progress report, their downloads and the API say 年度途中 for a target not reached yet. The
 * sample year is made on 1 December 2026, when two of the three field trainings have been held (the third
 * is on 22 January 2027); the clock then moves on, past the third one and past the year's end.
 */
let tdb: TestDb;
let ctx: ReturnType<typeof testContext>;
let app: ReturnType<typeof appFor>['app'];
let adminId: number;
let itemId: number;
let planId: number;

const EMAIL = 'verdict-admin@pref.example.jp';

beforeAll(async () => {
  tdb = await createTestDb();
  ctx = testContext(tdb, { clock: new TestClock(new Date('2026-12-01T01:00:00Z')) });
  app = appFor(ctx).app;
  const a = await makeUser(ctx, ['admin'], { email: EMAIL });
  adminId = a.id;
  itemId = (await loadSampleData(ctx, a)).planItemId!;
  planId = (await ctx.db.selectFrom('plan_items').select('plan_id').where('id', '=', itemId).executeTakeFirstOrThrow()).plan_id;
}, 120_000);
afterAll(() => tdb.close());

const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
/** The text of the table (with what follows it up to the next heading) whose opening tag has this class. */
const tableText = (html: string, cls: string) => {
  const i = html.indexOf(`<table class="data-table ${cls}`);
  return i < 0 ? '' : text(html.slice(i, html.indexOf('</table>', i)));
};
/** A signed-in admin at the clock's current time (a session does not outlive months of moving the clock). */
const signedIn = async (lang: 'ja' | 'en' = 'ja') => {
  const agent = new Agent(app);
  await agent.login(EMAIL);
  if (lang === 'en') await agent.get('/lang/en');
  return agent;
};
const sheetTargets = async (a: Agent) => tableText(await (await a.get(`/admin/plan-items/${itemId}`)).text(), 'plan-targets');
const progressPage = async (a: Agent) => text(await (await a.get(`/admin/reports/progress?plan=${planId}&fy=2026`)).text());
/** The 令和8年度 rows of the sheet's targets table, one string each. */
const rowsOf2026 = (t: string) => t.split(/(?=令和8年度 \(2026\) )|(?=令和9年度 )/).filter((r) => r.startsWith('令和8年度 (2026)'));
const progressXlsx = async (a: Agent) => {
  const res = await a.get(`/admin/reports/progress.xlsx?plan=${planId}&fy=2026`);
  expect(res.status).toBe(200);
  return (await readXlsx(new Uint8Array(await res.arrayBuffer()))).find((s) => s.name === '数値目標と実績')!;
};
const apiTargets = async () => {
  const { token } = await createApiToken(ctx, null, adminId, { name: `verdict ${ctx.now().toISOString()}`, scope: 'read' });
  const res = await app.request(`http://kyodo.test/api/v1/plan-items/${itemId}`, { headers: { Authorization: `Bearer ${token}` } });
  expect(res.status).toBe(200);
  const body = (await res.json()) as { measures: { label: string; targets: { fiscalYear: number; kpi: string; actual: number | null; rate: number | null; verdict: string | null; met: boolean | null }[] }[] };
  return body.measures.flatMap((m) => m.targets.filter((x) => x.fiscalYear === 2026).map((x) => ({ label: m.label, ...x })));
};

describe('on 1 December 2026, in the middle of 令和8年度', () => {
  it('the sheet shows the figures as they stand and says the year is not over, not 未達成', async () => {
    const a = await signedIn();
    const t = await sheetTargets(a);
    expect(t).toContain('令和8年度 (2026) ア 現地研修の実施回数 3回 2回 66.7%（年度途中・年度末に判定）');
    expect(t).toContain('令和8年度 (2026) ア 現地研修を受け入れた団体の数 3団体 2団体 66.7%（年度途中・年度末に判定）');
    // A share or a stock already past its target can still fall before March: judged at the year's end.
    expect(t).toContain('令和8年度 (2026) イ 活動できる協働コーディネーターの人数 20人 21人 105.0%（年度途中・年度末に判定）');
    const rows = rowsOf2026(t);
    expect(rows).toHaveLength(5);
    for (const r of rows) expect(r).not.toContain('（未達成）');
    // A past year's verdict stands.
    expect(t).toContain('平成24年度 (2012) ア 参加者数（実人数） 30人 28人 93.3%（未達成）');
    const html = await (await a.get(`/admin/plan-items/${itemId}`)).text();
    expect(text(html)).toContain('達成・未達成は、年度が終わってから判定します。');
  });

  it('the printable sheet and its xlsx say the same', async () => {
    const a = await signedIn();
    const print = tableText(await (await a.get(`/admin/plan-items/${itemId}/print`)).text(), 'plan-targets');
    expect(print).toContain('令和8年度 (2026) ア 現地研修の実施回数 3回 2回 66.7%（年度途中・年度末に判定）');
    const ExcelJS = (await import('exceljs')).default;
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await (await a.get(`/admin/plan-items/${itemId}/sheet.xlsx`)).arrayBuffer()) as ArrayBuffer);
    const rows: unknown[][] = [];
    wb.worksheets[0]!.eachRow((r) => rows.push((r.values as unknown[]).slice(1)));
    expect(rows).toContainEqual(expect.arrayContaining(['令和8年度 (2026)', 'ア', '現地研修の実施回数', 3, 2, '66.7%（年度途中・年度末に判定）']));
    expect(rows.filter((r) => r[0] === '令和8年度 (2026)' && String(r[5]).includes('未達成'))).toEqual([]);
  });

  it('the progress report, its xlsx and the API do not say 未達成 either', async () => {
    const a = await signedIn();
    const page = await progressPage(a);
    expect(page).toContain('令和8年度 (2026) 進行管理報告');
    expect(page).toContain('ア 現地研修の実施回数 3回 2回 66.7%（年度途中・年度末に判定）');
    expect(page).toContain('ア 現地研修を受け入れた団体の数 3団体 2団体 66.7%（年度途中・年度末に判定）');
    // No verdict says 未達成 (the note under the table names both words).
    expect(page).not.toContain('（未達成）');
    expect(page).toContain('達成・未達成は、年度が終わってから判定します。');
    const sheet = await progressXlsx(a);
    expect(sheet.header).toContain('判定');
    // Item (16)'s five targets and the two of item (15), whose measure イ of (16) is listed again (【再掲】).
    expect(sheet.rows.map((r) => r['判定'])).toEqual(Array(7).fill('年度途中・年度末に判定'));
    expect(sheet.rows.find((r) => r['指標'] === '現地研修の実施回数')).toMatchObject({ 目標: '3', 実績: '2', '達成率（%）': '66.7' });
    expect((await apiTargets()).map((x) => [x.label, x.kpi, x.verdict, x.met])).toEqual([
      ['ア', 'fieldTrainings', 'in_progress', null],
      ['ア', 'unitsReachedShare', 'in_progress', null],
      ['ア', 'hostPartners', 'in_progress', null],
      ['イ', 'coordinatorsActive', 'in_progress', null],
      ['イ', 'municipalitiesServedShare', 'in_progress', null],
    ]);
  });

  it('reads in English too', async () => {
    const en = await signedIn('en');
    expect(await sheetTargets(en)).toContain('FY2026 (Reiwa 8) ア Field trainings held 3 times 2 times 66.7% (in progress, judged at year end)');
    const page = await progressPage(en);
    expect(page).toContain('66.7% (in progress, judged at year end)');
    expect(page).not.toContain('(not met)');
  });
});

describe('on 23 January 2027, the day after the third field training', () => {
  it('a count that has reached its target is 達成 at once: it cannot fall before the year ends', async () => {
    ctx.clock.current = new Date('2027-01-23T01:00:00Z');
    const a = await signedIn();
    const t = await sheetTargets(a);
    expect(t).toContain('令和8年度 (2026) ア 現地研修の実施回数 3回 3回 100.0%（達成）');
    for (const r of rowsOf2026(t)) expect(r).not.toContain('（未達成）');
    const page = await progressPage(a);
    expect(page).toContain('ア 現地研修を受け入れた団体の数 3団体 3団体 100.0%（達成）');
    expect(page).not.toContain('（未達成）');
  });
});

describe('on 10 April 2027, after 令和8年度 has ended', () => {
  it('the sheet, the progress report, its xlsx and the API give the verdict: 達成 or 未達成', async () => {
    ctx.clock.current = new Date('2027-04-10T01:00:00Z');
    const a = await signedIn();
    const t = await sheetTargets(a);
    expect(t).toContain('令和8年度 (2026) ア 現地研修の実施回数 3回 3回 100.0%（達成）');
    expect(t).toContain('令和8年度 (2026) イ 協働コーディネーターがいる、または相談に対応した市町の割合 50.0% 21.4% 42.8%（未達成）');
    expect(t).not.toContain('年度途中');
    const page = await progressPage(a);
    expect(page).toContain('イ 協働コーディネーターがいる、または相談に対応した市町の割合 50.0% 21.4% 42.8%（未達成）');
    expect(page).not.toContain('年度途中');
    const sheet = await progressXlsx(a);
    expect(sheet.rows.map((r) => [r['指標'], r['判定']])).toContainEqual(['協働コーディネーターがいる、または相談に対応した市町の割合', '未達成']);
    expect(sheet.rows.map((r) => r['判定'])).not.toContain('年度途中・年度末に判定');
    const api = await apiTargets();
    expect(api.find((x) => x.kpi === 'municipalitiesServedShare')).toMatchObject({ rate: 42.8, verdict: 'not_met', met: false });
    expect(api.find((x) => x.kpi === 'fieldTrainings')).toMatchObject({ rate: 100, verdict: 'met', met: true });
    expect(api.filter((x) => x.verdict === 'in_progress')).toEqual([]);
  });
});
