import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apply, cancel } from '../../src/services/application.service.js';
import { addSession } from '../../src/services/offering.service.js';
import { getPerson } from '../../src/services/person.service.js';
import { audit } from '../../src/services/audit.service.js';
import { createUnit } from '../../src/services/unit.service.js';
import { createSurvey, respond } from '../../src/services/survey.service.js';
import { createTestDb, type TestDb, testContext } from '../support/db.js';
import { Agent, appFor, makeUser } from '../support/http.js';
import { makeOffering } from '../support/offerings.js';
import { toCurrentUser } from '../../src/services/context.js';

let tdb: TestDb;
let ctx: ReturnType<typeof testContext>;
let app: ReturnType<typeof appFor>['app'];
let admin: Agent;
const DAY = 86_400_000;

beforeAll(async () => {
  tdb = await createTestDb();
  ctx = testContext(tdb);
  app = appFor(ctx).app;
  admin = new Agent(app);
  await admin.login((await makeUser(ctx, ['admin'], { name: '監査 太郎' })).email);
});
afterAll(() => tdb.close());

const templateId = async (code: string) => (await ctx.db.selectFrom('survey_templates').select('id').where('code', '=', code).executeTakeFirstOrThrow()).id;
/** The rows of the audit table, as text, in page order. */
const entries = (html: string) => [...html.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].slice(1).map((m) => m[1].replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim());

