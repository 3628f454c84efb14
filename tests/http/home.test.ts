import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { personRepository } from '../../src/db/repositories/person.repository.js';
import { hashPassword } from '../../src/lib/crypto.js';
import { apply } from '../../src/services/application.service.js';
import { markAttendance, submitAssignment } from '../../src/services/completion.service.js';
import { assignCoordinators, fileConsultation } from '../../src/services/consultation.service.js';
import { addSession } from '../../src/services/offering.service.js';
import { acceptOffer, addSite, createOffer, createPartner, invitePartnerMember } from '../../src/services/partner.service.js';
import { createSurvey, respond } from '../../src/services/survey.service.js';
import { createUnit } from '../../src/services/unit.service.js';
import { userOf, makeCoordinator } from '../support/consultations.js';
import { createTestDb, type TestDb, testContext, TestClock } from '../support/db.js';
import { Agent, appFor, makeUser, PASSWORD } from '../support/http.js';
import { makeOffering } from '../support/offerings.js';

/**
 * Issue 16 §1: the home page says what to do now, per role, each count linking to its list; a
 * logged-out visitor sees the public schedule, certificate verification and the login.
 * Set up on 2026-11-12 (10:00 JST), looked at on Tuesday 2026-11-24 (10:00 JST).
 */
let tdb: TestDb;
let ctx: ReturnType<typeof testContext>;
let app: ReturnType<typeof appFor>['app'];
const NOW = new Date('2026-11-24T01:00:00Z');

const w = {} as {
  admin: { email: string };
  approver: { email: string };
  staff: { id: number; email: string };
  coordinator: { email: string };
  member: { email: string };
  unitX: number;
  review: { id: number; title: string };
  endorse: { id: number; title: string };
  course: { id: number; title: string };
  signing: { id: number; title: string };
  yesterday: number;
  today: number;
  tomorrow: number;
  field: number;
  survey: number;
  certificate: string;
  verificationCode: string;
  openConsultation: number;
  overdueConsultation: number;
  staffApplication: number;
};

/** The hrefs of a page, with the HTML's &amp; decoded. */
function links(html: string): string[] {
  return [...html.matchAll(/href="([^"]*)"/g)].map((m) => m[1].replaceAll('&amp;', '&'));
}
/** The text of a to-do section (by the id of its heading) up to the next one. */
function section(html: string, id: string): string {
  const start = html.indexOf(`id="${id}"`);
  expect(start, id).toBeGreaterThan(-1);
  const end = html.indexOf('<section', start);
  return html.slice(start, end === -1 ? undefined : end);
}
async function as(email: string) {
  const a = new Agent(app);
  await a.login(email);
  return a;
}

