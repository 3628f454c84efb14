import { join } from 'node:path';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { fiscalYearOf } from '../../src/domain/calendar.js';
import { apply, listApplications } from '../../src/services/application.service.js';
import { addSession, createOffering, createProgramme } from '../../src/services/offering.service.js';
import { getPerson } from '../../src/services/person.service.js';
import { createUnit } from '../../src/services/unit.service.js';
import { makeUser } from '../support/http.js';
import { artifacts, expectAccessible, login, logout, useE2e } from './browser.js';
import { toCurrentUser } from '../../src/services/context.js';

const e2e = useE2e();

/** An iPhone-sized screen, 390×844 CSS pixels, touch and the mobile viewport rules. */
const PHONE: BrowserContextOptions = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 3, isMobile: true, hasTouch: true, locale: 'ja-JP' };

const phone = (browser: Browser, opts: BrowserContextOptions = {}) => browser.newContext({ ...PHONE, ...opts });

/** Nothing is wider than the screen: the page never scrolls sideways. */
async function expectNoSideScroll(page: Page, label: string) {
  const m = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, inner: window.innerWidth }));
  expect(m.inner, `viewport on ${label}`).toBe(390);
  expect(m.scroll, `horizontal scroll on ${label}`).toBeLessThanOrEqual(m.inner);
}

/** Each page of the participant's journey on the phone: accessible, and no sideways scrolling. */
async function check(page: Page, label: string) {
  await expectNoSideScroll(page, label);
  await expectAccessible(page, `${label} (390×844)`);
}

/** How many lines an element's text takes (1: it never wraps). */
const lineCount = (page: Page, selector: string) =>
  page.locator(selector).first().evaluate((el) => {
    const range = document.createRange();
    range.selectNodeContents(el);
    return new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top))).size;
  });

/** The header on a phone: a long account name gives way; the log-out button keeps its words on one line, on the screen. */
async function expectHeaderFits(page: Page, label: string) {
  const button = page.locator('.site-header form[action="/logout"] button');
  expect(await lineCount(page, '.site-header form[action="/logout"] button'), `ログアウト on one line on ${label}`).toBe(1);
  const box = (await button.boundingBox())!;
  expect(box.x + box.width, `ログアウト within the screen on ${label}`).toBeLessThanOrEqual(390);
}

const menu = (page: Page) => page.getByRole('navigation', { name: 'メインメニュー' });

