import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { personRepository } from '../../src/db/repositories/person.repository.js';
import { hashPassword } from '../../src/lib/crypto.js';
import type { RouteInfo } from '../../src/http/router.js';
import { createApiToken } from '../../src/services/api-token.service.js';
import { apply } from '../../src/services/application.service.js';
import { calendarToken } from '../../src/services/calendar-feed.service.js';
import { markAttendance } from '../../src/services/completion.service.js';
import { addSession, createProgramme } from '../../src/services/offering.service.js';
import { acceptOffer, addSite, createOffer, createPartner, invitePartnerMember } from '../../src/services/partner.service.js';
import { getPerson } from '../../src/services/person.service.js';
import { createSurvey, respond } from '../../src/services/survey.service.js';
import { createUnit } from '../../src/services/unit.service.js';
import { createTestDb, type TestDb, testContext } from '../support/db.js';
import { Agent, appFor, makeUser, PASSWORD } from '../support/http.js';
import { makeOffering } from '../support/offerings.js';
import { type CurrentUser, toCurrentUser } from '../../src/services/context.js';

/**
 * IDOR (insecure direct object reference): for every route with an id in its path that someone other
 * than a programme admin can reach, user A swaps in user B's id (or another unit's, or another partner
 * organisation's) on the page and on the API. The answer is a refusal (403/404) that leaks none of
 * B's data, and nothing of B's changes.
 *
 * The list of routes is checked against the app's own route table: a new non-admin route with a path
 * parameter fails this file until it gets a case here (or a reason in NOT_APPLICABLE).
 */
let tdb: TestDb;
let ctx: ReturnType<typeof testContext>;
let app: ReturnType<typeof appFor>['app'];
let routes: RouteInfo[];

/** What must never appear in a refusal shown to A: B's identity and B's organisation's data. */
const B = { name: '乙山 花子', kana: 'オトヤマ ハナコ', email: 'hanako.otoyama@pref.example.jp' };
const Q = { name: '里山保全の会', member: 'satoyama-host@satoyama.example.jp', memberName: '里山 守', site: '比良の森 活動拠点', theme: '里山の保全活動を体験する' };

interface World {
  a: { user: CurrentUser; agent: Agent; token: string };
  b: { user: CurrentUser; agent: Agent; token: string; tokenId: number };
  approverX: { user: CurrentUser; agent: Agent; token: string };
  memberP: { user: CurrentUser; agent: Agent; token: string };
  memberQ: { user: CurrentUser; agent: Agent; token: string };
  partnerQ: number;
  siteQ: number;
  /** B's application to an offering that needs the endorsement of B's unit (Y), still pending. */
  appPending: number;
  /** B's confirmed application (course with a certificate, a field session hosted by Q, a survey). */
  appConfirmed: number;
  participantCode: string;
  certificate: string;
  fieldSession: number;
  unpublishedOffering: number;
  unpublishedSession: number;
  survey: number;
  courseSessionTitle: string;
  courseTitle: string;
}
let w: World;

async function login(user: { email: string }) {
  const agent = new Agent(app);
  await agent.login(user.email);
  return agent;
}
async function current(id: number) {
  return toCurrentUser((await getPerson(ctx, id))!);
}
async function tokenFor(id: number) {
  return (await createApiToken(ctx, null, id, { name: 'idor' })).token;
}