beforeAll(async () => {
  tdb = await createTestDb();
  ctx = testContext(tdb, { clock: new TestClock(new Date('2026-11-12T01:00:00Z')), config: { sessionIdleMinutes: 600 } });
  ({ app } = appFor(ctx));
  const dept = await createUnit(ctx, null, { kind: 'department', name: '総務部', kana: 'ソウムブ' });
  const unitX = await createUnit(ctx, null, { kind: 'division', name: '人事課', kana: 'ジンジカ', parentId: dept.id });
  const admin = await makeUser(ctx, ['admin'], { name: '研修 花子', email: 'office@pref.example.jp' });
  const approver = await makeUser(ctx, ['approver', 'staff'], { unitId: unitX.id, name: '人事 課長', kana: 'ジンジ カチョウ', email: 'head@pref.example.jp' });
  const staff = await makeUser(ctx, ['staff'], { unitId: unitX.id, name: '近江 一郎', kana: 'オウミ イチロウ', email: 'ichiro@pref.example.jp' });
  const late = await makeUser(ctx, ['staff'], { unitId: unitX.id, name: '湖南 次郎', kana: 'コナン ジロウ', email: 'jiro@pref.example.jp' });
  const other = await makeUser(ctx, ['staff'], { unitId: unitX.id, name: '湖北 三郎', kana: 'コホク サブロウ', email: 'saburo@pref.example.jp' });
  const coordinator = await makeCoordinator(ctx, { name: '調整 四郎', kana: 'チョウセイ シロウ', email: 'coord@pref.example.jp' });
  const adminUser = await userOf(ctx, admin.id);
  const staffUser = await userOf(ctx, staff.id);
  const otherUser = await userOf(ctx, other.id);

  // A partner with a member who offers two field trainings: one is taken into the course, one waits.
  const partner = await createPartner(ctx, null, { name: 'NPO法人 里山の会', kana: 'サトヤマノカイ', type: 'npo' });
  const m = await invitePartnerMember(ctx, null, partner.id, { name: '里山 守', kana: 'サトヤマ マモル', email: 'host@satoyama.example.jp' });
  await personRepository.update(ctx.db, m.id, { password_hash: await hashPassword(PASSWORD) });
  const member = await userOf(ctx, m.id);
  const site = await addSite(ctx, member, partner.id, { name: '比良の森', address: '大津市比良一丁目', capacity: '15' });
  const offer = await createOffer(ctx, member, { siteId: String(site.id), theme: '間伐を体験する', candidateStarts: '2026-12-10T13:30', durationMinutes: '120', capacity: '10', preparation: '軍手と長靴' });
  await createOffer(ctx, member, { siteId: String(site.id), theme: '炭焼きを体験する', candidateStarts: '2027-01-20T13:30', durationMinutes: '120', capacity: '10' });

  // Applications waiting for the office's decision (selection by review), and one stuck at the unit.
  const review = await makeOffering(ctx, { title: '協働推進セミナー（選考）', selection: 'review', capacity: 10 });
  expect((await apply(ctx, await userOf(ctx, late.id), review.id, {})).status).toBe('applied');
  expect((await apply(ctx, otherUser, review.id, {})).status).toBe('applied');
  const endorse = await makeOffering(ctx, { title: '協働コーディネーター養成講座（推薦）', endorsementRequired: true, capacity: 10 });
  expect((await apply(ctx, await userOf(ctx, late.id), endorse.id, {})).status).toBe('applied');

  // A course with sessions yesterday (no attendance taken), today, tomorrow and a field session.
  const course = await makeOffering(ctx, { title: '協働推進セミナー 第2期', capacity: 10 });
  const yesterday = await addSession(ctx, null, course.id, { title: '協働の基礎', format: 'lecture', startsAt: '2026-11-23T13:30:00+09:00', endsAt: '2026-11-23T16:00:00+09:00', venue: '県庁東館大会議室' });
  const today = await addSession(ctx, null, course.id, { title: '合意形成の演習', format: 'workshop', startsAt: '2026-11-24T13:30:00+09:00', endsAt: '2026-11-24T16:00:00+09:00', venue: '県庁本館4階 研修室' });
  const tomorrow = await addSession(ctx, null, course.id, { title: 'ファシリテーション', format: 'workshop', startsAt: '2026-11-25T09:30:00+09:00', endsAt: '2026-11-25T12:00:00+09:00', venue: 'コラボしが21' });
  const staffApp = await apply(ctx, staffUser, course.id, {});
  expect(staffApp.status).toBe('confirmed');
  expect((await apply(ctx, otherUser, course.id, {})).status).toBe('confirmed');
  const accepted = await acceptOffer(ctx, null, offer.id, { offeringId: String(course.id), start: '2026-12-10T04:30:00.000Z' });

  // A course that asks for an assignment and a sign-off, over by now.
  const signing = await makeOffering(ctx, { title: '協働コーディネーター養成講座', capacity: 10, completionRule: { assignment: true, signOff: true } });
  const held = await addSession(ctx, null, signing.id, { title: '事業評価', format: 'lecture', startsAt: '2026-11-20T10:00:00+09:00', endsAt: '2026-11-20T12:00:00+09:00', venue: '県庁' });
  const signingApp = await apply(ctx, staffUser, signing.id, {});
  expect(signingApp.status).toBe('confirmed');

  // A course that gives 近江 a certificate once attendance is taken.
  const short = await makeOffering(ctx, { title: 'NPO・協働入門', capacity: 10 });
  const shortSession = await addSession(ctx, null, short.id, { title: '入門', format: 'lecture', startsAt: '2026-11-20T13:30:00+09:00', endsAt: '2026-11-20T15:00:00+09:00', venue: '県庁' });
  await apply(ctx, staffUser, short.id, {});

  // Two consultations: one with no coordinator, one assigned and past its desired date.
  const open = await fileConsultation(ctx, otherUser, { kind: 'bridge', title: '子ども食堂との連携', unitId: String(unitX.id), goal: '地域の子ども食堂とつながりたい。' });
  const overdue = await fileConsultation(ctx, otherUser, { kind: 'planning', title: '防災訓練の協働', unitId: String(unitX.id), goal: '自主防災組織と訓練を企画したい。', desiredTo: '2026-11-20' });
  await assignCoordinators(ctx, adminUser, overdue.id, { personIds: [String(coordinator.id)] });

  // Now: Tuesday 2026-11-24, 10:00 JST.
  ctx.clock.current = new Date(NOW);
  await markAttendance(ctx, null, shortSession.id, [{ personId: staff.id, status: 'present' }]);
  await submitAssignment(ctx, staffUser, signingApp.id, { text: '協働事業の評価について考えたこと。' });
  const template = (await ctx.db.selectFrom('survey_templates').select('id').where('code', '=', 'competency').executeTakeFirstOrThrow()).id;
  const survey = await createSurvey(ctx, null, { templateId: template, kind: 'pre', offeringId: course.id, opensAt: '2026-11-20T00:00:00Z', closesAt: '2026-11-27T00:00:00Z' });
  await respond(ctx, otherUser, survey.id, { answers: { competency: { roles: 2, sites: 2, consensus: 3, facilitation: 2, evaluation: 1 } } });
  await ctx.db.insertInto('outbox').values({ to_address: 'nobody@pref.example.jp', subject: '受講決定のお知らせ', body_text: '…', status: 'failed', next_attempt_at: NOW, last_error: '550 no such user' }).execute();
  const cert = await ctx.db.selectFrom('certificates').select(['number', 'verification_code']).where('person_id', '=', staff.id).executeTakeFirstOrThrow();

  Object.assign(w, {
    admin,
    approver,
    staff,
    coordinator,
    member: m,
    unitX: unitX.id,
    review,
    endorse,
    course,
    signing,
    yesterday: yesterday.id,
    today: today.id,
    tomorrow: tomorrow.id,
    field: accepted.session.id,
    survey: survey.id,
    certificate: cert.number,
    verificationCode: cert.verification_code,
    openConsultation: open.id,
    overdueConsultation: overdue.id,
    staffApplication: staffApp.id,
  });
  void held;
}, 120_000);
afterAll(() => tdb.close());

