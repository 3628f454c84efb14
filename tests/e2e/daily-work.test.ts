import { join } from 'node:path';
import type { BrowserContextOptions, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { assignCoordinators, fileConsultation } from '../../src/services/consultation.service.js';
import { toCurrentUser } from '../../src/services/context.js';
import { createOffering, createProgramme } from '../../src/services/offering.service.js';
import { addSite, createPartner } from '../../src/services/partner.service.js';
import { createPerson, getPerson } from '../../src/services/person.service.js';
import { createUnit } from '../../src/services/unit.service.js';
import { makeCoordinator } from '../support/consultations.js';
import { makeUser } from '../support/http.js';
import { artifacts, expectAccessible, login, logout, useE2e } from './browser.js';

const e2e = useE2e();

const DESKTOP: BrowserContextOptions = { viewport: { width: 1280, height: 900 }, locale: 'ja-JP' };
/** An iPhone-sized screen, as in phone.test.ts. */
const PHONE: BrowserContextOptions = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'ja-JP' };

/** Accessible, and on a phone nothing wider than the screen. */
async function check(page: Page, label: string, phone: boolean) {
  await expectAccessible(page, `${label}${phone ? ' (390×844)' : ''}`);
  if (phone) expect(await page.evaluate(() => document.documentElement.scrollWidth), `horizontal scroll on ${label}`).toBeLessThanOrEqual(390);
}

