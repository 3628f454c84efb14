import { describe, expect, it } from 'vitest';
import { tokyoLocalToUtc } from '../../src/domain/calendar.js';
import { apply } from '../../src/services/application.service.js';
import { addSession, createOffering, createProgramme } from '../../src/services/offering.service.js';
import { getPerson } from '../../src/services/person.service.js';
import { makeUser } from '../support/http.js';
import { expectAccessible, login, logout, useE2e, waitForMail } from './browser.js';
import { toCurrentUser } from '../../src/services/context.js';

const e2e = useE2e({ smtp: true });

describe('bulk tasks in Chromium (issue 16 §2.1–2.2)', () => {
  it('the admin copies an offering into 令和9年度 and messages its confirmed participants; a participant reads the copy', async () => {
    const ctx = e2e.server.ctx;
    const admin = await makeUser(ctx, ['admin', 'staff'], { email: 'bulk-admin@pref.example.jp' });
    const staff = [
      await makeUser(ctx, ['staff'], { email: 'p1@pref.example.jp', name: '受講 一' }),
      await makeUser(ctx, ['staff'], { email: 'p2@pref.example.jp', name: '受講 二' }),
      await makeUser(ctx, ['staff'], { email: 'p3@pref.example.jp', name: '受講 三' }),
    ];
    const programme = await createProgramme(ctx, null, { name: '協働推進セミナー', kind: 'seminar' });
    const now = Date.now();
    const offering = await createOffering(ctx, null, {
      programmeId: programme.id,
      fiscalYear: 2026,
      title: '協働推進セミナー（一括作業）',
      selection: 'first_come',
      capacity: 2,
      applicationOpensAt: new Date(now - 86_400_000).toISOString(),
      applicationClosesAt: new Date(now + 30 * 86_400_000).toISOString(),
    });
    const actor = toCurrentUser((await getPerson(ctx, admin.id))!);
    for (const [title, date, from, to] of [
      ['第1回 講義', '2027-01-13', '10:00', '12:00'],
      ['第2回 演習', '2027-02-24', '13:30', '16:30'],
    ])
      await addSession(ctx, actor, offering.id, { title, format: 'lecture', startsAt: tokyoLocalToUtc(date, from).toISOString(), endsAt: tokyoLocalToUtc(date, to).toISOString(), venue: '県庁本館' });
    for (const s of staff) await apply(ctx, toCurrentUser((await getPerson(ctx, s.id))!), offering.id, {});

    const page = await e2e.browser.newPage({ locale: 'ja-JP' });
    await login(page, e2e.server.url, admin.email);
    // From the home page, through the menu, to the offering.
    await page.goto(`${e2e.server.url}/`);
    await page.getByRole('navigation', { name: 'メインメニュー' }).getByRole('link', { name: '研修の実施' }).click();
    await page.getByRole('link', { name: '協働推進セミナー（一括作業）' }).first().click();

    // 1. Copy into 令和9年度: the dates first, the one on 天皇誕生日 said to move.
    await page.getByRole('link', { name: '別の年度に複製' }).click();
    await page.getByLabel('複製先の年度').fill('令和9年度');
    await page.getByRole('button', { name: '日程を確認する' }).click();
    const plan = (await page.locator('main').textContent()) ?? '';
    expect(plan).toContain('令和9年度 (2027)の日程（案）');
    expect(plan).toContain('祝日（天皇誕生日）のため移しました');
    await expectAccessible(page, 'copy: dates');
    await page.getByRole('button', { name: '令和9年度 (2027)に複製する' }).click();
    await expect(page.locator('main').textContent()).resolves.toContain('回2件のうち1件を、土日・祝日を避けて移しました。');
    await expectAccessible(page, 'copy: done');
    await page.getByRole('link', { name: '複製した研修を開く' }).click();
    await expect(page.locator('#f-fiscalYear').inputValue()).resolves.toBe('2027');
    expect(await page.getByLabel('職員に公開する').isChecked()).toBe(false);

    // 2. Message the confirmed participants of the original: how many, then confirm.
    await page.goto(`${e2e.server.url}/admin/offerings/${offering.id}`);
    await page.getByRole('link', { name: '受講者に連絡' }).click();
    await expectAccessible(page, 'message form');
    await page.getByLabel('受講決定（2人）').check();
    await page.getByLabel('件名').fill('第1回の持ち物');
    await page.getByLabel('本文').fill('筆記用具と名札をお持ちください。');
    await page.getByRole('button', { name: '宛先の人数を確認する' }).click();
    await expect(page.locator('main').textContent()).resolves.toContain('この連絡を2人に送ります。');
    await expectAccessible(page, 'message confirmation');
    await page.getByLabel('2人に送ることを確認しました').check();
    await page.getByRole('button', { name: '2人に送る' }).click();
    await expect(page.locator('main').textContent()).resolves.toContain('2人への連絡を送信待ちにしました。');
    await logout(page);

    const mail = await waitForMail(e2e.smtp!, 'p1@pref.example.jp', '第1回の持ち物');
    expect(mail.text).toContain('筆記用具と名札をお持ちください。');

    // 3. The participant finds their copy from their own page.
    await login(page, e2e.server.url, 'p1@pref.example.jp');
    await page.goto(`${e2e.server.url}/my/trainings`);
    await page.getByRole('link', { name: '研修事務局からの連絡' }).click();
    const mine = (await page.locator('main').textContent()) ?? '';
    expect(mine).toContain('第1回の持ち物');
    expect(mine).toContain('協働推進セミナー（一括作業）');
    await expectAccessible(page, 'my messages');
    await logout(page);
    // The waitlisted one got nothing.
    await login(page, e2e.server.url, 'p3@pref.example.jp');
    await page.goto(`${e2e.server.url}/my/messages`);
    await expect(page.locator('main').textContent()).resolves.toContain('まだ連絡はありません。');
    await page.close();
  }, 120_000);
});
