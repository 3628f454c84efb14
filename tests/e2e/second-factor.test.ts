import { join } from 'node:path';
import type { BrowserContextOptions, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { makeUser } from '../support/http.js';
import { recoveryCodesFrom, totpCode } from '../support/totp.js';
import { artifacts, expectAccessible, login, logout, useE2e } from './browser.js';

// Issue 20 §1: the enrolment page and the code page, in Chromium, on a desktop and on a phone (decision 0025).
const e2e = useE2e();

const DESKTOP: BrowserContextOptions = { viewport: { width: 1280, height: 800 }, locale: 'ja-JP' };
const PHONE: BrowserContextOptions = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'ja-JP' };

/** No page scrolls sideways. */
async function fitsWidth(page: Page, label: string) {
  const m = await page.evaluate(() => ({ inner: window.innerWidth, scroll: document.documentElement.scrollWidth }));
  expect(m.scroll, `horizontal scroll on ${label}`).toBeLessThanOrEqual(m.inner);
}

describe('two-step verification in Chromium', () => {
  for (const [name, options] of [
    ['desktop', DESKTOP],
    ['phone', PHONE],
  ] as const) {
    it(`${name}: enrol on the account page with the QR code, then sign in with a code`, async () => {
      const user = await makeUser(e2e.server.ctx, ['staff'], { email: `totp-${name}@pref.example.jp`, name: `二段階 ${name}` });
      const context = await e2e.browser.newContext(options);
      const page = await context.newPage();
      await login(page, e2e.server.url, user.email);
      await page.goto(`${e2e.server.url}/account/second-factor`);

      // The QR code is drawn in the page; the key is there as text to type in.
      const qr = page.getByRole('img', { name: '認証アプリに読み取らせるQRコード' });
      expect(await qr.locator('svg').count()).toBe(1);
      const box = (await qr.locator('svg').boundingBox())!;
      expect(box.width).toBeGreaterThanOrEqual(200);
      const secret = ((await page.locator('.second-factor-secret').textContent()) ?? '').replace(/\s/g, '');
      expect(secret).toMatch(/^[A-Z2-7]{32}$/);
      await expectAccessible(page, `second factor enrolment (${name})`);
      await fitsWidth(page, 'enrolment');
      await page.screenshot({ path: join(artifacts, `second-factor-enrol-${name}.png`), fullPage: true });

      // A wrong code names the field; the right one shows the ten recovery codes once.
      await page.getByLabel(/^確認コード（6桁）/).fill('12345');
      await page.getByRole('button', { name: '設定を完了する' }).click();
      expect(await page.locator('.error-summary').textContent()).toContain('確認コードが正しくありません');
      await expectAccessible(page, `second factor enrolment with an error (${name})`);
      await page.getByLabel(/^確認コード（6桁）/).fill(totpCode(secret, new Date()));
      await page.getByRole('button', { name: '設定を完了する' }).click();
      const codes = recoveryCodesFrom(await page.content());
      expect(codes).toHaveLength(10);
      await expectAccessible(page, `recovery codes (${name})`);
      await page.screenshot({ path: join(artifacts, `second-factor-recovery-${name}.png`), fullPage: true });

      // Signing in again asks for the code after the password.
      await page.goto(`${e2e.server.url}/`);
      await logout(page);
      await login(page, e2e.server.url, user.email);
      await page.waitForURL(/\/login\/second-factor$/);
      expect(await page.locator('h1').textContent()).toContain('確認コードの入力');
      await expectAccessible(page, `second factor challenge (${name})`);
      await fitsWidth(page, 'challenge');
      await page.screenshot({ path: join(artifacts, `second-factor-challenge-${name}.png`), fullPage: true });
      // (The next step's code: the current step's was used up by enrolment, and one step ahead is accepted.)
      await page.getByLabel(/^確認コード（6桁）または回復コード/).fill(totpCode(secret, new Date(), 1));
      await page.getByRole('button', { name: 'ログインする' }).click();
      await page.waitForURL(`${e2e.server.url}/`);
      expect(await page.getByRole('button', { name: 'ログアウト' }).count()).toBeGreaterThan(0);
      await context.close();
    });
  }
});
