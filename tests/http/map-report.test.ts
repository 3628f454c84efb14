import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeCsvBytes, parseCsv } from '../../src/lib/csv.js';
import { gapIndicators } from '../../src/services/gap.service.js';
import { listTiles, municipalityMap } from '../../src/services/municipality-map.service.js';
import { createPlan, planYearReport } from '../../src/services/plan.service.js';
import { loadSampleData } from '../../src/services/sample-data/sample-data.service.js';
import { createTestDb, type TestDb, TestClock, testContext } from '../support/db.js';
import { Agent, appFor, makeUser } from '../support/http.js';

let tdb: TestDb;
let ctx: ReturnType<typeof testContext>;
let admin: Agent;
let planId: number;
let itemId: number;

beforeAll(async () => {
  tdb = await createTestDb();
  ctx = testContext(tdb, { clock: new TestClock(new Date('2026-11-30T01:00:00Z')) });
  const app = appFor(ctx).app;
  const a = await makeUser(ctx, ['admin'], { email: 'map-admin@pref.example.jp' });
  const r = await loadSampleData(ctx, a);
  itemId = r.planItemId!;
  planId = (await ctx.db.selectFrom('plan_items').select('plan_id').where('id', '=', itemId).executeTakeFirstOrThrow()).plan_id;
  admin = new Agent(app);
  await admin.login(a.email);
}, 180_000);
afterAll(() => tdb.close());

/** The text of an HTML page without tags, for reading it as a person would. */
const textOf = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

describe('the 市町 tile map page', () => {
  it('draws 19 squares with name and figure, a legend in words and the same figures as a table', async () => {
    const res = await admin.get('/admin/reports/map?fy=2026&indicator=coordinators');
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html.match(/<g class="tile-map__tile"/g)).toHaveLength(19);
    const m = await municipalityMap(ctx, 2026, 'coordinators');
    const otsu = m.tiles.find((t) => t.name === '大津市')!;
    expect(html).toContain(`<title>大津市：${otsu.value}人</title>`);
    expect(html).toContain('<title>湖南市：登録なし</title>');
    // Legend: each class's range in words; the table has a row per square.
    for (const c of m.classes) expect(textOf(html)).toContain(`${c.range}人`);
    expect(textOf(html)).toContain('組織に登録がない市町（集計なし）');
    expect(html.match(/<th scope="row"[^>]*>[^<]+(市|町)<\/th>/g)).toHaveLength(19);
    expect(textOf(html)).toContain('令和8年度 (2026)');
  });

  it('falls back to a known indicator and this year for nonsense in the query', async () => {
    const res = await admin.get('/admin/reports/map?fy=abc&indicator=%3Cscript%3E');
    expect(res.status).toBe(200);
    expect(textOf(await res.text())).toContain('研修に参加した職員（直近3年度）（令和8年度 (2026)）');
  });

  it('reads in English too, with the fiscal year in wareki and western', async () => {
    const en = new Agent(admin.app);
    await en.login('map-admin@pref.example.jp');
    await en.get('/lang/en?next=/');
    const html = textOf(await (await en.get('/admin/reports/map?fy=2025&indicator=hostPartners')).text());
    expect(html).toContain('Municipality tile map');
    expect(html).toContain('Partners that hosted field trainings, FY2025 (Reiwa 7)');
    const hikone = (await municipalityMap(ctx, 2025, 'hostPartners')).tiles.find((t) => t.name === '彦根市')!;
    expect(html).toContain(`彦根市：${hikone.value} `);
    expect(html).toContain('Municipality not in the organisation directory (not counted)');
    const rep = textOf(await (await en.get(`/admin/reports/progress?plan=${planId}&fy=2013&item=${itemId}`)).text());
    expect(rep).toContain('Indicators of the three gaps');
    expect(rep).toContain('Chances to meet partners in the field');
  });

  it('is for admins only', async () => {
    const staff = await makeUser(ctx, ['staff'], { email: 'map-staff@pref.example.jp' });
    const a = new Agent(admin.app);
    await a.login(staff.email);
    expect((await a.get('/admin/reports/map')).status).toBe(403);
    expect((await a.get('/admin/reports/progress')).status).toBe(403);
  });

  it('downloads the figures as CSV and xlsx', async () => {
    const m = await municipalityMap(ctx, 2025, 'fieldTrainings');
    const csv = await admin.get('/admin/reports/map.csv?fy=2025&indicator=fieldTrainings');
    expect(csv.status).toBe(200);
    const parsed = parseCsv(decodeCsvBytes(new Uint8Array(await csv.arrayBuffer())).text);
    expect(parsed.header).toEqual(['団体コード', '市町名', '列（左から）', '行（上から）', '市町で活動する協働相手の現地研修（令和7年度 (2025)）']);
    expect(parsed.rows).toHaveLength(19);
    const otsu = parsed.rows.find((r) => r.cells['市町名'] === '大津市')!;
    expect(otsu.cells[parsed.header[4]]).toBe(String(m.tiles.find((t) => t.name === '大津市')!.value));
    const xlsx = await admin.get('/admin/reports/map.xlsx?fy=2025&indicator=fieldTrainings');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(await xlsx.arrayBuffer()) as never);
    expect(wb.worksheets[0].rowCount).toBe(20);
  });
});

