import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readXlsx } from '../../src/lib/xlsx.js';
import { apply } from '../../src/services/application.service.js';
import { addSession, createOffering, createProgramme } from '../../src/services/offering.service.js';
import { createPartner } from '../../src/services/partner.service.js';
import { getPerson } from '../../src/services/person.service.js';
import { createDueSurveys, createSurvey, respond } from '../../src/services/survey.service.js';
import { makeUser } from '../support/http.js';
import { artifacts, expectAccessible, login, logout, useE2e, waitForMail } from './browser.js';
import { toCurrentUser } from '../../src/services/context.js';

const e2e = useE2e({ smtp: true });
const HOUR = 3_600_000;

describe('survey journey in Chromium', () => {
  it('session ends → participant gets and answers the questionnaire → host answers theirs → admin sees charts and pre/post change, downloads the xlsx', async () => {
    const ctx = e2e.server.ctx;
    const admin = await makeUser(ctx, ['admin'], { email: 'admin@pref.example.jp' });
    const programme = await createProgramme(ctx, null, { name: '協働推進セミナー', kind: 'seminar' });
    const now = Date.now();
    const offering = await createOffering(ctx, null, {
      programmeId: programme.id,
      fiscalYear: 2026,
      title: '協働推進セミナー（令和8年度）',
      selection: 'first_come',
      capacity: 30,
      applicationOpensAt: new Date(now - 30 * 24 * HOUR).toISOString(),
      applicationClosesAt: new Date(now + 30 * 24 * HOUR).toISOString(),
    });
    // A field training that ended a minute ago, hosted by a partner with one member who can log in.
    const session = await addSession(ctx, null, offering.id, { title: '現地研修：子ども食堂', format: 'field', startsAt: new Date(now - 3 * HOUR).toISOString(), endsAt: new Date(now - 60_000).toISOString() });
    const partner = await createPartner(ctx, null, { name: 'NPO法人 びわ湖子ども食堂ネット', kana: 'ビワコ コドモショクドウ ネット', type: 'npo' });
    await ctx.db.updateTable('offering_sessions').set({ host_partner_id: partner.id }).where('id', '=', session.id).execute();
    const host = await makeUser(ctx, ['partner'], { email: 'host@kodomo.example.jp', name: '食堂 担当', affiliation: 'partner' });
    await ctx.db.updateTable('people').set({ partner_id: partner.id }).where('id', '=', host.id).execute();
    const staff = [];
    for (const [i, email] of ['hanako@pref.example.jp', 'jiro@pref.example.jp', 'saburo@pref.example.jp'].entries()) {
      const p = await makeUser(ctx, ['staff'], { email, name: `県職員 ${i + 1}` });
      const u = toCurrentUser((await getPerson(ctx, p.id))!);
      await apply(ctx, u, offering.id, {});
      staff.push(u);
    }
    // Pre and post self-assessments already answered by two of them (the pre/post view needs pairs).
    const tid = (await ctx.db.selectFrom('survey_templates').select('id').where('code', '=', 'competency').executeTakeFirstOrThrow()).id;
    const window = { opensAt: new Date(now - 2 * HOUR).toISOString(), closesAt: new Date(now + 24 * HOUR).toISOString() };
    const pre = await createSurvey(ctx, null, { templateId: tid, kind: 'pre', offeringId: offering.id, ...window });
    const post = await createSurvey(ctx, null, { templateId: tid, kind: 'post', offeringId: offering.id, ...window });
    const m = (v: number) => ({ competency: { roles: v, sites: v - 1 || 1, consensus: v, facilitation: v, evaluation: v } });
    for (const u of staff.slice(1)) {
      await respond(ctx, u, pre.id, { answers: m(2) });
      await respond(ctx, u, post.id, { answers: m(4) });
    }

    // 1. The session has ended: the scheduler's job sends the questionnaires (mail through real SMTP).
    expect(await createDueSurveys(ctx)).toBe(2);
    const mail = await waitForMail(e2e.smtp!, 'hanako@pref.example.jp', 'アンケートのお願い：協働推進セミナー（令和8年度）：現地研修');
    const link = mail.text.match(/http:\/\/\S+\/surveys\/\d+/)![0];
    const page = await e2e.browser.newPage({ locale: 'ja-JP' });

    // 2. The participant follows the link, misses a required question, is told which, and answers.
    await page.goto(link);
    await page.getByLabel('メールアドレス').fill('hanako@pref.example.jp');
    await page.locator('#f-password').fill('correct horse 42 battery');
    await page.getByRole('button', { name: 'ログインする' }).click();
    await page.waitForURL(/\/surveys\/\d+$/);
    await expectAccessible(page, 'survey form');
    // Every point of a scale shows its words, highest first: the first option is the most positive.
    const satisfaction = page.getByRole('group', { name: /満足度/ });
    await expect(satisfaction.getByRole('radio').first().getAttribute('value')).resolves.toBe('5');
    expect((await satisfaction.locator('label').allTextContents()).map((x) => x.trim())).toEqual(['5：満足', '4：やや満足', '3：どちらともいえない', '2：やや不満', '1：不満']);
    await satisfaction.getByLabel('5：満足').check();
    await page.getByRole('group', { name: /理解が深まりました/ }).getByLabel('4：ややそう思う').check();
    await page.getByRole('group', { name: /今後、業務で協働に/ }).getByLabel('取り組みたい', { exact: true }).check();
    await page.getByRole('button', { name: '回答を送信する' }).click();
    await expect(page.locator('#error-summary').textContent()).resolves.toContain('業務に役立ちますか');
    await expectAccessible(page, 'survey form with errors');
    await page.getByRole('group', { name: /業務に役立ちますか/ }).getByLabel('5：そう思う', { exact: true }).check();
    await page.getByRole('group', { name: /特に役に立った/ }).getByLabel('現地での見学').check();
    await page.getByLabel(/自由にお書きください/).fill('活動の現場を見て、協働の意味がよくわかりました。');
    await page.getByRole('button', { name: '回答を送信する' }).click();
    await expect(page.locator('main').textContent()).resolves.toContain('ご回答ありがとうございました');

    // 2b. Her self-assessment reads the same way: the matrix's columns run 5：そう思う … 1：そう思わない.
    await page.goto(`${e2e.server.url}/surveys/${pre.id}`);
    const heads = (await page.locator('table.matrix thead th').allTextContents()).slice(1).map((x) => x.replace(/\s+/g, ''));
    expect(heads).toEqual(['5：そう思う', '4：ややそう思う', '3：どちらともいえない', '2：あまりそう思わない', '1：そう思わない']);
    await expectAccessible(page, 'self-assessment matrix');
    for (const row of ['多様な主体', '活動現場', '合意を形成', 'ファシリテーション', '評価することが']) await page.getByRole('radio', { name: new RegExp(`${row}.* 4：ややそう思う$`) }).check();
    await page.getByRole('button', { name: '回答を送信する' }).click();
    await expect(page.locator('main').textContent()).resolves.toContain('ご回答ありがとうございました');
    const mine = await ctx.db.selectFrom('survey_responses').select('answers').where('survey_id', '=', pre.id).where('person_id', '=', staff[0].id).executeTakeFirstOrThrow();
    expect(mine.answers.competency).toEqual({ roles: 4, sites: 4, consensus: 4, facilitation: 4, evaluation: 4 });
    await logout(page);

    // 3. The host answers theirs from the roster page.
    await login(page, e2e.server.url, 'host@kodomo.example.jp');
    await page.goto(`${e2e.server.url}/partner/sessions/${session.id}`);
    await page.getByRole('link', { name: /受入れ団体/ }).click();
    await expectAccessible(page, 'host survey');
    // The host clicks the option worded そう思う (the first one) next to a glowing comment: it is a 5.
    await page.getByRole('group', { name: /有意義でしたか/ }).getByLabel('5：そう思う', { exact: true }).check();
    await page.getByLabel(/自由にお書きください/).fill('職員の皆さんが熱心で、とても有意義でした。');
    await page.getByRole('group', { name: /今後も現地研修/ }).getByLabel('ぜひ受け入れたい').check();
    await page.getByRole('button', { name: '回答を送信する' }).click();
    await expect(page.locator('main').textContent()).resolves.toContain('ご回答ありがとうございました');
    await logout(page);

    // 4. The admin sees the charts, both sides, and the pre/post change; downloads the answers.
    await login(page, e2e.server.url, admin.email);
    const participantSurvey = await ctx.db.selectFrom('surveys').select('id').where('session_id', '=', session.id).where('kind', '=', 'post_session').executeTakeFirstOrThrow();
    await page.goto(`${e2e.server.url}/admin/surveys/${participantSurvey.id}`);
    await expect(page.locator('#survey-rate').textContent()).resolves.toContain('1 / 3人（33.3%）');
    await expect(page.locator('main').textContent()).resolves.toContain('平均 5.00（回答 1人）');
    expect(await page.locator('svg[role="img"]').count()).toBe(5);
    await expect(page.getByRole('table', { name: /本日の研修の満足度/ }).textContent()).resolves.toContain('1人');
    await expectAccessible(page, 'survey results');
    await page.screenshot({ path: join(artifacts, 'survey-results.png'), fullPage: true });
    const download = page.waitForEvent('download');
    await page.locator('a[href$="/answers.xlsx"]').click();
    const file = await (await download).path();
    const [sheet] = await readXlsx(readFileSync(file));
    expect(sheet.rows).toHaveLength(1);
    expect(sheet.header).not.toContain('氏名');
    expect(Object.values(sheet.rows[0])).toContain('活動の現場を見て、協働の意味がよくわかりました。');

    await page.getByRole('link', { name: '現地研修の双方の評価' }).click();
    await expect(page.locator('main').textContent()).resolves.toMatch(/参加した職員[\s\S]*受入れ団体/);
    // The host's そう思う is shown as 5：そう思う with a mean of 5.00, not 1.00.
    const hostTable = page.getByRole('table', { name: /有意義でしたか/ });
    await expect(hostTable.getByRole('row', { name: /5：そう思う/ }).textContent()).resolves.toContain('1人');
    await expect(page.locator('main').textContent()).resolves.not.toContain('平均 1.00');
    await expectAccessible(page, 'both sides');

    await page.goto(`${e2e.server.url}/admin/impact?by=cohort`);
    await expect(page.getByRole('status').first().textContent()).resolves.toContain('両方に回答した2人');
    await expect(page.locator('main').textContent()).resolves.toContain('+2.00');
    await expectAccessible(page, 'impact');

    // 5. The audit log reads in words: the records' Japanese names, the changes as a list, no raw
    //    JSON, and nobody named next to an answer to the anonymous questionnaire.
    await page.goto(`${e2e.server.url}/admin/audit`);
    const audit = (await page.locator('main').textContent())!;
    expect(audit).toContain('アンケートの回答');
    expect(audit).toContain('無記名のアンケートへの回答です');
    expect(audit).toContain('申込');
    expect(audit).not.toMatch(/survey_response|"answers"|\{"/);
    expect(await page.locator('pre.json').count()).toBe(0);
    const anonymousRows = page.getByRole('row').filter({ hasText: '無記名のアンケートへの回答です' });
    expect(await anonymousRows.count()).toBeGreaterThan(0);
    expect(await anonymousRows.filter({ hasText: '県職員 1' }).count()).toBe(0);
    await expectAccessible(page, 'audit log');
    await page.screenshot({ path: join(artifacts, 'audit-log.png'), fullPage: true });
    await page.close();
  });
});
