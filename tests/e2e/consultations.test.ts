import { describe, expect, it } from 'vitest';
import { tokyoDateOf } from '../../src/domain/calendar.js';
import { personRepository } from '../../src/db/repositories/person.repository.js';
import { hashPassword } from '../../src/lib/crypto.js';
import { createPartner, invitePartnerMember } from '../../src/services/partner.service.js';
import { createUnit } from '../../src/services/unit.service.js';
import { makeCoordinator } from '../support/consultations.js';
import { makeUser, PASSWORD } from '../support/http.js';
import { expectAccessible, login, logout, useE2e, waitForMail } from './browser.js';

const e2e = useE2e({ smtp: true });
const DAY = 86_400_000;
const TITLE = '子ども食堂と連携した見守りを始めたい';

describe('consultation journey in Chromium', () => {
  it('a 市町 staff member files a 橋渡し request → the admin assigns the top suggestion → the coordinator accepts, logs, closes → a project → both sides evaluate and see the gaps', async () => {
    const ctx = e2e.server.ctx;
    const otsu = await createUnit(ctx, null, { kind: 'municipality', name: '大津市', kana: 'オオツシ', code: '252018' });
    const admin = await makeUser(ctx, ['admin', 'staff'], { email: 'admin@pref.example.jp', name: '研修 担当' });
    const requester = await makeUser(ctx, ['staff'], { email: 'hanako@city252018.example.jp', name: '大津 花子', kana: 'オオツ ハナコ', unitId: otsu.id, affiliation: 'municipality' });
    await makeCoordinator(ctx, { name: '福祉 一郎', kana: 'フクシ イチロウ', email: 'ichiro@pref.example.jp', fields: ['子育て', '福祉'], areas: [otsu.id] });
    await makeCoordinator(ctx, { name: '環境 次郎', kana: 'カンキョウ ジロウ', email: 'jiro@pref.example.jp', fields: ['環境'] });
    const partner = await createPartner(ctx, null, { name: 'NPO法人 おおつ子育てネット', kana: 'オオツコソダテネット', type: 'npo', fields: '子育て', areas: [otsu.id] });
    await createPartner(ctx, null, { name: '里山の会', kana: 'サトヤマノカイ', type: 'community', fields: '環境' });
    const member = await invitePartnerMember(ctx, null, partner.id, { name: '子育て 担当', kana: 'コソダテ タントウ', email: 'staff@kosodate.example.jp' });
    await personRepository.update(ctx.db, member.id, { password_hash: await hashPassword(PASSWORD) });
    const url = e2e.server.url;
    const today = tokyoDateOf(new Date());
    const page = await e2e.browser.newPage({ locale: 'ja-JP' });
    const main = () => page.locator('main').textContent();

    // 1. A 市町 staff member files a 橋渡し request.
    await login(page, url, requester.email);
    await page.getByRole('navigation', { name: 'メインメニュー' }).getByRole('link', { name: '相談・支援依頼' }).click();
    await expectAccessible(page, 'my consultations');
    await page.getByRole('link', { name: '新しく相談する' }).click();
    await page.getByRole('button', { name: '相談を申し込む' }).click();
    await expect(page.locator('.error-summary').textContent()).resolves.toContain('実現したいことを入力してください。');
    await expectAccessible(page, 'consultation form with errors');
    await page.getByLabel('種別').selectOption({ label: '橋渡し（協働の相手方へのつなぎ）' });
    await page.getByLabel('名称').fill(TITLE);
    await page.getByLabel('専門分野').fill('子育て');
    await page.getByRole('group', { name: '活動地域' }).getByLabel('大津市').check();
    await page.getByLabel('実現したいこと').fill('地域の子ども食堂と連携し、支援が必要な家庭の見守りにつなげたい。');
    await page.getByLabel('希望する期間（開始）').fill(tokyoDateOf(new Date(Date.now() + 30 * DAY)));
    await page.getByLabel('希望する期間（終了）').fill(tokyoDateOf(new Date(Date.now() + 200 * DAY)));
    await page.getByLabel('想定している協働相手').fill('地域の子ども食堂');
    await page.getByRole('button', { name: '相談を申し込む' }).click();
    await expect(main()).resolves.toContain('相談を受け付けました。');
    await expectAccessible(page, 'consultation (requester)');
    await logout(page);
    await waitForMail(e2e.smtp!, 'hanako@city252018.example.jp', '相談を受け付けました');
    const alert = await waitForMail(e2e.smtp!, 'admin@pref.example.jp', '新しい相談');
    const caseUrl = alert.text.match(/http:\/\/\S+\/consultations\/\d+/)![0];

    // 2. The admin sees the suggestions with their reasons and assigns the top coordinator.
    await login(page, url, admin.email);
    await page.goto(`${url}/desk/consultations`);
    await expectAccessible(page, 'desk queue');
    await page.getByRole('link', { name: TITLE }).click();
    expect(page.url()).toBe(caseUrl);
    await expectAccessible(page, 'triage');
    const ranking = page.getByRole('table', { name: '候補のコーディネーター' });
    await expect(ranking.locator('tbody tr').first().textContent()).resolves.toMatch(/福祉 一郎.*分野 40\/40（子育て）.*地域 20\/20（大津市）/);
    await expect(page.getByRole('table', { name: '候補の協働相手' }).locator('tbody tr').first().textContent()).resolves.toContain('NPO法人 おおつ子育てネット');
    await page.getByLabel(/1位 福祉 一郎/).check();
    await page.getByRole('button', { name: '選んだコーディネーターに依頼する' }).click();
    await expect(main()).resolves.toContain('コーディネーターに担当を依頼しました。');
    await logout(page);

    // 3. The coordinator accepts, logs two activities and closes the case with "project started".
    const ask = await waitForMail(e2e.smtp!, 'ichiro@pref.example.jp', '相談の担当のお願い');
    expect(ask.text).toContain(caseUrl);
    await login(page, url, 'ichiro@pref.example.jp');
    await page.goto(caseUrl);
    await page.getByRole('button', { name: 'この相談を引き受ける' }).click();
    await expect(main()).resolves.toContain('この相談を引き受けました。');
    await waitForMail(e2e.smtp!, 'hanako@city252018.example.jp', '担当のコーディネーターが決まりました');
    const log = page.locator(`form[action$="/activities"]`);
    await log.getByLabel('実施日').fill(today);
    await log.getByLabel('種別').selectOption({ label: '打合せ・会議' });
    await log.getByLabel('要した時間（分）').fill('60');
    await log.getByLabel('備考').fill('相談者と打合せを行い、目的と進め方を確認した。');
    await page.getByRole('button', { name: '記録する' }).click();
    await expect(main()).resolves.toContain('活動を記録しました。');
    await log.getByLabel('実施日').fill(today);
    await log.getByLabel('種別').selectOption({ label: '相手方への連絡' });
    await log.getByLabel('要した時間（分）').fill('30');
    await log.getByLabel('協働相手').selectOption({ label: 'NPO法人 おおつ子育てネット' });
    await log.getByLabel('備考').fill('団体の代表者に連絡し、協働の意向を確認した。');
    await page.getByRole('button', { name: '記録する' }).click();
    await expect(main()).resolves.toContain('活動時間の合計：1時間30分');
    expect(await page.getByRole('table', { name: '活動記録' }).locator('tbody tr').count()).toBe(2);
    await expectAccessible(page, 'case in progress');
    await page.getByLabel('対応結果').selectOption({ label: '協働事業の開始' });
    await page.getByRole('button', { name: '完了する' }).click();
    await expect(main()).resolves.toContain('相談への対応を完了しました。');
    const closed = await waitForMail(e2e.smtp!, 'hanako@city252018.example.jp', 'ご相談への対応が完了しました');
    expect(closed.text).toContain('対応結果：協働事業の開始');
    expect(closed.text).toMatch(/\/surveys\/\d+/);

    // 4. The project is created with a partner.
    await page.getByRole('link', { name: 'この相談から協働事業を登録する' }).click();
    await expectAccessible(page, 'project form');
    await page.getByLabel('名称').fill('おおつ子ども見守り協働事業');
    await page.getByRole('group', { name: /協働相手/ }).getByLabel('NPO法人 おおつ子育てネット').check();
    await page.getByLabel('開始日').fill(tokyoDateOf(new Date(Date.now() + 30 * DAY)));
    await page.getByRole('button', { name: '保存する' }).click();
    await expect(main()).resolves.toContain('協働事業を登録しました。');
    await page.goto(`${url}/my/cases`);
    await expect(main()).resolves.toContain('完了した相談1件、活動時間1時間30分');
    await expectAccessible(page, 'workspace');
    await logout(page);

    // 5. Both sides score the evaluation; the side-by-side view shows their gaps.
    const invitation = await waitForMail(e2e.smtp!, 'staff@kosodate.example.jp', '協働事業の評価のお願い');
    const evaluationUrl = invitation.text.match(/http:\/\/\S+\/projects\/\d+\/evaluation/)![0];
    const score = async (values: number[], comment: string) => {
      const groups = page.locator('main form fieldset');
      expect(await groups.count()).toBe(6);
      for (const [i, v] of values.entries()) {
        await groups.nth(i).getByRole('radio', { name: new RegExp(`^${v}：`) }).check();
        await groups.nth(i).getByRole('textbox').fill(comment);
      }
      await page.getByRole('button', { name: '評価を保存する' }).click();
      await expect(main()).resolves.toContain('評価を保存しました。');
    };
    await login(page, url, 'staff@kosodate.example.jp');
    await page.goto(evaluationUrl);
    await page.getByRole('button', { name: '評価を保存する' }).click();
    await expect(page.locator('.error-summary').textContent()).resolves.toContain('の評価を1〜5から選んでください。');
    await expectAccessible(page, 'evaluation with errors');
    await score([2, 4, 3, 4, 4, 5], '役割分担をもっと早く話し合いたかった');
    await logout(page);

    await login(page, url, requester.email);
    await page.getByRole('navigation', { name: 'メインメニュー' }).getByRole('link', { name: '協働事業' }).click();
    await page.getByRole('link', { name: 'おおつ子ども見守り協働事業' }).click();
    await page.getByRole('link', { name: '評価を入力する' }).click();
    await expectAccessible(page, 'evaluation (unit)');
    await score([5, 4, 5, 4, 4, 5], '順調に進んだ');
    const comparison = page.getByRole('table', { name: '双方の評価の比較' });
    await expect(comparison.locator('thead').textContent()).resolves.toMatch(/所属（大津市）.*NPO法人 おおつ子育てネット/);
    expect(await comparison.locator('mark').count()).toBe(2);
    await expect(comparison.locator('tbody tr').first().textContent()).resolves.toContain('差が大きい：-3');
    await expect(comparison.locator('tbody tr').nth(2).textContent()).resolves.toContain('差が大きい：-2');
    await expectAccessible(page, 'side by side');
    const download = page.waitForEvent('download');
    await page.getByRole('link', { name: 'Excel (xlsx)' }).click();
    expect((await download).suggestedFilename()).toMatch(/^project-\d+-evaluation\.xlsx$/);
    await page.close();
  });
});
