import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createOffering, createProgramme } from '../../src/services/offering.service.js';
import { createPartner } from '../../src/services/partner.service.js';
import { sampleOffering } from '../../src/services/sample-data/offerings.js';
import { createUnit } from '../../src/services/unit.service.js';
import { makeUser } from '../support/http.js';
import { artifacts, expectAccessible, login, logout, useE2e, waitForMail } from './browser.js';

const e2e = useE2e({ smtp: true });

describe('partner journey in Chromium', () => {
  it('invite → set password, edit profile, add a site, offer a visit → scheduled → staff confirmed → host downloads the roster', async () => {
    const ctx = e2e.server.ctx;
    await createUnit(ctx, null, { kind: 'municipality', name: '草津市', kana: 'クサツシ', code: '252069' });
    const admin = await makeUser(ctx, ['admin', 'staff'], { email: 'admin@pref.example.jp' });
    const staff = [await makeUser(ctx, ['staff'], { email: 'a@pref.example.jp', name: '県職員 一' }), await makeUser(ctx, ['staff'], { email: 'b@pref.example.jp', name: '県職員 二' })];
    const partner = await createPartner(ctx, null, { name: 'NPO法人 くさつ子育てネット', kana: 'クサツコソダテネット', type: 'npo' });
    const programme = await createProgramme(ctx, null, { name: '協働推進セミナー', kind: 'seminar' });
    const now = Date.now();
    const offering = await createOffering(ctx, null, {
      programmeId: programme.id,
      fiscalYear: 2026,
      title: '協働推進セミナー（令和8年度）',
      selection: 'first_come',
      capacity: 30,
      seats: { partner: 3 },
      applicationOpensAt: new Date(now - 86_400_000).toISOString(),
      applicationClosesAt: new Date(now + 30 * 86_400_000).toISOString(),
    });
    const course = await createProgramme(ctx, null, { name: '協働コーディネーター養成講座', kind: 'coordinator_course' });
    await sampleOffering(ctx.db, new Date(), { programme_id: course.id, fiscal_year: 2011, title: '協働コーディネーター養成講座（平成23年度）', selection: 'first_come', capacity: 20, opens: new Date('2011-05-01T00:00:00Z'), closes: new Date('2011-06-01T00:00:00Z') });
    const page = await e2e.browser.newPage({ locale: 'ja-JP' });

    // 1. The admin invites a partner member.
    await login(page, e2e.server.url, admin.email);
    await page.goto(`${e2e.server.url}/admin/partners/${partner.id}`);
    await expectAccessible(page, 'partner (admin)');
    const invite = page.locator('form[action$="/members"]');
    await invite.getByLabel('氏名').fill('子育て 担当');
    await invite.getByLabel('フリガナ').fill('コソダテ タントウ');
    await invite.getByLabel('メールアドレス').fill('staff@kosodate.example.jp');
    await page.getByRole('button', { name: 'メンバーを招待する' }).click();
    await expect(page.locator('main').textContent()).resolves.toContain('招待メールを送信しました。');
    await logout(page);

    // 2. The member sets a password, edits the profile, adds a site and offers a visit.
    const invitation = await waitForMail(e2e.smtp!, 'staff@kosodate.example.jp', 'アカウントへの招待');
    const link = invitation.text.match(/http:\/\/\S+\/password\/set\/[\w-]+/)![0];
    await page.goto(link);
    await page.locator('#f-password').fill('kosodate-2026-pass');
    await page.getByLabel('パスワード（確認）').fill('kosodate-2026-pass');
    await page.getByRole('button', { name: 'パスワードを設定する' }).click();
    await login(page, e2e.server.url, 'staff@kosodate.example.jp', 'kosodate-2026-pass');
    await page.getByRole('navigation', { name: 'メインメニュー' }).getByRole('link', { name: '団体のページ' }).click();
    await expectAccessible(page, 'partner home');
    const profile = page.locator('form[action="/partner"]');
    await profile.getByLabel('分野').fill('子育て、福祉');
    await profile.getByLabel('草津市').check();
    await profile.getByRole('button', { name: '保存する' }).click();
    await expect(page.locator('main').textContent()).resolves.toContain('保存しました。');
    const siteForm = page.locator('form[action="/partner/sites"]');
    await siteForm.getByLabel('活動場所').fill('くさつ子育てひろば');
    await siteForm.getByLabel('所在地').fill('草津市草津三丁目');
    await siteForm.getByLabel('見学・体験できること').fill('親子の居場所づくりの見学');
    await siteForm.getByLabel('定員').fill('8');
    await page.getByRole('button', { name: '活動場所を追加する' }).click();
    const offer = page.locator('form[action="/partner/offers"]');
    await offer.getByLabel('テーマ').fill('親子の居場所づくり');
    await offer.getByLabel('候補1の日付').fill('2027-02-18');
    await offer.getByLabel('候補1の開始時刻').fill('13:30');
    await offer.getByLabel('定員').fill('20');
    await page.getByRole('button', { name: '現地研修の受入れを申し出る' }).click();
    await expect(page.locator('.error-summary').textContent()).resolves.toContain('定員は活動場所の受入人数（8名）以下にしてください。');
    await expectAccessible(page, 'offer with errors');
    await page.locator('form[action="/partner/offers"]').getByLabel('定員').fill('6');
    await page.getByRole('button', { name: '現地研修の受入れを申し出る' }).click();
    await expect(page.locator('main').textContent()).resolves.toContain('申出を送信しました。');
    await logout(page);

    // 3. The admin schedules the visit into the seminar offering. Only this fiscal year's offerings that
    //    have not finished are offered (not the 平成23年度 course), each with its year once, none chosen.
    await login(page, e2e.server.url, admin.email);
    await page.goto(`${e2e.server.url}/admin/field-offers`);
    await expectAccessible(page, 'field offers');
    await page.screenshot({ path: join(artifacts, 'field-offers.png'), fullPage: true });
    const choice = page.getByRole('combobox', { name: /^研修/ });
    expect(await choice.inputValue()).toBe('');
    const labels = (await choice.locator('option').allTextContents()).map((x) => x.trim());
    expect(labels).toEqual(['選んでください', offering.title]);
    expect(labels.join()).not.toContain('平成23年度');
    await page.getByRole('button', { name: '確認へ進む' }).click();
    await expect(page.locator('.error-summary').textContent()).resolves.toContain('研修を選んでください。');
    await expectAccessible(page, 'field offers with errors');
    await page.getByRole('link', { name: '研修を選んでください。' }).click();
    expect(await page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe('offeringId');
    await page.getByRole('combobox', { name: /^研修/ }).selectOption({ label: offering.title });
    await page.getByRole('button', { name: '確認へ進む' }).click();
    // It asks first: who is mailed, that the session is published, who the host's roster lists.
    await expectAccessible(page, 'accept offer: confirm');
    await page.screenshot({ path: join(artifacts, 'field-offer-confirm.png'), fullPage: true });
    const confirm = (await page.locator('main').textContent())!;
    expect(confirm).toContain('NPO法人 くさつ子育てネットのメンバー1名に、「受入れが決まりました」とメールで知らせます。');
    expect(confirm).toContain('公開の研修日程とオープンデータに掲載されます。');
    expect(confirm).toContain('受講決定者0名が載ります。');
    await page.getByRole('button', { name: '実施を決定して通知する' }).click();
    await expect(page.locator('main').textContent()).resolves.toContain('研修の回として登録しました。');
    await logout(page);
    await waitForMail(e2e.smtp!, 'staff@kosodate.example.jp', '現地研修の受入れが決まりました');

    // 4. Staff apply and are confirmed.
    for (const s of staff) {
      await login(page, e2e.server.url, s.email);
      await page.goto(`${e2e.server.url}/trainings/${offering.id}`);
      await expect(page.locator('main').textContent()).resolves.toContain('現地研修：親子の居場所づくり');
      await page.getByRole('button', { name: 'この研修に申し込む' }).click();
      await expect(page.locator('main').textContent()).resolves.toContain('あなたの申込み：受講決定');
      await logout(page);
    }

    // 5. The host sees and downloads the roster: names and units only.
    await login(page, e2e.server.url, 'staff@kosodate.example.jp', 'kosodate-2026-pass');
    await page.goto(`${e2e.server.url}/partner`);
    await page.getByRole('link', { name: /親子の居場所づくり/ }).click();
    await expectAccessible(page, 'host roster');
    const roster = (await page.locator('main').textContent())!;
    expect(roster).toContain('受講決定2名');
    expect(roster).toContain('県職員 一');
    expect(roster).not.toContain('a@pref.example.jp');
    const download = page.waitForEvent('download');
    await page.getByRole('link', { name: 'CSV (UTF-8)' }).click();
    const csv = readFileSync((await (await download).path())!, 'utf8');
    expect(csv.replace(/^\ufeff/, '').split('\r\n')[0]).toBe('氏名,所属');
    expect(csv).toContain('県職員 二');
    await logout(page);

    // 6. The session was a mistake: the admin deletes it (asked first, with who is told), and the
    //    partner sees the offer back under consideration.
    await login(page, e2e.server.url, admin.email);
    // First it is moved to another room (asked first, the participants and the host are told) ...
    await page.goto(`${e2e.server.url}/admin/offerings/${offering.id}`);
    await page.getByRole('link', { name: /^変更\s*（現地研修：親子の居場所づくり）/ }).click();
    await expectAccessible(page, 'edit session');
    await page.locator('input[name="venue"]').fill('くさつ子育てひろば 2階');
    await page.getByRole('button', { name: '確認へ進む' }).click();
    await expectAccessible(page, 'edit session: confirm');
    const moveAsk = (await page.locator('main').textContent())!;
    expect(moveAsk).toContain('この研修の受講決定者2名に、変更をメールで知らせます。');
    expect(moveAsk).toContain('受入れ団体（NPO法人 くさつ子育てネット）のメンバー1名にも知らせます。');
    await page.getByRole('button', { name: '変更して通知する' }).click();
    await expect(page.locator('main').textContent()).resolves.toContain('回を変更しました。');
    await expect(page.locator('main').textContent()).resolves.toContain('くさつ子育てひろば 2階');
    await waitForMail(e2e.smtp!, 'b@pref.example.jp', '研修の回の日時・会場などを変更しました');
    // ... then deleted after all.
    await page.getByRole('link', { name: /^削除\s*（現地研修：親子の居場所づくり）/ }).click();
    await expectAccessible(page, 'delete session: confirm');
    await page.screenshot({ path: join(artifacts, 'session-delete-confirm.png'), fullPage: true });
    const ask = (await page.locator('main').textContent())!;
    expect(ask).toContain('この研修の受講決定者2名に、回の取りやめをメールで知らせます。');
    expect(ask).toContain('受入れ団体（NPO法人 くさつ子育てネット）のメンバー1名に知らせます。');
    expect(ask).toContain('この変更で取り消される修了証はありません。');
    await page.getByLabel('取りやめの理由（通知に記載します）').fill('日程を再調整するため');
    await page.getByRole('button', { name: '削除して通知する' }).click();
    await expect(page.locator('main').textContent()).resolves.toContain('回を削除しました。');
    await expect(page.locator('main').textContent()).resolves.not.toContain('現地研修：親子の居場所づくり');
    await page.goto(`${e2e.server.url}/admin/field-offers`);
    await expect(page.locator('main').textContent()).resolves.toContain('改めて検討します。');
    await logout(page);
    await waitForMail(e2e.smtp!, 'a@pref.example.jp', '研修の回を取りやめました');
    await waitForMail(e2e.smtp!, 'staff@kosodate.example.jp', '現地研修の実施を取り消しました');
    await login(page, e2e.server.url, 'staff@kosodate.example.jp', 'kosodate-2026-pass');
    await page.goto(`${e2e.server.url}/partner`);
    await expectAccessible(page, 'partner home after the session was withdrawn');
    await page.screenshot({ path: join(artifacts, 'partner-offer-withdrawn.png'), fullPage: true });
    const home = (await page.locator('main').textContent())!;
    expect(home).toContain('申出中');
    expect(home).toContain('取消しの理由：日程を再調整するため');
    expect(home).toMatch(/予定していた2027年2月18日.*の回は、.*に取り消されました。/);
    await page.close();
  });
});
