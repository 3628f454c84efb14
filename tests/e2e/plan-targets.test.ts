import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { loadSampleData } from '../../src/services/sample-data/sample-data.service.js';
import { makeUser } from '../support/http.js';
import { expectAccessible, login, useE2e } from './browser.js';

const e2e = useE2e();

const mainText = async (page: Page) => ((await page.locator('main').textContent()) ?? '').replace(/\s+/g, ' ');

describe('numeric targets and ratings in the plan, in Chromium', () => {
  it('sheet with targets → set a target (refused, then saved) → delete one after confirming → rate a year', async () => {
    const ctx = e2e.server.ctx;
    const admin = await makeUser(ctx, ['admin'], { email: 'targets-e2e@pref.example.jp', name: '目標 担当' });
    const sample = await loadSampleData(ctx, admin);
    const page = await e2e.browser.newPage({ locale: 'ja-JP' });
    await login(page, e2e.server.url, admin.email);

    // 1. The sheet shows target, actual and 達成率 side by side, met or not in words.
    await page.goto(`${e2e.server.url}/admin/plan-items/${sample.planItemId}`);
    const targets = page.getByRole('table', { name: '数値目標と実績' });
    expect(await targets.locator('thead th').allTextContents()).toEqual(['年度', '具体的取組項目', '指標', '目標', '実績', '達成率']);
    const h24 = ((await targets.locator('tbody tr', { hasText: '平成24年度' }).filter({ hasText: '参加者数' }).textContent()) ?? '').replace(/\s+/g, ' ');
    expect(h24).toContain('30人28人93.3%（未達成）');
    await expectAccessible(page, 'sheet with targets');

    // 2. The targets page of measure ア: a bad value is refused naming the field; a good one is saved.
    await page.getByRole('link', { name: '数値目標を設定：ア' }).click();
    await expectAccessible(page, 'targets page');
    await page.getByLabel(/^年度/).selectOption({ label: '令和7年度 (2025)' });
    await page.getByLabel(/^指標/).selectOption({ value: 'fieldTrainings' });
    await page.getByLabel(/^目標値/).fill('-2');
    await page.getByRole('button', { name: '目標を設定する' }).click();
    await expect(page.locator('.error-summary').textContent()).resolves.toContain('目標値は0より大きい数値');
    await expectAccessible(page, 'targets page with errors');
    await page.getByLabel(/^目標値/).fill('4');
    await page.getByRole('button', { name: '目標を設定する' }).click();
    expect(await mainText(page)).toContain('保存しました。');
    const row = page.getByRole('table', { name: '数値目標と実績' }).locator('tbody tr', { hasText: '令和7年度' });
    expect((await row.textContent())?.replace(/\s+/g, ' ')).toContain('現地研修の実施回数4回');

    // 3. Deleting asks first: without the box ticked nothing is deleted.
    await row.getByRole('button', { name: 'この目標を削除する' }).click();
    expect(await page.locator('.error-summary').count()).toBe(1);
    await expectAccessible(page, 'delete refused');
    const again = page.getByRole('table', { name: '数値目標と実績' }).locator('tbody tr', { hasText: '令和7年度' });
    await again.getByRole('checkbox').check();
    await again.getByRole('button', { name: 'この目標を削除する' }).click();
    expect(await page.getByRole('table', { name: '数値目標と実績' }).locator('tbody tr', { hasText: '令和7年度' }).count()).toBe(0);

    // 4. The year's progress gets the office's rating beside the computed figures and targets.
    await page.goto(`${e2e.server.url}/admin/plan-items/${sample.planItemId}/progress/2026`);
    await expectAccessible(page, 'progress form with rating');
    const whole = page.getByRole('group', { name: '項目全体' });
    await whole.getByLabel('進捗').selectOption({ label: 'ほぼ計画どおり' });
    await whole.getByLabel('評価').selectOption({ label: 'B' });
    expect(await page.getByRole('group', { name: /^ア / }).textContent()).toContain('研修を受けた所属の割合（直近3年度）：目標 60.0%');
    await page.getByRole('button', { name: '保存する' }).click();
    const actuals = ((await page.getByRole('table', { name: '4. 年度ごとの実績' }).textContent()) ?? '').replace(/\s+/g, ' ');
    expect(actuals).toMatch(/令和8年度.*項目全体ほぼ計画どおりB/);
  });
});
