import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { apply } from '../../src/services/application.service.js';
import { toCurrentUser } from '../../src/services/context.js';
import { addSession, createOffering, createProgramme } from '../../src/services/offering.service.js';
import { getPerson } from '../../src/services/person.service.js';
import { createDueSurveys } from '../../src/services/survey.service.js';
import { createUnit } from '../../src/services/unit.service.js';
import { makeUser, PASSWORD } from '../support/http.js';
import { artifacts, expectAccessible, useE2e } from './browser.js';

/**
 * Keyboard only (issue 20 §5): no mouse and no clicks. Each journey goes from the login form to its end with
 * Tab, Enter and Space (and typing into fields); after every Tab the focused control must show its focus
 * (an outline of at least 2px, on screen). Applying for a training, endorsing an application, answering a survey.
 */
const e2e = useE2e();
const HOUR = 3_600_000;

interface Focus {
  tag: string;
  type: string;
  name: string;
  group: string;
  checkedInGroup: boolean;
  visible: boolean;
  onScreen: boolean;
}

/** The focused element as a keyboard user meets it: what it is, its label, and whether its focus can be seen. */
function focused(page: Page): Promise<Focus | null> {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el || el === document.body) return null;
    const input = el as HTMLInputElement;
    const label = input.labels?.[0]?.innerText ?? el.getAttribute('aria-label') ?? el.innerText ?? '';
    const fieldset = el.closest('fieldset');
    const s = getComputedStyle(el);
    const r = el.getBoundingClientRect();
    return {
      tag: el.tagName.toLowerCase(),
      type: input.type ?? '',
      name: label.replace(/\s+/g, ' ').trim(),
      group: fieldset?.querySelector('legend')?.innerText.replace(/\s+/g, ' ').trim() ?? '',
      checkedInGroup: input.type === 'radio' && !!document.querySelector(`input[type=radio][name="${CSS.escape(input.name)}"]:checked`),
      visible: el.matches(':focus-visible') && s.outlineStyle !== 'none' && Number.parseFloat(s.outlineWidth) >= 2,
      onScreen: r.width > 0 && r.height > 0 && r.bottom > 0 && r.top < window.innerHeight && r.right > 0 && r.left < window.innerWidth,
    };
  });
}

/** Presses Tab until the focus is on what `want` accepts; every stop on the way must show its focus. */
async function tabTo(page: Page, want: (f: Focus) => boolean, what: string, max = 120): Promise<Focus> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const f = await focused(page);
    expect(f, `the focus left the page while looking for ${what}`).not.toBeNull();
    expect(f!.visible && f!.onScreen, `focus not visible on ${f!.tag} "${f!.name}" (looking for ${what})`).toBe(true);
    if (want(f!)) return f!;
  }
  throw new Error(`${what} not reached with Tab`);
}

/** Presses a key that loads a new page (a link, a submit button) and waits for that page. */
async function pressAndLoad(page: Page, key: 'Enter' | ' ') {
  const loaded = page.waitForEvent('load');
  await page.keyboard.press(key === ' ' ? 'Space' : key);
  await loaded;
}

const link = (name: string | RegExp) => (f: Focus) => f.tag === 'a' && (typeof name === 'string' ? f.name === name : name.test(f.name));
const button = (name: string) => (f: Focus) => (f.tag === 'button' || (f.tag === 'input' && f.type === 'submit')) && f.name === name;
const field = (name: string | RegExp) => (f: Focus) => ['input', 'textarea', 'select'].includes(f.tag) && (typeof name === 'string' ? f.name.startsWith(name) : name.test(f.name));

/** Signs in from the login form: the skip link first, then the fields, typed, and Enter. */
async function signIn(page: Page, email: string) {
  await page.goto(`${e2e.server.url}/login`);
  const skip = await tabTo(page, () => true, 'the first stop');
  expect(skip.name).toBe('本文へ移動');
  await tabTo(page, field('メールアドレス'), 'the email field');
  await page.keyboard.type(email);
  await tabTo(page, (f) => f.tag === 'input' && f.type === 'password', 'the password field');
  await page.keyboard.type(PASSWORD);
  await pressAndLoad(page, 'Enter');
  expect(new URL(page.url()).pathname).not.toBe('/login');
}