describe('a participant on a phone (390×844)', () => {
  it('catalogue → apply → notice → kiosk check-in: a folded menu, stacked tables, a code on one line, axe and no sideways scroll on every page', async () => {
    const ctx = e2e.server.ctx;
    const admin = await makeUser(ctx, ['admin', 'staff'], { email: 'desk@pref.example.jp', name: '研修 担当' });
    const staff = await makeUser(ctx, ['staff'], { email: 'nakamura@pref.example.jp', name: '中村 美咲', kana: 'ナカムラ ミサキ' });
    const programme = await createProgramme(ctx, null, { name: '協働推進セミナー' });
    const now = Date.now();
    const offering = await createOffering(ctx, null, {
      programmeId: programme.id,
      fiscalYear: fiscalYearOf(new Date(now)),
      title: '協働推進セミナー 基礎編（スマートフォンの試験）',
      selection: 'first_come',
      capacity: 20,
      applicationOpensAt: new Date(now - 86_400_000).toISOString(),
      applicationClosesAt: new Date(now + 86_400_000).toISOString(),
    });
    const venue = '草津市立まちづくりセンター 2階 大会議室（JR草津駅から徒歩10分）';
    const session = await addSession(ctx, null, offering.id, {
      title: '協働の基礎と県内の事例',
      format: 'lecture',
      startsAt: new Date(now).toISOString(),
      endsAt: new Date(now + 3 * 3_600_000).toISOString(),
      venue,
      lecturers: '県民活動生活課 協働推進係長',
    });

    const context = await phone(e2e.browser);
    const page = await context.newPage();
    await page.goto(`${e2e.server.url}/login`);
    await check(page, 'login');
    await login(page, e2e.server.url, staff.email);
    await check(page, 'home');

    // The menu is folded behind one button; it opens and leads to the catalogue.
    const toggle = menu(page).getByText('メニュー', { exact: true });
    await expect(toggle.isVisible()).resolves.toBe(true);
    await expect(menu(page).getByRole('link', { name: '研修一覧' }).isVisible()).resolves.toBe(false);
    const headerHeight = await page.locator('.site-header').evaluate((h) => h.getBoundingClientRect().height);
    expect(headerHeight).toBeLessThan(200);
    await toggle.click();
    await expect(menu(page).getByRole('link', { name: '研修一覧' }).isVisible()).resolves.toBe(true);
    await check(page, 'home with the menu open');
    await menu(page).getByRole('link', { name: '研修一覧' }).click();
    expect(new URL(page.url()).pathname).toBe('/trainings');
    await expect(menu(page).getByRole('link', { name: '研修一覧' }).isVisible()).resolves.toBe(false);
    await check(page, 'catalogue');

    // The offering: its sessions stack, each value under its heading; the venue keeps the screen's width.
    await page.getByRole('link', { name: offering.title }).click();
    await check(page, 'offering detail');
    const venueCell = page.locator('td[data-label="会場"]');
    await expect(venueCell.textContent()).resolves.toBe(venue);
    await expect(venueCell.evaluate((td) => getComputedStyle(td, '::before').content)).resolves.toBe('"会場"');
    const venueBox = (await venueCell.boundingBox())!;
    expect(venueBox.width).toBeGreaterThan(300);
    expect(venueBox.x + venueBox.width).toBeLessThanOrEqual(390);
    await page.screenshot({ path: join(artifacts, 'phone-offering.png'), fullPage: true });
    await page.getByRole('button', { name: 'この研修に申し込む' }).click();
    await expect(page.locator('main').textContent()).resolves.toContain('あなたの申込み：受講決定');
    await check(page, 'applied');

    // The decision notice: the participant code on one line, never broken at its hyphen.
    await page.getByRole('link', { name: '受講決定通知' }).click();
    const app = (await listApplications(ctx, offering.id)).find((a) => a.person_id === staff.id)!;
    expect(app.status).toBe('confirmed');
    const code = page.locator('.participant-code .code');
    await expect(code.textContent()).resolves.toBe(app.participant_code);
    const lines = await code.evaluate((el) => {
      const range = document.createRange();
      range.selectNodeContents(el);
      return new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size;
    });
    expect(lines).toBe(1);
    const codeBox = (await code.boundingBox())!;
    expect(codeBox.x + codeBox.width).toBeLessThanOrEqual(390);
    await check(page, 'decision notice');
    await page.screenshot({ path: join(artifacts, 'phone-notice.png'), fullPage: true });

    // My trainings: the table stacks into cards, each cell with its heading.
    await toggle.click();
    await menu(page).getByRole('link', { name: '受講申込み' }).click();
    await check(page, 'my trainings');
    await expect(page.locator('table.data-table thead').evaluate((h) => h.getBoundingClientRect().height <= 1)).resolves.toBe(true);
    await expect(page.locator('td[data-label="状態"]').first().textContent()).resolves.toBe('受講決定');
    await logout(page);

    // The kiosk at the venue, on a phone: the participant types the code and is checked in.
    await login(page, e2e.server.url, admin.email);
    await page.goto(`${e2e.server.url}/kiosk/sessions/${session.id}`);
    await check(page, 'kiosk');
    await page.getByLabel('参加者コード').fill(app.participant_code.toLowerCase());
    await page.getByRole('button', { name: '受付する' }).click();
    await expect(page.locator('.kiosk-result').textContent()).resolves.toContain('中村 美咲さん、受付しました（出席）。');
    await check(page, 'kiosk after check-in');
    await page.screenshot({ path: join(artifacts, 'phone-kiosk.png'), fullPage: true });
    await context.close();
  });

  it('the menu works without JavaScript: folded on a phone and opened by its button; always shown on a wide screen (and opened there by app.js)', async () => {
    const ctx = e2e.server.ctx;
    const user = await makeUser(ctx, ['staff'], { email: 'nojs@pref.example.jp', name: '山本 翔', kana: 'ヤマモト ショウ' });
    const programme = await createProgramme(ctx, null, { name: '協働コーディネーター養成講座', kind: 'coordinator_course' });
    const now = Date.now();
    const offering = await createOffering(ctx, null, {
      programmeId: programme.id,
      fiscalYear: fiscalYearOf(new Date(now)),
      title: '協働コーディネーター養成講座（JavaScriptなしの試験）',
      selection: 'first_come',
      capacity: 5,
      applicationOpensAt: new Date(now - 86_400_000).toISOString(),
      applicationClosesAt: new Date(now + 86_400_000).toISOString(),
    });
    await apply(ctx, toCurrentUser((await getPerson(ctx, user.id))!), offering.id, {});

    const narrow = await phone(e2e.browser, { javaScriptEnabled: false });
    narrow.setDefaultTimeout(15_000);
    const page = await narrow.newPage();
    await login(page, e2e.server.url, user.email);
    await expect(menu(page).getByRole('link', { name: '研修一覧' }).isVisible()).resolves.toBe(false);
    await menu(page).getByText('メニュー', { exact: true }).click();
    await expect(menu(page).getByRole('link', { name: '研修一覧' }).isVisible()).resolves.toBe(true);
    await menu(page).getByRole('link', { name: '研修一覧' }).click();
    expect(new URL(page.url()).pathname).toBe('/trainings');
    // (No axe here: scripts, axe's included, do not run in this context. The journey above runs it on each page.)
    await expect(page.getByRole('heading', { level: 1 }).isVisible()).resolves.toBe(true);
    await narrow.close();

    const wide = await e2e.browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'ja-JP', javaScriptEnabled: false });
    wide.setDefaultTimeout(15_000);
    const desk = await wide.newPage();
    await login(desk, e2e.server.url, user.email);
    await expect(menu(desk).getByText('メニュー', { exact: true }).isVisible()).resolves.toBe(false);
    await expect(menu(desk).getByRole('link', { name: '研修一覧' }).isVisible()).resolves.toBe(true);
    await menu(desk).getByRole('link', { name: '受講申込み' }).click();
    expect(new URL(desk.url()).pathname).toBe('/my/trainings');
    // On a wide screen the table keeps its columns and headings.
    await expect(desk.locator('table.data-table thead').isVisible()).resolves.toBe(true);
    await expect(desk.locator('table.data-table tbody tr').first().evaluate((tr) => getComputedStyle(tr).display)).resolves.toBe('table-row');
    await wide.close();

    // With JavaScript, a wide screen also has the disclosure opened (heard as expanded); a phone keeps it folded.
    for (const [options, open] of [[{ viewport: { width: 1280, height: 800 }, locale: 'ja-JP' }, true], [PHONE, false]] as const) {
      const withJs = await e2e.browser.newContext(options);
      const p = await withJs.newPage();
      await login(p, e2e.server.url, user.email);
      await p.waitForLoadState('load');
      await expect(p.locator('details.main-nav__menu').evaluate((d) => (d as HTMLDetailsElement).open)).resolves.toBe(open);
      await expect(menu(p).getByRole('link', { name: '研修一覧' }).isVisible()).resolves.toBe(open);
      await withJs.close();
    }
  });

  it('the approver’s queue and the audit log are cards on a phone, with nothing wider than the screen; a long account name never breaks the log-out button', async () => {
    const ctx = e2e.server.ctx;
    const unit = await createUnit(ctx, null, { kind: 'department', name: '琵琶湖環境部 監理課', kana: 'ビワコカンキョウブ カンリカ' });
    const approver = await makeUser(ctx, ['approver', 'staff'], { unitId: unit.id, email: 'long.name@pref.example.jp', name: '株式会社 湖国ソーシャルデザイン 事務局 協働推進担当 宇野 真由美' });
    const staff = await makeUser(ctx, ['staff'], { unitId: unit.id, email: 'maeda@pref.example.jp', name: '前田 拓也', kana: 'マエダ タクヤ' });
    const admin = await makeUser(ctx, ['admin', 'staff'], { email: 'audit.desk@pref.example.jp', name: '研修 担当' });
    const programme = await createProgramme(ctx, null, { name: 'フォローアップ研修' });
    const now = Date.now();
    const offering = await createOffering(ctx, null, {
      programmeId: programme.id,
      fiscalYear: fiscalYearOf(new Date(now)),
      title: 'フォローアップ研修（所属の推薦・承認の試験）',
      selection: 'first_come',
      capacity: 10,
      endorsementRequired: true,
      questions: '*受講の動機',
      applicationOpensAt: new Date(now - 86_400_000).toISOString(),
      applicationClosesAt: new Date(now + 86_400_000).toISOString(),
    });
    await apply(ctx, toCurrentUser((await getPerson(ctx, staff.id))!), offering.id, { answers: { q1: '前年度に協働推進セミナーを受講し、所属の事業でNPOとの協働を具体的に進めたいため。' } });

    const context = await phone(e2e.browser);
    const page = await context.newPage();
    await login(page, e2e.server.url, approver.email);
    await expectHeaderFits(page, 'home');
    await page.goto(`${e2e.server.url}/approvals`);
    await check(page, 'approvals');
    await expectHeaderFits(page, 'approvals');
    // One card per application: the headings are hidden, each cell labelled; the name on one line, then 所属 and the answers.
    await expect(page.locator('table.approvals thead').evaluate((h) => h.getBoundingClientRect().height <= 1)).resolves.toBe(true);
    const applicant = page.locator('th[data-label="申込者"]');
    expect((await applicant.boundingBox())!.width).toBeGreaterThan(300);
    expect(await lineCount(page, 'th[data-label="申込者"] .approval-applicant__name')).toBe(1);
    await expect(applicant.textContent()).resolves.toContain('所属：琵琶湖環境部 監理課（県）');
    await expect(page.locator('td[data-label="設問への回答"]').textContent()).resolves.toContain('所属の事業でNPOとの協働を具体的に進めたいため。');
    for (const name of ['推薦・承認する', '差し戻す']) {
      const box = (await page.getByRole('button', { name }).boundingBox())!;
      expect(box.height, `${name} on one line`).toBeLessThan(48);
    }
    await page.screenshot({ path: join(artifacts, 'phone-approvals.png'), fullPage: true });
    await logout(page);

    // The audit log: each entry a card, its action on one line, nothing wider than the screen.
    await login(page, e2e.server.url, admin.email);
    await page.goto(`${e2e.server.url}/admin/audit`);
    await check(page, 'audit log');
    await expect(page.locator('table.audit thead').evaluate((h) => h.getBoundingClientRect().height <= 1)).resolves.toBe(true);
    await expect(page.locator('td[data-label="操作"]').first().textContent()).resolves.toBe('ログイン');
    expect(await lineCount(page, 'td[data-label="操作"]')).toBe(1);
    const widest = await page.locator('table.audit').evaluate((t) => Math.max(t.getBoundingClientRect().right, ...[...t.querySelectorAll('td, th, dl, dd')].map((c) => c.getBoundingClientRect().right)));
    expect(widest).toBeLessThanOrEqual(390);
    await page.screenshot({ path: join(artifacts, 'phone-audit.png'), fullPage: true });
    await context.close();
  });
});
