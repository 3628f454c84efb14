import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import { toCurrentUser } from '../../src/services/account.service.js';
import { apply, endorse, listApplications } from '../../src/services/application.service.js';
import { addSession, createOffering, createProgramme } from '../../src/services/offering.service.js';
import { getPerson } from '../../src/services/person.service.js';
import { createUnit } from '../../src/services/unit.service.js';
import { makeUser } from '../support/http.js';
import { artifacts, expectAccessible, login, logout, useE2e, waitForMail } from './browser.js';

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

    // 3. The admin draws the lottery with a recorded seed.
    await login(page, e2e.server.url, admin.email);
    await page.goto(`${e2e.server.url}/admin/offerings/${offering.id}/applications`);
    await expectAccessible(page, 'applicants');
    await page.getByLabel('シード（空欄なら自動で作成）').fill('kyodo-e2e-2026');
    await page.getByRole('button', { name: '抽選を実施する' }).click();
    await expect(page.locator('main').textContent()).resolves.toContain('抽選を実施しました。シード：kyodo-e2e-2026（受講決定1名、補欠2名、見送り0名）');
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
    await page.getByLabel('辞退の理由').fill('公務のため');
    await page.getByRole('button', { name: '辞退する' }).click();
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
});
