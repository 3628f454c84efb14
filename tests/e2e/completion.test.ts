import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { offeringRepository } from '../../src/db/repositories/offering.repository.js';
import { apply } from '../../src/services/application.service.js';
import { addSession, createOffering, createProgramme } from '../../src/services/offering.service.js';
import { getPerson } from '../../src/services/person.service.js';
import { sampleOffering } from '../../src/services/sample-data/offerings.js';
import { makeUser } from '../support/http.js';
import { artifacts, expectAccessible, login, logout, useE2e } from './browser.js';
import { toCurrentUser } from '../../src/services/context.js';

const e2e = useE2e({ smtp: false });

describe('completion journey in Chromium', () => {
  it('attendance and kiosk → assignment accepted → completion and A4 certificate → verification → coordinator directory', async () => {
    const ctx = e2e.server.ctx;
    const admin = await makeUser(ctx, ['admin', 'staff'], { email: 'admin@pref.example.jp', name: '研修 担当' });
    const people = [
      await makeUser(ctx, ['staff'], { email: 'kimura@pref.example.jp', name: '木村 さくら', kana: 'キムラ サクラ' }),
      await makeUser(ctx, ['staff'], { email: 'ono@pref.example.jp', name: '小野 健', kana: 'オノ ケン' }),
      await makeUser(ctx, ['staff'], { email: 'ueda@pref.example.jp', name: '上田 実', kana: 'ウエダ ミノル' }),
    ];
    const programme = await createProgramme(ctx, null, { name: '協働コーディネーター養成講座', kind: 'coordinator_course' });
    const now = Date.now();
    const offering = await createOffering(ctx, null, {
      programmeId: programme.id,
      fiscalYear: 2026,
      title: '協働コーディネーター養成講座（令和8年度）',
      selection: 'first_come',
      capacity: 10,
      applicationOpensAt: new Date(now - 86_400_000).toISOString(),
      applicationClosesAt: new Date(now + 86_400_000).toISOString(),
    });
    await offeringRepository.update(ctx.db, offering.id, { completion_rule: JSON.stringify({ minSessions: 2, assignment: true }) });
    const s1 = await addSession(ctx, null, offering.id, { title: '協働の理論と事例', format: 'lecture', startsAt: new Date(now - 7 * 86_400_000).toISOString(), endsAt: new Date(now - 7 * 86_400_000 + 3 * 3_600_000).toISOString() });
    const s2 = await addSession(ctx, null, offering.id, { title: '合意形成の技法', format: 'workshop', startsAt: new Date(now).toISOString(), endsAt: new Date(now + 3 * 3_600_000).toISOString() });
    // A session two months ahead: nothing but 公務等 can be recorded for it yet.
    const s3 = await addSession(ctx, null, offering.id, { title: '協働事業の評価', format: 'lecture', startsAt: new Date(now + 60 * 86_400_000).toISOString(), endsAt: new Date(now + 60 * 86_400_000 + 3 * 3_600_000).toISOString() });
    const apps = [];
    for (const p of people) apps.push(await apply(ctx, toCurrentUser((await getPerson(ctx, p.id))!), offering.id, {}));

    const page = await e2e.browser.newPage({ locale: 'ja-JP' });
    // 1. The admin marks attendance; one participant checks in at the kiosk.
    await login(page, e2e.server.url, admin.email);
    await page.goto(`${e2e.server.url}/admin/sessions/${s1.id}/attendance`);
    await expectAccessible(page, 'attendance');
    await page.getByRole('button', { name: '全員を出席にする' }).click();
    await expect(page.locator('main').textContent()).resolves.toContain('3件の出欠を保存しました。');
    await page.getByRole('link', { name: '出席簿を印刷する' }).click();
    await expect(page.locator('table').textContent()).resolves.toContain(apps[0].participant_code);
    // 「全員を出席にする」 before the session has started is refused, saying from when; nothing is saved.
    await page.goto(`${e2e.server.url}/admin/sessions/${s3.id}/attendance`);
    const early = page.waitForResponse((r) => r.url().endsWith(`/admin/sessions/${s3.id}/attendance`) && r.request().method() === 'POST');
    await page.getByRole('button', { name: '全員を出席にする' }).click();
    expect((await early).status()).toBe(422);
    const refusal = (await page.getByRole('alert').textContent())!;
    expect(refusal).toMatch(/この回は\d{4}年\d{1,2}月\d{1,2}日\(.\) \d{2}:\d{2}に始まります。/);
    expect(refusal).toContain('公務等は前もって入力できます');
    await expectAccessible(page, 'attendance refused');
    for (const p of people) await expect(page.getByLabel(p.name).inputValue()).resolves.toBe('');
    // 公務等 may be entered ahead.
    await page.getByLabel('上田 実').selectOption('excused');
    await page.getByRole('button', { name: '出欠を保存する' }).click();
    await expect(page.locator('main').textContent()).resolves.toContain('1件の出欠を保存しました。');

    // The kiosk is for participants: no admin menu, the code field has the focus, the wrong day is named as such.
    await page.goto(`${e2e.server.url}/kiosk/sessions/${s2.id}`);
    await expectAccessible(page, 'kiosk');
    await expect(page.getByRole('navigation', { name: 'メインメニュー' }).count()).resolves.toBe(0);
    await expect(page.getByRole('link', { name: '研修の実施' }).count()).resolves.toBe(0);
    await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe('f-code');
    await page.goto(`${e2e.server.url}/kiosk/sessions/${s1.id}`);
    await page.getByLabel('参加者コード').fill(apps[1].participant_code);
    await page.getByRole('button', { name: '受付する' }).click();
    const wrongDay = (await page.locator('.kiosk-result').textContent())!;
    expect(wrongDay).toContain('本日は、この回の開催日ではありません。');
    expect(wrongDay).toMatch(/この回の開催日は\d{4}年\d{1,2}月\d{1,2}日\(.\)です。/);
    expect(wrongDay).not.toContain('使えません');
    await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe('f-code');
    await page.screenshot({ path: join(artifacts, 'kiosk.png'), fullPage: true });
    await page.goto(`${e2e.server.url}/kiosk/sessions/${s2.id}`);
    await page.getByLabel('参加者コード').fill('XXXX-0000');
    await page.getByRole('button', { name: '受付する' }).click();
    await expect(page.locator('.kiosk-result').textContent()).resolves.toContain('この参加者コードは見つかりません。');
    await page.getByLabel('参加者コード').fill(apps[0].participant_code);
    await page.getByRole('button', { name: '受付する' }).click();
    await expect(page.locator('.kiosk-result').textContent()).resolves.toContain('木村 さくらさん、受付しました（出席）。');
    await page.goto(`${e2e.server.url}/admin/sessions/${s2.id}/attendance`);
    await page.getByLabel('小野 健').selectOption('present');
    await page.getByLabel('上田 実').selectOption('absent');
    await page.getByRole('button', { name: '出欠を保存する' }).click();
    await logout(page);

    // 2. The participant submits the assignment; the admin accepts it.
    await login(page, e2e.server.url, people[0].email);
    await page.goto(`${e2e.server.url}/my/applications/${apps[0].id}`);
    await page.getByLabel('課題（本文）').fill('現地研修で学んだ合意形成の進め方を、所属の協働事業に生かします。');
    const pdf = join(e2e.dataDir, 'report.pdf');
    writeFileSync(pdf, '%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');
    await page.getByLabel('ファイル').setInputFiles(pdf);
    await page.getByRole('button', { name: '提出する' }).click();
    await expect(page.locator('main').textContent()).resolves.toContain('課題を提出しました。');
    await logout(page);
    await login(page, e2e.server.url, admin.email);
    await page.goto(`${e2e.server.url}/admin/offerings/${offering.id}/completion`);
    await expectAccessible(page, 'completion');
    await page.getByRole('button', { name: '受理する' }).click();

    // A stricter rule that would revoke the new certificate says how many, and asks first.
    await page.getByText('修了の条件を変更する').click();
    await page.getByLabel('最低出席回数').fill('3');
    await page.getByRole('button', { name: '保存する' }).first().click();
    await expect(page.locator('h1').textContent()).resolves.toBe('修了の条件の変更の確認');
    const ask = (await page.locator('main').textContent())!;
    expect(ask).toContain('修了を取り消す人数：1人');
    expect(ask).toContain('失効する修了証：1件');
    await expectAccessible(page, 'confirm rule');
    await page.getByRole('link', { name: 'キャンセル' }).click();

    // 3. Completion appears, and the certificate prints on A4.
    const row = page.locator('tr', { hasText: '木村 さくら' });
    await expect(row.textContent()).resolves.toContain('修了');
    const number = (await row.getByRole('link', { name: /KYODO-2026-/ }).textContent())!;
    expect(number).toMatch(/^KYODO-2026-\d{6}$/);
    await row.getByRole('link', { name: number }).click();
    await expectAccessible(page, 'certificate');
    const qrLabel = (await page.locator('.certificate .qr').getAttribute('aria-label'))!;
    const verifyUrl = qrLabel.slice(qrLabel.indexOf('http'));
    // The QR code carries the unguessable verification code printed beside it, not the number (issue 17).
    const code = (await page.locator('.certificate__code .code').textContent())!;
    expect(code).toMatch(/^([0-9A-F]{4}-){5}[0-9A-F]{4}$/);
    expect(verifyUrl).toBe(`${e2e.server.url}/verify/${code}`);
    await page.setViewportSize({ width: 794, height: 1123 }); // A4 at 96 dpi
    await page.emulateMedia({ media: 'print' });
    await page.screenshot({ path: join(artifacts, 'certificate-a4.png'), fullPage: true });
    const title = await page.locator('.certificate__title').screenshot();
    await page.evaluate(() => {
      const s = document.createElement('h2');
      s.className = 'certificate__title';
      s.id = 'tofu';
      s.textContent = '\u{F0001}\u{F0002}\u{F0003}';
      document.querySelector('.certificate')!.prepend(s);
    });
    expect(Buffer.compare(title, await page.locator('#tofu').screenshot())).not.toBe(0);
    await page.emulateMedia({ media: 'screen' });
    await page.setViewportSize({ width: 1280, height: 900 });
    await logout(page);

    // 4. Anyone can verify it, by the code typed from paper and by the QR code's URL; the number alone is not enough.
    const anon = await e2e.browser.newPage({ locale: 'ja-JP' });
    await anon.goto(`${e2e.server.url}/verify`);
    await anon.getByLabel('確認コード').fill(number);
    await anon.getByRole('button', { name: '確認する' }).click();
    await expect(anon.locator('main').textContent()).resolves.toContain('この確認コードの修了証はありません');
    await anon.getByLabel('確認コード').fill(code.toLowerCase().replace(/-/g, ' '));
    await anon.getByRole('button', { name: '確認する' }).click();
    await expect(anon.locator('main').textContent()).resolves.toContain('有効な修了証です。');
    await expectAccessible(anon, 'verify');
    await anon.goto(verifyUrl);
    const verified = (await anon.locator('main').textContent())!;
    expect(verified).toContain('有効な修了証です。');
    expect(verified).toContain('木村 さくら');
    expect(verified).not.toContain('kimura@pref.example.jp');
    await anon.close();

    // 5. The new coordinator is in the directory.
    await login(page, e2e.server.url, people[1].email);
    await page.getByRole('navigation', { name: 'メインメニュー' }).getByRole('link', { name: '協働コーディネーター' }).click();
    await expectAccessible(page, 'coordinators');
    const cards = (await page.locator('main').textContent())!;
    expect(cards).toContain('木村 さくら');
    expect(cards).not.toContain('上田 実');
    await page.close();
  });

  it('the trend chart on /admin/reports has readable year labels for 16 years, on a desktop and on a phone', async () => {
    const ctx = e2e.server.ctx;
    const admin = await makeUser(ctx, ['admin'], { email: 'report-admin@pref.example.jp', name: '報告 担当' });
    const programme = await createProgramme(ctx, null, { name: '協働推進セミナー（報告）', kind: 'seminar' });
    // Records since 平成23年度 (2011): sixteen years or more on the axis.
    await sampleOffering(ctx.db, new Date(), {
      programme_id: programme.id,
      fiscal_year: 2011,
      title: '協働推進セミナー（平成23年度）',
      selection: 'first_come',
      capacity: 40,
      opens: new Date('2011-04-15T00:00:00Z'),
      closes: new Date('2011-05-31T08:00:00Z'),
    });
    const page = await e2e.browser.newPage({ locale: 'ja-JP' });
    await login(page, e2e.server.url, admin.email);
    for (const [name, width] of [['desktop', 1280], ['phone', 375]] as const) {
      await page.setViewportSize({ width, height: 900 });
      await page.goto(`${e2e.server.url}/admin/reports`);
      const charts = page.locator('figure.chart--line');
      await expect(charts.count()).resolves.toBe(2);
      for (let k = 0; k < 2; k++) {
        const boxes = await charts.nth(k).locator('.chart__category').evaluateAll((els) => els.map((e) => {
          const r = e.getBoundingClientRect();
          return { x: r.x, y: r.y, w: r.width, h: r.height, text: e.textContent ?? '' };
        }));
        expect(boxes.length, `${name}: labels drawn`).toBeGreaterThanOrEqual(8);
        // Two lines, wareki and western: the most recent year is always labelled.
        expect(boxes.at(-1)!.text).toMatch(/^令和(元|\d+)20\d\d$/);
        expect(boxes.every((b) => /^(平成|令和)(元|\d+)(19|20)\d\d$/.test(b.text))).toBe(true);
        for (let i = 1; i < boxes.length; i++) {
          const a = boxes[i - 1];
          const b = boxes[i];
          const overlap = a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
          expect(overlap, `${name}: 「${a.text}」 and 「${b.text}」 overlap`).toBe(false);
        }
        // Readable: two lines, each at least 10 px tall on the screen.
        expect(Math.min(...boxes.map((b) => b.h)), `${name}: label height`).toBeGreaterThanOrEqual(20);
      }
      await expectAccessible(page, `reports ${name}`);
      await page.locator('figure.chart--line').first().screenshot({ path: join(artifacts, `report-trend-${name}.png`) });
    }
    await page.close();
  });
});
