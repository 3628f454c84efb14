import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { EVENT_DATASET_COLUMNS } from '../../src/domain/report.js';
import { decodeCsvBytes, parseCsv } from '../../src/lib/csv.js';
import { readXlsx } from '../../src/lib/xlsx.js';
import { coverage, programmeYearFigures } from '../../src/services/report.service.js';
import { loadSampleData } from '../../src/services/sample-data/sample-data.service.js';
import { createUnit } from '../../src/services/unit.service.js';
import { makeUser } from '../support/http.js';
import { artifacts, expectAccessible, login, logout, useE2e } from './browser.js';

const e2e = useE2e();

const mainText = async (page: Page) => ((await page.locator('main').textContent()) ?? '').replace(/\s+/g, ' ');

/** Every string value of every cell of the workbook's first sheet. */
async function xlsxStrings(file: string): Promise<string[]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(readFileSync(file) as unknown as ArrayBuffer);
  const out: string[] = [];
  wb.worksheets[0].eachRow((row) => row.eachCell((cell) => typeof cell.value === 'string' && out.push(cell.value)));
  return out;
}

/** Japanese is drawn with a real font: an element's screenshot differs from the same box filled with missing-glyph characters. */
async function expectJapaneseGlyphs(page: Page, selector: string) {
  const shot = await page.locator(selector).first().screenshot();
  await page.evaluate((sel) => {
    const original = document.querySelector(sel)!;
    const probe = original.cloneNode(false) as HTMLElement;
    probe.id = 'tofu-probe';
    probe.textContent = '\u{F0001}\u{F0002}\u{F0003}\u{F0004}\u{F0005}\u{F0006}';
    original.parentElement!.insertBefore(probe, original);
  }, selector);
  const tofu = await page.locator('#tofu-probe').screenshot();
  expect(Buffer.compare(shot, tofu)).not.toBe(0);
  await page.evaluate(() => document.getElementById('tofu-probe')?.remove());
}