async function signOut(page: Page) {
  await tabTo(page, button('ログアウト'), 'the sign-out button');
  await pressAndLoad(page, 'Enter');
}

const mainText = async (page: Page) => ((await page.locator('main').textContent()) ?? '').replace(/\s+/g, ' ');

describe('keyboard only, no mouse', () => {
  it('a staff member applies for a training, and the approver endorses the application', async () => {
    const ctx = e2e.server.ctx;
    const dept = await createUnit(ctx, null, { kind: 'department', name: '総務部', kana: 'ソウムブ' });
    const unit = await createUnit(ctx, null, { kind: 'division', name: '人事課', kana: 'ジンジカ', parentId: dept.id });
    const approver = await makeUser(ctx, ['approver', 'staff'], { unitId: unit.id, email: 'kacho@pref.example.jp', name: '人事 課長' });
    const applicant = await makeUser(ctx, ['staff'], { unitId: unit.id, email: 'tanaka@pref.example.jp', name: '田中 花子', kana: 'タナカ ハナコ' });
    const programme = await createProgramme(ctx, null, { name: '協働推進セミナー' });
    const now = Date.now();
    const offering = await createOffering(ctx, null, {
      programmeId: programme.id,
      fiscalYear: 2026,
      title: '協働推進セミナー 現地研修（キーボード）',
      selection: 'first_come',
      capacity: 10,
      endorsementRequired: true,
      applicationOpensAt: new Date(now - 24 * HOUR).toISOString(),
      applicationClosesAt: new Date(now + 24 * HOUR).toISOString(),
    });
    await addSession(ctx, null, offering.id, { title: '活動現場の見学', format: 'field', startsAt: '2027-01-15T13:30:00+09:00', endsAt: '2027-01-15T16:30:00+09:00', venue: '草津市 まちづくりセンター' });
    const page = await e2e.browser.newPage({ locale: 'ja-JP' });

    // 1. The staff member: menu → catalogue → the training → apply.
    await signIn(page, applicant.email);
    await tabTo(page, link('研修一覧'), 'the menu link 研修一覧');
    await pressAndLoad(page, 'Enter');
    await tabTo(page, link(offering.title), 'the training in the catalogue');
    await pressAndLoad(page, 'Enter');
    await tabTo(page, button('この研修に申し込む'), 'the apply button');
    await page.screenshot({ path: join(artifacts, 'keyboard-apply-focus.png') });
    await pressAndLoad(page, 'Enter');
    expect(await mainText(page)).toContain('あなたの申込み：申込み済み');
    await expectAccessible(page, 'keyboard: applied');
    await signOut(page);

    // 2. The approver: menu → approvals → comment → endorse.
    await signIn(page, approver.email);
    await tabTo(page, link('推薦・承認'), 'the menu link 推薦・承認');
    await pressAndLoad(page, 'Enter');
    expect(await mainText(page)).toContain('田中 花子');
    await tabTo(page, field('コメント'), 'the comment field');
    await page.keyboard.type('現場経験を業務に生かしてください。');
    await tabTo(page, button('推薦・承認する'), 'the endorse button');
    await page.screenshot({ path: join(artifacts, 'keyboard-endorse-focus.png') });
    await pressAndLoad(page, 'Enter');
    expect(await mainText(page)).toContain('推薦・承認を待っている申込みはありません。');
    await expectAccessible(page, 'keyboard: endorsed');
    const row = await ctx.db.selectFrom('applications').select(['status', 'endorse_comment']).where('person_id', '=', applicant.id).executeTakeFirstOrThrow();
    expect(row.status).not.toBe('applied');
    expect(row.endorse_comment).toBe('現場経験を業務に生かしてください。');
    await page.close();
  });

  it('a participant answers the questionnaire after a session', async () => {
    const ctx = e2e.server.ctx;
    const programme = await createProgramme(ctx, null, { name: '協働推進セミナー（回答）' });
    const now = Date.now();
    const offering = await createOffering(ctx, null, {
      programmeId: programme.id,
      fiscalYear: 2026,
      title: '協働推進セミナー（キーボードで回答）',
      selection: 'first_come',
      capacity: 30,
      applicationOpensAt: new Date(now - 30 * 24 * HOUR).toISOString(),
      applicationClosesAt: new Date(now + 30 * 24 * HOUR).toISOString(),
    });
    await addSession(ctx, null, offering.id, { title: '講義：協働の基礎', format: 'lecture', startsAt: new Date(now - 3 * HOUR).toISOString(), endsAt: new Date(now - 60_000).toISOString() });
    const participant = await makeUser(ctx, ['staff'], { email: 'kaitou@pref.example.jp', name: '回答 次郎' });
    await apply(ctx, toCurrentUser((await getPerson(ctx, participant.id))!), offering.id, {});
    expect(await createDueSurveys(ctx)).toBe(1);
    const page = await e2e.browser.newPage({ locale: 'ja-JP' });

    await signIn(page, participant.email);
    await tabTo(page, link('アンケート'), 'the menu link アンケート');
    await pressAndLoad(page, 'Enter');
    await tabTo(page, link(/協働推進セミナー（キーボードで回答）/), 'the questionnaire in the list');
    await pressAndLoad(page, 'Enter');
    await expectAccessible(page, 'keyboard: questionnaire');
    // Every question on the way: a scale or a choice gets its first option with Space (Tab reaches each
    // group once), a free text gets a sentence; then Enter on the send button.
    const answered: string[] = [];
    let sent = false;
    for (let i = 0; i < 200; i++) {
      await page.keyboard.press('Tab');
      const f = (await focused(page))!;
      expect(f.visible && f.onScreen, `focus not visible on ${f.tag} "${f.name}"`).toBe(true);
      if (f.type === 'radio' && !f.checkedInGroup) {
        await page.keyboard.press('Space');
        answered.push(`${f.group} → ${f.name}`);
      } else if (f.tag === 'textarea') {
        await page.keyboard.type('現場を見て、協働の意味がよくわかりました。');
        answered.push(`${f.name} → text`);
      } else if (button('回答を送信する')(f)) {
        await page.screenshot({ path: join(artifacts, 'keyboard-survey-focus.png') });
        await pressAndLoad(page, 'Enter');
        sent = true;
        break;
      }
    }
    expect(sent, 'the send button was reached with Tab').toBe(true);
    expect(answered.some((a) => a.includes('満足度') && a.endsWith('5：満足')), answered.join('\n')).toBe(true);
    expect(await mainText(page)).toContain('ご回答ありがとうございました');
    const invitation = await ctx.db.selectFrom('survey_invitations').select('responded_on').where('person_id', '=', participant.id).executeTakeFirstOrThrow();
    expect(invitation.responded_on).not.toBeNull();
    await page.close();
  });

  it('the accessibility report is reached from the footer, its page list opens with the keyboard, on a desktop and on a phone', async () => {
    for (const viewport of [{ width: 1280, height: 720 }, { width: 390, height: 844 }]) {
      const page = await e2e.browser.newPage({ locale: 'ja-JP', viewport });
      await page.goto(`${e2e.server.url}/login`);
      await tabTo(page, link('ウェブアクセシビリティ試験結果'), 'the footer link');
      await pressAndLoad(page, 'Enter');
      expect(await page.title()).toBe('ウェブアクセシビリティ試験結果 | Kyodo 協働研修');
      expect(await mainText(page)).toMatch(/満たしている適合レベル\s*AA (一部)?準拠/);
      // The folded list of pages opens with Enter on its summary.
      await tabTo(page, (f) => f.tag === 'summary' && f.name.startsWith('試験を行ったページの一覧'), 'the list of pages');
      await page.keyboard.press('Enter');
      expect(await page.locator('main details').getAttribute('open')).not.toBeNull();
      const m = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, inner: window.innerWidth }));
      expect(m.scroll, `no sideways scrolling at ${viewport.width}`).toBe(m.inner);
      await expectAccessible(page, `accessibility report ${viewport.width}`);
      await page.screenshot({ path: join(artifacts, `accessibility-report-${viewport.width}.png`) });
      await page.close();
    }
  });
});
