import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { personRepository } from '../../src/db/repositories/person.repository.js';
import type { RouteInfo } from '../../src/http/router.js';
import { hashPassword } from '../../src/lib/crypto.js';
import { readXlsx } from '../../src/lib/xlsx.js';
import { createApiToken } from '../../src/services/api-token.service.js';
import { createPartner, invitePartnerMember } from '../../src/services/partner.service.js';
import { fiscalYearKpis } from '../../src/services/report.service.js';
import { createUnit } from '../../src/services/unit.service.js';
import { makeCoordinator } from '../support/consultations.js';
import { createTestDb, type TestDb, testContext } from '../support/db.js';
import { Agent, appFor, makeUser, PASSWORD } from '../support/http.js';

let tdb: TestDb;
let ctx: ReturnType<typeof testContext>;
let app: ReturnType<typeof appFor>['app'];
let routes: RouteInfo[];
const ids = {} as Record<'otsu' | 'kusatsu' | 'partnerA' | 'partnerB' | 'partnerC' | 'top' | 'second' | 'expired' | 'other' | 'desk' | 'requester', number>;
const agents = {} as Record<'admin' | 'requester' | 'top' | 'second' | 'other' | 'desk' | 'memberA' | 'memberB' | 'memberC', Agent>;
const tokens = {} as Record<'admin' | 'requester' | 'top' | 'other' | 'memberB', string>;
let caseId = 0;
let projectId = 0;
const TITLE = '子ども食堂と連携した見守りを始めたい';
const PROJECT = 'おおつ子ども見守り協働事業';

async function agentFor(email: string) {
  const a = new Agent(app);
  await a.login(email);
  return a;
}
async function member(partnerId: number, email: string) {
  const p = await invitePartnerMember(ctx, null, partnerId, { name: `${email.split('@')[0]} 担当`, kana: 'タントウ', email });
  await personRepository.update(ctx.db, p.id, { password_hash: await hashPassword(PASSWORD) });
  return p;
}
const subjectsTo = async (email: string) => (await ctx.db.selectFrom('outbox').select('subject').where('to_address', '=', email).execute()).map((m) => m.subject);
const count = async (table: string) => (await sql<{ n: number }>`SELECT count(*) AS n FROM ${sql.table(table)}`.execute(ctx.db)).rows[0].n;
const api = (token: string, method: string, path: string, body?: unknown) =>
  app.request(`http://kyodo.test${path}`, { method, headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body) });

