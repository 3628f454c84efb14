import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tokyoDateOf } from '../../src/domain/calendar.js';
import { personRepository } from '../../src/db/repositories/person.repository.js';
import { surveyRepository } from '../../src/db/repositories/survey.repository.js';
import { readXlsx } from '../../src/lib/xlsx.js';
import { createApiToken } from '../../src/services/api-token.service.js';
import { apply, listApplications } from '../../src/services/application.service.js';
import { assignCoordinators, fileConsultation } from '../../src/services/consultation.service.js';
import { sendCohortMessage } from '../../src/services/cohort-message.service.js';
import { addSession, createProgramme } from '../../src/services/offering.service.js';
import { sampleOffering } from '../../src/services/sample-data/offerings.js';
import { copyOffering } from '../../src/services/offering-copy.service.js';
import { addSite, createPartner, invitePartnerMember } from '../../src/services/partner.service.js';
import { createPerson } from '../../src/services/person.service.js';
import { createSurvey } from '../../src/services/survey.service.js';
import { inviteOpenedSurveys } from '../../src/services/survey-opening.service.js';
import { createUnit } from '../../src/services/unit.service.js';
import { hashPassword } from '../../src/lib/crypto.js';
import { makeCoordinator, userOf } from '../support/consultations.js';
import { createTestDb, type TestDb, testContext } from '../support/db.js';
import { Agent, appFor, makeUser, PASSWORD } from '../support/http.js';
import { makeOffering } from '../support/offerings.js';

/**
 * The training office's daily work (issue 16 §2.3, §2.5, §2.6, the copy's surveys and the personal-data
 * export), as the users meet it: pages and their forms, without JavaScript, and the API.
 */

let tdb: TestDb;
let ctx: ReturnType<typeof testContext>;
let app: ReturnType<typeof appFor>['app'];
let admin: Agent;
let adminId: number;
let adminToken: string;
let nosei: number;
let kikaku: number;

