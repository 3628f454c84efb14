import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { personRepository } from '../../src/db/repositories/person.repository.js';
import { hashPassword } from '../../src/lib/crypto.js';
import { createApiToken } from '../../src/services/api-token.service.js';
import { apply } from '../../src/services/application.service.js';
import { markAttendance } from '../../src/services/completion.service.js';
import { addSession, createProgramme } from '../../src/services/offering.service.js';
import { addSite, createOffer, createPartner, invitePartnerMember } from '../../src/services/partner.service.js';
import { getPerson } from '../../src/services/person.service.js';
import { sampleOffering } from '../../src/services/sample-data/offerings.js';
import { createTestDb, type TestDb, testContext } from '../support/db.js';
import { Agent, appFor, makeUser, PASSWORD } from '../support/http.js';
import { makeOffering } from '../support/offerings.js';
import { toCurrentUser } from '../../src/services/context.js';

let tdb: TestDb;
let ctx: ReturnType<typeof testContext>;
let app: ReturnType<typeof appFor>['app'];
let admin: Agent;
let adminToken: string;
let n = 0;

/** A partner with one member (who can log in), a site and an offer of the given candidate dates. */
async function partnerWithOffer(candidateStarts: string[]) {
  const i = ++n;
  const p = await createPartner(ctx, null, { name: `NPO法人 受入れ試験${i}`, kana: "ウケイレシケン", type: 'npo' });
  const email = `host${i}@npo.example.jp`;
  const m = await invitePartnerMember(ctx, null, p.id, { name: `受入れ 担当${i}`, kana: 'ウケイレ タントウ', email });
  await personRepository.update(ctx.db, m.id, { password_hash: await hashPassword(PASSWORD) });
  const member = toCurrentUser((await getPerson(ctx, m.id))!);
  const agent = new Agent(app);
  await agent.login(email);
  const site = await addSite(ctx, member, p.id, { name: `活動拠点${i}`, address: '守山市守山一丁目', capacity: '20' });
  const offer = await createOffer(ctx, member, { siteId: site.id, theme: `多文化共生の現場${i}`, candidateStarts, durationMinutes: 120, capacity: 10 });
  return { partner: p, email, agent, offer };
}

const mailTo = (to: string) => tdb.db.selectFrom('outbox').select(['subject', 'body_text']).where('to_address', '=', to).execute();
const sessionsOf = (offeringId: number) => tdb.db.selectFrom('offering_sessions').selectAll().where('offering_id', '=', offeringId).execute();
/** The <select> of one offer's offering choice, as sent. */
const offeringSelect = (html: string, offerId: number) => html.match(new RegExp(`<select id="f-offer${offerId}-offeringId"[\\s\\S]*?</select>`))![0];
const optionTexts = (select: string) => [...select.matchAll(/<option value="(\d*)"[^>]*>([^<]*)<\/option>/g)].map((m) => ({ value: m[1], label: m[2] }));

/** Every id on the page is unique, and every label points at an element that exists. */
function noDuplicateIds(html: string) {
  const ids = [...html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]);
  expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
  for (const f of [...html.matchAll(/<label for="([^"]+)"/g)].map((m) => m[1])) expect(ids).toContain(f);
}

let old2011: { id: number };
let seminar: { id: number };
let plain: { id: number };
let nextYear: { id: number };
let cancelled: { id: number };