beforeAll(async () => {
  tdb = await createTestDb();
  ctx = testContext(tdb);
  ({ app, routes } = appFor(ctx));
  ids.otsu = (await createUnit(ctx, null, { kind: 'municipality', name: '大津市', kana: 'オオツシ', code: '252018' })).id;
  ids.kusatsu = (await createUnit(ctx, null, { kind: 'municipality', name: '草津市', kana: 'クサツシ', code: '252069' })).id;
  const admin = await makeUser(ctx, ['admin', 'staff'], { email: 'cons-admin@pref.example.jp', name: '研修 担当' });
  const requester = await makeUser(ctx, ['staff'], { email: 'hanako@city252018.example.jp', name: '大津 花子', kana: 'オオツ ハナコ', unitId: ids.otsu, affiliation: 'municipality' });
  ids.requester = requester.id;
  ids.top = (await makeCoordinator(ctx, { name: '福祉 一郎', kana: 'フクシ イチロウ', email: 'top@pref.example.jp', fields: ['子育て', '福祉'], areas: [ids.otsu] })).id;
  ids.second = (await makeCoordinator(ctx, { name: '環境 次郎', kana: 'カンキョウ ジロウ', email: 'second@pref.example.jp', fields: ['環境'], areas: [ids.otsu] })).id;
  ids.expired = (await makeCoordinator(ctx, { name: '期限 切子', kana: 'キゲン キリコ', email: 'expired@pref.example.jp', fields: ['子育て'], areas: [ids.otsu], validUntil: '2025-03-31' })).id;
  ids.other = (await makeCoordinator(ctx, { name: '別件 三郎', kana: 'ベッケン サブロウ', email: 'other@pref.example.jp', fields: ['子育て'], areas: [ids.kusatsu] })).id;
  ids.desk = (await makeCoordinator(ctx, { name: '窓口 四郎', kana: 'マドグチ シロウ', email: 'desk@pref.example.jp' })).id;
  ids.partnerA = (await createPartner(ctx, null, { name: 'NPO法人 おおつ子育てネット', kana: 'オオツコソダテネット', type: 'npo', fields: '子育て', areas: [ids.otsu] })).id;
  ids.partnerB = (await createPartner(ctx, null, { name: '里山の会', kana: 'サトヤマノカイ', type: 'community', fields: '環境' })).id;
  ids.partnerC = (await createPartner(ctx, null, { name: '子ども食堂連絡会', kana: 'コドモショクドウレンラクカイ', type: 'voluntary', fields: '子育て、福祉' })).id;
  await member(ids.partnerA, 'a@kosodate.example.jp');
  const mb = await member(ids.partnerB, 'b@satoyama.example.jp');
  await member(ids.partnerC, 'c@shokudo.example.jp');
  agents.admin = await agentFor(admin.email);
  agents.requester = await agentFor(requester.email);
  agents.top = await agentFor('top@pref.example.jp');
  agents.second = await agentFor('second@pref.example.jp');
  agents.other = await agentFor('other@pref.example.jp');
  agents.desk = await agentFor('desk@pref.example.jp');
  agents.memberA = await agentFor('a@kosodate.example.jp');
  agents.memberB = await agentFor('b@satoyama.example.jp');
  agents.memberC = await agentFor('c@shokudo.example.jp');
  tokens.admin = (await createApiToken(ctx, null, admin.id, { name: 't' })).token;
  tokens.requester = (await createApiToken(ctx, null, requester.id, { name: 't' })).token;
  tokens.top = (await createApiToken(ctx, null, ids.top, { name: 't' })).token;
  tokens.other = (await createApiToken(ctx, null, ids.other, { name: 't' })).token;
  tokens.memberB = (await createApiToken(ctx, null, mb.id, { name: 't' })).token;
}, 60_000);
afterAll(() => tdb.close());