describe('home page for a logged-out visitor', () => {
  it('shows the public schedule, certificate verification and the login instead of redirecting', async () => {
    const res = await new Agent(app).get('/');
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('公開中の研修日程');
    expect(html).toContain('協働推進セミナー 第2期：合意形成の演習');
    expect(html).toContain('県庁本館4階 研修室');
    expect(html).not.toContain('協働の基礎'); // yesterday's session is over
    expect(html).toMatch(/<form method="get" action="\/verify"/);
    expect(html).toContain('name="code"');
    expect(links(html)).toContain('/login');
    expect(links(html)).toContain('/schedule');
    // The verification form leads to the certificate's public check.
    const verify = await new Agent(app).get(`/verify?code=${encodeURIComponent(w.verificationCode)}`);
    expect(verify.status).toBe(200);
    expect(await verify.text()).toContain('有効な修了証です。');
  });

  it('still sends every page to /setup while nobody exists', async () => {
    const empty = await createTestDb();
    try {
      const res = await new Agent(appFor(testContext(empty)).app).get('/');
      expect(res.status).toBe(303);
      expect(res.headers.get('location')).toBe('/setup');
    } finally {
      await empty.close();
    }
  });
});

describe('home page for the training office (admin)', () => {
  let html = '';
  let agent: Agent;
  beforeAll(async () => {
    agent = await as(w.admin.email);
    const res = await agent.get('/');
    expect(res.status).toBe(200);
    html = await res.text();
  });

  it('counts applications waiting for a decision and links to each offering’s list', async () => {
    const s = section(html, 'task-decisions');
    expect(s).toContain('受講の決定を待っている申込み<span class="home-task__count">（2件）</span>');
    const href = `/admin/offerings/${w.review.id}/applications?status=applied`;
    expect(links(s)).toContain(href);
    const list = await (await agent.get(href)).text();
    expect(list).toContain('湖南 次郎');
    expect(list).toContain('湖北 三郎');
  });

  it('counts applications stuck at a unit for a week, with the unit and a filtered link', async () => {
    const s = section(html, 'task-slow');
    expect(s).toContain('（1件）');
    expect(s).toContain('協働コーディネーター養成講座（推薦）・人事課');
    expect(s).toContain('2026年11月12日');
    const href = `/admin/offerings/${w.endorse.id}/applications?status=applied&unit=${w.unitX}`;
    expect(links(s)).toContain(href);
    expect(await (await agent.get(href)).text()).toContain('湖南 次郎');
  });

  it('counts partners’ offers not answered and links to them', async () => {
    const s = section(html, 'task-offers');
    expect(s).toContain('（1件）');
    expect(links(s)).toContain('/admin/field-offers');
    expect(await (await agent.get('/admin/field-offers')).text()).toContain('炭焼きを体験する');
  });

  it('lists today’s and tomorrow’s sessions, linking to their attendance', () => {
    const today = section(html, 'task-today');
    expect(today).toContain('今日の研修（1件）');
    expect(today).toContain('合意形成の演習');
    expect(today).toContain('受講決定 2名');
    expect(links(today)).toContain(`/admin/sessions/${w.today}/attendance`);
    const tomorrow = section(html, 'task-tomorrow');
    expect(tomorrow).toContain('明日の研修（1件）');
    expect(links(tomorrow)).toContain(`/admin/sessions/${w.tomorrow}/attendance`);
  });

  it('lists past sessions with no attendance taken', async () => {
    const s = section(html, 'task-attendance');
    expect(links(s)).toContain(`/admin/sessions/${w.yesterday}/attendance`);
    expect(s).toContain('協働の基礎');
    expect(s).not.toContain('入門'); // attendance was taken there
    expect((await agent.get(`/admin/sessions/${w.yesterday}/attendance`)).status).toBe(200);
  });

  it('counts completions waiting for sign-off and assignments waiting for review', () => {
    const sign = section(html, 'task-signoff');
    expect(sign).toContain('（1件）');
    expect(links(sign)).toContain(`/admin/offerings/${w.signing.id}/completion`);
    const review = section(html, 'task-assignments');
    expect(review).toContain('（1件）');
    expect(links(review)).toContain(`/admin/offerings/${w.signing.id}/completion`);
  });

  it('lists surveys closing this week with their response rate (half up, one decimal)', async () => {
    const s = section(html, 'task-surveys');
    expect(s).toContain('回答率 50.0%（1/2名）');
    expect(links(s)).toContain(`/admin/surveys/${w.survey}`);
    expect((await agent.get(`/admin/surveys/${w.survey}`)).status).toBe(200);
  });

  it('lists consultations with no coordinator, and counts mail that failed', async () => {
    const s = section(html, 'task-consultations');
    expect(s).toContain('子ども食堂との連携');
    expect(s).not.toContain('防災訓練の協働');
    expect(links(s)).toContain(`/consultations/${w.openConsultation}`);
    const mail = section(html, 'task-mail');
    expect(mail).toContain('送信メールを確認する（1件）');
    expect(links(mail)).toContain('/admin/outbox');
    expect(await (await agent.get('/admin/outbox')).text()).toContain('nobody@pref.example.jp');
  });

  it('is in English too', async () => {
    await agent.get('/lang/en?next=/');
    const en = await (await agent.get('/')).text();
    expect(en).toContain('Applications waiting for a decision<span class="home-task__count"> (2)</span>');
    expect(en).toContain('Response rate 50.0% (1/2)');
    await agent.get('/lang/ja?next=/');
  });
});

