import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apply, cancel } from '../../src/services/application.service.js';
import { addSession } from '../../src/services/offering.service.js';
import { getPerson } from '../../src/services/person.service.js';
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