beforeAll(async () => {
  tdb = await createTestDb();
  ctx = testContext(tdb, { config: { sessionIdleMinutes: 600 } }); // 2026-11-24T01:00Z = 10:00 JST
  ({ app, routes } = appFor(ctx));
  const dept = await createUnit(ctx, null, { kind: 'department', name: '総務部', kana: 'ソウムブ' });
  const unitX = await createUnit(ctx, null, { kind: 'division', name: '人事課', kana: 'ジンジカ', parentId: dept.id });
  const unitY = await createUnit(ctx, null, { kind: 'division', name: '県民活動課', kana: 'ケンミンカツドウカ', parentId: dept.id });
  const a = await makeUser(ctx, ['staff'], { unitId: unitX.id, name: '甲野 一郎', kana: 'コウノ イチロウ', email: 'ichiro.kouno@pref.example.jp' });
  const b = await makeUser(ctx, ['staff'], { unitId: unitY.id, ...B });
  const approver = await makeUser(ctx, ['approver', 'staff'], { unitId: unitX.id, name: '所属長 人事', email: 'jinji.head@pref.example.jp' });

  // Two partner organisations, one member each.
  const partnerP = await createPartner(ctx, null, { name: 'NPO法人 びわ湖子ども食堂ネット', kana: 'ビワコ コドモショクドウ ネット', type: 'npo' });
  const partnerQ = await createPartner(ctx, null, { name: Q.name, kana: 'サトヤマホゼンノカイ', type: 'community' });
  const members = [];
  for (const [pid, email, name] of [
    [partnerP.id, 'kodomo-host@npo.example.jp', '食堂 担当'],
    [partnerQ.id, Q.member, Q.memberName],
  ] as const) {
    const m = await invitePartnerMember(ctx, null, pid, { name, kana: 'タントウ', email });
    await personRepository.update(ctx.db, m.id, { password_hash: await hashPassword(PASSWORD) });
    members.push(m);
  }
  const memberQ = await current(members[1].id);
  const siteQ = await addSite(ctx, memberQ, partnerQ.id, { name: Q.site, address: '大津市比良一丁目', capacity: '15', whatToSee: '間伐と炭焼き' });
  await addSite(ctx, await current(members[0].id), partnerP.id, { name: '大津こども食堂', address: '大津市中央一丁目', capacity: '12' });

  // B's applications: one waiting for B's unit's endorsement, one confirmed on a course.
  const bUser = await current(b.id);
  const endorsed = await makeOffering(ctx, { capacity: 10, endorsementRequired: true });
  const appPending = await apply(ctx, bUser, endorsed.id, {});
  expect(appPending.status).toBe('applied');
  const programme = await createProgramme(ctx, null, { name: '協働コーディネーター養成講座（IDOR）', kind: 'coordinator_course' });
  const course = await makeOffering(ctx, { programmeId: programme.id, capacity: 20, seats: { partner: 2 } });
  const courseSessionTitle = '乙山さんだけが受ける合意形成の演習';
  // Held this morning (attendance is recorded only once a session has started).
  const s = await addSession(ctx, null, course.id, { title: courseSessionTitle, format: 'workshop', startsAt: '2026-11-24T08:30:00+09:00', endsAt: '2026-11-24T09:45:00+09:00' });
  const appConfirmed = await apply(ctx, bUser, course.id, {});
  expect(appConfirmed.status).toBe('confirmed');
  await markAttendance(ctx, null, s.id, [{ personId: b.id, status: 'present' }]);
  const cert = await ctx.db.selectFrom('certificates').innerJoin('applications', 'applications.id', 'certificates.application_id').select('certificates.number').where('applications.person_id', '=', b.id).executeTakeFirstOrThrow();

  // Q hosts a field session of the course (so B is on Q's roster).
  const offer = await createOffer(ctx, memberQ, { siteId: String(siteQ.id), theme: Q.theme, candidateStarts: '2027-01-27T13:30', durationMinutes: '120', capacity: '10' });
  const accepted = await acceptOffer(ctx, null, offer.id, { offeringId: String(course.id), start: '2027-01-27T04:30:00.000Z' });

  // An offering not yet published, with a session.
  const hidden = await makeOffering(ctx, { title: '未公開の研修（乙山さん向けの試行）', capacity: 5, published: false });
  expect(hidden.published).toBe(false);
  const hiddenSession = await addSession(ctx, null, hidden.id, { title: '未公開の回', format: 'lecture', startsAt: '2027-02-02T13:30:00+09:00', endsAt: '2027-02-02T16:00:00+09:00' });

  // A named pre self-assessment for the course: only B is asked, and B has answered.
  const template = (await ctx.db.selectFrom('survey_templates').select('id').where('code', '=', 'competency').executeTakeFirstOrThrow()).id;
  const survey = await createSurvey(ctx, null, { templateId: template, kind: 'pre', offeringId: course.id, opensAt: '2026-11-20T00:00:00Z', closesAt: '2026-12-20T00:00:00Z' });
  await respond(ctx, bUser, survey.id, { answers: { competency: { roles: 2, sites: 2, consensus: 3, facilitation: 2, evaluation: 1 } } });

  const bToken = await createApiToken(ctx, null, b.id, { name: '乙山のトークン' });
  w = {
    a: { user: await current(a.id), agent: await login(a), token: await tokenFor(a.id) },
    b: { user: bUser, agent: await login(b), token: bToken.token, tokenId: bToken.id },
    approverX: { user: await current(approver.id), agent: await login(approver), token: await tokenFor(approver.id) },
    memberP: { user: await current(members[0].id), agent: await login(members[0]), token: await tokenFor(members[0].id) },
    memberQ: { user: memberQ, agent: await login(members[1]), token: await tokenFor(members[1].id) },
    partnerQ: partnerQ.id,
    siteQ: siteQ.id,
    appPending: appPending.id,
    appConfirmed: appConfirmed.id,
    participantCode: appConfirmed.participant_code,
    certificate: cert.number,
    fieldSession: accepted.session.id,
    unpublishedOffering: hidden.id,
    unpublishedSession: hiddenSession.id,
    survey: survey.id,
    courseSessionTitle,
    courseTitle: course.title,
  };
}, 120_000);
afterAll(() => tdb.close());

