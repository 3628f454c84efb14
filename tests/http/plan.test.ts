import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readXlsx } from '../../src/lib/xlsx.js';
import { programmeYearFigures } from '../../src/services/report.service.js';
import { loadSampleData } from '../../src/services/sample-data/sample-data.service.js';
import { ITEM_16 } from '../../src/services/sample-data/plan.js';
import { createTestDb, type TestDb, testContext } from '../support/db.js';
import { Agent, appFor, makeUser } from '../support/http.js';

let tdb: TestDb;
let ctx: ReturnType<typeof testContext>;
let app: ReturnType<typeof appFor>['app'];
let admin: Agent;
let itemId: number;

beforeAll(async () => {
  tdb = await createTestDb();
  ctx = testContext(tdb);
  app = appFor(ctx).app;
  const a = await makeUser(ctx, ['admin'], { email: 'plan-admin@pref.example.jp' });
  itemId = (await loadSampleData(ctx, a)).planItemId!;
  admin = new Agent(app);
  await admin.login(a.email);
}, 60_000);
afterAll(() => tdb.close());

const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

describe('the plan-item sheet of item (16)', () => {
  it('reproduces the source: sections 1–3, measures ア and イ【再掲】, and the grid in wareki', async () => {
    const html = await (await admin.get(`/admin/plan-items/${itemId}`)).text();
    const t = text(html);
    expect(t).toContain('実施項目 (16) 協働型県政の推進のための職員研修の充実 担当部課（室）名 総務部経営企画・協働推進室');
    for (const p of ITEM_16.situation.split('\n')) expect(html).toContain(p);
    expect(html).toContain(ITEM_16.approach);
    expect(html).toContain(ITEM_16.direction);
    expect(t).toContain('(3) 平成27年度以降の取組の方向');
    expect(t).toContain('ア 協働推進セミナーの実施');
    expect(t).toContain('イ 協働コーディネーターの養成【再掲】');
    const grid = html.slice(html.indexOf('<table class="data-table plan-grid">'), html.indexOf('</table>', html.indexOf('plan-grid')));
    expect(text(grid)).toContain('具体的取組項目 平成23年度 平成24年度 平成25年度 平成26年度');
    expect(grid).toMatch(/協働推進セミナーの実施<\/th><td[^>]*>継続実施<\/td><td[^>]*><\/td><td[^>]*><\/td><td[^>]*>→<\/td>/);
    expect(grid).toMatch(/協働コーディネーターの養成<\/th><td[^>]*>養成講座の開催<\/td><td[^>]*><\/td><td[^>]*><\/td><td[^>]*>→<\/td>/);
  });

  it('fills each year with the recorded progress and figures computed from the data, up to this year', async () => {
    const html = await (await admin.get(`/admin/plan-items/${itemId}`)).text();
    const t = text(html);
    // 平成23年度: one lecture and two field trainings; 平成24–26年度: three field trainings each.
    const seminar = (await ctx.db.selectFrom('programmes').select('id').where('code', '=', 'kyodo-suishin-seminar').executeTakeFirstOrThrow()).id;
    const f2011 = await programmeYearFigures(ctx, [seminar], 2011);
    expect([f2011.sessionsHeld, f2011.fieldTrainingsHeld]).toEqual([1, 2]);
    expect((await programmeYearFigures(ctx, [seminar], 2013)).fieldTrainingsHeld).toBe(3);
    expect(t).toContain(`開催1回、現地研修2回、参加者${f2011.participants}人（延べ${f2011.attendances}人）`);
    expect(t).toMatch(/平成26年度.*完了.*計画期間を通じて現地研修を毎年複数回実施した。/);
    expect(t).toContain('協働コーディネーター認定7人');
    expect(t).toContain('令和8年度');
    expect(t).toContain('計画期間後');
  });

  it('edits a year’s status and text; bad input is refused naming the field and saves nothing', async () => {
    const bad = await admin.post(`/admin/plan-items/${itemId}/progress/2025`, { status: 'finished', results: 'x' });
    expect(bad.status).toBe(422);
    expect(await bad.text()).toContain('進捗の値が正しくありません');
    expect(await ctx.db.selectFrom('plan_progress').select('item_id').where('fiscal_year', '=', 2025).execute()).toHaveLength(0);
    const ok = await admin.post(`/admin/plan-items/${itemId}/progress/2025`, { status: 'delayed', results: '現地研修の受入れ先の都合で1回を延期した。', changes: '受入れ団体の担い手が減っている。', further: '受入れ団体の新規開拓。' });
    expect(ok.status).toBe(303);
    const t = text(await (await admin.get(`/admin/plan-items/${itemId}`)).text());
    expect(t).toMatch(/令和7年度.*遅れ.*現地研修の受入れ先の都合で1回を延期した。.*環境変化・課題：受入れ団体の担い手が減っている。/);
    const audit = await ctx.db.selectFrom('audit_log').select(['entity', 'action']).where('entity', '=', 'plan_progress').execute();
    expect(audit.length).toBeGreaterThan(0);
    expect((await admin.get(`/admin/plan-items/${itemId}/progress/1990`)).status).toBe(404);
  });

  it('edits the grid: a cell text and an arrow', async () => {
    const m = await ctx.db.selectFrom('plan_measures').select('id').where('title', '=', '協働推進セミナーの実施').executeTakeFirstOrThrow();
    const form: Record<string, string> = { 'cell-2011': '継続実施', 'arrow-2014': 'on', 'cell-2012': '現地研修の拡充' };
    expect((await admin.post(`/admin/plan-measures/${m.id}/schedule?item=${itemId}`, { ...form, 'cell-2013': 'あ'.repeat(101) })).status).toBe(422);
    expect((await admin.post(`/admin/plan-measures/${m.id}/schedule?item=${itemId}`, form)).status).toBe(303);
    const cells = await ctx.db.selectFrom('plan_schedule_cells').select(['fiscal_year', 'text', 'arrow']).where('measure_id', '=', m.id).orderBy('fiscal_year').execute();
    expect(cells).toEqual([
      { fiscal_year: 2011, text: '継続実施', arrow: false },
      { fiscal_year: 2012, text: '現地研修の拡充', arrow: false },
      { fiscal_year: 2014, text: '', arrow: true },
    ]);
    await admin.post(`/admin/plan-measures/${m.id}/schedule?item=${itemId}`, { 'cell-2011': '継続実施', 'arrow-2014': 'on' });
  });

  it('downloads an xlsx in the same shape, which exceljs reads back', async () => {
    const res = await admin.get(`/admin/plan-items/${itemId}/sheet.xlsx`);
    expect(res.headers.get('content-type')).toContain('spreadsheetml');
    const buf = new Uint8Array(await res.arrayBuffer());
    const ExcelJS = (await import('exceljs')).default;
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(buf as unknown as ArrayBuffer);
    const ws = wb.worksheets[0];
    expect(ws.name).toBe('実施項目(16)');
    expect(ws.getCell('A1').value).toBe('実施項目');
    expect(ws.getCell('B1').value).toBe('(16) 協働型県政の推進のための職員研修の充実');
    const values = ws.getSheetValues().flat().filter((v) => typeof v === 'string') as string[];
    expect(values).toContain('3. 具体的取組項目のスケジュール');
    expect(values).toContain('平成26年度');
    expect(values).toContain('継続実施');
    expect(values.some((v) => v.startsWith('イ 協働コーディネーターの養成【再掲】'))).toBe(true);
    expect(ws.pageSetup.paperSize).toBe(9);
    expect((await readXlsx(buf)).length).toBe(1);
  });

  it('adds a measure linked to a programme and repeated under another item', async () => {
    const other = await ctx.db.selectFrom('plan_items').select('id').where('number', '=', '(15)').executeTakeFirstOrThrow();
    const seminar = (await ctx.db.selectFrom('programmes').select('id').where('code', '=', 'kyodo-suishin-seminar').executeTakeFirstOrThrow()).id;
    const bad = await admin.post(`/admin/plan-items/${itemId}/measures`, { title: '', programmeIds: String(seminar) });
    expect(bad.status).toBe(422);
    const ok = await admin.post(`/admin/plan-items/${itemId}/measures`, { title: '協働事業の評価の普及', programmeIds: String(seminar), alsoItemIds: String(other.id) });
    expect(ok.status).toBe(303);
    const t15 = text(await (await admin.get(`/admin/plan-items/${other.id}`)).text());
    expect(t15).toContain('協働事業の評価の普及【再掲】');
    const t16 = text(await (await admin.get(`/admin/plan-items/${itemId}`)).text());
    expect(t16).toContain('ウ 協働事業の評価の普及');
  });

  it('edits, reorders and takes off a measure; deleting is confirmed and refused while still needed', async () => {
    const other = await ctx.db.selectFrom('plan_items').select('id').where('number', '=', '(15)').executeTakeFirstOrThrow();
    const seminar = (await ctx.db.selectFrom('programmes').select('id').where('code', '=', 'kyodo-suishin-seminar').executeTakeFirstOrThrow()).id;
    const m = await ctx.db.selectFrom('plan_measures').selectAll().where('title', '=', '協働事業の評価の普及').executeTakeFirstOrThrow();
    const base = `/admin/plan-items/${itemId}/measures/${m.id}`;
    expect(await (await admin.get(`/admin/plan-items/${itemId}`)).text()).toContain(`href="${base}/edit"`);
    const edit = await admin.get(`${base}/edit`);
    expect(edit.status).toBe(200);
    expect(await edit.text()).toContain('value="協働事業の評価の普及"');
    // Bad input: named field, nothing saved.
    const bad = await admin.post(`${base}/edit`, { title: '', programmeIds: String(seminar) });
    expect(bad.status).toBe(422);
    expect(text(await bad.text())).toContain('名称を入力してください。');
    expect((await ctx.db.selectFrom('plan_measures').select('title').where('id', '=', m.id).executeTakeFirstOrThrow()).title).toBe('協働事業の評価の普及');
    // Its home item cannot delete it while (15) still lists it, nor without the confirmation.
    expect((await admin.post(`${base}/remove`, {})).status).toBe(422);
    const listed = await admin.post(`${base}/remove`, { confirm: 'yes' });
    expect(listed.status).toBe(422);
    expect(text(await listed.text())).toContain('この施策は他の項目にも再掲されています。');
    // Rename it and unlist it from (15).
    expect((await admin.post(`${base}/edit`, { title: '協働事業評価の普及', programmeIds: String(seminar) })).status).toBe(303);
    expect(text(await (await admin.get(`/admin/plan-items/${other.id}`)).text())).not.toContain('協働事業評価の普及');
    // Move it up: the labels follow the order.
    expect((await admin.post(`${base}/move`, { direction: 'up' })).status).toBe(303);
    let t16 = text(await (await admin.get(`/admin/plan-items/${itemId}`)).text());
    expect(t16).toContain('イ 協働事業評価の普及');
    expect(t16).toContain('ウ 協働コーディネーターの養成【再掲】');
    expect((await admin.post(`${base}/move`, { direction: 'sideways' })).status).toBe(422);
    // Delete it, confirmed: gone with its grid, and audited with what it held.
    expect((await admin.post(`${base}/remove`, { confirm: 'yes' })).status).toBe(303);
    t16 = text(await (await admin.get(`/admin/plan-items/${itemId}`)).text());
    expect(t16).not.toContain('協働事業評価の普及');
    expect(t16).toContain('イ 協働コーディネーターの養成【再掲】');
    expect(await ctx.db.selectFrom('plan_measures').select('id').where('id', '=', m.id).execute()).toEqual([]);
    const log = await ctx.db.selectFrom('audit_log').select(['action']).where('entity', '=', 'plan_measure').where('entity_id', '=', String(m.id)).orderBy('id').execute();
    expect(log.map((l) => l.action)).toEqual(['create', 'update', 'delete']);
  });

  it('deletes an empty item, confirmed; an item with measures of its own is kept; a plan’s title and period can be edited', async () => {
    const plan = await ctx.db.selectFrom('plan_items').select('plan_id').where('id', '=', itemId).executeTakeFirstOrThrow();
    expect((await admin.post(`/admin/plans/${plan.plan_id}/items`, { number: '(99)', title: '試しの項目' })).status).toBe(303);
    const extra = await ctx.db.selectFrom('plan_items').select('id').where('number', '=', '(99)').executeTakeFirstOrThrow();
    expect((await admin.post(`/admin/plan-items/${extra.id}/delete`, {})).status).toBe(422);
    expect((await admin.post(`/admin/plan-items/${extra.id}/delete`, { confirm: 'yes' })).status).toBe(303);
    expect(await ctx.db.selectFrom('plan_items').select('id').where('id', '=', extra.id).execute()).toEqual([]);
    const kept = await admin.post(`/admin/plan-items/${itemId}/delete`, { confirm: 'yes' });
    expect(kept.status).toBe(422);
    expect(text(await kept.text())).toContain('この項目には施策が1件あります。');
    const before = await ctx.db.selectFrom('plans').selectAll().where('id', '=', plan.plan_id).executeTakeFirstOrThrow();
    expect((await admin.post(`/admin/plans/${plan.plan_id}/edit`, { title: before.title, firstFiscalYear: '2012', lastFiscalYear: 'H23' })).status).toBe(422);
    expect((await admin.post(`/admin/plans/${plan.plan_id}/edit`, { title: `${before.title}（改）`, firstFiscalYear: '平成23年度', lastFiscalYear: '平成26年度' })).status).toBe(303);
    expect((await ctx.db.selectFrom('plans').select('title').where('id', '=', plan.plan_id).executeTakeFirstOrThrow()).title).toBe(`${before.title}（改）`);
  });

  it('adds a plan period in wareki or western years; a reversed or too long period is refused naming the field', async () => {
    const before = await ctx.db.selectFrom('plans').select('id').execute();
    const reversed = await admin.post('/admin/plans', { title: '第2次計画', firstFiscalYear: '令和8年度', lastFiscalYear: '2025' });
    expect(reversed.status).toBe(422);
    expect(text(await reversed.text())).toContain('計画期間の最後の年度は、最初の年度と同じか、それより後の年度にしてください。');
    const bad = await admin.post('/admin/plans', { title: '', firstFiscalYear: 'そのうち', lastFiscalYear: '2040' });
    expect(bad.status).toBe(422);
    const badText = text(await bad.text());
    expect(badText).toContain('名称を入力してください。');
    expect(badText).toContain('計画期間の最初の年度は年度（例：平成23年度、2011）で入力してください。');
    expect((await admin.post('/admin/plans', { title: '長すぎる計画', firstFiscalYear: '2020', lastFiscalYear: '2035' })).status).toBe(422);
    expect(await ctx.db.selectFrom('plans').select('id').execute()).toHaveLength(before.length);
    const ok = await admin.post('/admin/plans', { title: '第2次計画', firstFiscalYear: 'R8', lastFiscalYear: '令和12年度' });
    expect(ok.status).toBe(303);
    const plan = await ctx.db.selectFrom('plans').selectAll().where('title', '=', '第2次計画').executeTakeFirstOrThrow();
    expect([plan.first_fiscal_year, plan.last_fiscal_year]).toEqual([2026, 2030]);
    expect(ok.headers.get('location')).toBe(`/admin/plans/${plan.id}?notice=saved`);
    expect(await ctx.db.selectFrom('audit_log').select('action').where('entity', '=', 'plan').where('entity_id', '=', String(plan.id)).execute()).toEqual([{ action: 'create' }]);
  });
});
