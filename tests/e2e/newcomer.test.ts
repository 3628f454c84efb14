import { describe, expect, it } from 'vitest';
import { expectAccessible, login, logout, useE2e } from './browser.js';

const e2e = useE2e();

/** Issue 16 §5: setup with the sample data shows one sign-in per role, once; each works. */
describe('a newcomer tries every role in Chromium', () => {
  it('setup with sample data → the sign-ins page (accessible) → log in as each role', async () => {
    const page = await e2e.browser.newPage({ locale: 'ja-JP' });
    await page.goto(e2e.server.url);
    expect(new URL(page.url()).pathname).toBe('/setup');
    await page.getByLabel('氏名').fill('研修 花子');
    await page.getByLabel('フリガナ').fill('ケンシュウ ハナコ');
    await page.getByLabel('メールアドレス').fill('hanako@pref.example.jp');
    await page.getByLabel('パスワード').fill('kyodo-2026-secret');
    await expect(page.getByLabel('サンプルデータ（組織、職員約200名、研修事業）を投入する').isChecked()).resolves.toBe(true);
    await page.getByRole('button', { name: '管理者を登録して始める' }).click();
    await page.locator('h1', { hasText: 'サンプルデータを投入しました' }).waitFor({ timeout: 90_000 });
    await expectAccessible(page, 'sample sign-ins');
    const password = (await page.locator('code.sample-password').textContent())!;
    const table = page.getByRole('table', { name: '体験用のアカウント' });
    const rows = await table.locator('tbody tr').all();
    expect(rows).toHaveLength(6);
    const byRole = new Map<string, string>();
    for (const row of rows) byRole.set((await row.locator('th').textContent())!, (await row.locator('code').textContent())!);

    // Continue as the administrator who set up, then try two of the roles.
    await page.getByRole('link', { name: 'ホームへ進む' }).click();
    expect(new URL(page.url()).pathname).toBe('/');
    await logout(page);
    await login(page, e2e.server.url, byRole.get('県の職員（受講者）')!, password);
    expect(new URL(page.url()).pathname).toBe('/');
    await page.goto(`${e2e.server.url}/my/trainings`);
    expect(new URL(page.url()).pathname).toBe('/my/trainings');
    await expect(page.locator('main').textContent()).resolves.toContain('協働');
    await logout(page);
    await login(page, e2e.server.url, byRole.get('協働相手の団体の担当者')!, password);
    await page.goto(`${e2e.server.url}/partner`);
    expect(new URL(page.url()).pathname).toBe('/partner');
    await expectAccessible(page, 'partner member page');
    await page.close();
  }, 240_000);
});