const api = async (method: string, path: string, token: string, body?: unknown): Promise<Response> =>
  app.request(`http://kyodo.test${path}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

/** A snapshot of everything of B's (and Q's) that a refused request could change. */
async function bState() {
  const db = ctx.db;
  return {
    applications: await db.selectFrom('applications').select(['id', 'status', 'endorsed_by', 'endorse_comment']).where('person_id', '=', w.b.user.id).orderBy('id').execute(),
    assignments: await db.selectFrom('assignments').select(['application_id', 'text']).execute(),
    tokens: await db.selectFrom('api_tokens').select(['id', 'revoked_at']).where('person_id', '=', w.b.user.id).execute(),
    responses: await db.selectFrom('survey_responses').select(['id', 'person_id', 'answers', 'updated_on']).where('survey_id', '=', w.survey).execute(),
    sites: await db.selectFrom('partner_sites').select(['id', 'name']).where('partner_id', '=', w.partnerQ).orderBy('id').execute(),
    offers: await db.selectFrom('field_offers').select(['id', 'partner_id', 'site_id']).orderBy('id').execute(),
    outbox: (await db.selectFrom('outbox').select('id').execute()).length,
    bApplicationsTotal: (await db.selectFrom('applications').select('id').where('person_id', '=', w.b.user.id).execute()).length,
  };
}

/** The refusal: 403 or 404 (or 422 for an id in a body), and nothing of B or Q in it. */
async function expectRefused(res: Response, label: string, allowed = [403, 404]) {
  const raw = await res.text();
  // The page's own address comes back in the language switch (?next=…): that is A's request, not B's data.
  const body = raw.replace(/next=[^"&]*/g, '');
  expect(allowed, `${label}: ${res.status} ${body.slice(0, 300)}`).toContain(res.status);
  for (const secret of [B.name, B.kana, B.email, w.participantCode, w.certificate, Q.member, Q.memberName, Q.site, Q.theme, w.courseSessionTitle, '乙山のトークン', '未公開'])
    expect(body, `${label} leaks "${secret}"`).not.toContain(secret);
  return body;
}

interface Case {
  /** The route (method and path as in the route table) this case covers. */
  route: string;
  /** A's attempt on B's object. */
  attempt: () => Promise<Response> | Response;
  /** The owner's own request works (so the refusal is not just a broken route). */
  owner?: () => Promise<Response> | Response;
  allowed?: number[];
}

const cases = (): Case[] => [
  // Account: API tokens.
  { route: 'POST /account/tokens/:id/revoke', attempt: () => w.a.agent.post(`/account/tokens/${w.b.tokenId}/revoke`) },
  // Trainings: an unpublished offering, its session's .ics, applying to it.
  { route: 'GET /trainings/:id', attempt: () => w.a.agent.get(`/trainings/${w.unpublishedOffering}`) },
  { route: 'POST /trainings/:id/apply', attempt: () => w.a.agent.post(`/trainings/${w.unpublishedOffering}/apply`, {}) },
  { route: 'GET /trainings/sessions/:file', attempt: () => w.a.agent.get(`/trainings/sessions/${w.unpublishedSession}.ics`) },
  { route: 'GET /api/v1/offerings/:id', attempt: () => api('GET', `/api/v1/offerings/${w.unpublishedOffering}`, w.a.token) },
  // Applying on B's behalf is for admins only (代理申込).
  {
    route: 'POST /api/v1/offerings/:id/applications',
    attempt: async () => {
      const other = await makeOffering(ctx, { capacity: 5 });
      return api('POST', `/api/v1/offerings/${other.id}/applications`, w.a.token, { personId: w.b.user.id });
    },
  },
  // Applications: decision notice, cancel, assignment, API.
  { route: 'GET /my/applications/:id', attempt: () => w.a.agent.get(`/my/applications/${w.appConfirmed}`), owner: () => w.b.agent.get(`/my/applications/${w.appConfirmed}`) },
  { route: 'GET /my/applications/:id/notice', attempt: () => w.a.agent.get(`/my/applications/${w.appConfirmed}/notice`), owner: () => w.b.agent.get(`/my/applications/${w.appConfirmed}/notice`) },
  { route: 'GET /my/applications/:id/notice.pdf', attempt: () => w.a.agent.get(`/my/applications/${w.appConfirmed}/notice.pdf`), owner: () => w.b.agent.get(`/my/applications/${w.appConfirmed}/notice.pdf`) },
  { route: 'POST /applications/:id/cancel', attempt: () => w.a.agent.post(`/applications/${w.appConfirmed}/cancel`, { reason: '代わりに辞退', confirmCancel: 'yes' }) },
  { route: 'GET /applications/:id/cancel', attempt: () => w.a.agent.get(`/applications/${w.appConfirmed}/cancel`), owner: () => w.b.agent.get(`/applications/${w.appConfirmed}/cancel`) },
  { route: 'POST /my/applications/:id/answers', attempt: () => w.a.agent.post(`/my/applications/${w.appConfirmed}/answers`, { 'answers.q1': '他人の回答' }) },
  { route: 'PUT /api/v1/applications/:id/answers', attempt: () => api('PUT', `/api/v1/applications/${w.appConfirmed}/answers`, w.a.token, { answers: { q1: '他人の回答' } }) },
  {
    route: 'POST /my/applications/:id/assignment',
    attempt: () => w.a.agent.post(`/my/applications/${w.appConfirmed}/assignment`, { text: '他人の課題を提出する' }),
  },
  { route: 'POST /api/v1/applications/:id/assignment', attempt: () => api('POST', `/api/v1/applications/${w.appConfirmed}/assignment`, w.a.token, { text: '他人の課題を提出する' }) },
  { route: 'GET /api/v1/applications/:id', attempt: () => api('GET', `/api/v1/applications/${w.appConfirmed}`, w.a.token), owner: () => api('GET', `/api/v1/applications/${w.appConfirmed}`, w.b.token) },
  { route: 'POST /api/v1/applications/:id/cancel', attempt: () => api('POST', `/api/v1/applications/${w.appConfirmed}/cancel`, w.a.token, {}) },
  // Approvals: the approver of unit X on an application of unit Y.
  { route: 'POST /approvals/:id', attempt: () => w.approverX.agent.post(`/approvals/${w.appPending}`, { decision: 'endorse', comment: '他の所属の推薦' }) },
  { route: 'POST /api/v1/applications/:id/endorse', attempt: () => api('POST', `/api/v1/applications/${w.appPending}/endorse`, w.approverX.token, { decision: 'return', comment: '差し戻し' }) },
  // Certificates: the private page and the API list.
  { route: 'GET /certificates/:number', attempt: () => w.a.agent.get(`/certificates/${w.certificate}`), owner: () => w.b.agent.get(`/certificates/${w.certificate}`) },
  { route: 'GET /certificates/:number/certificate.pdf', attempt: () => w.a.agent.get(`/certificates/${w.certificate}/certificate.pdf`), owner: () => w.b.agent.get(`/certificates/${w.certificate}/certificate.pdf`) },
  { route: 'GET /api/v1/people/:id/certificates', attempt: () => api('GET', `/api/v1/people/${w.b.user.id}/certificates`, w.a.token), owner: () => api('GET', `/api/v1/people/${w.b.user.id}/certificates`, w.b.token) },
  { route: 'GET /certificates/:number/credential', attempt: () => w.a.agent.get(`/certificates/${w.certificate}/credential`), owner: () => w.b.agent.get(`/certificates/${w.certificate}/credential`) },
  { route: 'GET /api/v1/certificates/:number/credential', attempt: () => api('GET', `/api/v1/certificates/${w.certificate}/credential`, w.a.token), owner: () => api('GET', `/api/v1/certificates/${w.certificate}/credential`, w.b.token) },
  { route: 'GET /api/v1/people/:id/coordinator-certification/credential', attempt: () => api('GET', `/api/v1/people/${w.b.user.id}/coordinator-certification/credential`, w.a.token), owner: () => api('GET', `/api/v1/people/${w.b.user.id}/coordinator-certification/credential`, w.b.token) },
  // Partners: P's member on Q's session, roster, messages, profile and sites.
  { route: 'GET /partner/sessions/:id', attempt: () => w.memberP.agent.get(`/partner/sessions/${w.fieldSession}`), owner: () => w.memberQ.agent.get(`/partner/sessions/${w.fieldSession}`) },
  { route: 'GET /partner/sessions/:id/roster.csv', attempt: () => w.memberP.agent.get(`/partner/sessions/${w.fieldSession}/roster.csv`), owner: () => w.memberQ.agent.get(`/partner/sessions/${w.fieldSession}/roster.csv`) },
  { route: 'GET /partner/sessions/:id/roster.xlsx', attempt: () => w.memberP.agent.get(`/partner/sessions/${w.fieldSession}/roster.xlsx`) },
  { route: 'POST /partner/sessions/:id/messages', attempt: () => w.memberP.agent.post(`/partner/sessions/${w.fieldSession}/messages`, { body: '他団体からの連絡' }) },
  { route: 'GET /api/v1/partner/sessions/:id/roster', attempt: () => api('GET', `/api/v1/partner/sessions/${w.fieldSession}/roster`, w.memberP.token), owner: () => api('GET', `/api/v1/partner/sessions/${w.fieldSession}/roster`, w.memberQ.token) },
  { route: 'POST /api/v1/partner/sessions/:id/messages', attempt: () => api('POST', `/api/v1/partner/sessions/${w.fieldSession}/messages`, w.memberP.token, { body: '他団体からの連絡' }) },
  // Staff are not partner members at all: the host pages stay closed to them too.
  { route: 'GET /partner/sessions/:id', attempt: () => w.a.agent.get(`/partner/sessions/${w.fieldSession}`) },
  { route: 'GET /api/v1/partners/:id', attempt: () => api('GET', `/api/v1/partners/${w.partnerQ}`, w.memberP.token), owner: () => api('GET', `/api/v1/partners/${w.partnerQ}`, w.memberQ.token) },
  { route: 'POST /api/v1/partners/:id/sites', attempt: () => api('POST', `/api/v1/partners/${w.partnerQ}/sites`, w.memberP.token, { name: '乗っ取りの拠点', address: '大津市', capacity: 5 }) },
  { route: 'PUT /api/v1/partners/:id', attempt: () => api('PUT', `/api/v1/partners/${w.partnerQ}`, w.memberP.token, { name: '乗っ取り団体', kana: 'ノットリダンタイ', type: 'npo' }) },
  // Ids inside bodies: P's member offering a visit at Q's site.
  { route: 'POST /partner/offers', attempt: () => w.memberP.agent.post('/partner/offers', { siteId: String(w.siteQ), theme: '他団体の拠点で', candidateStarts: '2027-03-01T13:30', durationMinutes: '120', capacity: '5' }), allowed: [403, 404, 422] },
  { route: 'POST /api/v1/offers', attempt: () => api('POST', '/api/v1/offers', w.memberP.token, { siteId: w.siteQ, theme: '他団体の拠点で', candidateStarts: ['2027-03-01T13:30:00+09:00'], durationMinutes: 120, capacity: 5 }), allowed: [403, 404, 422] },
  // Surveys: A was not asked.
  { route: 'GET /surveys/:id', attempt: () => w.a.agent.get(`/surveys/${w.survey}`), owner: () => w.b.agent.get(`/surveys/${w.survey}`) },
  { route: 'POST /surveys/:id', attempt: () => w.a.agent.post(`/surveys/${w.survey}`, { 'answers.competency.roles': '5' }) },
  { route: 'GET /api/v1/surveys/:id', attempt: () => api('GET', `/api/v1/surveys/${w.survey}`, w.a.token), owner: () => api('GET', `/api/v1/surveys/${w.survey}`, w.b.token) },
  { route: 'POST /api/v1/surveys/:id/responses', attempt: () => api('POST', `/api/v1/surveys/${w.survey}/responses`, w.a.token, { answers: { competency: { roles: 5, sites: 5, consensus: 5, facilitation: 5, evaluation: 5 } } }) },
  // Calendar feeds: the secret token is the credential; a changed one finds nothing.
  {
    route: 'GET /calendar/:file',
    attempt: async () => {
      const token = await calendarToken(ctx, w.b.user.id);
      const flipped = token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A');
      return new Agent(app).get(`/calendar/${flipped}.ics`);
    },
    owner: async () => new Agent(app).get(`/calendar/${await calendarToken(ctx, w.b.user.id)}.ics`),
  },
];

/**
 * Routes with a path parameter that non-admins reach but that hold nothing of one user that another
 * could take: each with the reason.
 */
const NOT_APPLICABLE: Record<string, string> = {
  'GET /credentials/achievements/:key': "public by design: an achievement (programme, fiscal year, criteria) names nobody; an offering's is shown only once it has issued a certificate (tests/http/credential.test.ts)",
  'GET /credentials/keys/:kid': 'public by design: the issuer public keys that verify credentials (tests/http/credential.test.ts)',
  'GET /assets/:file': 'static files of the app',
  'GET /lang/:lang': 'sets the language cookie',
  'GET /password/set/:token': 'a one-time emailed secret; covered by tests/http/account.test.ts',
  'POST /password/set/:token': 'a one-time emailed secret; covered by tests/http/account.test.ts',
  'GET /verify/:code': 'public by design: number, name, programme, date and validity only (tests/http/completion.test.ts)',
  'GET /api/v1/certificates/:code': 'public by design: the same five fields as /verify (tests/http/completion.test.ts)',
};

/**
 * Consultations and collaboration projects (and the coordinator's pages for them) are covered by
 * tests/http/consultations.test.ts.
 */
const COVERED_ELSEWHERE = ['/consultations', '/projects', '/api/v1/consultations', '/api/v1/projects', '/coordinator'];
const coveredElsewhere = (path: string) => COVERED_ELSEWHERE.some((p) => path === p || path.startsWith(`${p}/`));
const adminOnly = (r: RouteInfo) => Array.isArray(r.access) && r.access.length === 1 && r.access[0] === 'admin';

describe('IDOR: A swaps in B’s id', () => {
  it('every non-admin route with a path parameter has a case here (or a reason it needs none)', () => {
    const withParams = routes.filter((r) => /:\w+/.test(r.path) && !adminOnly(r) && !coveredElsewhere(r.path)).map((r) => `${r.method} ${r.path}`);
    const covered = new Set([...cases().map((c) => c.route), ...Object.keys(NOT_APPLICABLE)]);
    expect(withParams.filter((r) => !covered.has(r)), 'routes with an id and no IDOR case').toEqual([]);
    const known = new Set(routes.map((r) => `${r.method} ${r.path}`));
    expect([...covered].filter((r) => !known.has(r)), 'cases for routes that no longer exist').toEqual([]);
  });

  it('the owners’ own requests work (the refusals below are not broken routes)', async () => {
    for (const c of cases().filter((x) => x.owner)) {
      const res = await c.owner!();
      expect(res.status, `owner on ${c.route}`).toBe(200);
      await res.arrayBuffer();
    }
  });

  it('every swap is refused with 403/404, leaks nothing of B, and changes nothing', async () => {
    for (const c of cases()) {
      const before = await bState();
      const res = await c.attempt();
      await expectRefused(res, c.route, c.allowed);
      expect(await bState(), `${c.route} changed B's data`).toEqual(before);
    }
  });

  it('lists stay scoped too: A’s pages and feed show nothing of B; X’s approver sees only X’s queue', async () => {
    for (const path of ['/my/trainings', '/my/history', '/my/history.csv', '/surveys', '/']) await expectRefused(await w.a.agent.get(path), path, [200]);
    await expectRefused(await api('GET', '/api/v1/me/applications', w.a.token), 'GET /api/v1/me/applications', [200]);
    await expectRefused(await w.approverX.agent.get('/approvals'), 'GET /approvals', [200]);
    await expectRefused(await w.memberP.agent.get('/partner'), 'GET /partner', [200]);
    await expectRefused(await new Agent(app).get(`/calendar/${await calendarToken(ctx, w.a.user.id)}.ics`), 'A’s calendar feed', [200]);
    // …while B's own see B's.
    expect(await (await w.b.agent.get('/my/trainings')).text()).toContain(w.courseTitle);
  });
});