describe('plan and reports journey in Chromium', () => {
  it('sheet of item (16) with actuals → edit a year → print on A4 → xlsx → coverage and nominations → public schedule and open data', async () => {
    const ctx = e2e.server.ctx;
    const admin = await makeUser(ctx, ['admin'], { email: 'plan-admin@pref.example.jp', name: '計画 担当' });
    const sample = await loadSampleData(ctx, admin);
    expect(sample.planItemId).toBeDefined();
    // A town whose only member of staff has never been trained: it must be on the nomination list.
    const town = await createUnit(ctx, null, { kind: 'municipality', name: '試験町', kana: 'シケンチョウ', code: '253847' });
    await makeUser(ctx, ['staff'], { unitId: town.id, affiliation: 'municipality', email: 'untrained@town.example.jp', name: '未受講 職員' });

    const page = await e2e.browser.newPage({ locale: 'ja-JP' });
    const external: string[] = [];
    page.on('request', (r) => {
      if (!r.url().startsWith(e2e.server.url) && !r.url().startsWith('data:')) external.push(r.url());
    });
    await login(page, e2e.server.url, admin.email);

    // 1. The plan-item sheet: the grid in wareki, and each year's actuals computed from the records.
    await page.getByRole('navigation', { name: 'メインメニュー' }).getByRole('link', { name: '実施計画' }).click();
    await expectAccessible(page, 'plans');
    // A new plan period can be added, in wareki or western years; a reversed period is refused naming the field.
    await page.getByLabel(/^名称/).fill('第2次協働推進計画');
    await page.getByLabel(/^計画期間の最初の年度/).fill('令和8年度');
    await page.getByLabel(/^計画期間の最後の年度/).fill('2025');
    await page.getByRole('button', { name: '計画を追加する' }).click();
    await expect(page.locator('.error-summary').textContent()).resolves.toContain('計画期間の最後の年度は、最初の年度と同じか、それより後の年度にしてください。');
    await expectAccessible(page, 'new plan with errors');
    await page.getByLabel(/^計画期間の最後の年度/).fill('R12');
    await page.getByRole('button', { name: '計画を追加する' }).click();
    await expect(mainText(page)).resolves.toContain('保存しました。');
    await page.getByRole('navigation', { name: 'メインメニュー' }).getByRole('link', { name: '実施計画' }).click();
    await expect(mainText(page)).resolves.toContain('第2次協働推進計画（令和8年度〜令和12年度）');
    await page.getByRole('link', { name: '(16) 協働型県政の推進のための職員研修の充実' }).click();
    expect(new URL(page.url()).pathname).toBe(`/admin/plan-items/${sample.planItemId}`);
    await expectAccessible(page, 'plan-item sheet');
    const grid = page.getByRole('table', { name: '3. 具体的取組項目のスケジュール' });
    const heads = await grid.locator('thead th').allTextContents();
    expect(heads.slice(0, 5)).toEqual(['具体的取組項目', '平成23年度', '平成24年度', '平成25年度', '平成26年度']);
    const seminarRow = await grid.locator('tbody tr', { hasText: '協働推進セミナーの実施' }).locator('td').allTextContents();
    expect(seminarRow.slice(0, 4)).toEqual(['継続実施', '', '', '→']);
    const courseRow = await grid.locator('tbody tr', { hasText: '協働コーディネーターの養成' }).locator('td').allTextContents();
    expect(courseRow.slice(0, 4)).toEqual(['養成講座の開催', '', '', '→']);

    const seminar = (await ctx.db.selectFrom('programmes').select('id').where('code', '=', 'kyodo-suishin-seminar').executeTakeFirstOrThrow()).id;
    const f2011 = await programmeYearFigures(ctx, [seminar], 2011);
    expect(f2011.participants).toBeGreaterThan(0);
    const actuals = ((await page.getByRole('table', { name: '4. 年度ごとの実績' }).textContent()) ?? '').replace(/\s+/g, ' ');
    expect(actuals).toContain(`開催1回、現地研修2回、参加者${f2011.participants}人（延べ${f2011.attendances}人）`);
    for (const fy of ['平成23年度', '平成24年度', '平成25年度', '平成26年度', '令和7年度', '令和8年度']) expect(actuals).toContain(fy);
    expect(actuals).toContain('計画期間後');
    expect(actuals).toContain('協働コーディネーター認定7人');

    // 2. The admin records this year's progress: status and texts.
    await page.getByRole('link', { name: '令和8年度の実績を入力' }).click();
    await expectAccessible(page, 'progress form');
    const whole = page.getByRole('group', { name: '項目全体' });
    await whole.getByLabel('進捗').selectOption({ label: 'ほぼ計画どおり' });
    await whole.getByLabel(/^実績/).fill('現地研修を県内3か所で実施し、市町職員の参加が増えた。');
    await whole.getByLabel('環境変化・課題').fill('受入れ団体の担い手の高齢化。');
    await whole.getByLabel('引き続き取組が必要な事項').fill('若い世代の団体の受入れ先の開拓。');
    await page.getByRole('button', { name: '保存する' }).click();
    expect(new URL(page.url()).pathname).toBe(`/admin/plan-items/${sample.planItemId}`);
    const afterEdit = await mainText(page);
    expect(afterEdit).toContain('保存しました。');
    expect(afterEdit).toMatch(/令和8年度.*ほぼ計画どおり.*現地研修を県内3か所で実施し、市町職員の参加が増えた。.*環境変化・課題：受入れ団体の担い手の高齢化。.*引き続き取組が必要な事項：若い世代の団体の受入れ先の開拓。/);
    await expectAccessible(page, 'plan-item sheet after edit');

    // The printable sheet on A4, Japanese drawn with a real font.
    await page.getByRole('link', { name: '印刷用の表示' }).click();
    await expectAccessible(page, 'printable sheet');
    await page.setViewportSize({ width: 794, height: 1123 }); // A4 at 96 dpi
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('.site-header').isVisible()).toBe(false);
    expect(await page.locator('.plan-sheet').isVisible()).toBe(true);
    expect(await page.locator('.plan-sheet a').count()).toBe(0); // the print view has no edit links
    await page.screenshot({ path: join(artifacts, 'plan-sheet-a4.png'), fullPage: true });
    await expectJapaneseGlyphs(page, '.plan-sheet h2');
    const printed = await mainText(page);
    expect(printed).toContain('若い世代の団体の受入れ先の開拓。');
    await page.emulateMedia({ media: 'screen' });
    await page.setViewportSize({ width: 1280, height: 900 });

    // The sheet as xlsx, read back with exceljs: the edited texts and the grid are there.
    await page.goto(`${e2e.server.url}/admin/plan-items/${sample.planItemId}`);
    const sheetDownload = page.waitForEvent('download');
    await page.locator('a[href$="/sheet.xlsx"]').click();
    const sheetFile = await (await sheetDownload).path();
    const cells = await xlsxStrings(sheetFile);
    expect(cells).toContain('3. 具体的取組項目のスケジュール');
    for (const fy of ['平成23年度', '平成24年度', '平成25年度', '平成26年度']) expect(cells).toContain(fy);
    expect(cells).toContain('継続実施');
    expect(cells).toContain('養成講座の開催');
    expect(cells).toContain('ほぼ計画どおり');
    expect(cells.some((v) => v.includes('現地研修を県内3か所で実施し、市町職員の参加が増えた。') && v.includes('環境変化・課題：受入れ団体の担い手の高齢化。'))).toBe(true);
    expect(cells).toContain(`開催1回、現地研修2回、参加者${f2011.participants}人（延べ${f2011.attendances}人）`);

    // 3. Coverage: the units with nobody trained are highlighted, and the nomination list holds them.
    await page.getByRole('navigation', { name: 'メインメニュー' }).getByRole('link', { name: '実績・報告' }).click();
    await expectAccessible(page, 'reports dashboard');
    await page.getByRole('link', { name: '研修の広がり（所属別）' }).click();
    await expectAccessible(page, 'coverage');
    const expected = await coverage(ctx);
    const untrained = expected.filter((x) => x.reasons.includes('noneTrained')).map((x) => x.name);
    const flagged = expected.filter((x) => x.reasons.length).map((x) => x.name);
    expect(untrained).toContain('試験町');
    await expect(page.getByRole('status').first().textContent()).resolves.toContain(`受講を働きかける先：${flagged.length}所属`);
    const highlighted = await page.locator('tr.highlight th[scope="row"]').allTextContents();
    expect(highlighted.sort()).toEqual([...flagged].sort());
    const townRow = await page.locator('tr.highlight', { hasText: '試験町' }).textContent();
    expect(townRow).toContain('修了者なし・協働コーディネーターなし');

    const xlsxDownload = page.waitForEvent('download');
    await page.getByRole('link', { name: '働きかけ先の一覧（Excel）' }).click();
    const [nominations] = await readXlsx(readFileSync(await (await xlsxDownload).path()));
    expect(nominations.header).toContain('推薦を働きかける理由');
    expect(nominations.rows.map((r) => r['所属']).sort()).toEqual([...flagged].sort());
    for (const name of untrained) expect(nominations.rows.find((r) => r['所属'] === name)!['推薦を働きかける理由']).toContain('修了者なし');
    expect(nominations.rows.find((r) => r['所属'] === '試験町')!['研修修了者']).toBe('0');

    const csvDownload = page.waitForEvent('download');
    await page.getByRole('link', { name: '働きかけ先の一覧（CSV）' }).click();
    const csvBytes = new Uint8Array(readFileSync(await (await csvDownload).path()));
    const decoded = decodeCsvBytes(csvBytes);
    expect(decoded.encoding).toBe('utf-8-bom');
    const csv = parseCsv(decoded.text);
    expect(csv.rows.map((r) => r.cells['所属']).sort()).toEqual([...flagged].sort());
    expect(csv.rows.find((r) => r.cells['所属'] === '試験町')!.cells['推薦を働きかける理由']).toBe('修了者なし・協働コーディネーターなし');
    await logout(page);
    await page.close();
    expect(external).toEqual([]);

    // 4. Anyone, with no login and no cookies: the schedule page and the open-data feed, with no personal data.
    const anonContext = await e2e.browser.newContext({ locale: 'ja-JP' });
    expect(await anonContext.cookies()).toEqual([]);
    const anon = await anonContext.newPage();
    const res = await anon.goto(`${e2e.server.url}/schedule`);
    expect(res!.status()).toBe(200);
    expect(new URL(anon.url()).pathname).toBe('/schedule');
    await expect(anon.locator('h1').textContent()).resolves.toBe('研修の開催予定');
    await expectAccessible(anon, 'public schedule');
    const scheduleRows = await anon.locator('table.data-table tbody tr').count();
    expect(scheduleRows).toBeGreaterThan(0);
    const scheduleHtml = await anon.content();
    expect(scheduleHtml).not.toMatch(/[\w.+-]+@[\w-]+\.[\w.-]+/);
    expect(await anon.getByRole('button', { name: 'ログアウト' }).count()).toBe(0);

    const csvRes = await anon.request.get(`${e2e.server.url}/opendata/events.csv`);
    expect(csvRes.status()).toBe(200);
    expect(csvRes.headers()['content-type']).toContain('text/csv');
    const eventsBytes = new Uint8Array(await csvRes.body());
    expect([...eventsBytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const events = parseCsv(decodeCsvBytes(eventsBytes).text);
    expect(events.header).toEqual([...EVENT_DATASET_COLUMNS]);
    expect(events.rows.length).toBe(scheduleRows);
    const jsonRes = await anon.request.get(`${e2e.server.url}/opendata/events.json`);
    expect(jsonRes.status()).toBe(200);
    const json = (await jsonRes.json()) as Record<string, string>[];
    expect(json.length).toBe(events.rows.length);
    expect(json.map((e) => e.NO).sort()).toEqual(events.rows.map((r) => r.cells.NO).sort());
    const feeds = `${decodeCsvBytes(eventsBytes).text}\n${JSON.stringify(json)}`;
    expect(feeds).not.toContain('@');
    const people = await ctx.db.selectFrom('people').select(['email', 'name']).execute();
    for (const p of people) {
      expect(feeds).not.toContain(p.email);
      expect(scheduleHtml).not.toContain(p.email);
      expect(feeds).not.toContain(p.name);
    }
    // The schedule page opened without logging in set no session cookie.
    expect((await anonContext.cookies()).map((c) => c.name)).not.toContain('kyodo_session');
    await anonContext.close();
  });
});