beforeAll(async () => {
  tdb = await createTestDb();
  ctx = testContext(tdb);
  app = appFor(ctx).app;
  const a = await makeUser(ctx, ['admin', 'staff'], { email: 'fo-admin@pref.example.jp' });
  admin = new Agent(app);
  await admin.login(a.email);
  adminToken = (await createApiToken(ctx, null, a.id, { name: 'test' })).token;
  const course = await createProgramme(ctx, null, { name: '協働コーディネーター養成講座', kind: 'coordinator_course' });
  // The oldest offering, as imported from history: the 平成23年度 course.
  old2011 = await sampleOffering(ctx.db, ctx.now(), { programme_id: course.id, fiscal_year: 2011, title: '協働コーディネーター養成講座（平成23年度）', selection: 'first_come', capacity: 20, opens: new Date('2011-05-01T00:00:00Z'), closes: new Date('2011-06-01T00:00:00Z') });
  seminar = await makeOffering(ctx, { title: '協働推進セミナー（令和8年度）', capacity: 30, published: true });
  plain = await makeOffering(ctx, { title: '協働推進セミナー 現地研修コース', capacity: 30, published: false });
  nextYear = await makeOffering(ctx, { fiscalYear: 2027, title: '協働推進セミナー（令和9年度）' });
  cancelled = await makeOffering(ctx, { title: '中止した研修（令和8年度）' });
  await tdb.db.updateTable('offerings').set({ cancelled_at: ctx.now() }).where('id', '=', cancelled.id).execute();
});
afterAll(() => tdb.close());

