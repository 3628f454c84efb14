import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { personRepository } from '../../src/db/repositories/person.repository.js';
import { nextDate, tokyoDateOf, tokyoLocalToUtc } from '../../src/domain/calendar.js';
import { hashPassword } from '../../src/lib/crypto.js';
import { apply } from '../../src/services/application.service.js';
import { assignCoordinators, fileConsultation } from '../../src/services/consultation.service.js';
import { addSession, createOffering, createProgramme } from '../../src/services/offering.service.js';
import { acceptOffer, addSite, createOffer, createPartner, invitePartnerMember } from '../../src/services/partner.service.js';
import { getPerson } from '../../src/services/person.service.js';
import { createUnit } from '../../src/services/unit.service.js';
import { makeCoordinator } from '../support/consultations.js';
import { makeUser, PASSWORD } from '../support/http.js';
import { expectAccessible, login, logout, useE2e } from './browser.js';
import { toCurrentUser } from '../../src/services/context.js';

const e2e = useE2e({ smtp: false });

/** Issue 16 §1: each role starts at / and follows a to-do link to the list where the work is done. */
describe('home page per role in Chromium', () => {
  it('visitor, admin, approver, staff, coordinator and partner host each start at / and follow a to-do link', async () => {
    const ctx = e2e.server.ctx;
    const url = e2e.server.url;
    const current = async (id: number) => toCurrentUser((await getPerson(ctx, id))!);
    const dept = await createUnit(ctx, null, { kind: 'department', name: '総合企画部', kana: 'ソウゴウキカクブ' });
    const unit = await createUnit(ctx, null, { kind: 'division', name: '県民活動課', kana: 'ケンミンカツドウカ', parentId: dept.id });
    const admin = await makeUser(ctx, ['admin', 'staff'], { email: 'office@pref.example.jp', name: '研修 担当' });
    const approver = await makeUser(ctx, ['approver', 'staff'], { unitId: unit.id, email: 'head@pref.example.jp', name: '活動 課長', kana: 'カツドウ カチョウ' });
    const staff = await makeUser(ctx, ['staff'], { unitId: unit.id, email: 'kimura@pref.example.jp', name: '木村 さくら', kana: 'キムラ サクラ' });
    const applicant = await makeUser(ctx, ['staff'], { unitId: unit.id, email: 'ono@pref.example.jp', name: '小野 健', kana: 'オノ ケン' });
    const coordinator = await makeCoordinator(ctx, { name: '調整 四郎', kana: 'チョウセイ シロウ', email: 'coord@pref.example.jp' });

    const now = Date.now();
    const tomorrow = nextDate(tokyoDateOf(new Date(now)));
    const programme = await createProgramme(ctx, null, { name: '協働推進セミナー', kind: 'seminar' });
    const window = { applicationOpensAt: new Date(now - 86_400_000).toISOString(), applicationClosesAt: new Date(now + 30 * 86_400_000).toISOString() };
    const course = await createOffering(ctx, null, { programmeId: programme.id, fiscalYear: 2026, title: '協働推進セミナー（令和8年度）', selection: 'first_come', capacity: 20, published: true, ...window });
    const session = await addSession(ctx, null, course.id, {
      title: '合意形成の演習',
      format: 'workshop',
      startsAt: tokyoLocalToUtc(tomorrow, '10:00').toISOString(),
      endsAt: tokyoLocalToUtc(tomorrow, '12:00').toISOString(),
      venue: '県庁本館4階 研修室',
    });
    const staffApp = await apply(ctx, await current(staff.id), course.id, {});
    expect(staffApp.status).toBe('confirmed');
    // Applications for the office to decide on, one waiting for the unit's endorsement.
    const review = await createOffering(ctx, null, { programmeId: programme.id, fiscalYear: 2026, title: '協働推進セミナー（選考）', selection: 'review', capacity: 20, ...window });
    expect((await apply(ctx, await current(applicant.id), review.id, {})).status).toBe('applied');
    const endorse = await createOffering(ctx, null, { programmeId: programme.id, fiscalYear: 2026, title: '協働コーディネーター養成講座', selection: 'review', capacity: 20, endorsementRequired: true, ...window });
    expect((await apply(ctx, await current(applicant.id), endorse.id, {})).status).toBe('applied');

    // A partner member hosts a field session of the course next month.
    const partner = await createPartner(ctx, null, { name: 'NPO法人 里山の会', kana: 'サトヤマノカイ', type: 'npo' });
    const m = await invitePartnerMember(ctx, null, partner.id, { name: '里山 守', kana: 'サトヤマ マモル', email: 'host@satoyama.example.jp' });
    await personRepository.update(ctx.db, m.id, { password_hash: await hashPassword(PASSWORD) });
    const member = await current(m.id);
    const site = await addSite(ctx, member, partner.id, { name: '比良の森', address: '大津市比良一丁目', capacity: '15' });
    const fieldDay = new Date(now + 30 * 86_400_000);
    const offer = await createOffer(ctx, member, { siteId: String(site.id), theme: '間伐を体験する', candidateStarts: fieldDay.toISOString(), durationMinutes: '120', capacity: '10', preparation: '軍手と長靴' });
    const field = await acceptOffer(ctx, null, offer.id, { offeringId: String(course.id), start: fieldDay.toISOString() });

    // A consultation assigned to the coordinator.
    const consultation = await fileConsultation(ctx, await current(applicant.id), { kind: 'bridge', title: '子ども食堂との連携', unitId: String(unit.id), goal: '地域の子ども食堂とつながりたい。' });
    await assignCoordinators(ctx, await current(admin.id), consultation.id, { personIds: [String(coordinator.id)] });

    const page = await e2e.browser.newPage({ locale: 'ja-JP' });
    const home = async (label: string) => {
      await page.goto(`${url}/`);
      await expectAccessible(page, label);
    };
    const signIn = async (email: string) => {
      await login(page, url, email);
      await page.waitForURL(`${url}/`);
    };
    const section = (p: Page, id: string) => p.locator(`section[aria-labelledby="${id}"]`);

    // 1. Logged out: the public schedule, certificate verification and the login.
    await home('home (visitor)');
    await expect(page.locator('h1').textContent()).resolves.toBe('Kyodo 協働研修');
    await expect(page.locator('main').textContent()).resolves.toContain('合意形成の演習');
    await expect(page.getByLabel('確認コード').count()).resolves.toBe(1);
    await page.getByLabel('確認コード').fill('KYODO-0000');
    await page.getByRole('button', { name: '確認する' }).click();
    expect(new URL(page.url()).pathname).toBe('/verify');
    await home('home (visitor) again');
    await page.getByRole('link', { name: 'ログインする' }).click();
    expect(new URL(page.url()).pathname).toBe('/login');

    // 2. The office: the decision link leads to the offering's applications, filtered.
    await signIn(admin.email);
    await home('home (admin)');
    await expect(section(page, 'task-tomorrow').textContent()).resolves.toContain('合意形成の演習');
    await page.getByRole('link', { name: '協働推進セミナー（選考）（申込み済み）' }).click();
    expect(new URL(page.url()).pathname).toBe(`/admin/offerings/${review.id}/applications`);
    expect(new URL(page.url()).searchParams.get('status')).toBe('applied');
    await expect(page.locator('main').textContent()).resolves.toContain('小野 健');
    await page.goto(`${url}/`);
    await section(page, 'task-tomorrow').getByRole('link').first().click();
    expect(new URL(page.url()).pathname).toBe(`/admin/sessions/${session.id}/attendance`);
    await expect(page.locator('main').textContent()).resolves.toContain('木村 さくら');
    await logout(page);

    // 3. The approver: 推薦待ち 1件 leads to the endorsement queue.
    await signIn(approver.email);
    await home('home (approver)');
    await page.getByRole('link', { name: '推薦待ち 1件' }).click();
    expect(new URL(page.url()).pathname).toBe('/approvals');
    await expect(page.locator('main').textContent()).resolves.toContain('小野 健');
    await logout(page);

    // 4. Staff: the next session (date, place, what to bring) leads to the notice.
    await signIn(staff.email);
    await home('home (staff)');
    const mine = (await section(page, 'home-staff').textContent())!;
    expect(mine).toContain('県庁本館4階 研修室');
    expect(mine).toContain('持ち物・準備：軍手と長靴');
    await section(page, 'home-staff').getByRole('link', { name: /合意形成の演習/ }).click();
    expect(new URL(page.url()).pathname).toBe(`/my/applications/${staffApp.id}`);
    await expect(page.locator('main').textContent()).resolves.toContain(staffApp.participant_code);
    await logout(page);

    // 5. The coordinator: the open case leads to the case.
    await signIn(coordinator.email);
    await home('home (coordinator)');
    await expect(section(page, 'home-coordinator').textContent()).resolves.toContain('担当している相談 1件（うち期限切れ 0件）');
    await page.getByRole('link', { name: '子ども食堂との連携' }).click();
    expect(new URL(page.url()).pathname).toBe(`/consultations/${consultation.id}`);
    await logout(page);

    // 6. The partner host: the field training we host leads to its roster.
    await signIn(member.email);
    await home('home (partner)');
    await page.getByRole('link', { name: '参加者名簿を確認する（1名）' }).click();
    expect(new URL(page.url()).pathname).toBe(`/partner/sessions/${field.session.id}`);
    await expect(page.locator('main').textContent()).resolves.toContain('木村 さくら');
    await page.close();
  });
});
