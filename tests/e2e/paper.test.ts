import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { extractText, getDocumentProxy } from 'unpdf';
import { describe, expect, it } from 'vitest';
import { tokyoLocalToUtc } from '../../src/domain/calendar.js';
import { apply } from '../../src/services/application.service.js';
import { toCurrentUser } from '../../src/services/context.js';
import { addSession, createOffering, createProgramme } from '../../src/services/offering.service.js';
import { getPerson } from '../../src/services/person.service.js';
import { createUnit } from '../../src/services/unit.service.js';
import { makeUser } from '../support/http.js';
import { artifacts, expectAccessible, login, useE2e } from './browser.js';

const e2e = useE2e();

/** A4 less the print CSS's 15 mm margins, in CSS pixels (96 per inch): 180 mm. */
const A4_CONTENT_PX = Math.floor((180 / 25.4) * 96);

describe('paper in Chromium (issue 16 §3)', () => {
  it('the admin opens the roster’s print view from the offering page: it passes axe and prints on A4 without overflow', async () => {
    const ctx = e2e.server.ctx;
    const admin = await makeUser(ctx, ['admin', 'staff'], { email: 'paper-admin@pref.example.jp' });
    const dept = (await createUnit(ctx, null, { kind: 'department', name: '総務部', kana: 'ソウムブ' })).id;
    const unit = (await createUnit(ctx, null, { kind: 'division', name: '総務課', kana: 'ソウムカ', parentId: dept })).id;
    const programme = await createProgramme(ctx, null, { name: '協働推進セミナー', kind: 'seminar' });
    const now = Date.now();
    const offering = await createOffering(ctx, null, {
      programmeId: programme.id,
      fiscalYear: 2026,
      title: '協働推進セミナー（名簿）',
      selection: 'first_come',
      capacity: 30,
      applicationOpensAt: new Date(now - 86_400_000).toISOString(),
      applicationClosesAt: new Date(now + 30 * 86_400_000).toISOString(),
    });
    await addSession(ctx, null, offering.id, { title: '第1回 講義', format: 'lecture', startsAt: tokyoLocalToUtc('2027-01-13', '10:00').toISOString(), endsAt: tokyoLocalToUtc('2027-01-13', '12:00').toISOString(), venue: '県庁本館', belongings: '筆記用具' });
    const names = ['髙橋 花子', '阿部 一郎', '渡辺 健', '長谷川 美咲', '小野寺 隆之介'];
    const kanas = ['タカハシ ハナコ', 'アベ イチロウ', 'ワタナベ ケン', 'ハセガワ ミサキ', 'オノデラ リュウノスケ'];
    for (const [i, name] of names.entries()) {
      const p = await makeUser(ctx, ['staff'], { name, kana: kanas[i], unitId: unit });
      await ctx.db.updateTable('people').set({ staff_number: `10${i}`, title: i % 2 ? '主査' : '主任主事' }).where('id', '=', p.id).execute();
      await apply(ctx, toCurrentUser((await getPerson(ctx, p.id))!), offering.id, {});
    }

    const page = await e2e.browser.newPage({ locale: 'ja-JP', viewport: { width: 1280, height: 900 } });
    await login(page, e2e.server.url, admin.email);
    await page.goto(`${e2e.server.url}/admin/offerings/${offering.id}`);
    await page.getByRole('link', { name: '名簿・通知の印刷' }).click();
    await expectAccessible(page, 'paper: menu');
    await page.getByRole('link', { name: '印刷用の表示' }).first().click();
    await expect(page.getByRole('heading', { level: 1 })).toBeDefined();
    const table = page.getByRole('table', { name: /受講者名簿（5名、フリガナ順）/ });
    const rows = await table.locator('tbody tr th').allTextContents();
    expect(rows).toEqual(['阿部 一郎', '小野寺 隆之介', '髙橋 花子', '長谷川 美咲', '渡辺 健']);
    await expectAccessible(page, 'paper: roster print view');
    await page.screenshot({ path: join(artifacts, 'paper-roster-1280.png'), fullPage: true });

    // Printed: the menu and links go, and the page is no wider than A4's printable width.
    await page.emulateMedia({ media: 'print' });
    await page.setViewportSize({ width: A4_CONTENT_PX, height: 1000 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(A4_CONTENT_PX);
    expect(await page.locator('.site-header').isVisible()).toBe(false);
    const pdf = await page.pdf({ format: 'A4', preferCSSPageSize: true });
    writeFileSync(join(artifacts, 'paper-roster.pdf'), pdf);
    const doc = await getDocumentProxy(new Uint8Array(pdf));
    expect(doc.numPages).toBe(1);
    expect((await doc.getPage(1)).view.map((v) => Math.round(v))).toEqual([0, 0, 595, 842]);
    const { text } = await extractText(doc, { mergePages: true });
    // Chromium's PDF maps some kanji to radical code points (子 as ⼦, 長 as ⻑) when read back: check the フリガナ there.
    for (const k of kanas) expect(text.replace(/\s+/g, ' ')).toContain(k);

    // On a phone the print view stays readable: no horizontal scroll of the page itself.
    await page.emulateMedia({ media: 'screen' });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: join(artifacts, 'paper-roster-390.png'), fullPage: true });
    await page.goto(`${e2e.server.url}/admin/offerings/${offering.id}/unit-notices`);
    // Opening the print view numbers nothing: the number and date are blanks marked 未発行.
    expect(await page.locator('.paper-sheet__number').allTextContents()).toEqual(['協働第　　号（未発行）']);
    const issued = () => ctx.db.selectFrom('issued_documents').select('number').where('kind', '=', 'unit_notice').execute();
    expect(await issued()).toEqual([]);
    await expectAccessible(page, 'paper: unit notices');
    await page.screenshot({ path: join(artifacts, 'paper-unit-notices-unissued-390.png'), fullPage: true });
    // Issuing asks first: pressed without the tick, it says so and numbers nothing.
    const issue = page.getByRole('button', { name: '文書番号を付けて発行する（1件）' });
    await issue.click();
    expect(await page.getByRole('alert').textContent()).toContain('発行してよいか確認の欄にチェックを入れてください。');
    expect(await issued()).toEqual([]);
    await page.getByRole('checkbox', { name: /未発行の1通に、文書番号と今日の日付/ }).check();
    await page.getByRole('button', { name: '文書番号を付けて発行する（1件）' }).click();
    await page.waitForURL(/unit-notices\?issued=1$/);
    expect(await page.getByRole('status').first().textContent()).toContain('1通の通知に文書番号と日付を付けて発行しました。');
    const [number] = await issued();
    expect(await page.locator('.paper-sheet__number').allTextContents()).toEqual([number.number]);
    await expectAccessible(page, 'paper: unit notices issued');
    await page.screenshot({ path: join(artifacts, 'paper-unit-notices-390.png'), fullPage: true });
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.screenshot({ path: join(artifacts, 'paper-unit-notices-1280.png'), fullPage: true });
    // The unit's notice prints on one A4 sheet, without the page's heading and links.
    await page.emulateMedia({ media: 'print' });
    const notice = await page.pdf({ format: 'A4', preferCSSPageSize: true });
    writeFileSync(join(artifacts, 'paper-unit-notices.pdf'), notice);
    const sheet = await getDocumentProxy(new Uint8Array(notice));
    expect(sheet.numPages).toBe(1);
    const noticeText = (await extractText(sheet, { mergePages: true })).text.replace(/\s+/g, ' ');
    expect(noticeText).toContain(number.number);
    expect(noticeText).not.toContain('発行しました');
    expect(noticeText).toMatch(/総務課 所属. 様/); // 長 reads back as the radical ⻑ from Chromium's PDF
    expect(noticeText).not.toContain('ブラウザの印刷機能');
    await page.close();
  });
});