describe('accepting a field-training offer', () => {
  it('offers only unfinished, uncancelled offerings of the fiscal year of the dates, with the year once and none chosen; asks first; then schedules', async () => {
    const { offer, email } = await partnerWithOffer(['2027-02-18T13:30:00+09:00']);
    const html = await (await admin.get('/admin/field-offers')).text();
    const options = optionTexts(offeringSelect(html, offer.id));
    // Nothing is chosen by default: the first option is the empty one, and no option is selected.
    expect(options[0]).toEqual({ value: '', label: '選んでください' });
    expect(offeringSelect(html, offer.id)).not.toContain('selected');
    expect(options.slice(1).map((o) => o.value).sort()).toEqual([String(seminar.id), String(plain.id)].sort());
    expect(options.find((o) => o.value === String(seminar.id))!.label).toBe('協働推進セミナー（令和8年度）');
    expect(options.find((o) => o.value === String(plain.id))!.label).toBe('協働推進セミナー 現地研修コース（令和8年度）');
    expect(html).not.toContain('（平成23年度）（平成23年度）');

    // Choosing none is an error at the field.
    const none = await admin.post(`/admin/field-offers/${offer.id}/accept`, { offeringId: '', start: '2027-02-18T04:30:00.000Z' });
    expect(none.status).toBe(422);
    const noneText = await none.text();
    expect(noneText).toContain('研修を選んでください。');
    expect(noneText).toContain(`href="#f-offer${offer.id}-offeringId"`);

    // An offering sent anyway that the list does not offer is refused, whatever the client sends.
    for (const [bad, message] of [
      [old2011.id, '研修に選んだ研修は、終了または中止しているため選べません。'],
      [cancelled.id, '研修に選んだ研修は、終了または中止しているため選べません。'],
      [nextYear.id, '研修には、実施日時を含む2026年度の研修を選んでください。'],
    ] as const) {
      const res = await admin.post(`/admin/field-offers/${offer.id}/accept`, { offeringId: String(bad), start: '2027-02-18T04:30:00.000Z', confirm: 'yes' });
      expect(res.status).toBe(422);
      expect(await res.text()).toContain(message);
      expect(await sessionsOf(bad)).toHaveLength(0);
    }

    // The first step only asks: what is scheduled, who is mailed, that it is published, the roster.
    const staff = await makeUser(ctx, ['staff'], { name: '受講 一郎' });
    await apply(ctx, toCurrentUser((await getPerson(ctx, staff.id))!), seminar.id, {});
    const ask = await admin.post(`/admin/field-offers/${offer.id}/accept`, { offeringId: String(seminar.id), start: '2027-02-18T04:30:00.000Z' });
    expect(ask.status).toBe(200);
    const confirm = await ask.text();
    expect(confirm).toContain('現地研修の実施の確認');
    expect(confirm).toContain('のメンバー1名に、「受入れが決まりました」とメールで知らせます。');
    expect(confirm).toContain('この研修は公開中のため、この回は公開の研修日程とオープンデータに掲載されます。');
    expect(confirm).toContain('受入れ団体の受講者名簿には、この研修の受講決定者1名が載ります。');
    expect(confirm).toContain('name="confirm" value="yes"');
    expect(await sessionsOf(seminar.id)).toHaveLength(0);
    expect((await mailTo(email)).filter((m) => m.subject.includes('受入れが決まりました'))).toEqual([]);

    const done = await admin.post(`/admin/field-offers/${offer.id}/accept`, { offeringId: String(seminar.id), start: '2027-02-18T04:30:00.000Z', confirm: 'yes' });
    expect(done.status).toBe(303);
    expect(await sessionsOf(seminar.id)).toHaveLength(1);
    expect((await mailTo(email)).map((m) => m.subject)).toContain(`【Kyodo】現地研修の受入れが決まりました：${offer.theme}`);
  });

  it('declining asks first, saying the partner will be mailed the reason; an empty reason is refused at its field', async () => {
    const { offer, email } = await partnerWithOffer(['2027-03-02T13:30:00+09:00']);
    const empty = await admin.post(`/admin/field-offers/${offer.id}/decline`, { reason: '' });
    expect(empty.status).toBe(422);
    expect(await empty.text()).toContain(`<a href="#f-offer${offer.id}-reason">理由を入力してください。</a>`);
    const ask = await admin.post(`/admin/field-offers/${offer.id}/decline`, { reason: '今年度は日程が合わないため' });
    expect(ask.status).toBe(200);
    expect(await ask.text()).toContain('のメンバー1名に、見送ったことと理由をメールで知らせます。');
    expect((await tdb.db.selectFrom('field_offers').select('status').where('id', '=', offer.id).executeTakeFirstOrThrow()).status).toBe('offered');
    expect((await admin.post(`/admin/field-offers/${offer.id}/decline`, { reason: '今年度は日程が合わないため', confirm: 'yes' })).status).toBe(303);
    expect((await tdb.db.selectFrom('field_offers').select('status').where('id', '=', offer.id).executeTakeFirstOrThrow()).status).toBe('declined');
    expect((await mailTo(email)).map((m) => m.subject)).toContain(`【Kyodo】現地研修の申出について：${offer.theme}`);
  });

  it('an unpublished offering says the session will not be published', async () => {
    const { offer } = await partnerWithOffer(['2027-03-04T13:30:00+09:00']);
    const ask = await admin.post(`/admin/field-offers/${offer.id}/accept`, { offeringId: String(plain.id), start: '2027-03-04T04:30:00.000Z' });
    expect(await ask.text()).toContain('この研修は非公開のため、この回は公開の研修日程とオープンデータには掲載されません。');
  });

  it('dates in two fiscal years list each year under its own heading', async () => {
    const { offer } = await partnerWithOffer(['2027-03-25T13:30:00+09:00', '2027-04-15T13:30:00+09:00']);
    const select = offeringSelect(await (await admin.get('/admin/field-offers')).text(), offer.id);
    expect(select).toContain('<optgroup label="令和8年度 (2026)">');
    expect(select).toContain('<optgroup label="令和9年度 (2027)">');
    expect(select).toContain(`value="${nextYear.id}"`);
    expect(select).not.toContain(`value="${old2011.id}"`);
  });

  it('the API refuses (422, naming the field) an offering whose fiscal year does not contain the date, in one call', async () => {
    const { offer } = await partnerWithOffer(['2027-01-20T13:30:00+09:00']);
    const call = (body: object) =>
      app.request(`http://kyodo.test/api/v1/offers/${offer.id}/accept`, { method: 'POST', headers: { Authorization: `Bearer ${adminToken}`, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    const res = await call({ offeringId: old2011.id, start: '2027-01-20T04:30:00.000Z' });
    expect(res.status).toBe(422);
    expect(JSON.stringify(await res.json())).toContain('offeringId');
    expect(await sessionsOf(old2011.id)).toHaveLength(0);
    const ok = await call({ offeringId: seminar.id, start: '2027-01-20T04:30:00.000Z' });
    expect(ok.status).toBe(200);
  });
});

describe('deleting or changing a session that came from an offer', () => {
  it('asks first (who is told, no certificate revoked), then deletes it, gives the offer back with a note, audits and tells the partner and the participants', async () => {
    const { offer, email, agent } = await partnerWithOffer(['2027-02-25T13:30:00+09:00']);
    const o = await makeOffering(ctx, { title: '協働推進セミナー 削除試験（令和8年度）', capacity: 10 });
    const staff = await makeUser(ctx, ['staff'], { name: '受講 二郎', email: 'jiro@pref.example.jp' });
    await apply(ctx, toCurrentUser((await getPerson(ctx, staff.id))!), o.id, {});
    expect((await admin.post(`/admin/field-offers/${offer.id}/accept`, { offeringId: String(o.id), start: '2027-02-25T04:30:00.000Z', confirm: 'yes' })).status).toBe(303);
    const [session] = await sessionsOf(o.id);

    const page = await (await admin.get(`/admin/offerings/${o.id}`)).text();
    expect(page).toContain(`href="/admin/offerings/${o.id}/sessions/${session.id}/delete"`);
    const ask = await admin.get(`/admin/offerings/${o.id}/sessions/${session.id}/delete`);
    expect(ask.status).toBe(200);
    const askText = await ask.text();
    expect(askText).toContain('この研修の受講決定者1名に、回の取りやめをメールで知らせます。');
    expect(askText).toMatch(/受入れ団体（NPO法人 受入れ試験\d+）のメンバー1名に知らせます。/);
    expect(askText).toContain('現地研修の申出は「申出中」に戻り');
    expect(askText).toContain('この変更で取り消される修了証はありません。');
    // A post without the confirmation only asks again.
    expect((await admin.post(`/admin/offerings/${o.id}/sessions/${session.id}/delete`, {})).status).toBe(200);
    expect(await sessionsOf(o.id)).toHaveLength(1);

    const del = await admin.post(`/admin/offerings/${o.id}/sessions/${session.id}/delete`, { confirm: 'yes', reason: '年度をまちがえて登録したため' });
    expect(del.status).toBe(303);
    expect(await sessionsOf(o.id)).toHaveLength(0);
    const after = await tdb.db.selectFrom('field_offers').selectAll().where('id', '=', offer.id).executeTakeFirstOrThrow();
    expect(after).toMatchObject({ status: 'offered', session_id: null, session_withdrawn_reason: '年度をまちがえて登録したため' });
    expect(after.withdrawn_session_starts_at?.toISOString()).toBe('2027-02-25T04:30:00.000Z');
    const audits = await tdb.db.selectFrom('audit_log').select(['action', 'entity', 'entity_id']).where((eb) => eb.or([eb.and([eb('entity', '=', 'offering_session'), eb('entity_id', '=', String(session.id))]), eb.and([eb('entity', '=', 'field_offer'), eb('entity_id', '=', String(offer.id))])])).execute();
    expect(audits.map((x) => `${x.entity}:${x.action}`)).toEqual(expect.arrayContaining(['offering_session:delete', 'field_offer:session_withdrawn']));
    expect((await mailTo(email)).map((m) => m.subject)).toContain(`【Kyodo】現地研修の実施を取り消しました：${offer.theme}`);
    const toStaff = await mailTo('jiro@pref.example.jp');
    expect(toStaff.map((m) => m.subject)).toContain(`【Kyodo】研修の回を取りやめました：現地研修：${offer.theme}`);
    expect(toStaff.find((m) => m.subject.includes('取りやめました'))!.body_text).toContain('年度をまちがえて登録したため');

    // Both sides see the offer back under consideration, with the note; the admin can schedule it again.
    const partnerPage = await (await agent.get('/partner')).text();
    expect(partnerPage).toContain('申出中');
    // Said at the top of the page, before the forms, as well as in the list of offers.
    expect(partnerPage.indexOf('取り消されました')).toBeLessThan(partnerPage.indexOf('現地研修の受入れを申し出る'));
    expect(partnerPage).toContain('予定していた2027年2月25日');
    expect(partnerPage).toContain('取消しの理由：年度をまちがえて登録したため');
    const offers = await (await admin.get('/admin/field-offers')).text();
    expect(offers).toContain('改めて検討します。');
    expect(offers).toContain(`action="/admin/field-offers/${offer.id}/accept"`);
    expect((await admin.post(`/admin/field-offers/${offer.id}/accept`, { offeringId: String(o.id), start: '2027-02-25T04:30:00.000Z', confirm: 'yes' })).status).toBe(303);
  });

  it('a session with attendance is kept (409, said on the page), never a 500', async () => {
    const o = await makeOffering(ctx, { title: '出欠あり（令和8年度）' });
    const staff = await makeUser(ctx, ['staff']);
    const app1 = await apply(ctx, toCurrentUser((await getPerson(ctx, staff.id))!), o.id, {});
    const s = await addSession(ctx, null, o.id, { title: '第1回', format: 'lecture', startsAt: '2026-11-20T13:30:00+09:00', endsAt: '2026-11-20T16:30:00+09:00' });
    const other = await addSession(ctx, null, o.id, { title: '第2回', format: 'lecture', startsAt: '2026-12-20T13:30:00+09:00', endsAt: '2026-12-20T16:30:00+09:00' });
    await markAttendance(ctx, null, s.id, [{ applicationId: app1.id, status: 'present' }]);
    // The offering's page offers no delete that can only be refused: it says why instead; the session
    // without records keeps its link.
    const offeringPage = await (await admin.get(`/admin/offerings/${o.id}`)).text();
    expect(offeringPage).not.toContain(`href="/admin/offerings/${o.id}/sessions/${s.id}/delete"`);
    expect(offeringPage).toContain('第1回：');
    expect(offeringPage).toContain('出欠またはアンケートの記録があるため削除できません');
    expect(offeringPage).toContain(`href="/admin/offerings/${o.id}/sessions/${other.id}/delete"`);
    const ask = await admin.get(`/admin/offerings/${o.id}/sessions/${s.id}/delete`);
    expect(ask.status).toBe(409);
    expect(await ask.text()).toContain('この回には出欠またはアンケートの記録があるため、削除できません。');
    const del = await admin.post(`/admin/offerings/${o.id}/sessions/${s.id}/delete`, { confirm: 'yes' });
    expect(del.status).toBe(409);
    expect(await sessionsOf(o.id)).toHaveLength(2);
    // Another offering's session is not reached through this one's path.
    expect((await admin.get(`/admin/offerings/${seminar.id}/sessions/${s.id}/delete`)).status).toBe(404);
  });

  it('adding a session that would withdraw completions says how many certificates it revokes and asks first', async () => {
    const o = await makeOffering(ctx, { title: '修了証あり（令和8年度）' });
    const staff = await makeUser(ctx, ['staff']);
    const app1 = await apply(ctx, toCurrentUser((await getPerson(ctx, staff.id))!), o.id, {});
    const s = await addSession(ctx, null, o.id, { title: '第1回', format: 'lecture', startsAt: '2026-11-20T13:30:00+09:00', endsAt: '2026-11-20T16:30:00+09:00' });
    await markAttendance(ctx, null, s.id, [{ applicationId: app1.id, status: 'present' }]);
    const standing = () => tdb.db.selectFrom('certificates').selectAll().where('application_id', '=', app1.id).where('revoked_at', 'is', null).execute();
    expect(await standing()).toHaveLength(1);
    const form = { title: '第2回', format: 'workshop', startsAt: '2027-01-15T13:30', endsAt: '2027-01-15T16:30' };
    const ask = await admin.post(`/admin/offerings/${o.id}/sessions`, form);
    expect(ask.status).toBe(200);
    expect(await ask.text()).toContain('この変更で、修了証1件が取り消されます（修了の取消し1件）。');
    expect(await sessionsOf(o.id)).toHaveLength(1);
    expect(await standing()).toHaveLength(1);
    expect((await admin.post(`/admin/offerings/${o.id}/sessions`, { ...form, confirm: 'yes' })).status).toBe(303);
    expect(await sessionsOf(o.id)).toHaveLength(2);
    expect(await standing()).toHaveLength(0);
  });

  it('changing a field session asks first, then tells the participants and the host; it stays within the fiscal year', async () => {
    const { offer, email } = await partnerWithOffer(['2027-03-11T13:30:00+09:00']);
    const o = await makeOffering(ctx, { title: '日程変更試験（令和8年度）', capacity: 10 });
    const staff = await makeUser(ctx, ['staff'], { email: 'saburo@pref.example.jp' });
    await apply(ctx, toCurrentUser((await getPerson(ctx, staff.id))!), o.id, {});
    await admin.post(`/admin/field-offers/${offer.id}/accept`, { offeringId: String(o.id), start: '2027-03-11T04:30:00.000Z', confirm: 'yes' });
    const [session] = await sessionsOf(o.id);
    const edit = await (await admin.get(`/admin/offerings/${o.id}/sessions/${session.id}/edit`)).text();
    expect(edit).toContain('value="2027-03-11T13:30"');
    const change = { title: session.title, startsAt: '2027-03-18T13:30', endsAt: '2027-03-18T15:30', venue: '守山市民ホール', lecturers: session.lecturers };
    const outOfYear = await admin.post(`/admin/offerings/${o.id}/sessions/${session.id}`, { ...change, startsAt: '2027-04-08T13:30', endsAt: '2027-04-08T15:30' });
    expect(outOfYear.status).toBe(422);
    expect(await outOfYear.text()).toContain('開始日時は、研修の年度（2026年度）の中の日時にしてください。');
    const ask = await admin.post(`/admin/offerings/${o.id}/sessions/${session.id}`, change);
    expect(ask.status).toBe(200);
    const askText = await ask.text();
    expect(askText).toContain('この研修の受講決定者1名に、変更をメールで知らせます。');
    expect(askText).toMatch(/受入れ団体（NPO法人 受入れ試験\d+）のメンバー1名にも知らせます。/);
    expect((await sessionsOf(o.id))[0].venue).toBe(session.venue);
    expect((await admin.post(`/admin/offerings/${o.id}/sessions/${session.id}`, { ...change, confirm: 'yes' })).status).toBe(303);
    expect((await sessionsOf(o.id))[0]).toMatchObject({ venue: '守山市民ホール', starts_at: new Date('2027-03-18T04:30:00.000Z') });
    const toStaff = await mailTo('saburo@pref.example.jp');
    expect(toStaff.find((m) => m.subject.startsWith('【Kyodo】研修の回の日時・会場などを変更しました'))!.body_text).toContain('守山市民ホール');
    expect((await mailTo(email)).map((m) => m.subject)).toContain(`【Kyodo】研修の回の日時・会場などを変更しました：${session.title}`);
  });
});

describe('the API changes and deletes a session in one call each', () => {
  it('PUT moves a field session (refusing another fiscal year), DELETE removes it and gives the offer back', async () => {
    const { offer, email } = await partnerWithOffer(['2027-01-28T13:30:00+09:00']);
    const o = await makeOffering(ctx, { title: 'API試験（令和8年度）' });
    await admin.post(`/admin/field-offers/${offer.id}/accept`, { offeringId: String(o.id), start: '2027-01-28T04:30:00.000Z', confirm: 'yes' });
    const [session] = await sessionsOf(o.id);
    const call = (method: string, body?: object) =>
      app.request(`http://kyodo.test/api/v1/sessions/${session.id}`, { method, headers: { Authorization: `Bearer ${adminToken}`, 'Content-Type': 'application/json' }, body: body ? JSON.stringify(body) : undefined });
    const wrongYear = await call('PUT', { title: session.title, startsAt: '2027-04-08T13:30:00+09:00', endsAt: '2027-04-08T15:30:00+09:00' });
    expect(wrongYear.status).toBe(422);
    expect(JSON.stringify(await wrongYear.json())).toContain('startsAt');
    const moved = await call('PUT', { title: session.title, startsAt: '2027-02-04T13:30:00+09:00', endsAt: '2027-02-04T15:30:00+09:00', venue: '草津市民交流プラザ' });
    expect(moved.status).toBe(200);
    expect(await moved.json()).toMatchObject({ startsAt: '2027-02-04T04:30:00.000Z', venue: '草津市民交流プラザ' });
    const del = await call('DELETE');
    expect(del.status).toBe(200);
    expect(await sessionsOf(o.id)).toHaveLength(0);
    expect(await tdb.db.selectFrom('field_offers').select(['status', 'session_id']).where('id', '=', offer.id).executeTakeFirstOrThrow()).toEqual({ status: 'offered', session_id: null });
    expect((await mailTo(email)).map((m) => m.subject)).toContain(`【Kyodo】現地研修の実施を取り消しました：${offer.theme}`);
    expect((await call('DELETE')).status).toBe(404);
  });
});

describe('wording and ids', () => {
  it('/admin/offerings/:id has no duplicate id, and each session label reaches its own field', async () => {
    const o = await makeOffering(ctx, { title: 'id試験（令和8年度）' });
    await addSession(ctx, null, o.id, { title: '第1回', format: 'lecture', startsAt: '2027-01-15T13:30:00+09:00', endsAt: '2027-01-15T16:30:00+09:00' });
    const check = noDuplicateIds;
    const html = await (await admin.get(`/admin/offerings/${o.id}`)).text();
    check(html);
    expect(html).toContain('<label for="f-session-title">');
    expect(html).toContain('id="f-session-title"');
    // A refused session form links each message to the session form's own field.
    const bad = await admin.post(`/admin/offerings/${o.id}/sessions`, { title: '', format: 'lecture', startsAt: '', endsAt: '' });
    expect(bad.status).toBe(422);
    const badHtml = await bad.text();
    check(badHtml);
    expect(badHtml).toContain('<a href="#f-session-title">名称を入力してください。</a>');
  });

  it("an organisation's name is labelled 団体名 on /partner and /admin/partners/:id, and its messages say so", async () => {
    const { partner, agent } = await partnerWithOffer(['2027-02-04T13:30:00+09:00']);
    const own = await (await agent.get('/partner')).text();
    expect(own).toMatch(/<label for="f-name">団体名/);
    noDuplicateIds(own);
    noDuplicateIds(await (await admin.get('/admin/field-offers')).text());
    const adminPage = await (await admin.get(`/admin/partners/${partner.id}`)).text();
    noDuplicateIds(adminPage);
    expect(adminPage).toMatch(/<label for="f-name">団体名/);
    // The member-invitation form on the same page asks for a person: 氏名.
    expect(adminPage).toMatch(/<label for="f-invite-name">氏名/);
    const bad = await admin.post(`/admin/partners/${partner.id}`, { name: '', kana: 'ウケイレ', type: 'npo' });
    expect(bad.status).toBe(422);
    const text = await bad.text();
    expect(text).toContain('団体名を入力してください。');
    expect(text).not.toContain('氏名を入力してください。');
    const api = await app.request('http://kyodo.test/api/v1/partners', { method: 'POST', headers: { Authorization: `Bearer ${adminToken}`, 'Content-Type': 'application/json' }, body: JSON.stringify({ name: '', kana: 'ア', type: 'npo' }) });
    expect(api.status).toBe(422);
    expect((await api.json()).error.fields.name).toBe('団体名を入力してください。');
  });

  it('the offer form gives the range of 所要時間 and says an empty 定員 is required', async () => {
    const { agent } = await partnerWithOffer(['2027-02-04T13:30:00+09:00']);
    const site = await tdb.db.selectFrom('partner_sites').select('id').orderBy('id', 'desc').executeTakeFirstOrThrow();
    const res = await agent.post('/partner/offers', { siteId: String(site.id), theme: '見学', candidateStarts: '2027-02-10T13:30', durationMinutes: '10', capacity: '' });
    expect(res.status).toBe(422);
    const text = await res.text();
    expect(text).toContain('所要時間（分）は30から600までの範囲で入力してください。');
    expect(text).toContain('定員を入力してください。');
    expect(text).not.toContain('値が範囲外です');
    expect(text).not.toContain('整数で入力してください');
  });
});
