import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSampleData } from '../../src/services/sample-data/sample-data.service.js';
import { createTestDb, type TestDb, testContext } from '../support/db.js';
import { Agent, appFor, makeUser } from '../support/http.js';

let tdb: TestDb;
let ctx: ReturnType<typeof testContext>;
let app: ReturnType<typeof appFor>['app'];
let admin: Agent;
let itemId: number;
let seminarMeasure: number;

beforeAll(async () => {
  tdb = await createTestDb();
  ctx = testContext(tdb);
  app = appFor(ctx).app;
  const a = await makeUser(ctx, ['admin'], { email: 'targets-admin@pref.example.jp' });
  itemId = (await loadSampleData(ctx, a)).planItemId!;
  seminarMeasure = (await ctx.db.selectFrom('plan_measures').select('id').where('title', '=', '協働推進セミナーの実施').executeTakeFirstOrThrow()).id;
  admin = new Agent(app);
  await admin.login(a.email);
}, 90_000);
afterAll(() => tdb.close());

const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
const targetsTable = (html: string) => {
  const i = html.indexOf('<table class="data-table plan-targets">');
  return i < 0 ? '' : text(html.slice(i, html.indexOf('</table>', i)));
};

describe('targets in the plan-item sheet of item (16)', () => {
  it('shows the sample targets for 平成23–26年度 and today with actual and 達成率, met or not in words', async () => {
    const t = targetsTable(await (await admin.get(`/admin/plan-items/${itemId}`)).text());
    expect(t).toContain('年度 具体的取組項目 指標 目標 実績 達成率');
    // 平成23年度: two field trainings held (10/14 and 1/20), 25 people confirmed; 7 coordinators certified.
    expect(t).toContain('平成23年度 (2011) ア 現地研修の実施回数 2回 2回 100.0%（達成）');
    expect(t).toContain('平成23年度 (2011) ア 参加者数（実人数） 25人 25人 100.0%（達成）');
    expect(t).toContain('平成23年度 (2011) イ 協働コーディネーターの養成（認定）人数 5人 7人 140.0%（達成）');
    // 平成24年度: three field trainings; 28 people against a target of 30.
    expect(t).toContain('平成24年度 (2012) ア 現地研修の実施回数 3回 3回 100.0%（達成）');
    expect(t).toContain('平成24年度 (2012) ア 参加者数（実人数） 30人 28人 93.3%（未達成）');
    // 令和8年度 is not over (the clock says November 2026): a share is judged at the year's end.
    expect(t).toMatch(/令和8年度 \(2026\) ア 研修を受けた所属の割合（直近3年度） 60\.0% \d+\.\d% \d+\.\d%（年度途中・年度末に判定）/);
    expect(t).toContain('令和8年度 (2026) イ 活動できる協働コーディネーターの人数 20人');
  });

  it('shows the office’s rating beside the computed figures in the yearly progress', async () => {
    const html = await (await admin.get(`/admin/plan-items/${itemId}`)).text();
    const i = html.indexOf('<table class="data-table plan-actuals">');
    const t = text(html.slice(i, html.indexOf('</table>', i)));
    expect(t).toContain('年度 具体的取組項目 進捗 評価 実績 実績値（記録から集計）');
    expect(t).toMatch(/平成23年度 .*項目全体 ほぼ計画どおり B セミナーと現地研修を実施し/);
    expect(t).toMatch(/平成24年度 .*項目全体 ほぼ計画どおり A /);
  });

  it('reads in English too', async () => {
    const en = new Agent(app);
    await en.login('targets-admin@pref.example.jp');
    await en.get('/lang/en');
    const t = targetsTable(await (await en.get(`/admin/plan-items/${itemId}`)).text());
    expect(t).toContain('FY2011 (Heisei 23) ア Field trainings held 2 times 2 times 100.0% (met)');
  });

  it('sets a target from a form without JavaScript; bad input is refused naming the field', async () => {
    const page = await admin.get(`/admin/plan-items/${itemId}/measures/${seminarMeasure}/targets`);
    expect(page.status).toBe(200);
    const before = await ctx.db.selectFrom('plan_targets').selectAll().execute();
    const bad = await admin.post(`/admin/plan-items/${itemId}/measures/${seminarMeasure}/targets`, { fiscalYear: '2025', kpi: 'fieldTrainings', target: '三回' });
    expect(bad.status).toBe(422);
    expect(text(await bad.text())).toContain('目標値は0より大きい数値');
    const noKpi = await admin.post(`/admin/plan-items/${itemId}/measures/${seminarMeasure}/targets`, { fiscalYear: '2025', kpi: '', target: '3' });
    expect(noKpi.status).toBe(422);
    expect(text(await noKpi.text())).toContain('指標を選んでください');
    expect(await ctx.db.selectFrom('plan_targets').selectAll().execute()).toEqual(before);
    const ok = await admin.post(`/admin/plan-items/${itemId}/measures/${seminarMeasure}/targets`, { fiscalYear: '2025', kpi: 'fieldTrainings', target: '4' });
    expect(ok.status).toBe(303);
    const t = targetsTable(await (await admin.get(`/admin/plan-items/${itemId}`)).text());
    expect(t).toMatch(/令和7年度 \(2025\) ア 現地研修の実施回数 4回 \d+回 /);
  });

  it('deletes a target only when confirmed', async () => {
    const row = await ctx.db.selectFrom('plan_targets').select('id').where('measure_id', '=', seminarMeasure).where('fiscal_year', '=', 2025).executeTakeFirstOrThrow();
    const url = `/admin/plan-items/${itemId}/measures/${seminarMeasure}/targets/${row.id}/delete`;
    const refused = await admin.post(url, {});
    expect(refused.status).toBe(422);
    expect(await ctx.db.selectFrom('plan_targets').select('id').where('id', '=', row.id).executeTakeFirst()).toBeTruthy();
    expect((await admin.post(url, { confirm: 'yes' })).status).toBe(303);
    expect(await ctx.db.selectFrom('plan_targets').select('id').where('id', '=', row.id).executeTakeFirst()).toBeUndefined();
  });

  it('records a rating with the progress; a label the plan does not use is refused', async () => {
    const form = await (await admin.get(`/admin/plan-items/${itemId}/progress/2024`)).text();
    expect(form).toContain('name="rating"');
    const bad = await admin.post(`/admin/plan-items/${itemId}/progress/2024`, { rating: 'E', results: 'x' });
    expect(bad.status).toBe(422);
    expect(text(await bad.text())).toContain('評価の値が正しくありません');
    const measure = await admin.post(`/admin/plan-items/${itemId}/progress/2024`, { [`m${seminarMeasure}-rating`]: 'E' });
    expect(text(await measure.text())).toContain('ア 評価の値が正しくありません');
    expect(await ctx.db.selectFrom('plan_progress').select('item_id').where('fiscal_year', '=', 2024).execute()).toHaveLength(0);
    expect((await admin.post(`/admin/plan-items/${itemId}/progress/2024`, { status: 'on_track', rating: 'C', results: '相談対応を拡大した。' })).status).toBe(303);
    expect(text(await (await admin.get(`/admin/plan-items/${itemId}`)).text())).toMatch(/令和6年度 .*項目全体 ほぼ計画どおり C 相談対応を拡大した。/);
  });

  it('puts the targets, actuals and 達成率 in the xlsx, which exceljs reads back', async () => {
    const res = await admin.get(`/admin/plan-items/${itemId}/sheet.xlsx`);
    const buf = new Uint8Array(await res.arrayBuffer());
    const ExcelJS = (await import('exceljs')).default;
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(buf as unknown as ArrayBuffer);
    const ws = wb.worksheets[0];
    const rows: unknown[][] = [];
    ws.eachRow((r) => rows.push((r.values as unknown[]).slice(1)));
    expect(rows.some((r) => r[0] === '数値目標と実績')).toBe(true);
    expect(rows).toContainEqual(expect.arrayContaining(['平成24年度 (2012)', 'ア', '参加者数（実人数）', 30, 28, '93.3%（未達成）']));
    expect(rows).toContainEqual(expect.arrayContaining(['平成23年度', 'ア', 'ほぼ計画どおり', 'B']));
  });
});
