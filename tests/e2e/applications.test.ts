import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import { createApiToken } from '../../src/services/api-token.service.js';
import { apply, endorse, listApplications } from '../../src/services/application.service.js';
import { addSession, createOffering, createProgramme } from '../../src/services/offering.service.js';
import { getPerson } from '../../src/services/person.service.js';
import { createUnit } from '../../src/services/unit.service.js';
import { makeUser } from '../support/http.js';
import { artifacts, expectAccessible, login, logout, useE2e, waitForMail } from './browser.js';
import { toCurrentUser } from '../../src/services/context.js';

const e2e = useE2e({ smtp: true });

describe('applications journey in Chromium, with real SMTP', () => {
  it('apply → endorse → lottery → decision and .ics → cancel → the first waitlisted is promoted and mailed', async () => {
    const ctx = e2e.server.ctx;
    const dept = await createUnit(ctx, null, { kind: 'department', name: '総務部', kana: 'ソウムブ' });
    const unit = await createUnit(ctx, null, { kind: 'division', name: '人事課', kana: 'ジンジカ', parentId: dept.id });
    const admin = await makeUser(ctx, ['admin', 'staff'], { email: 'admin@pref.example.jp', name: '研修 担当' });
    const approver = await makeUser(ctx, ['approver', 'staff'], { unitId: unit.id, email: 'kacho@pref.example.jp', name: '人事 課長' });
    const applicant = await makeUser(ctx, ['staff'], { unitId: unit.id, email: 'tanaka@pref.example.jp', name: '田中 花子', kana: 'タナカ ハナコ' });
    const others = [
      await makeUser(ctx, ['staff'], { unitId: unit.id, email: 'sato@pref.example.jp', name: '佐藤 一郎', kana: 'サトウ イチロウ' }),
      await makeUser(ctx, ['staff'], { unitId: unit.id, email: 'suzuki@pref.example.jp', name: '鈴木 次郎', kana: 'スズキ ジロウ' }),
    ];
    const programme = await createProgramme(ctx, null, { name: '協働推進セミナー' });
    const now = Date.now();
    const offering = await createOffering(ctx, null, {
      programmeId: programme.id,
      fiscalYear: 2026,
      title: '協働推進セミナー 現地研修（NPO法人）',
      selection: 'lottery',
      capacity: 1,
      endorsementRequired: true,
      applicationOpensAt: new Date(now - 86_400_000).toISOString(),
      applicationClosesAt: new Date(now + 86_400_000).toISOString(),
    });
    await addSession(ctx, null, offering.id, {
      title: '活動現場の見学と意見交換',
      format: 'field',
      startsAt: '2027-01-15T13:30:00+09:00',
      endsAt: '2027-01-15T16:30:00+09:00',
      venue: '草津市 まちづくりセンター',
    });
    const approverUser = toCurrentUser((await getPerson(ctx, approver.id))!);
    for (const o of others) {
      const a = await apply(ctx, toCurrentUser((await getPerson(ctx, o.id))!), offering.id, {});
      await endorse(ctx, approverUser, a.id, { decision: 'endorse' });
    }

    const page = await e2e.browser.newPage({ locale: 'ja-JP', acceptDownloads: true });
    // 1. The staff member applies.
    await login(page, e2e.server.url, applicant.email);
    await page.getByRole('navigation', { name: 'メインメニュー' }).getByRole('link', { name: '研修一覧' }).click();
    await expectAccessible(page, 'catalogue');
    await page.getByRole('link', { name: offering.title }).click();
    await expectAccessible(page, 'offering detail');
    await page.getByRole('button', { name: 'この研修に申し込む' }).click();
    await expect(page.locator('main').textContent()).resolves.toContain('あなたの申込み：申込み済み');
    // No 受講決定通知 before the seat is confirmed: the link leads to the application itself.
    expect(await page.getByRole('link', { name: '受講決定通知' }).count()).toBe(0);
    await page.getByRole('link', { name: '申込みの内容を見る' }).click();
    await expect(page.locator('main').textContent()).resolves.toContain('受講決定通知は、受講が決定した申込みにだけあります。');
    expect(await page.locator('.participant-code').count()).toBe(0);
    await logout(page);

    // 2. The approver endorses.
    await waitForMail(e2e.smtp!, approver.email, '推薦・承認の依頼');
    await login(page, e2e.server.url, approver.email);
    await page.getByRole('navigation', { name: 'メインメニュー' }).getByRole('link', { name: '推薦・承認' }).click();
    await expectAccessible(page, 'approvals');
    await page.getByLabel('コメント').fill('現場経験を業務に生かしてください。');
    await page.getByRole('button', { name: '推薦・承認する' }).click();
    await expect(page.locator('main').textContent()).resolves.toContain('推薦・承認を待っている申込みはありません。');
    await logout(page);

    // Time passes: the application window closes.
    await ctx.db.updateTable('offerings').set({ application_closes_at: new Date(Date.now() - 1000) }).where('id', '=', offering.id).execute();

    // 3. The admin draws the lottery; the server draws the seed, records it and shows it (issue 17).
    await login(page, e2e.server.url, admin.email);
    await page.goto(`${e2e.server.url}/admin/offerings/${offering.id}/applications`);
    await expectAccessible(page, 'applicants');
    expect(await page.getByLabel(/シード/).count()).toBe(0);
    // The lottery asks first (its confirmation page belongs to the offerings part of issue 15).
    await page.getByRole('button', { name: '抽選の確認へ' }).click();
    await page.getByLabel(/抽選を実施します/).check();
    await page.getByRole('button', { name: /^抽選を実施する/ }).click();
    const drawn = (await page.locator('main').textContent())!;
    const seed = /抽選を実施しました。シード：([0-9a-f]{32})（受講決定1名、補欠2名、見送り0名）/.exec(drawn)?.[1];
    expect(seed, drawn).toBeTruthy();
    expect((await ctx.db.selectFrom('offerings').select('lottery_seed').where('id', '=', offering.id).executeTakeFirstOrThrow()).lottery_seed).toBe(seed);
    await logout(page);
    const apps = await listApplications(ctx, offering.id);
    const winner = apps.find((a) => a.status === 'confirmed')!;
    const firstWaiting = apps.find((a) => a.waitlist_position === 1)!;
    const mine = apps.find((a) => a.person_id === applicant.id)!;

    // 4. The staff member sees the decision and downloads the .ics.
    await login(page, e2e.server.url, applicant.email);
    await page.getByRole('navigation', { name: 'メインメニュー' }).getByRole('link', { name: '受講申込み' }).click();
    await expectAccessible(page, 'my trainings');
    await expect(page.locator('main').textContent()).resolves.toContain(mine.status === 'confirmed' ? '受講決定' : '補欠');
    await page.getByRole('link', { name: offering.title }).click();
    const download = page.waitForEvent('download');
    await page.getByRole('link', { name: 'カレンダーに追加（.ics）' }).click();
    const file = await (await download).path();
    const ev = new ICAL.Event(new ICAL.Component(ICAL.parse(readFileSync(file!, 'utf8'))).getFirstSubcomponent('vevent')!);
    const local = new Intl.DateTimeFormat('ja-JP', { timeZone: 'Asia/Tokyo', dateStyle: 'short', timeStyle: 'short' }).format(ev.startDate.toJSDate());
    expect(local).toBe('2027/01/15 13:30');
    await logout(page);

    // 5. The confirmed participant cancels.
    const winnerEmail = [applicant, ...others].find((p) => p.id === winner.person_id)!.email;
    await login(page, e2e.server.url, winnerEmail);
    await page.goto(`${e2e.server.url}/trainings/${offering.id}`);
    // 辞退 asks first, saying what it does.
    await page.getByRole('button', { name: '辞退の手続きへ進む' }).click();
    await expectAccessible(page, 'cancel confirmation');
    await page.screenshot({ path: join(artifacts, 'cancel-confirmation.png'), fullPage: true });
    const ask = await page.locator('main').textContent();
    expect(ask).toContain('辞退は取り消せません。');
    expect(ask).toContain('補欠の1番目の方に繰り上がり');
    await page.getByLabel('辞退の理由').fill('公務のため');
    await page.getByRole('button', { name: '辞退を確定する' }).click();
    await expect(page.locator('main').textContent()).resolves.toContain('辞退の確認の欄にチェックを入れてください。');
    expect((await listApplications(ctx, offering.id)).find((a) => a.id === winner.id)!.status).toBe('confirmed');
    await expectAccessible(page, 'cancel confirmation with an error');
    await page.getByLabel('辞退は取り消せないことを確認しました').check();
    await page.getByRole('button', { name: '辞退を確定する' }).click();
    await expect(page.locator('main').textContent()).resolves.toContain('辞退を受け付けました。');

    // 6. The first on the waiting list is promoted and gets the mail.
    const promotedEmail = [applicant, ...others].find((p) => p.id === firstWaiting.person_id)!.email;
    const mail = await waitForMail(e2e.smtp!, promotedEmail, '繰上げにより受講が決定しました');
    expect(mail.text).toContain(firstWaiting.participant_code);
    expect(mail.text).toContain('2027年1月15日(金) 13:30〜16:30');
    const after = await listApplications(ctx, offering.id);
    expect(after.find((a) => a.id === firstWaiting.id)!.status).toBe('confirmed');

    // The promoted person's printable notice carries the code and the QR.
    await logout(page);
    await login(page, e2e.server.url, promotedEmail);
    await page.goto(`${e2e.server.url}/my/applications/${firstWaiting.id}`);
    await expect(page.locator('.participant-code .code').textContent()).resolves.toBe(firstWaiting.participant_code);
    await expectAccessible(page, 'decision notice');
    await page.screenshot({ path: join(artifacts, 'decision-notice.png'), fullPage: true });
    await page.close();
    expect(admin.id).toBeGreaterThan(0);
  });

  it('proxy application with a required question → the applicant answers → nobody endorses their own → the return comment is shown → 辞退 asks first', async () => {
    const ctx = e2e.server.ctx;
    const url = e2e.server.url;
    const dept = await createUnit(ctx, null, { kind: 'department', name: '県民生活部', kana: 'ケンミンセイカツブ' });
    const unit = await createUnit(ctx, null, { kind: 'division', name: '県民活動課', kana: 'ケンミンカツドウカ', parentId: dept.id });
    const admin = await makeUser(ctx, ['admin', 'staff'], { email: 'kenshu@pref.example.jp', name: '研修 次郎' });
    const approver = await makeUser(ctx, ['approver', 'staff'], { unitId: unit.id, email: 'katsudo-kacho@pref.example.jp', name: '活動 課長' });
    const staff = await makeUser(ctx, ['staff'], { unitId: unit.id, email: 'yamada@pref.example.jp', name: '山田 三郎', kana: 'ヤマダ サブロウ' });
    const programme = await createProgramme(ctx, null, { name: '協働コーディネーター養成講座' });
    const now = Date.now();
    const offering = await createOffering(ctx, null, {
      programmeId: programme.id,
      fiscalYear: 2026,
      title: '協働コーディネーター養成講座（第1期）',
      selection: 'first_come',
      capacity: 5,
      endorsementRequired: true,
      applicationOpensAt: new Date(now - 86_400_000).toISOString(),
      applicationClosesAt: new Date(now + 86_400_000).toISOString(),
      questions: [{ id: 'q1', label: '受講の動機', required: true }],
    });
    await addSession(ctx, null, offering.id, { title: '合意形成の基礎', format: 'lecture', startsAt: '2027-02-10T13:30:00+09:00', endsAt: '2027-02-10T16:30:00+09:00', venue: '県庁 本館' });
    const page = await e2e.browser.newPage({ locale: 'ja-JP' });

    // 1. The admin applies for the staff member (代理申込): the question is asked, and may be left to them.
    await login(page, url, admin.email);
    await page.goto(`${url}/admin/offerings/${offering.id}/applications`);
    await page.getByLabel('メールアドレス').fill(staff.email);
    await page.getByRole('button', { name: '代理で申し込む' }).click();
    await expect(page.locator('main').textContent()).resolves.toContain('「受講の動機」に回答してください。');
    await expectAccessible(page, 'proxy application with an unanswered question');
    await page.getByLabel('設問には申込者本人が後から回答する', { exact: false }).check();
    await page.getByRole('button', { name: '代理で申し込む' }).click();
    await expect(page.locator('main').textContent()).resolves.toContain('さんの申込みを登録しました。');
    await expect(page.locator('main').textContent()).resolves.toContain('本人の回答待ち');
    await page.screenshot({ path: join(artifacts, 'applicants-with-answers.png'), fullPage: true });
    // 所属推薦 mails the whole unit: it asks first, saying how many (here: not confirmed).
    await page.locator('#f-unitId').selectOption(String(unit.id));
    await page.getByRole('button', { name: 'まとめて申し込む' }).click();
    await expectAccessible(page, 'nomination confirmation');
    const nominate = await page.locator('main').textContent();
    expect(nominate).toContain('県民活動課の職員1名について');
    expect(nominate).toContain('本人の回答待ち');
    await page.getByRole('link', { name: '戻る' }).click();
    expect((await listApplications(ctx, offering.id)).map((a) => a.person_id)).toEqual([staff.id]);
    await logout(page);

    // 2. The staff member is asked to answer, and answers on their application's page.
    const askMail = await waitForMail(e2e.smtp!, staff.email, '申込みを受け付けました');
    expect(askMail.text).toContain('申込みの設問に回答してください');
    await login(page, url, staff.email);
    await page.goto(`${url}/trainings/${offering.id}`);
    expect(await page.getByRole('link', { name: '受講決定通知' }).count()).toBe(0);
    await page.getByRole('link', { name: '回答してください' }).click();
    await expectAccessible(page, 'answers pending');
    await page.screenshot({ path: join(artifacts, 'answers-pending.png'), fullPage: true });
    await page.getByLabel('受講の動機').fill('地域の団体との協働事業を担当するため');
    await page.getByRole('button', { name: '回答を送る' }).click();
    await expect(page.locator('main').textContent()).resolves.toContain('回答を受け付けました。');
    await logout(page);

    // 3. The approver applies too; their own application is not theirs to endorse.
    await login(page, url, approver.email);
    await page.goto(`${url}/trainings/${offering.id}`);
    await page.getByLabel('受講の動機').fill('所属の協働を進めるため');
    await page.getByRole('button', { name: 'この研修に申し込む' }).click();
    await expect(page.locator('main').textContent()).resolves.toContain('あなたの申込み：申込み済み');
    await page.getByRole('navigation', { name: 'メインメニュー' }).getByRole('link', { name: '推薦・承認' }).click();
    const queue = await page.locator('main').textContent();
    expect(queue).toContain('山田 三郎');
    expect(queue).toContain('受講の動機');
    expect(queue).toContain('地域の団体との協働事業を担当するため');
    expect(queue).not.toContain('所属の協働を進めるため');
    const own = (await listApplications(ctx, offering.id)).find((a) => a.person_id === approver.id)!;
    const token = (await createApiToken(ctx, null, approver.id, { name: 'e2e' })).token;
    const refused = await fetch(`${url}/api/v1/applications/${own.id}/endorse`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ decision: 'endorse' }),
    });
    expect(refused.status).toBe(403);
    expect((await refused.json()).error.message).toContain('自分の申込みを推薦・承認');
    // The approver returns the staff member's application with a comment.
    await page.getByLabel('コメント').fill('受講の動機に、担当事業の名前を書いてください。');
    await page.getByRole('button', { name: '差し戻す' }).click();
    await expect(page.locator('main').textContent()).resolves.toContain('処理しました。');
    await logout(page);
    // The unit has no other approver: the request for the approver's own application went to the admin.
    const fallback = await waitForMail(e2e.smtp!, admin.email, '推薦・承認の依頼');
    expect(fallback.text).toContain('ほかの推薦・承認者がいないため');

    // 4. The staff member sees the approver's comment, with who and when.
    await login(page, url, staff.email);
    await page.goto(`${url}/trainings/${offering.id}`);
    const returned = await page.locator('main').textContent();
    expect(returned).toContain('差戻しの理由');
    expect(returned).toContain('受講の動機に、担当事業の名前を書いてください。');
    expect(returned).toContain('活動 課長が');
    await expectAccessible(page, 'returned application');
    await page.screenshot({ path: join(artifacts, 'returned-application.png'), fullPage: true });
    await logout(page);

    // 5. The admin endorses the approver's application, which confirms it; the approver then cancels, and is asked first.
    await login(page, url, admin.email);
    await page.getByRole('navigation', { name: 'メインメニュー' }).getByRole('link', { name: '推薦・承認' }).click();
    await page.getByRole('button', { name: '推薦・承認する' }).click();
    await expect(page.locator('main').textContent()).resolves.toContain('処理しました。');
    await logout(page);
    await login(page, url, approver.email);
    await page.goto(`${url}/trainings/${offering.id}`);
    await page.getByRole('link', { name: '受講決定通知' }).click();
    await expect(page.locator('.participant-code .code').textContent()).resolves.toBe(own.participant_code);
    await page.getByRole('button', { name: '辞退の手続きへ進む' }).click();
    await expect(page.locator('main').textContent()).resolves.toContain('辞退は取り消せません。');
    await page.getByLabel('辞退は取り消せないことを確認しました').check();
    await page.getByRole('button', { name: '辞退を確定する' }).click();
    await expect(page.locator('main').textContent()).resolves.toContain('辞退を受け付けました。');
    expect((await listApplications(ctx, offering.id)).find((a) => a.id === own.id)!.status).toBe('cancelled');
    await logout(page);

    // 6. Deactivating a person asks first too, saying what it does.
    await login(page, url, admin.email);
    await page.goto(`${url}/admin/people/${staff.id}`);
    await page.getByRole('button', { name: '無効にする手続きへ進む' }).click();
    await expectAccessible(page, 'deactivation confirmation');
    await expect(page.locator('main').textContent()).resolves.toContain('ログインできなくなり');
    await page.getByRole('button', { name: '無効にする', exact: true }).click();
    await expect(page.locator('main').textContent()).resolves.toContain('無効にすることの確認の欄にチェックを入れてください。');
    expect((await getPerson(ctx, staff.id))!.active).toBe(true);
    await page.getByLabel('上の内容を確認しました').check();
    await page.getByRole('button', { name: '無効にする', exact: true }).click();
    await expect(page.locator('main').textContent()).resolves.toContain('保存しました。');
    expect((await getPerson(ctx, staff.id))!.active).toBe(false);
    await page.close();
  });
});