describe('editing the positions', () => {
  it('refuses a clash, naming the row and the field in Japanese, and saves nothing', async () => {
    const tiles = await listTiles(ctx);
    const form: Record<string, string> = {};
    tiles.forEach((t, i) => Object.assign(form, { [`code_${i}`]: t.code, [`name_${i}`]: t.name, [`x_${i}`]: String(t.x), [`y_${i}`]: String(t.y) }));
    form.x_1 = String(tiles[0].x);
    form.y_1 = String(tiles[0].y);
    const res = await admin.post('/admin/reports/map/positions', form);
    expect(res.status).toBe(422);
    const html = textOf(await res.text());
    expect(html).toContain(`2行目（${tiles[1].name}）の列（左から）：この位置には既に別の市町があります。`);
    expect(await listTiles(ctx)).toEqual(tiles);
  });

  it('moves a square', async () => {
    const tiles = await listTiles(ctx);
    const form: Record<string, string> = {};
    tiles.forEach((t, i) => Object.assign(form, { [`code_${i}`]: t.code, [`name_${i}`]: t.name, [`x_${i}`]: String(t.x), [`y_${i}`]: String(t.y) }));
    const i = tiles.findIndex((t) => t.name === '高島市');
    form[`y_${i}`] = '0';
    form[`x_${i}`] = '0';
    const res = await admin.post('/admin/reports/map/positions', form);
    expect(res.status).toBe(303);
    expect((await listTiles(ctx)).find((t) => t.name === '高島市')).toMatchObject({ x: 0, y: 0 });
    const page = await admin.get(res.headers.get('location')!);
    expect(textOf(await page.text())).toContain('高島市');
    // The audit log names the change in words.
    const audit = textOf(await (await admin.get('/admin/audit?entity=municipality_tiles')).text());
    expect(audit).toContain('市町タイルマップの位置');
    expect(audit).toContain('タイルの配置');
    expect(audit).toContain('高島市（0, 1） → 高島市（0, 0）');
  });
});

describe('the progress report', () => {
  it('lays out item (16) for a plan year: progress, targets with 達成率, issues, next steps, then the three gap indicators', async () => {
    const res = await admin.get(`/admin/reports/progress?plan=${planId}&fy=2013&item=${itemId}`);
    expect(res.status).toBe(200);
    const html = textOf(await res.text());
    const rep = (await planYearReport(ctx, planId, 2013, itemId))!;
    expect(html).toContain('平成25年度 (2013) 進行管理報告');
    expect(html).toContain(`${rep.items[0].item.number} ${rep.items[0].item.title}`);
    for (const h of ['取組状況', '数値目標と実績', '達成率', '課題', '今後の方向性', '三つの課題に対応する指標', '理解：協働への理解の深まり', '機会：現地で協働相手と出会う機会', '人材：合意形成・調整ができる人材']) expect(html).toContain(h);
    const target = rep.items[0].measures.flatMap((m) => m.targets).find((x) => x.kpi === 'fieldTrainings')!;
    expect(target).toBeTruthy();
    expect(html).toContain(`${target.target}回`);
    const g = await gapIndicators(ctx, 2013);
    expect(html).toContain(`${g.opportunity.fieldTrainings}回`);
    expect(html).toContain(`${g.talent.activeCoordinators}人`);
  });

  it('covers the whole plan when no item is chosen, and says so', async () => {
    const res = await admin.get(`/admin/reports/progress?plan=${planId}&fy=2026`);
    expect(res.status).toBe(200);
    const html = textOf(await res.text());
    const items = await ctx.db.selectFrom('plan_items').select('id').where('plan_id', '=', planId).execute();
    expect(html).toContain(`対象：計画全体（${items.length}項目）`);
    expect(html).toContain('指標の推移');
  });

  it('offers a choice of plan once there are several, and reports on the one chosen', async () => {
    const second = await createPlan(ctx, null, { title: '第2次協働推進計画', firstFiscalYear: '令和8年度', lastFiscalYear: '令和12年度' });
    const html = textOf(await (await admin.get(`/admin/reports/progress?plan=${second.id}&fy=2026`)).text());
    expect(html).toContain('実施計画 第2次協働推進計画 協働型県政推進のための実施計画');
    expect(html).toContain('対象：計画全体（0項目）');
    const first = textOf(await (await admin.get(`/admin/reports/progress?plan=${planId}&fy=2026`)).text());
    expect(first).toContain('(16) 協働型県政の推進のための職員研修の充実');
  });

  it('answers 404 for an item of no plan', async () => {
    expect((await admin.get(`/admin/reports/progress?plan=${planId}&fy=2013&item=999999`)).status).toBe(404);
  });

  it('downloads as xlsx that reads back with the targets, 達成率 and the indicators', async () => {
    const res = await admin.get(`/admin/reports/progress.xlsx?plan=${planId}&fy=2013&item=${itemId}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(await res.arrayBuffer()) as never);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['取組状況', '数値目標と実績', '三つの課題に対応する指標', '指標の推移']);
    const rep = (await planYearReport(ctx, planId, 2013, itemId))!;
    const targets = rep.items[0].measures.flatMap((m) => m.targets);
    const sheet = wb.getWorksheet('数値目標と実績')!;
    expect(sheet.rowCount).toBe(targets.length + 1);
    const t0 = targets[0];
    const row = sheet.getRow(2).values as unknown[];
    expect(row.slice(4, 7)).toEqual([t0.target, t0.actual ?? undefined, t0.rate ?? undefined]);
    const gaps = wb.getWorksheet('三つの課題に対応する指標')!;
    const g = await gapIndicators(ctx, 2013);
    const cells = gaps.getColumn(3).values as unknown[];
    expect(cells).toContain(`${g.opportunity.fieldTrainings}回`);
    expect(cells).toContain(String(g.understanding.n));
  });
});