const text = async (r: Response | Promise<Response>) => (await r).text();
const mailTo = (to: string) => tdb.db.selectFrom('outbox').select(['subject', 'body_text']).where('to_address', '=', to).execute();
const api = (path: string, token: string, body?: unknown) =>
  app.request(`http://kyodo.test${path}`, body === undefined ? { headers: { Authorization: `Bearer ${token}` } } : { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
/** Every id on the page is unique, and every label points at an element that exists. */
function wellFormed(html: string) {
  const ids = [...html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]);
  expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
  for (const f of [...html.matchAll(/<label for="([^"]+)"/g)].map((m) => m[1])) expect(ids).toContain(f);
}
async function agentFor(email: string) {
  const a = new Agent(app);
  await a.login(email);
  return a;
}
async function staff(name: string, kana: string, staffNumber: string | null, unitId: number, email: string) {
  return createPerson(ctx, null, { name, kana, email, staffNumber: staffNumber ?? '', unitId: String(unitId), affiliation: 'prefecture' });
}

beforeAll(async () => {
  tdb = await createTestDb();
  ctx = testContext(tdb);
  app = appFor(ctx).app;
  const a = await makeUser(ctx, ['admin', 'staff'], { email: 'daily-admin@pref.example.jp', name: '研修 担当' });
  adminId = a.id;
  admin = await agentFor(a.email);
  adminToken = (await createApiToken(ctx, null, a.id, { name: 'daily' })).token;
  const dept = await createUnit(ctx, null, { kind: 'department', name: '農政水産部', kana: 'ノウセイスイサンブ' });
  nosei = (await createUnit(ctx, null, { kind: 'division', name: '農政課', kana: 'ノウセイカ', parentId: dept.id })).id;
  kikaku = (await createUnit(ctx, null, { kind: 'division', name: '企画調整課', kana: 'キカクチョウセイカ', parentId: dept.id })).id;
});
afterAll(() => tdb.close());

describe('代理申込 by name, フリガナ or 職員番号 (§2.3)', () => {
  it('finds people by part of the name, by フリガナ in hiragana, by 職員番号 in full-width digits; shows 所属 and 職員番号; applies with the chosen person’s id', async () => {
    const o = await makeOffering(ctx, { title: '協働推進セミナー（代理申込）', capacity: 10 });
    const misaki = await staff('髙橋 美咲', 'タカハシ ミサキ', 'A10234', nosei, 'misaki.takahashi@pref.example.jp');
    const ken = await staff('高橋 健', 'タカハシ ケン', 'A20871', kikaku, 'ken.takahashi@pref.example.jp');
    await staff('鈴木 一郎', 'スズキ イチロウ', 'A30001', nosei, 'ichiro.suzuki@pref.example.jp');

    const page = await text(admin.get(`/admin/offerings/${o.id}/applications`));
    expect(page).toContain('氏名・フリガナ・職員番号で探す');
    expect(page).toContain('メールアドレスで申し込む');

    // フリガナ typed in hiragana finds both 高橋 (異体字 kept as entered), with 所属 and 職員番号, in 50音順.
    const byKana = await text(admin.get(`/admin/offerings/${o.id}/applications?who=${encodeURIComponent('たかはし')}`));
    wellFormed(byKana);
    expect(byKana).toContain('「たかはし」に該当する職員（2名）');
    const rows = [...byKana.matchAll(/<tr[^>]*>\s*<th scope="row"[^>]*>([^<]+)<br\/?>[\s\S]*?<\/tr>/g)].map((m) => m[0]);
    expect(rows.map((r) => r.match(/<th scope="row"[^>]*>([^<]+)/)![1])).toEqual(['高橋 健', '髙橋 美咲']);
    expect(rows[1]).toContain('A10234');
    expect(rows[1]).toContain('農政課');
    expect(rows[0]).toContain('企画調整課');
    expect(rows[1]).toContain(`name="personId" value="${misaki.id}"`);

    // 職員番号 typed in full-width characters; part of a name.
    expect(await text(admin.get(`/admin/offerings/${o.id}/applications?who=${encodeURIComponent('Ａ１０２３４')}`))).toContain('「Ａ１０２３４」に該当する職員（1名）');
    expect(await text(admin.get(`/admin/offerings/${o.id}/applications?who=${encodeURIComponent('美咲')}`))).toContain(`value="${misaki.id}"`);
    const none = await text(admin.get(`/admin/offerings/${o.id}/applications?who=${encodeURIComponent('存在しない名前')}`));
    expect(none).toContain('「存在しない名前」に該当する在職中の職員はいません。');

    // The button carries the person's id: no questions, so it applies at once.
    const res = await admin.post(`/admin/offerings/${o.id}/proxy`, { personId: String(misaki.id), who: 'たかはし' });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('髙橋 美咲さんの申込みを登録しました。');
    const list = await listApplications(ctx, o.id);
    expect(list.map((x) => [x.person_id, x.status])).toEqual([[misaki.id, 'confirmed']]);
    // Searching again says who has applied already, instead of a second button.
    const again = await text(admin.get(`/admin/offerings/${o.id}/applications?who=${encodeURIComponent('たかはし')}`));
    expect(again).toContain('申込み済み（受講決定）');
    expect(again).not.toContain(`name="personId" value="${misaki.id}"`);
    expect(again).toContain(`name="personId" value="${ken.id}"`);
    // Applying twice is refused with a message, nothing saved twice.
    const twice = await admin.post(`/admin/offerings/${o.id}/proxy`, { personId: String(misaki.id) });
    expect(twice.status).toBeGreaterThanOrEqual(400);
    expect((await listApplications(ctx, o.id)).length).toBe(1);
    // An id that is nobody's is refused at the field.
    const nobody = await admin.post(`/admin/offerings/${o.id}/proxy`, { personId: '99999999' });
    expect(nobody.status).toBe(422);
    // The email path still works.
    const byEmail = await admin.post(`/admin/offerings/${o.id}/proxy`, { email: 'ken.takahashi@pref.example.jp' });
    expect(byEmail.status).toBe(200);
    expect((await listApplications(ctx, o.id)).map((x) => x.person_id).sort()).toEqual([misaki.id, ken.id].sort());
  });

  it('for an offering with a required question, choosing a person leads to the answers (or 「本人が後から回答」) before applying', async () => {
    const o = await makeOffering(ctx, { title: '協働コーディネーター養成講座（代理申込）', capacity: 10, questions: [{ id: 'q1', label: '受講の動機', required: true }] });
    const p = await staff('山田 花子', 'ヤマダ ハナコ', 'B55501', nosei, 'hanako.yamada@pref.example.jp');
    const step = await admin.post(`/admin/offerings/${o.id}/proxy`, { personId: String(p.id), who: 'やまだ' });
    expect(step.status).toBe(200);
    const html = await step.text();
    wellFormed(html);
    expect(html).toContain('山田 花子（農政課・職員番号 B55501）の申込みを登録します。');
    expect(html).toContain('for="f-answers.q1"');
    expect(html).toContain('name="answerStep" value="1"');
    expect(await listApplications(ctx, o.id)).toEqual([]);
    // A blank answer is refused at its field; the person stays chosen.
    const blank = await admin.post(`/admin/offerings/${o.id}/proxy`, { personId: String(p.id), answerStep: '1' });
    expect(blank.status).toBe(422);
    const blankHtml = await blank.text();
    expect(blankHtml).toContain('「受講の動機」に回答してください。');
    expect(blankHtml).toContain('山田 花子（農政課・職員番号 B55501）');
    const done = await admin.post(`/admin/offerings/${o.id}/proxy`, { personId: String(p.id), answerStep: '1', 'answers.q1': '地域の団体との協働事業を担当するため' });
    expect(done.status).toBe(200);
    const list = await listApplications(ctx, o.id);
    expect(list.map((x) => [x.person_id, x.answers])).toEqual([[p.id, { q1: '地域の団体との協働事業を担当するため' }]]);
  });

  it('the API applies for someone by personId (代理申込)', async () => {
    const o = await makeOffering(ctx, { title: '協働推進セミナー（API代理申込）', capacity: 10 });
    const p = await staff('佐藤 次郎', 'サトウ ジロウ', 'C70001', kikaku, 'jiro.sato@pref.example.jp');
    const res = await api(`/api/v1/offerings/${o.id}/applications`, adminToken, { personId: p.id });
    expect(res.status).toBe(201);
    expect((await listApplications(ctx, o.id)).map((x) => x.person_id)).toEqual([p.id]);
  });
});

describe('setting up a field training directly (§2.5)', () => {
  let partnerId: number;
  let siteId: number;
  const hostEmail = 'host@satoyama-daily.example.jp';

  beforeAll(async () => {
    const adminUser = await userOf(ctx, adminId);
    const partner = await createPartner(ctx, null, { name: 'NPO法人 びわ湖里山ネット', kana: 'ビワコサトヤマネット', type: 'npo' });
    partnerId = partner.id;
    siteId = (await addSite(ctx, adminUser, partner.id, { name: '里山学習センター', address: '高島市今津町', capacity: '25' })).id;
    await addSite(ctx, adminUser, partner.id, { name: '湖岸の作業場', address: '高島市新旭町', capacity: '10' });
    const other = await createPartner(ctx, null, { name: '株式会社 近江協働', kana: 'オウミキョウドウ', type: 'company' });
    await addSite(ctx, adminUser, other.id, { name: '本社会議室', address: '草津市', capacity: '40' });
    const m = await invitePartnerMember(ctx, null, partner.id, { name: '里山 守', kana: 'サトヤマ マモル', email: hostEmail });
    await personRepository.update(ctx.db, m.id, { password_hash: await hashPassword(PASSWORD) });
  });

  it('from the offering page: sites grouped by partner; date and time inputs; asks first saying who is mailed; then adds a hosted field session and tells the host', async () => {
    const o = await makeOffering(ctx, { title: '協働推進セミナー（令和8年度・現地研修）', capacity: 20, published: true });
    const offeringPage = await text(admin.get(`/admin/offerings/${o.id}`));
    expect(offeringPage).toContain(`href="/admin/offerings/${o.id}/field-sessions/new"`);
    const form = await text(admin.get(`/admin/offerings/${o.id}/field-sessions/new`));
    wellFormed(form);
    expect(form).toContain('<optgroup label="NPO法人 びわ湖里山ネット">');
    expect(form).toContain('<optgroup label="株式会社 近江協働">');
    expect(form).toMatch(/<optgroup label="NPO法人 びわ湖里山ネット">[\s\S]*里山学習センター（高島市今津町、受入人数25名）[\s\S]*湖岸の作業場/);
    expect(form).toContain('type="date"');
    expect(form.match(/type="time"/g)).toHaveLength(2);

    // Missing parts are named at their own fields; nothing is written.
    const bad = await admin.post(`/admin/offerings/${o.id}/field-sessions`, { siteId: String(siteId), theme: '', date: '', startTime: '13:30', endTime: '12:00' });
    expect(bad.status).toBe(422);
    const badHtml = await bad.text();
    expect(badHtml).toContain('テーマを入力してください。');
    expect(badHtml).toContain('実施日を入力してください。');
    expect(badHtml).toContain('href="#f-date"');
    // An end before the start; a date outside the offering's fiscal year; more people than the site holds.
    const order = await admin.post(`/admin/offerings/${o.id}/field-sessions`, { siteId: String(siteId), theme: '里山の保全活動', date: '2027-02-18', startTime: '13:30', endTime: '12:00' });
    expect(await order.text()).toContain('終了時刻は開始日時より後にしてください。');
    const year = await admin.post(`/admin/offerings/${o.id}/field-sessions`, { siteId: String(siteId), theme: '里山の保全活動', date: '2027-04-15', startTime: '13:30', endTime: '15:30' });
    expect(year.status).toBe(422);
    const over = await admin.post(`/admin/offerings/${o.id}/field-sessions`, { siteId: String(siteId), theme: '里山の保全活動', date: '2027-02-18', startTime: '13:30', endTime: '15:30', capacity: '30' });
    expect(await over.text()).toContain('活動場所の受入人数（25名）以下にしてください。');

    const values = { siteId: String(siteId), theme: '里山の保全活動と地域の担い手', date: '2027-02-18', startTime: '13:30', endTime: '16:00', capacity: '' };
    const ask = await admin.post(`/admin/offerings/${o.id}/field-sessions`, values);
    expect(ask.status).toBe(200);
    const askHtml = await ask.text();
    expect(askHtml).toContain('NPO法人 びわ湖里山ネットのメンバー1名に、現地研修の実施が決まったことをメールで知らせます。');
    expect(askHtml).toContain('公開の研修日程とオープンデータに掲載されます');
    expect(askHtml).toContain('name="confirm" value="yes"');
    expect(await tdb.db.selectFrom('offering_sessions').select('id').where('offering_id', '=', o.id).execute()).toEqual([]);
    expect((await mailTo(hostEmail)).filter((m) => m.subject.includes('現地研修'))).toEqual([]);

    const done = await admin.post(`/admin/offerings/${o.id}/field-sessions`, { ...values, confirm: 'yes' });
    expect(done.status).toBe(303);
    expect(done.headers.get('location')).toBe(`/admin/offerings/${o.id}?notice=offerings.fieldSessionAdded`);
    expect(await text(admin.get(done.headers.get('location')!))).toContain('現地研修の回を追加し、受入れ団体に知らせました。');
    const [s] = await tdb.db.selectFrom('offering_sessions').selectAll().where('offering_id', '=', o.id).execute();
    // The same kind of session an accepted offer makes: hosted, at the site, the venue in words.
    expect([s.format, s.title, s.host_partner_id, s.site_id, s.capacity, s.venue, s.lecturers]).toEqual([
      'field',
      '現地研修：里山の保全活動と地域の担い手',
      partnerId,
      siteId,
      25,
      'NPO法人 びわ湖里山ネット 里山学習センター（高島市今津町）',
      'NPO法人 びわ湖里山ネット',
    ]);
    expect(s.starts_at.toISOString()).toBe('2027-02-18T04:30:00.000Z');
    expect(s.ends_at.toISOString()).toBe('2027-02-18T07:00:00.000Z');
    const mail = (await mailTo(hostEmail)).filter((m) => m.subject.includes('現地研修'));
    expect(mail.map((m) => m.subject)).toEqual(['【Kyodo】現地研修の実施が決まりました：里山の保全活動と地域の担い手']);
    expect(mail[0].body_text).toContain('場所：里山学習センター（高島市今津町）');
    // The host sees it among the field trainings it hosts.
    const host = await agentFor(hostEmail);
    expect(await text(host.get('/partner'))).toContain('現地研修：里山の保全活動と地域の担い手');
    const log = await tdb.db.selectFrom('audit_log').select(['action', 'actor_id']).where('entity', '=', 'offering_session').where('entity_id', '=', String(s.id)).execute();
    expect(log).toEqual([{ action: 'create', actor_id: adminId }]);
  });

  it('the API adds a field session the same way, refusing what the form refuses', async () => {
    const o = await makeOffering(ctx, { title: '協働推進セミナー（API現地研修）', capacity: 20 });
    const missing = await api(`/api/v1/offerings/${o.id}/field-sessions`, adminToken, { theme: '湖岸のヨシ刈り' });
    expect(missing.status).toBe(422);
    const past = await api(`/api/v1/offerings/${o.id}/field-sessions`, adminToken, { siteId, theme: '湖岸のヨシ刈り', startsAt: '2026-11-01T13:30:00+09:00', endsAt: '2026-11-01T15:30:00+09:00' });
    expect(past.status).toBe(422);
    const res = await api(`/api/v1/offerings/${o.id}/field-sessions`, adminToken, { siteId, theme: '湖岸のヨシ刈り', startsAt: '2027-03-04T10:00:00+09:00', endsAt: '2027-03-04T12:00:00+09:00', capacity: 12 });
    expect(res.status).toBe(201);
    const { id } = (await res.json()) as { id: number };
    const s = await tdb.db.selectFrom('offering_sessions').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect([s.offering_id, s.format, s.host_partner_id, s.site_id, s.capacity, s.title]).toEqual([o.id, 'field', partnerId, siteId, 12, '現地研修：湖岸のヨシ刈り']);
  });

  it('the partner’s offer form takes each candidate as a date and a time; the API still takes combined values', async () => {
    const host = await agentFor(hostEmail);
    const page = await text(host.get('/partner'));
    wellFormed(page);
    expect(page.match(/name="candidateDate" type="date"/g)).toHaveLength(3);
    expect(page.match(/name="candidateTime" type="time"/g)).toHaveLength(3);
    expect(page).not.toContain('1行に1件');
    // A date without its time is refused at the candidates, nothing saved.
    const half = await host.post('/partner/offers', { siteId: String(siteId), theme: '湖岸のヨシ刈り体験', candidateDate: ['2027-01-20', '2027-01-27', ''], candidateTime: ['13:30', '', ''], durationMinutes: '120', capacity: '10' });
    expect(half.status).toBe(422);
    const halfHtml = await half.text();
    expect(halfHtml).toContain('href="#f-offer-candidateStarts"');
    expect(halfHtml).toContain('候補日時は、候補ごとに日付と開始時刻の両方を入力してください。');
    const ok = await host.post('/partner/offers', { siteId: String(siteId), theme: '湖岸のヨシ刈り体験', candidateDate: ['2027-01-20', '', '2027-02-03'], candidateTime: ['13:30', '', '10:00'], durationMinutes: '120', capacity: '10' });
    expect(ok.status).toBe(303);
    const offer = await tdb.db.selectFrom('field_offers').selectAll().where('theme', '=', '湖岸のヨシ刈り体験').executeTakeFirstOrThrow();
    expect(offer.candidate_starts).toEqual(['2027-01-20T04:30:00.000Z', '2027-02-03T01:00:00.000Z']);
    // The API (and the old one-per-line form value) keep working.
    const member = await tdb.db.selectFrom('people').select('id').where('email', '=', hostEmail).executeTakeFirstOrThrow();
    const token = (await createApiToken(ctx, null, member.id, { name: 'host' })).token;
    const viaApi = await api('/api/v1/offers', token, { siteId, theme: '冬の里山観察', candidateStarts: ['2027-02-10T13:30:00+09:00'], durationMinutes: 90, capacity: 8 });
    expect(viaApi.status).toBe(201);
    const old = await host.post('/partner/offers', { siteId: String(siteId), theme: '春の里山観察', candidateStarts: '2027-03-10T13:30', durationMinutes: '90', capacity: '8' });
    expect(old.status).toBe(303);
    const themes = await tdb.db.selectFrom('field_offers').select(['theme', 'candidate_starts']).where('theme', 'in', ['冬の里山観察', '春の里山観察']).execute();
    expect(Object.fromEntries(themes.map((x) => [x.theme, x.candidate_starts]))).toEqual({ 冬の里山観察: ['2027-02-10T04:30:00.000Z'], 春の里山観察: ['2027-03-10T04:30:00.000Z'] });
  });
});

describe('coordinators see the partner suggestions on their own cases (§2.6)', () => {
  it('an assigned coordinator sees the ranked partners with their reasons, and downloads them; another coordinator gets 404', async () => {
    const otsu = (await createUnit(ctx, null, { kind: 'municipality', name: '大津市', kana: 'オオツシ', code: '252018' })).id;
    const requester = await makeUser(ctx, ['staff'], { email: 'req-daily@city252018.example.jp', name: '大津 花子', kana: 'オオツ ハナコ', unitId: otsu, affiliation: 'municipality' });
    const coord = await makeCoordinator(ctx, { name: '福祉 一郎', kana: 'フクシ イチロウ', email: 'coord-daily@pref.example.jp', fields: ['子育て'], areas: [otsu] });
    const stranger = await makeCoordinator(ctx, { name: '別件 三郎', kana: 'ベッケン サブロウ', email: 'stranger-daily@pref.example.jp', fields: ['子育て'] });
    await createPartner(ctx, null, { name: 'NPO法人 おおつ子育てネット', kana: 'オオツコソダテネット', type: 'npo', fields: '子育て', areas: [otsu] });
    await createPartner(ctx, null, { name: '子ども食堂連絡会', kana: 'コドモショクドウレンラクカイ', type: 'voluntary', fields: '子育て' });
    const k = await fileConsultation(ctx, await userOf(ctx, requester.id), { kind: 'bridge', title: '子ども食堂と連携した見守り', unitId: String(otsu), fields: '子育て', areas: [String(otsu)], goal: '地域の団体と見守りの仕組みを作りたい。' });
    await assignCoordinators(ctx, await userOf(ctx, adminId), k.id, { personIds: [String(coord.id)] });

    const c = await agentFor('coord-daily@pref.example.jp');
    const html = await text(c.get(`/consultations/${k.id}`));
    wellFormed(html);
    expect(html).toContain('候補の協働相手');
    const partners = html.slice(html.indexOf('候補の協働相手'));
    // Ranked: the one in the area comes first, each with its reasons.
    expect(partners.indexOf('NPO法人 おおつ子育てネット')).toBeGreaterThan(-1);
    expect(partners.indexOf('NPO法人 おおつ子育てネット')).toBeLessThan(partners.indexOf('子ども食堂連絡会'));
    expect(partners).toContain('大津市');
    // Not the coordinators' ranking nor the assign form: those are the desk's.
    expect(html).not.toContain(`action="/consultations/${k.id}/assign"`);
    const xlsx = await c.get(`/consultations/${k.id}/suggestions.xlsx`);
    expect(xlsx.status).toBe(200);
    const sheet = (await readXlsx(Buffer.from(await xlsx.arrayBuffer())))[0];
    const cells = JSON.stringify(sheet);
    expect(cells).toContain('NPO法人 おおつ子育てネット');
    expect(cells).not.toContain('福祉 一郎');

    const s = await agentFor('stranger-daily@pref.example.jp');
    expect((await s.get(`/consultations/${k.id}`)).status).toBe(404);
    expect((await s.get(`/consultations/${k.id}/suggestions.csv`)).status).toBe(404);
    // The requester does not get the suggestions.
    const r = await agentFor(requester.email);
    expect(await text(r.get(`/consultations/${k.id}`))).not.toContain('候補の協働相手');
    void stranger;
  });
});

describe('copying an offering copies its survey settings (§2.1)', () => {
  it('the copy page lists the surveys and their windows in the new year; the copy is unopened and invites nobody until it opens', async () => {
    const o = await makeOffering(ctx, { title: '協働推進セミナー（アンケート複製）', capacity: 20 });
    await addSession(ctx, null, o.id, { title: '第1回 講義', format: 'lecture', startsAt: '2026-12-08T13:30', endsAt: '2026-12-08T16:00' });
    const competency = await surveyRepository.findTemplateByCode(ctx.db, 'competency');
    await createSurvey(ctx, null, { templateId: competency!.id, kind: 'pre', offeringId: o.id, opensAt: '2026-12-01T09:00', closesAt: '2026-12-07T17:00' });
    await createSurvey(ctx, null, { templateId: competency!.id, kind: 'post', offeringId: o.id, opensAt: '2026-12-09T09:00', closesAt: '2026-12-25T17:00' });

    const preview = await text(admin.get(`/admin/offerings/${o.id}/copy?fiscalYear=2027`));
    wellFormed(preview);
    expect(preview).toContain('研修全体のアンケートと、複製先での期間');
    expect(preview).toMatch(/受講前の自己評価[\s\S]*2027/);
    expect(preview).toContain('未開始のまま複製します');
    const res = await admin.post(`/admin/offerings/${o.id}/copy`, { fiscalYear: '2027' });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('アンケート2件を、未開始のまま複製しました。');
    const copyId = Number(html.match(/href="\/admin\/offerings\/(\d+)"/)![1]);
    expect(copyId).not.toBe(o.id);
    const copies = await tdb.db.selectFrom('surveys').selectAll().where('offering_id', '=', copyId).orderBy('opens_at').execute();
    expect(copies.map((s) => [s.kind, tokyoDateOf(s.opens_at), tokyoDateOf(s.closes_at), s.template_id])).toEqual([
      ['pre', '2027-12-01', '2027-12-07', competency!.id],
      ['post', '2027-12-09', '2027-12-25', competency!.id],
    ]);
    for (const s of copies) expect(await tdb.db.selectFrom('survey_invitations').select('person_id').where('survey_id', '=', s.id).execute()).toEqual([]);
    // Nothing is due yet: the copies open next year.
    expect(await inviteOpenedSurveys(ctx)).toBe(0);
  });

  it('once a copied survey opens, those confirmed then are invited and mailed, once', async () => {
    // From last year's offering into this one: the copy's window has opened.
    const programme = await createProgramme(ctx, null, { name: '協働推進セミナー（複製元）' });
    const o = await sampleOffering(ctx.db, ctx.now(), { programme_id: programme.id, fiscal_year: 2025, title: '協働推進セミナー（前年度）', selection: 'first_come', capacity: 20, opens: new Date('2025-10-01T00:00:00Z'), closes: new Date('2025-11-01T00:00:00Z') });
    const competency = await surveyRepository.findTemplateByCode(ctx.db, 'competency');
    await createSurvey(ctx, null, { templateId: competency!.id, kind: 'pre', offeringId: o.id, opensAt: '2025-11-20T09:00', closesAt: '2025-12-10T17:00' });
    const { offering: copy, surveys } = await copyOffering(ctx, null, o.id, { fiscalYear: 2026 });
    expect(surveys.map((s) => s.closed)).toEqual([false]);
    const p = await makeUser(ctx, ['staff'], { email: 'invited-daily@pref.example.jp', unitId: nosei });
    await tdb.db.updateTable('offerings').set({ published: true }).where('id', '=', copy.id).execute();
    await apply(ctx, await userOf(ctx, adminId), copy.id, { personId: p.id, answers: {} });
    expect(await inviteOpenedSurveys(ctx)).toBe(1);
    expect(await inviteOpenedSurveys(ctx)).toBe(0);
    const mail = await mailTo('invited-daily@pref.example.jp');
    expect(mail.filter((m) => m.subject.includes('アンケート'))).toHaveLength(1);
  });
});

describe('received cohort messages are in the personal-data export (§2.2 × decision 0014)', () => {
  it('on /account/data, in the JSON and in the xlsx, with the offering, date, subject and body', async () => {
    const o = await makeOffering(ctx, { title: '協働推進セミナー（連絡）', capacity: 10 });
    const p = await makeUser(ctx, ['staff'], { email: 'cohort-daily@pref.example.jp', name: '連絡 受子', unitId: nosei });
    await apply(ctx, await userOf(ctx, p.id), o.id, { answers: {} });
    await sendCohortMessage(ctx, await userOf(ctx, adminId), o.id, { subject: '第1回の持ち物について', body: '筆記用具と名札をお持ちください。', statuses: ['confirmed'] });
    const me = await agentFor(p.email);
    const page = await text(me.get('/account/data'));
    expect(page).toContain('研修事務局からの連絡');
    expect(page).toContain('第1回の持ち物について');
    const json = (await (await me.get('/account/data.json')).json()) as { messages: { offering: string; subject: string; body: string; sentAt: string }[] };
    expect(json.messages).toEqual([{ offering: '協働推進セミナー（連絡）', fiscalYear: 2026, sentAt: ctx.now().toISOString(), subject: '第1回の持ち物について', body: '筆記用具と名札をお持ちください。' }]);
    const book = await readXlsx(Buffer.from(await (await me.get('/account/data.xlsx')).arrayBuffer()));
    const sheet = book.find((s) => s.name === '研修事務局からの連絡');
    expect(JSON.stringify(sheet)).toContain('筆記用具と名札をお持ちください。');
    // Somebody else's export does not carry it.
    const other = await agentFor((await makeUser(ctx, ['staff'], { email: 'not-in-cohort@pref.example.jp' })).email);
    expect(((await (await other.get('/account/data.json')).json()) as { messages: unknown[] }).messages).toEqual([]);
  });
});
