import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { readXlsx } from '../../src/lib/xlsx.js';
import { gapIndicators } from '../../src/services/gap.service.js';
import { loadSampleData } from '../../src/services/sample-data/sample-data.service.js';
import { makeUser } from '../support/http.js';
import { artifacts, expectAccessible, login, useE2e } from './browser.js';

const e2e = useE2e();

const mainText = async (page: Page) => ((await page.locator('main').textContent()) ?? '').replace(/\s+/g, ' ');

describe('the three gap indicators in Chromium', () => {
  it('choose a year (a plain GET form) → read each indicator with its trend chart and table → download the xlsx → the page passes axe', async () => {
    const ctx = e2e.server.ctx;
    const admin = await makeUser(ctx, ['admin'], { email: 'gaps-e2e@pref.example.jp', name: '指標 担当' });
    await loadSampleData(ctx, admin);
    const g = await gapIndicators(ctx, 2025);
    expect(g.understanding.n).toBeGreaterThanOrEqual(10);

    const page = await e2e.browser.newPage({ locale: 'ja-JP' });
    page.setDefaultTimeout(20_000);
    const external: string[] = [];
    page.on('request', (r) => {
      if (!r.url().startsWith(e2e.server.url) && !r.url().startsWith('data:')) external.push(r.url());
    });
    await login(page, e2e.server.url, admin.email);
    await page.goto(`${e2e.server.url}/admin/reports/gaps`);
    await page.getByLabel('年度').selectOption('2025');
    await page.getByRole('button', { name: '表示する' }).click();
    await expect.poll(() => page.url()).toContain('fy=2025');
    expect(await page.locator('h1').textContent()).toContain('令和7年度');
    const text = await mainText(page);
    for (const h of ['協働への理解', '現場で協働相手と出会う機会', '合意形成・調整ができる人材']) expect(await page.getByRole('heading', { name: h, level: 2 }).count()).toBe(1);
    // The year's figures, as the service computes them, with the interval in words.
    const [lo, hi] = g.understanding.ci95!;
    const signed = (v: number) => `${v > 0 ? '+' : ''}${v.toFixed(2)}`;
    expect(text).toContain(`${signed(lo)} ～ ${signed(hi)}`);
    expect(text).toContain(`（${g.opportunity.unitsReached}／${g.opportunity.units}）`);
    // Each trend is an SVG image followed by its table.
    const charts = page.locator('figure.chart');
    expect(await charts.count()).toBe(5);
    for (let i = 0; i < 5; i++) {
      await expect.poll(() => charts.nth(i).locator('svg[role="img"]').count()).toBe(1);
      expect(await charts.nth(i).locator('table tbody tr').count()).toBeGreaterThan(5);
    }
    await page.screenshot({ path: join(artifacts, 'gaps.png'), fullPage: true });
    await page.locator('figure.chart--interval').screenshot({ path: join(artifacts, 'gaps-interval.png') });
    await expectAccessible(page, 'gap indicators');

    // The year's figures as xlsx, read back.
    const download = page.waitForEvent('download');
    await page.locator('a[href^="/admin/reports/gaps.xlsx"]').click();
    const [sheet] = await readXlsx(readFileSync(await (await download).path()));
    expect(sheet.header).toEqual(['指標', '令和7年度 (2025)']);
    const row = sheet.rows.find((r) => r['指標'].endsWith('現地研修の実施回数'))!;
    expect(Number(row['令和7年度 (2025)'])).toBe(g.opportunity.fieldTrainings);
    expect(external).toEqual([]);
    await page.close();
  }, 240_000);
});