describe('home page for a unit approver', () => {
  it('shows 推薦待ち N件 linking to the queue, and the unit’s people in this year’s trainings', async () => {
    const a = await as(w.approver.email);
    const html = await (await a.get('/')).text();
    expect(html).toContain('推薦待ち 1件');
    expect(links(html)).toContain('/approvals');
    expect(html).toContain('所属の職員の令和8年度 (2026)の研修');
    expect(html).toContain('近江 一郎：');
    expect(html).toContain('湖南 次郎：');
    expect(html).not.toContain('研修 花子：');
    const queue = await (await a.get('/approvals')).text();
    expect(queue).toContain('湖南 次郎');
  });
});

describe('home page for staff', () => {
  it('shows my next sessions with place and what to bring, surveys waiting and my certificates', async () => {
    const a = await as(w.staff.email);
    const html = await (await a.get('/')).text();
    expect(html).toContain('合意形成の演習');
    expect(html).toContain('県庁本館4階 研修室');
    expect(html).toContain('持ち物・準備：軍手と長靴');
    expect(html).not.toContain('協働の基礎');
    expect(links(html)).toContain(`/my/applications/${w.staffApplication}`);
    expect(links(html)).toContain(`/surveys/${w.survey}`);
    expect(links(html)).toContain(`/certificates/${encodeURIComponent(w.certificate)}`);
    expect((await a.get(`/surveys/${w.survey}`)).status).toBe(200);
    expect((await a.get(`/certificates/${encodeURIComponent(w.certificate)}`)).status).toBe(200);
  });
});

describe('home page for a coordinator', () => {
  it('shows my open cases and what is overdue, linking to each case', async () => {
    const a = await as(w.coordinator.email);
    const html = await (await a.get('/')).text();
    expect(html).toContain('担当している相談 1件（うち期限切れ 1件）');
    expect(html).toContain('希望期限（令和8年11月20日）を過ぎています');
    expect(links(html)).toContain(`/consultations/${w.overdueConsultation}`);
    expect((await a.get(`/consultations/${w.overdueConsultation}`)).status).toBe(200);
  });
});

describe('home page for a partner host', () => {
  it('shows the field trainings we host next, with the roster to check', async () => {
    const a = await as(w.member.email);
    const html = await (await a.get('/')).text();
    expect(html).toContain('受け入れる現地研修');
    expect(html).toContain('参加者名簿を確認する（2名）');
    expect(links(html)).toContain(`/partner/sessions/${w.field}`);
    const roster = await (await a.get(`/partner/sessions/${w.field}`)).text();
    expect(roster).toContain('近江 一郎');
  });
});