describe('the training office’s daily work in Chromium (issue 16 §2.3, §2.5, §2.6)', () => {
  for (const [name, viewport] of [
    ['desktop', DESKTOP],
    ['phone', PHONE],
  ] as const) {
    it(`${name}: the admin nominates someone by フリガナ and adds a field session from the home page; the coordinator sees partner suggestions on their own case`, async () => {
      const ctx = e2e.server.ctx;
      const phone = name === 'phone';
      const n = phone ? '2' : '1';
      const admin = await makeUser(ctx, ['admin', 'staff'], { email: `daily-admin${n}@pref.example.jp`, name: '研修 担当' });
      const adminUser = toCurrentUser((await getPerson(ctx, admin.id))!);
      const dept = await createUnit(ctx, null, { kind: 'department', name: `農政水産部${n}`, kana: 'ノウセイスイサンブ' });
      const unit = await createUnit(ctx, null, { kind: 'division', name: `農政課${n}`, kana: 'ノウセイカ', parentId: dept.id });
      await createPerson(ctx, null, { name: '髙橋 美咲', kana: 'タカハシ ミサキ', email: `misaki${n}@pref.example.jp`, staffNumber: `A1023${n}`, unitId: String(unit.id), affiliation: 'prefecture' });
      const programme = await createProgramme(ctx, null, { name: `協働推進セミナー${n}`, kind: 'seminar' });
      const now = Date.now();
      const title = `協働推進セミナー（日常業務${n}）`;
      await createOffering(ctx, null, {
        programmeId: programme.id,
        fiscalYear: 2026,
        title,
        selection: 'first_come',
        capacity: 20,
        applicationOpensAt: new Date(now - 86_400_000).toISOString(),
        applicationClosesAt: new Date(now + 30 * 86_400_000).toISOString(),
      });
      const partner = await createPartner(ctx, null, { name: `NPO法人 びわ湖里山ネット${n}`, kana: 'ビワコサトヤマネット', type: 'npo', fields: '子育て' });
      await addSite(ctx, adminUser, partner.id, { name: '里山学習センター', address: '高島市今津町', capacity: '25' });
      const otsu = await createUnit(ctx, null, { kind: 'municipality', name: `大津市${n}`, kana: 'オオツシ', code: phone ? '252069' : '252018' });
      const requester = await makeUser(ctx, ['staff'], { email: `req${n}@city.example.jp`, name: '大津 花子', unitId: otsu.id, affiliation: 'municipality' });
      const coord = await makeCoordinator(ctx, { name: '福祉 一郎', kana: 'フクシ イチロウ', email: `coord${n}@pref.example.jp`, fields: ['子育て'], areas: [otsu.id] });
      const k = await fileConsultation(ctx, toCurrentUser((await getPerson(ctx, requester.id))!), { kind: 'bridge', title: `子ども食堂と連携した見守り${n}`, unitId: String(otsu.id), fields: '子育て', areas: [String(otsu.id)], goal: '地域の団体と見守りの仕組みを作りたい。' });
      await assignCoordinators(ctx, adminUser, k.id, { personIds: [String(coord.id)] });

      const context = await e2e.browser.newContext(viewport);
      const page = await context.newPage();
      await login(page, e2e.server.url, admin.email);

      // From the home page, through the menu, to the offering and its applicants.
      await page.goto(`${e2e.server.url}/`);
      if (phone) await page.getByRole('navigation', { name: 'メインメニュー' }).getByText('メニュー', { exact: true }).click();
      await page.getByRole('navigation', { name: 'メインメニュー' }).getByRole('link', { name: '研修の実施' }).click();
      await page.getByRole('link', { name: title }).first().click();
      await page.getByRole('link', { name: '申込者', exact: true }).click();

      // 1. 代理申込 by フリガナ typed in hiragana.
      await page.getByLabel('氏名・フリガナ・職員番号で探す').fill('たかはし');
      await page.getByRole('button', { name: '探す', exact: true }).click();
      const found = page.getByRole('table', { name: /「たかはし」に該当する職員/ });
      await expect(found.textContent()).resolves.toContain(`A1023${n}`);
      await expect(found.textContent()).resolves.toContain(`農政課${n}`);
      await check(page, 'proxy search', phone);
      await page.screenshot({ path: join(artifacts, `daily-proxy-${name}.png`), fullPage: true });
      await found.getByRole('button', { name: new RegExp(`髙橋 美咲.*A1023${n}`) }).click();
      await expect(page.locator('main').textContent()).resolves.toContain('髙橋 美咲さんの申込みを登録しました。');
      await expect(page.getByRole('table', { name: '申込者' }).textContent()).resolves.toContain('髙橋 美咲');

      // 2. A field training at a partner's site, with date and time inputs; it asks first.
      await page.getByRole('link', { name: title }).first().click();
      await page.getByRole('link', { name: '現地研修の回を追加する' }).click();
      await page.getByLabel('活動場所').selectOption({ label: '里山学習センター（高島市今津町、受入人数25名）' });
      await page.getByLabel('テーマ').fill('里山の保全活動と地域の担い手');
      await page.getByLabel('実施日').fill('2027-02-18');
      await page.getByLabel('開始時刻').fill('13:30');
      await page.getByLabel('終了時刻').fill('16:00');
      await check(page, 'field session form', phone);
      await page.screenshot({ path: join(artifacts, `daily-field-form-${name}.png`), fullPage: true });
      await page.getByRole('button', { name: '確認へ進む' }).click();
      await expect(page.locator('main').textContent()).resolves.toContain('次の内容で、現地研修を研修の回として追加します。');
      await check(page, 'field session confirmation', phone);
      await page.getByRole('button', { name: '追加して通知する' }).click();
      await expect(page.locator('main').textContent()).resolves.toContain('現地研修の回を追加し、受入れ団体に知らせました。');
      await expect(page.locator('main').textContent()).resolves.toContain('現地研修：里山の保全活動と地域の担い手');
      await logout(page);

      // 3. The coordinator starts at the home page, opens their own case and sees the partner suggestions.
      await login(page, e2e.server.url, coord.email);
      await page.goto(`${e2e.server.url}/`);
      await page.getByRole('link', { name: `子ども食堂と連携した見守り${n}` }).click();
      const suggestions = page.getByRole('table', { name: '候補の協働相手' });
      await expect(suggestions.textContent()).resolves.toContain(`NPO法人 びわ湖里山ネット${n}`);
      await check(page, 'coordinator case with partner suggestions', phone);
      await page.screenshot({ path: join(artifacts, `daily-coordinator-${name}.png`), fullPage: true });
      await context.close();
    });
  }
});
