import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { gapIndicators } from '../../src/services/gap.service.js';
import { municipalityMap } from '../../src/services/municipality-map.service.js';
import { loadSampleData } from '../../src/services/sample-data/sample-data.service.js';
import { makeUser } from '../support/http.js';
import { artifacts, expectAccessible, login, useE2e } from './browser.js';

const e2e = useE2e();

const mainText = async (page: Page) => ((await page.locator('main').textContent()) ?? '').replace(/\s+/g, ' ');

describe('市町 tile map and progress report in Chromium', () => {
  it('map by indicator → edit a position (a clash refused) → progress report of item (16) → A4 print → xlsx read back', async () => {
    const ctx = e2e.server.ctx;
    const admin = await makeUser(ctx, ['admin'], { email: 'map-e2e@pref.example.jp', name: '地図 担当' });
    const sample = await loadSampleData(ctx, admin);
    const page = await e2e.browser.newPage({ locale: 'ja-JP' });
    const external: string[] = [];
    page.on('request', (r) => {
      if (!r.url().startsWith(e2e.server.url) && !r.url().startsWith('data:')) external.push(r.url());
    });
    await login(page, e2e.server.url, admin.email);

    // 1. The map, reached from the reports page, coloured by an opportunity indicator, then a talent one.
    await page.goto(`${e2e.server.url}/admin/reports`);
    await page.getByRole('link', { name: '市町タイルマップ' }).click();
    await expect(page.locator('.tile-map__tile').count()).resolves.toBe(19);
    await expectAccessible(page, 'tile map');
    await page.getByLabel('指標').selectOption({ label: '協働コーディネーター（認定が有効な人）' });
    await page.getByRole('button', { name: '表示する' }).click();
    const fy = Number(new URL(page.url()).searchParams.get('fy'));
    const m = await municipalityMap(ctx, fy, 'coordinators');
    const table = page.getByRole('table', { name: /協働コーディネーター（認定が有効な人）/ });
    const otsu = m.tiles.find((t) => t.name === '大津市')!;
    await expect(table.getByRole('row', { name: /^大津市/ }).textContent()).resolves.toContain(`${otsu.value}人`);
    // Each square says its name and figure in text; the legend says each range in words.
    const square = page.locator(`.tile-map__tile[data-code="${otsu.code}"]`);
    await expect(square.textContent()).resolves.toContain(`大津市${otsu.value}`);
    const legend = await page.locator('.tile-map__legend').textContent();
    for (const c of m.classes) expect(legend).toContain(`${c.range}人`);
    await expectAccessible(page, 'tile map by coordinators');
    await page.screenshot({ path: join(artifacts, 'tile-map.png'), fullPage: true });

    // 2. Positions: a clash is refused naming the row and field; then 高島市 moves to the top-left corner.
    await page.getByRole('link', { name: 'タイルの位置を編集する' }).click();
    await expectAccessible(page, 'tile positions');
    const nagahama = page.getByLabel('1行目（長浜市）の列（左から）');
    await expect(nagahama.inputValue()).resolves.toBe('4');
    await page.getByLabel('2行目（高島市）の列（左から）').fill('4');
    await page.getByLabel('2行目（高島市）の行（上から）').fill('0');
    await page.getByRole('button', { name: '保存する' }).click();
    await expect(page.locator('.error-summary').textContent()).resolves.toContain('2行目（高島市）の列（左から）：この位置には既に別の市町があります。');
    await expectAccessible(page, 'tile positions with an error');
    await page.getByLabel('2行目（高島市）の列（左から）').fill('0');
    await page.getByRole('button', { name: '保存する' }).click();
    await expect(mainText(page)).resolves.toContain('保存しました。');
    await expect(page.getByRole('table', { name: '現在の配置' }).getByRole('row', { name: /^高島市/ }).textContent()).resolves.toContain('0, 0');

    // 3. The progress report of item (16) for 平成25年度 (2013).
    await page.goto(`${e2e.server.url}/admin/reports`);
    await page.getByRole('link', { name: '進行管理報告' }).click();
    await page.getByLabel('年度').selectOption({ label: '平成25年度 (2013)' });
    await page.getByLabel('対象').selectOption({ label: '(16) 協働型県政の推進のための職員研修の充実' });
    await page.getByRole('button', { name: '表示する' }).click();
    await expectAccessible(page, 'progress report');
    const report = await mainText(page);
    expect(report).toContain('対象：(16) 協働型県政の推進のための職員研修の充実');
    const fieldTarget = await page.getByRole('table', { name: '数値目標と実績' }).getByRole('row', { name: /現地研修の実施回数/ }).textContent();
    expect(fieldTarget).toMatch(/^ア現地研修の実施回数3回\d+回[\d.]+%（(達成|未達成)）$/);
    const g = await gapIndicators(ctx, 2013);
    const opportunity = page.getByRole('table', { name: '機会：現地で協働相手と出会う機会' });
    await expect(opportunity.getByRole('row', { name: /^現地研修の実施回数/ }).textContent()).resolves.toContain(`${g.opportunity.fieldTrainings}回`);

    // A4 print: no navigation or forms, the document and its tables only.
    await page.setViewportSize({ width: 794, height: 1123 });
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('.site-header').isVisible()).toBe(false);
    expect(await page.locator('form.filters').isVisible()).toBe(false);
    expect(await page.locator('.progress-report').isVisible()).toBe(true);
    await page.screenshot({ path: join(artifacts, 'progress-report-a4.png'), fullPage: true });
    await page.emulateMedia({ media: 'screen' });
    await page.setViewportSize({ width: 1280, height: 900 });

    // 4. The same document as xlsx, read back with exceljs.
    const download = page.waitForEvent('download');
    await page.getByRole('link', { name: '報告書（Excel形式）' }).click();
    const file = await (await download).path();
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(readFileSync(file) as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['取組状況', '数値目標と実績', '三つの課題に対応する指標', '指標の推移']);
    const targets = wb.getWorksheet('数値目標と実績')!;
    const kpis: unknown[] = [];
    targets.eachRow((row, i) => i > 1 && kpis.push(row.getCell(3).value));
    expect(kpis).toContain('現地研修の実施回数');
    const gaps: unknown[] = [];
    wb.getWorksheet('三つの課題に対応する指標')!.eachRow((row) => gaps.push(row.getCell(3).value));
    expect(gaps).toContain(`${g.opportunity.fieldTrainings}回`);
    expect(sample.planItemId).toBeDefined();

    // Everything came from the app itself (it runs inside closed networks).
    expect(external).toEqual([]);
    await page.close();
  });
});
