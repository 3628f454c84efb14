import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apply, endorse, getApplication, listApplications } from '../../src/services/application.service.js';
import { createApiToken } from '../../src/services/api-token.service.js';
import { getPerson } from '../../src/services/person.service.js';
import { createUnit } from '../../src/services/unit.service.js';
import { createTestDb, type TestDb, testContext } from '../support/db.js';
import { Agent, appFor, makeUser } from '../support/http.js';
import { makeOffering } from '../support/offerings.js';
import { toCurrentUser } from '../../src/services/context.js';

let tdb: TestDb;
let ctx: ReturnType<typeof testContext>;
let app: ReturnType<typeof appFor>['app'];
let deptId: number;
let adminAgent: Agent;
let adminToken: string;

const api = (method: string, path: string, token: string, body?: unknown) =>
  app.request(`http://kyodo.test${path}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

let units = 0;
const unit = async () => (await createUnit(ctx, null, { kind: 'division', name: `試験課${++units}`, kana: 'シケンカ', parentId: deptId })).id;

async function person(roles: ('admin' | 'staff' | 'approver')[], unitId: number | null, name?: string) {
  const p = await makeUser(ctx, roles, { unitId, ...(name ? { name } : {}) });
  const agent = new Agent(app);
  await agent.login(p.email);
  return { user: toCurrentUser((await getPerson(ctx, p.id))!), agent, token: (await createApiToken(ctx, null, p.id, { name: 't' })).token };
}

const motive = [
  { id: 'q1', label: '受講の動機', required: true },
  { id: 'q2', label: '業務で協働している団体', required: false },
];
const text = async (r: Response | Promise<Response>) => (await r).text();
/** The visible text of a page's <main>, tags removed. */
const mainText = async (r: Response | Promise<Response>) => {
  const html = await text(r);
  return (html.split('<main')[1] ?? html).replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
};

beforeAll(async () => {
  tdb = await createTestDb();
  ctx = testContext(tdb);
  app = appFor(ctx).app;
  deptId = (await createUnit(ctx, null, { kind: 'department', name: '総務部', kana: 'ソウムブ' })).id;
  const admin = await person(['admin', 'staff'], null, '研修 担当');
  adminAgent = admin.agent;
  adminToken = admin.token;
});
afterAll(() => tdb.close());

describe('代理申込 and 所属推薦 with a required question', () => {
  it('shows the question fields on the proxy form, refuses a blank answer at its field, and takes the answers or leaves them to the applicant', async () => {
    const o = await makeOffering(ctx, { questions: motive });
    const a = await person(['staff'], await unit());
    const b = await person(['staff'], await unit());
    const form = await text(adminAgent.get(`/admin/offerings/${o.id}/applications`));
    expect(form).toContain('for="f-answers.q1"');
    expect(form).toContain('本人が後から回答');
    const blank = await adminAgent.post(`/admin/offerings/${o.id}/proxy`, { email: a.user.email });
    expect(blank.status).toBe(422);
    const blankHtml = await blank.text();
    expect(blankHtml).toContain('「受講の動機」に回答してください。');
    expect(blankHtml).toContain('href="#f-answers.q1"');
    expect(blankHtml).toContain(`value="${a.user.email}"`);
    expect((await adminAgent.post(`/admin/offerings/${o.id}/proxy`, { email: a.user.email, 'answers.q1': '協働事業の担当になったため' })).status).toBe(200);
    expect((await adminAgent.post(`/admin/offerings/${o.id}/proxy`, { email: b.user.email, answersPending: 'on' })).status).toBe(200);
    const list = await listApplications(ctx, o.id);
    expect(list.map((x) => [x.person_id, x.answers, x.answers_pending])).toEqual([
      [a.user.id, { q1: '協働事業の担当になったため' }, false],
      [b.user.id, {}, true],
    ]);

    // B sees 「回答してください」 on the training's page and on the application's page, and answers there.
    const pendingId = list[1].id;
    expect(await mainText(b.agent.get(`/trainings/${o.id}`))).toContain('回答してください');
    const pagePending = await mainText(b.agent.get(`/my/applications/${pendingId}`));
    expect(pagePending).toContain('回答してください');
    expect(pagePending).toContain('研修 担当が代わりに行いました');
    const bad = await b.agent.post(`/my/applications/${pendingId}/answers`, { 'answers.q1': ' ' });
    expect(bad.status).toBe(422);
    expect(await bad.text()).toContain('「受講の動機」に回答してください。');
    const ok = await b.agent.post(`/my/applications/${pendingId}/answers`, { 'answers.q1': '地域の団体と知り合うため' });
    expect(ok.status).toBe(303);
    const after = await mainText(b.agent.get(ok.headers.get('location')!));
    expect(after).toContain('回答を受け付けました。');
    expect(after).toContain('受講の動機 地域の団体と知り合うため');
    expect(after).not.toContain('回答してください');
  });

  it('asks before a bulk nomination, saying how many it applies for, then applies with the answers pending', async () => {
    const u = await unit();
    await person(['staff'], u);
    await person(['staff'], u);
    const o = await makeOffering(ctx, { questions: motive, capacity: 10 });
    const confirm = await adminAgent.post(`/admin/offerings/${o.id}/nominate`, { unitId: String(u) });
    expect(confirm.status).toBe(200);
    const html = await mainText(confirm);
    expect(html).toContain('職員2名について');
    expect(html).toContain('本人の回答待ち');
    expect(await listApplications(ctx, o.id)).toHaveLength(0);
    const unticked = await adminAgent.post(`/admin/offerings/${o.id}/nominate`, { unitId: String(u), confirmStep: '1' });
    expect(unticked.status).toBe(422);
    expect(await listApplications(ctx, o.id)).toHaveLength(0);
    const done = await adminAgent.post(`/admin/offerings/${o.id}/nominate`, { unitId: String(u), confirmStep: '1', confirmNominate: 'yes' });
    expect(done.status).toBe(200);
    expect(await mainText(done)).toContain('2名を申し込みました');
    expect((await listApplications(ctx, o.id)).map((a) => a.answers_pending)).toEqual([true, true]);
  });

  it('takes answersPending through the API, and the applicant answers with PUT', async () => {
    const o = await makeOffering(ctx, { questions: motive });
    const a = await person(['staff'], await unit());
    const refused = await api('POST', `/api/v1/offerings/${o.id}/applications`, adminToken, { personId: a.user.id });
    expect(refused.status).toBe(422);
    expect(JSON.stringify(await refused.json())).toContain('「受講の動機」に回答してください。');
    const created = await api('POST', `/api/v1/offerings/${o.id}/applications`, adminToken, { personId: a.user.id, answersPending: true });
    expect(created.status).toBe(201);
    const { id } = await created.json();
    expect(await (await api('GET', `/api/v1/applications/${id}`, a.token)).json()).toMatchObject({ answersPending: true });
    expect((await api('PUT', `/api/v1/applications/${id}/answers`, a.token, { answers: { q1: '協働を学ぶため' } })).status).toBe(200);
    const got = await (await api('GET', `/api/v1/applications/${id}`, a.token)).json();
    expect(got.answersPending).toBe(false);
    expect(got.answers).toEqual([
      { questionId: 'q1', question: '受講の動機', answer: '協働を学ぶため' },
      { questionId: 'q2', question: '業務で協働している団体', answer: '' },
    ]);
  });
});

describe('answers are shown with the question text', () => {
  it('in the applicant list, its CSV and xlsx, the API list, the application’s page and the approvals list', async () => {
    const u = await unit();
    const approver = await person(['approver', 'staff'], u);
    const a = await person(['staff'], u, '回答 花子');
    const o = await makeOffering(ctx, { questions: motive, endorsementRequired: true });
    const app1 = await apply(ctx, a.user, o.id, { answers: { q1: '地域課題を学びたい', q2: 'NPO法人 びわこ' } });

    const approvals = await text(approver.agent.get('/approvals'));
    expect(approvals).toContain('<dt>受講の動機</dt>');
    expect(approvals).toContain('<dd>地域課題を学びたい</dd>');
    expect(approvals).not.toContain('<dt>q1</dt>');

    const list = await text(adminAgent.get(`/admin/offerings/${o.id}/applications`));
    expect(list).toContain('<th scope="col">受講の動機</th>');
    expect(list).toContain('<th scope="col">業務で協働している団体</th>');
    expect(list).toContain('地域課題を学びたい');
    expect(list).toContain(`href="/my/applications/${app1.id}"`);

    const detail = await mainText(adminAgent.get(`/my/applications/${app1.id}`));
    expect(detail).toContain('受講の動機 地域課題を学びたい');
    expect(detail).toContain('業務で協働している団体 NPO法人 びわこ');

    const csv = (await text(adminAgent.get(`/admin/offerings/${o.id}/applications.csv`))).replace(/^\ufeff/, '');
    const [header, row] = csv.split(/\r?\n/);
    expect(header.split(',').slice(-2)).toEqual(['受講の動機', '業務で協働している団体']);
    expect(row).toContain('地域課題を学びたい');
    expect(row).toContain('NPO法人 びわこ');

    const xlsx = await adminAgent.get(`/admin/offerings/${o.id}/applications.xlsx`);
    expect(xlsx.status).toBe(200);
    const { readXlsx } = await import('../../src/lib/xlsx.js');
    const sheet = await readXlsx(new Uint8Array(await xlsx.arrayBuffer()));
    expect(JSON.stringify(sheet)).toContain('受講の動機');
    expect(JSON.stringify(sheet)).toContain('地域課題を学びたい');

    const items = (await (await api('GET', `/api/v1/offerings/${o.id}/applications`, adminToken)).json()).items;
    expect(items[0].answers[0]).toEqual({ questionId: 'q1', question: '受講の動機', answer: '地域課題を学びたい' });
  });
});

describe('an approver cannot endorse their own application', () => {
  it('refuses on the page and in the API with a clear message, and the application is not on their list', async () => {
    const u = await unit();
    const kacho = await person(['approver', 'staff'], u);
    const o = await makeOffering(ctx, { endorsementRequired: true });
    const own = await apply(ctx, kacho.user, o.id, {});
    expect(await text(kacho.agent.get('/approvals'))).not.toContain(`action="/approvals/${own.id}"`);
    const viaPage = await kacho.agent.post(`/approvals/${own.id}`, { decision: 'endorse' });
    expect(viaPage.status).toBe(403);
    expect(await viaPage.text()).toContain('自分の申込みを推薦・承認（または差戻し）することはできません。');
    const viaApi = await api('POST', `/api/v1/applications/${own.id}/endorse`, kacho.token, { decision: 'endorse' });
    expect(viaApi.status).toBe(403);
    expect((await viaApi.json()).error.message).toContain('自分の申込みを推薦・承認');
    expect((await getApplication(ctx, own.id))!.status).toBe('applied');
  });
});

describe('the applicant’s page', () => {
  it('shows the approver’s comment after 差し戻し with who and when, on the application and on the training', async () => {
    const u = await unit();
    const kacho = await person(['approver', 'staff'], u, '人事 課長');
    const a = await person(['staff'], u);
    const o = await makeOffering(ctx, { endorsementRequired: true });
    const app1 = await apply(ctx, a.user, o.id, {});
    await endorse(ctx, kacho.user, app1.id, { decision: 'return', comment: '受講の目的を所属で相談してください。' });
    for (const path of [`/my/applications/${app1.id}`, `/trainings/${o.id}`]) {
      const html = await mainText(a.agent.get(path));
      expect(html, path).toContain('差戻しの理由');
      expect(html, path).toContain('受講の目的を所属で相談してください。');
      expect(html, path).toContain('人事 課長が2026年11月24日');
    }
  });

  it('links a 受講決定通知 only once confirmed; the notice page says plainly when there is none', async () => {
    const o = await makeOffering(ctx, { selection: 'review' });
    const a = await person(['staff'], await unit());
    const app1 = await apply(ctx, a.user, o.id, {});
    const training = await mainText(a.agent.get(`/trainings/${o.id}`));
    expect(training).not.toContain('受講決定通知');
    expect(training).toContain('申込みの内容を見る');
    const notice = await mainText(a.agent.get(`/my/applications/${app1.id}`));
    expect(notice).toContain('受講決定通知は、受講が決定した申込みにだけあります。この申込みの状況は「申込み済み」です。');
    expect(notice).not.toContain(app1.participant_code);
    expect(notice).not.toContain('参加者コード');
    await adminAgent.post(`/admin/offerings/${o.id}/decisions`, { applicationIds: String(app1.id), decision: 'confirmed', confirmStep: '1', confirmDecision: 'yes' });
    expect(await mainText(a.agent.get(`/trainings/${o.id}`))).toContain('受講決定通知');
    expect(await mainText(a.agent.get(`/my/applications/${app1.id}`))).toContain(app1.participant_code);
  });
});

describe('選考 decisions ask first', () => {
  it('list the people and say how many will be mailed; nothing changes until confirmed; the admin’s own application is refused', async () => {
    const o = await makeOffering(ctx, { selection: 'review', capacity: 5 });
    const a = await person(['staff'], await unit(), '選考 一郎');
    const b = await person(['staff'], await unit(), '選考 二郎');
    const [x, y] = [await apply(ctx, a.user, o.id, {}), await apply(ctx, b.user, o.id, {})];
    const ask = await adminAgent.post(`/admin/offerings/${o.id}/decisions`, { applicationIds: [String(x.id), String(y.id)], decision: 'confirmed' });
    expect(ask.status).toBe(200);
    const html = await mainText(ask);
    expect(html).toContain('申込み2件を「受講決定」とし、それぞれの申込者にメールで知らせます。');
    expect(html).toContain('選考 一郎');
    expect(html).toContain('選考 二郎');
    expect((await listApplications(ctx, o.id)).map((r) => r.status)).toEqual(['applied', 'applied']);
    const unticked = await adminAgent.post(`/admin/offerings/${o.id}/decisions`, { applicationIds: [String(x.id), String(y.id)], decision: 'confirmed', confirmStep: '1' });
    expect(unticked.status).toBe(422);
    expect((await listApplications(ctx, o.id)).map((r) => r.status)).toEqual(['applied', 'applied']);
    const none = await adminAgent.post(`/admin/offerings/${o.id}/decisions`, { decision: 'confirmed' });
    expect(none.status).toBe(422);
    const done = await adminAgent.post(`/admin/offerings/${o.id}/decisions`, { applicationIds: [String(x.id), String(y.id)], decision: 'confirmed', confirmStep: '1', confirmDecision: 'yes' });
    expect(done.status).toBe(200);
    expect((await listApplications(ctx, o.id)).map((r) => r.status)).toEqual(['confirmed', 'confirmed']);
  });

  it('refuses at the first step what the decision would refuse (over capacity), writing nothing and mailing nobody', async () => {
    const o = await makeOffering(ctx, { selection: 'review', capacity: 1 });
    const a = await person(['staff'], await unit());
    const b = await person(['staff'], await unit());
    const [x, y] = [await apply(ctx, a.user, o.id, {}), await apply(ctx, b.user, o.id, {})];
    const mails = async () => (await tdb.db.selectFrom('outbox').select('id').where('to_address', 'in', [a.user.email, b.user.email]).execute()).length;
    const before = await mails();
    const ask = await adminAgent.post(`/admin/offerings/${o.id}/decisions`, { applicationIds: [String(x.id), String(y.id)], decision: 'confirmed' });
    expect(ask.status).toBe(409);
    expect(await ask.text()).toContain('定員');
    expect((await listApplications(ctx, o.id)).map((r) => r.status)).toEqual(['applied', 'applied']);
    expect(await mails()).toBe(before);
    const one = await adminAgent.post(`/admin/offerings/${o.id}/decisions`, { applicationIds: String(x.id), decision: 'confirmed' });
    expect(one.status).toBe(200);
    expect(await mails()).toBe(before);
    expect((await listApplications(ctx, o.id)).map((r) => r.status)).toEqual(['applied', 'applied']);
  });

  it('refuses an admin deciding on their own application, saying why', async () => {
    const o = await makeOffering(ctx, { selection: 'review', capacity: 5 });
    const admin = await person(['admin', 'staff'], await unit(), '自分 選考');
    const mine = await apply(ctx, admin.user, o.id, {});
    const refused = await admin.agent.post(`/admin/offerings/${o.id}/decisions`, { applicationIds: String(mine.id), decision: 'confirmed' });
    expect(refused.status).toBe(409);
    expect(await refused.text()).toContain('自分の申込み（自分 選考）の選考結果を決めることはできません。');
    expect((await api('POST', `/api/v1/offerings/${o.id}/decisions`, admin.token, { applicationIds: [mine.id], decision: 'confirmed' })).status).toBe(409);
    expect((await getApplication(ctx, mine.id))!.status).toBe('applied');
  });
});

describe('辞退 asks first', () => {
  it('says the seat goes to the first waiting, changes nothing until confirmed, then cancels and promotes', async () => {
    const o = await makeOffering(ctx, { capacity: 1 });
    const a = await person(['staff'], await unit());
    const b = await person(['staff'], await unit());
    const seat = await apply(ctx, a.user, o.id, {});
    const waiting = await apply(ctx, b.user, o.id, {});
    expect([seat.status, waiting.status]).toEqual(['confirmed', 'waitlisted']);
    const confirm = await mainText(a.agent.get(`/applications/${seat.id}/cancel`));
    expect(confirm).toContain('辞退は取り消せません。');
    expect(confirm).toContain('補欠の1番目の方に繰り上がり');
    expect(confirm).toContain('補欠：1名');
    const waitConfirm = await mainText(b.agent.get(`/applications/${waiting.id}/cancel`));
    expect(waitConfirm).toContain('補欠の順番（1番目）はなくなります。');
    // Someone else's application: not found.
    expect((await b.agent.get(`/applications/${seat.id}/cancel`)).status).toBe(404);
    // Without the confirmation nothing changes.
    const unconfirmed = await a.agent.post(`/applications/${seat.id}/cancel`, { reason: '公務のため' });
    expect(unconfirmed.status).toBe(422);
    expect(await unconfirmed.text()).toContain('value="公務のため"');
    expect((await getApplication(ctx, seat.id))!.status).toBe('confirmed');
    const done = await a.agent.post(`/applications/${seat.id}/cancel`, { reason: '公務のため', confirmCancel: 'yes' });
    expect(done.status).toBe(303);
    expect((await getApplication(ctx, seat.id))!.status).toBe('cancelled');
    expect((await getApplication(ctx, waiting.id))!.status).toBe('confirmed');
    // The admin sees why.
    expect(await mainText(adminAgent.get(`/admin/offerings/${o.id}/applications`))).toContain('辞退の理由：公務のため');
    expect(await text(adminAgent.get(`/admin/offerings/${o.id}/applications.csv`))).toContain('公務のため');
  });

  it('an admin cancelling for someone gets the same confirmation, naming the person', async () => {
    const o = await makeOffering(ctx, { capacity: 3 });
    const a = await person(['staff'], await unit(), '辞退 太郎');
    const seat = await apply(ctx, a.user, o.id, {});
    expect(await mainText(adminAgent.get(`/my/applications/${seat.id}`))).toContain('辞退の手続きへ進む');
    const confirm = await mainText(adminAgent.get(`/applications/${seat.id}/cancel`));
    expect(confirm).toContain('辞退 太郎さんの');
    expect(confirm).toContain('この受講決定の席は空席になります。');
    const done = await adminAgent.post(`/applications/${seat.id}/cancel`, { confirmCancel: 'yes' });
    expect(done.status).toBe(303);
    expect(done.headers.get('location')).toBe(`/my/applications/${seat.id}?notice=cancelled`);
    expect((await getApplication(ctx, seat.id))!.status).toBe('cancelled');
  });
});