describe('consultations over HTTP', () => {
  it('bad input gets 422 naming each field, on the form and the API, and nothing is saved', async () => {
    const before = await count('consultations');
    const res = await agents.requester.post('/consultations', { kind: '', title: '', unitId: String(ids.otsu), goal: '', desiredFrom: '2027-02-30', desiredTo: '' });
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html).toContain('error-summary');
    expect(html).toContain('名称を入力してください。');
    expect(html).toContain('実現したいことを入力してください。');
    expect(html).toContain('希望する期間（開始）は日付（例：2027-04-01）で入力してください。');
    const order = await agents.requester.post('/consultations', { kind: 'bridge', title: 'x', unitId: String(ids.otsu), goal: 'y', desiredFrom: '2027-03-01', desiredTo: '2027-01-01' });
    expect(await order.text()).toContain('希望する期間（終了）は開始より後の日付にしてください。');
    const r = await api(tokens.requester, 'POST', '/api/v1/consultations', { kind: 'advice', title: 'x', unitId: 99999999999, goal: 'y' });
    expect(r.status).toBe(422);
    const body = (await r.json()) as { error: { fields: Record<string, string> } };
    expect(Object.keys(body.error.fields).sort()).toEqual(['kind', 'unitId']);
    expect(body.error.fields.kind).toContain('種別');
    expect((await api(tokens.requester, 'POST', '/api/v1/consultations', 'not json')).status).toBe(400);
    expect(await count('consultations')).toBe(before);
  });

  it('a 市町 staff member files a 橋渡し request; the admin sees ranked suggestions with reasons and assigns the top coordinator; mail at each step', async () => {
    const res = await agents.requester.post('/consultations', {
      kind: 'bridge',
      title: TITLE,
      unitId: String(ids.otsu),
      fields: '子育て',
      areas: String(ids.otsu),
      goal: '地域の子ども食堂と連携し、支援が必要な家庭の見守りにつなげたい。',
      desiredFrom: '2027-01-01',
      desiredTo: '2027-03-31',
      partnerInMind: '地域の子ども食堂',
    });
    expect(res.status).toBe(303);
    caseId = Number(res.headers.get('location')!.match(/\/consultations\/(\d+)/)![1]);
    expect(await subjectsTo('cons-admin@pref.example.jp')).toContain(`【Kyodo】新しい相談：${TITLE}`);
    expect(await subjectsTo('hanako@city252018.example.jp')).toContain(`【Kyodo】相談を受け付けました：${TITLE}`);
    expect(await (await agents.requester.get('/consultations')).text()).toContain(TITLE);

    const page = await (await agents.admin.get(`/consultations/${caseId}`)).text();
    expect(page).toContain('候補のコーディネーター');
    const ranked = ['福祉 一郎', '別件 三郎', '環境 次郎', '窓口 四郎', '期限 切子'].map((n) => page.indexOf(n));
    expect(ranked.every((x) => x > 0)).toBe(true);
    expect([...ranked].sort((a, b) => a - b)).toEqual(ranked);
    expect(page).toContain('分野 40/40（子育て）');
    expect(page).toContain('地域 20/20（大津市）');
    expect(page).toContain('認定の期限切れ');
    expect(page).toContain('NPO法人 おおつ子育てネット');
    await agents.admin.get('/lang/en?next=/');
    const en = await (await agents.admin.get(`/consultations/${caseId}`)).text();
    expect(en).toContain('Suggested coordinators');
    expect(en).toContain('Fields 40/40（子育て）');
    expect(en).toContain('Bridge (connect with collaboration partners)');
    await agents.admin.get('/lang/ja?next=/');

    const s = (await (await api(tokens.admin, 'GET', `/api/v1/consultations/${caseId}/suggestions`)).json()) as { coordinators: { personId: number; score: number; eligible: boolean; parts: { key: string; points: number }[] }[]; partners: { partnerId: number }[] };
    expect(s.coordinators[0].personId).toBe(ids.top);
    expect(s.coordinators[0].parts.find((p) => p.key === 'fields')!.points).toBe(40);
    expect(s.coordinators.at(-1)).toMatchObject({ personId: ids.expired, eligible: false });
    expect(s.partners[0].partnerId).toBe(ids.partnerA);
    const sx = await readXlsx(new Uint8Array(await (await agents.admin.get(`/consultations/${caseId}/suggestions.xlsx`)).arrayBuffer()));
    expect(sx[0].rows[0]).toMatchObject({ '氏名／団体名': '福祉 一郎' });

    // The admin may choose anyone outside the suggestions, but only someone whose certification stands.
    for (const who of [ids.requester, ids.expired]) {
      const bad = await agents.admin.post(`/consultations/${caseId}/assign`, { personIds: String(who) });
      expect(bad.status).toBe(422);
      expect(await bad.text()).toContain('依頼するコーディネーターには、認定が有効な協働コーディネーターを選んでください。');
    }
    expect(await count('consultation_assignments')).toBe(0);

    expect((await agents.admin.post(`/consultations/${caseId}/assign`, { personIds: [String(ids.top), String(ids.second)] })).status).toBe(303);
    expect(await subjectsTo('top@pref.example.jp')).toContain(`【Kyodo】相談の担当のお願い：${TITLE}`);
    expect(await subjectsTo('second@pref.example.jp')).toContain(`【Kyodo】相談の担当のお願い：${TITLE}`);
  });

  it('the coordinator accepts (the other declines), logs two activities and closes with "project started"; the requester is asked for feedback', async () => {
    const declined = await agents.second.post(`/consultations/${caseId}/decline`, { reason: '' });
    expect(declined.status).toBe(422);
    expect(await declined.text()).toContain('理由を入力してください。');
    expect((await agents.second.post(`/consultations/${caseId}/decline`, { reason: '担当分野が異なるため' })).status).toBe(303);
    expect(await subjectsTo('cons-admin@pref.example.jp')).toContain(`【Kyodo】相談の担当が辞退されました：${TITLE}`);
    // Declined: no longer the second coordinator's case.
    expect((await agents.second.get(`/consultations/${caseId}`)).status).toBe(404);

    expect((await agents.top.post(`/consultations/${caseId}/accept`)).status).toBe(303);
    expect(await subjectsTo('hanako@city252018.example.jp')).toContain(`【Kyodo】担当のコーディネーターが決まりました：${TITLE}`);
    expect((await agents.top.post(`/consultations/${caseId}/accept`)).status).toBe(409);

    const before = await count('consultation_activities');
    const bad = await agents.top.post(`/consultations/${caseId}/activities`, { onDate: '2026-13-01', kind: 'meeting', minutes: '-5', note: '' });
    expect(bad.status).toBe(422);
    const text = await bad.text();
    expect(text).toContain('実施日は日付（例：2027-04-01）で入力してください。');
    expect(text).toContain('要した時間（分）は0から1440までの範囲で入力してください。');
    expect(text).toContain('備考を入力してください。');
    expect(await (await agents.top.post(`/consultations/${caseId}/activities`, { onDate: '2026-12-24', kind: 'meeting', minutes: '60', note: '未来' })).text()).toContain('実施日には、今日までの日付を入力してください。');
    expect(await count('consultation_activities')).toBe(before);

    expect((await agents.top.post(`/consultations/${caseId}/activities`, { onDate: '2026-11-20', kind: 'meeting', minutes: '60', note: '相談者と打合せ' })).status).toBe(303);
    const logged = await api(tokens.top, 'POST', `/api/v1/consultations/${caseId}/activities`, { onDate: '2026-11-22', kind: 'contact', minutes: 30, note: '団体に連絡', partnerIds: [ids.partnerA] });
    expect(logged.status).toBe(201);
    const csv = await (await agents.requester.get(`/consultations/${caseId}/activities.csv`)).text();
    expect(csv).toContain('NPO法人 おおつ子育てネット');

    expect((await agents.requester.post(`/consultations/${caseId}/close`, { outcome: 'project_started' })).status).toBe(403);
    const closed = await api(tokens.top, 'POST', `/api/v1/consultations/${caseId}/close`, { outcome: 'project_started', note: '協働事業として実施することになった。' });
    expect(closed.status).toBe(200);
    const { feedbackSurveyId } = (await closed.json()) as { feedbackSurveyId: number };
    expect(feedbackSurveyId).toBeGreaterThan(0);
    const mail = await ctx.db.selectFrom('outbox').select(['subject', 'body_text']).where('to_address', '=', 'hanako@city252018.example.jp').where('subject', 'like', '%完了しました%').executeTakeFirstOrThrow();
    expect(mail.body_text).toContain('対応結果：協働事業の開始');
    expect(mail.body_text).toContain(`http://kyodo.test/surveys/${feedbackSurveyId}`);
    expect((await agents.requester.get(`/surveys/${feedbackSurveyId}`)).status).toBe(200);
    expect((await agents.top.post(`/consultations/${caseId}/withdraw`)).status).toBe(404);
    expect((await agents.requester.post(`/consultations/${caseId}/withdraw`, {})).status).toBe(409);

    const ws = await (await agents.top.get('/my/cases')).text();
    expect(ws).toContain(TITLE);
    expect(ws).toContain('完了した相談1件、活動時間1時間30分');
    // The workspace from the coordinator's own scripts: the same case, minutes and practice; the download's rows as CSV.
    const mine = (await (await api(tokens.top, 'GET', '/api/v1/me/cases')).json()) as { history: { id: number; minutes: number; status: string }[]; practice: { cases: number; minutes: number } };
    expect(mine.history).toEqual([expect.objectContaining({ id: caseId, status: 'closed', minutes: 90 })]);
    expect(mine.practice).toEqual({ cases: 1, minutes: 90 });
    const casesCsv = new TextDecoder().decode(await (await api(tokens.top, 'GET', '/api/v1/me/cases?format=csv')).arrayBuffer());
    expect(casesCsv).toBe(new TextDecoder().decode(await (await agents.top.get('/my/cases.csv')).arrayBuffer()));
    expect((await api(tokens.requester, 'GET', '/api/v1/me/cases')).status).toBe(403);
    const detail = (await (await api(tokens.requester, 'GET', `/api/v1/consultations/${caseId}`)).json()) as { status: string; outcome: string; activities: unknown[] };
    expect(detail).toMatchObject({ status: 'closed', outcome: 'project_started' });
    expect(detail.activities).toHaveLength(2);
    const audit = await ctx.db.selectFrom('audit_log').select('action').where('entity', '=', 'consultation').where('entity_id', '=', String(caseId)).execute();
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['create', 'assign', 'decline', 'accept', 'close']));
  });

  it('the project is recorded with partners; both sides score it; the side-by-side view highlights the gaps and exports to xlsx', async () => {
    const form = await (await agents.top.get(`/projects/new?consultation=${caseId}`)).text();
    expect(form).toContain(`value="${TITLE}"`);
    const before = await count('collaboration_projects');
    const bad = await agents.top.post('/projects', { title: PROJECT, unitId: String(ids.otsu), startsOn: '2027-01-10', endsOn: '2026-12-01', objective: 'x', consultationIds: String(caseId) });
    expect(bad.status).toBe(422);
    const badText = await bad.text();
    expect(badText).toContain('協働相手を入力してください。');
    expect(badText).toContain('終了日は開始より後の日付にしてください。');
    expect(await count('collaboration_projects')).toBe(before);

    const res = await agents.top.post('/projects', {
      title: PROJECT,
      unitId: String(ids.otsu),
      partnerIds: [String(ids.partnerA), String(ids.partnerC)],
      startsOn: '2027-01-10',
      endsOn: '2027-12-20',
      objective: '子ども食堂と連携し、見守りが必要な家庭を地域で支える。',
      coordinatorId: String(ids.top),
      consultationIds: String(caseId),
    });
    expect(res.status).toBe(303);
    projectId = Number(res.headers.get('location')!.match(/\/projects\/(\d+)/)![1]);
    expect(await subjectsTo('a@kosodate.example.jp')).toContain(`【Kyodo】協働事業の評価のお願い：${PROJECT}`);

    const criteria = (await (await api(tokens.admin, 'GET', '/api/v1/evaluation-criteria')).json()) as { items: { id: number; code: string }[] };
    expect(criteria.items.map((c) => c.code)).toEqual(['roles', 'goals', 'differences', 'information', 'results', 'again']);
    const scores = (xs: number[], comment = '') => Object.fromEntries(criteria.items.flatMap((c, i) => [[`score_${c.id}`, String(xs[i])], [`comment_${c.id}`, comment]]));

    const missing = await agents.requester.post(`/projects/${projectId}/evaluation`, { ...scores([5, 4, 4, 4, 5, 5]), [`score_${criteria.items[0].id}`]: '9' });
    expect(missing.status).toBe(422);
    expect(await missing.text()).toContain('「お互いの役割分担が明確だった」の評価を1〜5から選んでください。');
    expect(await count('project_evaluations')).toBe(0);

    expect((await agents.requester.post(`/projects/${projectId}/evaluation`, scores([5, 4, 4, 4, 5, 5], '順調でした'))).status).toBe(303);
    expect((await agents.memberA.post(`/projects/${projectId}/evaluation`, scores([2, 4, 4, 4, 5, 5], '役割が曖昧でした'))).status).toBe(303);
    const viaApi = await api(tokens.memberB, 'PUT', `/api/v1/projects/${projectId}/evaluations`, { scores: [] });
    expect(viaApi.status).toBe(404);
    expect((await agents.memberC.post(`/projects/${projectId}/evaluation`, scores([5, 5, 5, 5, 5, 5], 'C団体だけの所見'))).status).toBe(303);

    const view = await (await agents.requester.get(`/projects/${projectId}`)).text();
    expect(view).toContain('<mark>差が大きい：-3</mark>');
    expect(view).toContain('役割が曖昧でした');
    expect(view).toContain('C団体だけの所見');
    const x = await readXlsx(new Uint8Array(await (await agents.requester.get(`/projects/${projectId}/evaluation.xlsx`)).arrayBuffer()));
    expect(x[0].rows[0]).toMatchObject({ 評価項目: 'お互いの役割分担が明確だった', '所属（大津市） 評価': '5', 'NPO法人 おおつ子育てネット 評価': '2', 'NPO法人 おおつ子育てネット 差（協働相手−所属）': '-3', 注意: '差が大きい' });
    const json = (await (await api(tokens.admin, 'GET', `/api/v1/projects/${projectId}/evaluations`)).json()) as { rows: { highlight: boolean }[] };
    expect(json.rows.map((r) => r.highlight)).toEqual([true, false, false, false, false, false]);

    // Criteria are editable by admins; the scores already entered stay.
    const c0 = criteria.items[0].id;
    expect((await agents.admin.post(`/admin/evaluation-criteria/${c0}`, { label: '役割分担が明確だった', labelEn: 'Roles were clear', active: 'on' })).status).toBe(303);
    expect(await (await agents.requester.get(`/projects/${projectId}`)).text()).toContain('役割分担が明確だった');
    expect((await agents.admin.post(`/admin/evaluation-criteria/${c0}`, { label: '' })).status).toBe(422);
  });

  it('a coordinator sees only the cases assigned to them, route by route; the desk sees the open queue', async () => {
    const open = await agents.requester.post('/consultations', { kind: 'planning', title: '自主防災組織の連携を強めたい', unitId: String(ids.otsu), goal: '協議の場を企画したい。' });
    const openId = Number(open.headers.get('location')!.match(/\/consultations\/(\d+)/)![1]);
    const leaks: string[] = [];
    const caseRoutes = routes.filter((r) => /^\/(api\/v1\/)?consultations\/:id/.test(r.path));
    expect(caseRoutes.length).toBeGreaterThanOrEqual(18);
    for (const [who, agent, token] of [['other', agents.other, tokens.other], ['memberB', agents.memberB, tokens.memberB]] as const)
      for (const id of [caseId, openId])
        for (const r of caseRoutes) {
          const path = r.path.replace(':id', String(id));
          const res = r.api ? await api(token, r.method, path, r.method === 'GET' ? undefined : '{}') : r.method === 'GET' ? await agent.get(path) : await agent.post(path, {});
          const body = await res.text();
          if (!(await refusedAlike(res, r, (p) => api(token, r.method, p, '{}')))) leaks.push(`${who} ${r.method} ${path}: ${res.status}`);
          if (body.includes(TITLE) || body.includes('自主防災組織')) leaks.push(`${who} ${r.method} ${path}: shows the case`);
        }
    for (const path of ['/consultations', '/consultations.csv', '/my/cases', '/my/cases.xlsx', '/desk/consultations', '/desk/consultations.csv', '/projects']) {
      const res = await agents.other.get(path);
      const body = await res.text();
      if (body.includes(TITLE) || body.includes('自主防災組織')) leaks.push(`other GET ${path} shows a case`);
    }
    expect((await agents.other.get('/desk/consultations')).status).toBe(404);
    // …and is not offered a link to it (it used to lead a coordinator off the desk to a 404).
    expect(await (await agents.other.get('/consultations')).text()).not.toContain('href="/desk/consultations"');
    const list = (await (await api(tokens.other, 'GET', '/api/v1/consultations')).json()) as { items: unknown[] };
    expect(list.items).toEqual([]);
    expect(leaks).toEqual([]);

    // The assigned coordinator sees their case; on the desk, a coordinator sees the open queue.
    expect((await agents.top.get(`/consultations/${caseId}`)).status).toBe(200);
    expect((await agents.admin.post('/admin/coordinator-desk', { personId: String(ids.requester), desk: 'on' })).status).toBe(422);
    expect((await agents.admin.post('/admin/coordinator-desk', { personId: String(ids.desk), desk: 'on' })).status).toBe(303);
    expect(await (await agents.desk.get('/consultations')).text()).toContain('href="/desk/consultations"');
    const queue = await (await agents.desk.get('/desk/consultations')).text();
    expect(queue).toContain('自主防災組織の連携を強めたい');
    expect(queue).not.toContain(TITLE); // closed: not in the open queue
    expect(await (await agents.desk.get('/desk/consultations?status=closed')).text()).toContain(TITLE);
    expect((await agents.desk.get(`/consultations/${openId}`)).status).toBe(200);
    expect((await agents.desk.post(`/consultations/${openId}/assign`, { personIds: String(ids.other) })).status).toBe(303);
    expect(await (await agents.other.get('/my/cases')).text()).toContain('自主防災組織の連携を強めたい');
    expect((await agents.other.get(`/consultations/${openId}`)).status).toBe(200);
    expect((await agents.other.get(`/consultations/${caseId}`)).status).toBe(404);
    // Off the desk again: the queue is gone.
    expect((await agents.admin.post('/admin/coordinator-desk', { personId: String(ids.desk), desk: 'off' })).status).toBe(303);
    expect((await agents.desk.get('/desk/consultations')).status).toBe(404);
    expect(await (await agents.desk.get('/consultations')).text()).not.toContain('href="/desk/consultations"');
    // The requester withdraws; the assigned coordinator is told.
    expect((await agents.requester.post(`/consultations/${openId}/withdraw`, { reason: '所属内で対応します' })).status).toBe(303);
    expect(await subjectsTo('other@pref.example.jp')).toContain('【Kyodo】相談が取り下げられました：自主防災組織の連携を強めたい');
  });

  it("a partner sees only its own organisation's projects and evaluations, route by route", async () => {
    const leaks: string[] = [];
    const projectRoutes = routes.filter((r) => /^\/(api\/v1\/)?projects\/:id/.test(r.path));
    expect(projectRoutes.length).toBeGreaterThanOrEqual(10);
    for (const r of projectRoutes) {
      const path = r.path.replace(':id', String(projectId));
      const res = r.api ? await api(tokens.memberB, r.method, path, r.method === 'GET' ? undefined : '{}') : r.method === 'GET' ? await agents.memberB.get(path) : await agents.memberB.post(path, {});
      const body = await res.text();
      if (!(await refusedAlike(res, r, (p) => api(tokens.memberB, r.method, p, '{}')))) leaks.push(`memberB ${r.method} ${path}: ${res.status}`);
      if (body.includes(PROJECT)) leaks.push(`memberB ${r.method} ${path}: shows the project`);
    }
    for (const path of ['/projects', '/projects.csv', '/projects.xlsx', '/partner']) {
      const body = await (await agents.memberB.get(path)).text();
      if (body.includes(PROJECT)) leaks.push(`memberB GET ${path} shows the project`);
    }
    const list = (await (await api(tokens.memberB, 'GET', '/api/v1/projects')).json()) as { items: unknown[] };
    expect(list.items).toEqual([]);
    expect(leaks).toEqual([]);

    // Partner A sees its project, the unit's side and its own evaluation, never partner C's.
    const a = await (await agents.memberA.get(`/projects/${projectId}`)).text();
    expect(a).toContain(PROJECT);
    expect(a).toContain('役割が曖昧でした');
    expect(a).toContain('順調でした');
    expect(a).not.toContain('C団体だけの所見');
    expect(a).not.toContain(TITLE); // the internal consultation is not shown to partners
    const csv = await (await agents.memberA.get(`/projects/${projectId}/evaluation.csv`)).text();
    expect(csv).not.toContain('C団体だけの所見');
    expect(await (await agents.memberA.get('/partner')).text()).toContain(PROJECT);
    expect((await agents.memberA.get(`/consultations/${caseId}`)).status).toBe(403);
    // The admin's page of partner A lists its project and the consultation.
    const history = await (await agents.admin.get(`/admin/partners/${ids.partnerA}`)).text();
    expect(history).toContain(PROJECT);
    expect(history).toContain(TITLE);
  });

  it('the yearly KPIs count consultations by kind and outcome, on the page and in the API', async () => {
    const k = await fiscalYearKpis(ctx, 2026);
    const bridge = k.consultations.byKind.find((x) => x.kind === 'bridge')!;
    expect(bridge.outcomes.project_started).toBe(1);
    expect(bridge.total).toBe(1);
    expect(k.consultations.byKind.find((x) => x.kind === 'planning')!.outcomes.withdrawn).toBe(1);
    expect(k.consultations.total).toBe(2);
    expect((await fiscalYearKpis(ctx, 2025)).consultations.total).toBe(0);
    const json = (await (await api(tokens.admin, 'GET', '/api/v1/reports/fiscal-years/2026')).json()) as typeof k;
    expect(json.consultations).toEqual(k.consultations);
    const html = await (await agents.admin.get('/admin/reports?fy=2026')).text();
    expect(html).toContain('相談対応件数（橋渡し）');
    expect(html).toContain('協働事業の開始 1');
    const doc = (await (await app.request('http://kyodo.test/api/v1/openapi.json')).json()) as { paths: Record<string, unknown> };
    for (const p of ['/api/v1/consultations', '/api/v1/consultations/{id}/suggestions', '/api/v1/consultations/{id}/assignments', '/api/v1/consultations/{id}/activities', '/api/v1/projects', '/api/v1/projects/{id}/evaluations'])
      expect(Object.keys(doc.paths)).toContain(p);
  });
});

/**
 * Refused without telling anything about the record: 403 or 404; or, for an API call whose body breaks
 * the documented schema, the same 422 that an id that never existed gets (the body is checked before
 * any record is looked up, issue 19).
 */
async function refusedAlike(res: Response, r: { path: string; api: boolean }, again: (path: string) => Response | Promise<Response>) {
  if ([403, 404].includes(res.status)) return true;
  if (!r.api || res.status !== 422) return false;
  return (await again(r.path.replace(':id', '2147483646'))).status === 422;
}