describe('the audit log in words', () => {
  it('names each record as its pages do, with a link, the action in words and what changed field by field; no internal names, no JSON', async () => {
    const created = await admin.post('/admin/people', { name: '記録 花子', kana: 'キロク ハナコ', email: 'kiroku@pref.example.jp', affiliation: 'prefecture', roles: 'staff' });
    const id = created.headers.get('location')!.match(/\/admin\/people\/(\d+)/)![1];
    await admin.post(`/admin/people/${id}`, { name: '記録 花子', kana: 'キロク ハナコ', email: 'hanako.kiroku@pref.example.jp', affiliation: 'municipality', roles: 'staff' });

    const html = await (await admin.get(`/admin/audit?entity=person&entityId=${id}`)).text();
    expect(html).not.toMatch(/<pre class="json"|\{&quot;|\{"/);
    expect(html).toContain(`href="/admin/people/${id}"`);
    const rows = entries(html);
    expect(rows).toHaveLength(2);
    // Newest first: the change, then the creation.
    expect(rows[0]).toContain('監査 太郎');
    expect(rows[0]).toContain('変更');
    expect(rows[0]).toContain('職員 記録 花子');
    expect(rows[0]).toContain('メールアドレス kiroku@pref.example.jp → hanako.kiroku@pref.example.jp');
    expect(rows[0]).toContain('所属区分 県 → 市町');
    expect(rows[0]).not.toContain('氏名'); // unchanged fields are not listed
    expect(rows[1]).toContain('登録');
    expect(rows[1]).toContain('氏名 記録 花子');
    // The filters offer the records' and actions' names, not the internal ones.
    expect(html).toMatch(/<option value="person"[^>]*>職員<\/option>/);
    expect(html).toMatch(/<option value="update"[^>]*>変更<\/option>/);
  });

  it('an application is 申込 with the person and the training, linked to its applicants list; a status change reads in words', async () => {
    const o = await makeOffering(ctx, { capacity: 5 });
    const p = await makeUser(ctx, ['staff'], { name: '申込 次郎' });
    const u = toCurrentUser((await getPerson(ctx, p.id))!);
    const a = await apply(ctx, u, o.id, {});
    await cancel(ctx, u, a.id, { reason: '業務の都合' });
    const html = await (await admin.get(`/admin/audit?entity=application&entityId=${a.id}`)).text();
    expect(html).not.toMatch(/>application</);
    expect(html).toContain(`href="/admin/offerings/${o.id}/applications"`);
    const rows = entries(html);
    expect(rows[0]).toMatch(/状態を「辞退」に変更 申込 申込 次郎（協働推進セミナー 第\d+回）/);
    expect(rows[0]).toContain('受講決定 → 辞退');
    expect(rows[1]).toMatch(/^.*申込 次郎 申込み 申込/);

    const en = new Agent(app);
    await en.login((await makeUser(ctx, ['admin'])).email);
    await en.get('/lang/en');
    const english = await (await en.get(`/admin/audit?entity=application&entityId=${a.id}`)).text();
    expect(english).toContain('Status set to');
    expect(english).toMatch(/>Application</);
  });

  it('a named survey answer shows the question and the scale’s words; an anonymous one names neither the person nor the answer', async () => {
    const o = await makeOffering(ctx, { capacity: 5 });
    const s = await addSession(ctx, null, o.id, { title: '第1回', format: 'lecture', startsAt: new Date(ctx.now().getTime() - 3 * 3_600_000).toISOString(), endsAt: new Date(ctx.now().getTime() - 3_600_000).toISOString() });
    const p = await makeUser(ctx, ['staff'], { name: '回答 三郎' });
    const u = toCurrentUser((await getPerson(ctx, p.id))!);
    await apply(ctx, u, o.id, {});
    const window = { opensAt: ctx.now().toISOString(), closesAt: new Date(ctx.now().getTime() + DAY).toISOString() };
    const named = await createSurvey(ctx, null, { templateId: await templateId('competency'), kind: 'pre', offeringId: o.id, ...window });
    const anonymous = await createSurvey(ctx, null, { templateId: await templateId('post-seminar'), kind: 'post_session', sessionId: s.id, ...window });
    await respond(ctx, u, named.id, { answers: { competency: { roles: 5, sites: 4, consensus: 3, facilitation: 2, evaluation: 1 } } });
    await respond(ctx, u, anonymous.id, { answers: { satisfaction: 5, understanding: 4, usefulness: 4, intent: '取り組みたい', comments: '匿名の感想です' } });

    const html = await (await admin.get('/admin/audit?entity=survey_response')).text();
    const rows = entries(html);
    expect(rows).toHaveLength(2);
    const [anon, mine] = rows;
    expect(mine).toContain('回答 三郎');
    expect(mine).toContain('アンケートの回答');
    expect(mine).toContain('多様な主体（NPO・地域団体・企業等）が担う公共的な役割と、協働の意義を理解している 5：そう思う');
    expect(html).toContain(`href="/admin/surveys/${named.id}"`);
    // Anonymous: the entry says an answer was given to that survey, never by whom nor which.
    expect(anon).toContain('アンケートの回答');
    expect(anon).toContain('無記名');
    expect(anon).not.toContain('回答 三郎');
    expect(html).not.toContain('匿名の感想です');
    const responseId = (await ctx.db.selectFrom('survey_responses').select('id').where('survey_id', '=', anonymous.id).executeTakeFirstOrThrow()).id;
    expect(html).not.toContain(responseId);
    // Filtering by the person does not list their anonymous answer either.
    const byPerson = entries(await (await admin.get(`/admin/audit?actor=${p.id}&entity=survey_response`)).text());
    expect(byPerson).toHaveLength(1);
    expect(byPerson[0]).not.toContain('無記名');
  });
});

describe('codes in words, in the user’s language', () => {
  it('documents, a completion’s parts, the sample sign-ins, an application’s answers and plain dates read as words, never as internal codes; English uses English punctuation', async () => {
    const unit = await createUnit(ctx, null, { kind: 'department', name: '監理課', kana: 'カンリカ' });
    const o = await makeOffering(ctx, { capacity: 5 });
    const s = await addSession(ctx, null, o.id, { title: '事例研究', format: 'lecture', startsAt: new Date(ctx.now().getTime() + DAY).toISOString(), endsAt: new Date(ctx.now().getTime() + DAY + 3_600_000).toISOString() });
    const p = await makeUser(ctx, ['staff'], { name: '文書 花子', unitId: unit.id });
    const a = await apply(ctx, toCurrentUser((await getPerson(ctx, p.id))!), o.id, {});
    await audit(ctx.db, ctx, null, 'issue', 'document', '協働第7号', undefined, { kind: 'unit_notice', subject: `${o.id}:${unit.id}`, number: '協働第7号', issued_on: '2026-12-01' });
    await audit(ctx.db, ctx, null, 'issue', 'document', '協働第8号', undefined, { kind: 'decision_notice', subject: String(a.id), number: '協働第8号', issued_on: '2026-12-01' });
    await audit(ctx.db, ctx, null, 'issue', 'document', '協働第9号', undefined, { kind: 'unit_notice', subject: `${o.id}:none`, number: '協働第9号', issued_on: '2026-12-01' });
    await audit(ctx.db, ctx, null, 'completed', 'completion', a.id, { completed: false }, {
      completed: true,
      parts: [
        { kind: 'sessions', met: true, attended: 4, needed: 4 },
        { kind: 'required_sessions', met: false, missing: [s.id] },
        { kind: 'assignment', met: false, state: 'submitted' },
      ],
    });
    await audit(ctx.db, ctx, null, 'sample_sign_ins', 'system', null, undefined, { accounts: ['admin: kenshu.admin@pref.example.jp', 'municipalStaff: tomoko.sasaki@city.example.jp'] });
    await audit(ctx.db, ctx, null, 'update', 'application', a.id, { answers: { q1: '前の動機' } }, { answers: { q1: '協働を進めたい' } });
    await audit(ctx.db, ctx, null, 'grant', 'coordinator_certification', p.id, undefined, { granted_on: '2014-11-22', ical_sequence: 2 });

    const ja = async (q: string) => entries(await (await admin.get(`/admin/audit?${q}`)).text());
    const docs = await ja('entity=document');
    expect(docs).toHaveLength(3);
    expect(docs[2]).toContain('文書番号 協働第7号');
    expect(docs[2]).toContain('文書の種類 受講決定通知（所属長あて）');
    expect(docs[2]).toContain(`対象 監理課（${o.title}）`);
    expect(docs[2]).toContain('発行日 2026年12月1日(火)');
    expect(docs[1]).toContain('文書の種類 受講決定通知（本人あて）');
    expect(docs[1]).toContain(`対象 文書 花子（${o.title}）`);
    expect(docs[0]).toContain(`対象 所属なし（${o.title}）`);
    const html = await (await admin.get('/admin/audit?entity=document')).text();
    expect(html).toContain(`href="/admin/offerings/${o.id}/paper"`);
    expect(html).toMatch(/<table class="data-table data-table--stack audit">/);

    const [completion] = await ja('entity=completion');
    expect(completion).toContain('要件：出席回数');
    expect(completion).toContain('要件：必ず出席する回');
    expect(completion).toContain('出席していない必須の回：事例研究');
    expect(completion).toContain('課題の状態：提出済み');
    const [signIns] = await ja('entity=system&action=sample_sign_ins');
    expect(signIns).toContain('体験用アカウント 研修担当（管理者）：kenshu.admin@pref.example.jp、市町の職員（受講者）：tomoko.sasaki@city.example.jp');
    const [answers] = await ja(`entity=application&entityId=${a.id}&action=update`);
    expect(answers).toContain('回答 › 設問1 前の動機 → 協働を進めたい');
    const [grant] = await ja('entity=coordinator_certification&action=grant');
    expect(grant).toContain('認定日 2014年11月22日(土)');
    expect(grant).toContain('カレンダー招待の版数 2');
    for (const row of [...docs, completion, signIns, answers, grant]) expect(row).not.toMatch(/unit_notice|decision_notice|sessions|municipalStaff|admin:|q1|ical|2014-11-22|2026-12-01/);

    const en = new Agent(app);
    await en.login((await makeUser(ctx, ['admin'])).email);
    await en.get('/lang/en');
    const english = async (q: string) => entries(await (await en.get(`/admin/audit?${q}`)).text());
    const enDocs = await english('entity=document');
    expect(enDocs[2]).toContain('Kind of document Decision notice (to the head of unit)');
    expect(enDocs[2]).toContain(`Concerning 監理課 (${o.title})`);
    expect(enDocs[2]).toContain('Issued on 1 Dec 2026 (Tue)');
    expect(enDocs[0]).toContain(`Concerning No unit (${o.title})`);
    const [enCompletion] = await english('entity=completion');
    expect(enCompletion).toContain('Met: yes, Requirement: Sessions attended');
    expect(enCompletion).not.toMatch(/[：、]/);
    const [enSignIns] = await english('entity=system&action=sample_sign_ins');
    expect(enSignIns).toContain('Sample sign-ins Training office (administrator): kenshu.admin@pref.example.jp, Municipal staff (participant): tomoko.sasaki@city.example.jp');
    const [enAnswers] = await english(`entity=application&entityId=${a.id}&action=update`);
    expect(enAnswers).toContain('Answers › Question 1');
  });
});
