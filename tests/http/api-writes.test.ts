import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../src/lib/crypto.js';
import { personRepository } from '../../src/db/repositories/person.repository.js';
import { createApiToken } from '../../src/services/api-token.service.js';
import { apply } from '../../src/services/application.service.js';
import { toCurrentUser } from '../../src/services/context.js';
import { addFieldSession } from '../../src/services/field-session.service.js';
import { addSession, createProgramme } from '../../src/services/offering.service.js';
import { addSite, createPartner, invitePartnerMember } from '../../src/services/partner.service.js';
import { getPerson } from '../../src/services/person.service.js';
import { createSurvey } from '../../src/services/survey.service.js';
import { createUnit } from '../../src/services/unit.service.js';
import { createTestDb, type TestDb, testContext } from '../support/db.js';
import { Agent, appFor, makeUser, PASSWORD } from '../support/http.js';
import { makeOffering } from '../support/offerings.js';

/**
 * What the pages change, changed from the office's own scripts (issue 20 §2): each operation does what
 * its page does, through the same service, with the same refusals; anything that mails people asks
 * first (confirm) and anything that cannot be undone is a DELETE.
 */
let tdb: TestDb;
let ctx: ReturnType<typeof testContext>;
let app: ReturnType<typeof appFor>['app'];
let adminId: number;
let token: string;
let staffToken: string;
let admin: Agent;

beforeAll(async () => {
  tdb = await createTestDb();
  ctx = testContext(tdb);
  ctx.clock.current = new Date('2026-11-30T01:00:00Z'); // 10:00 JST
  app = appFor(ctx).app;
  const a = await makeUser(ctx, ['admin', 'staff'], { email: 'writes-admin@pref.example.jp', name: '管理 太郎' });
  adminId = a.id;
  token = (await createApiToken(ctx, null, a.id, { name: 'scripts', scope: 'write' })).token;
  const s = await makeUser(ctx, ['staff'], { email: 'writes-staff@pref.example.jp' });
  staffToken = (await createApiToken(ctx, null, s.id, { name: 'mine', scope: 'write' })).token;
  admin = new Agent(app);
  await admin.login(a.email);
});
afterAll(() => tdb.close());

const api = (method: string, path: string, body?: unknown, as = token) =>
  app.request(`http://kyodo.test${path}`, {
    method,
    headers: { Authorization: `Bearer ${as}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
const send = (path: string, body: BodyInit, headers: Record<string, string> = {}, as = token) =>
  app.request(`http://kyodo.test${path}`, { method: 'POST', headers: { Authorization: `Bearer ${as}`, ...headers }, body });
const json = async <T = Record<string, unknown>>(res: Response) => (await res.json()) as T;
const fields = async (res: Response) => (await json<{ error: { fields: Record<string, string> } }>(res)).error.fields;
const tokenFor = async (personId: number, name = 'mine') => (await createApiToken(ctx, null, personId, { name, scope: 'write' })).token;
const mailsTo = async (email: string) => (await tdb.db.selectFrom('outbox').select(['subject', 'body_text']).where('to_address', '=', email).execute()).map((m) => m.subject);

describe('the plan: deleting and reordering over the API', () => {
  it('moves a measure, deletes a target, takes a repeated measure off, refuses to delete an item with measures, then deletes measure and item', async () => {
    const plan = await json<{ id: number }>(await api('POST', '/api/v1/plans', { title: '行政経営改革実施計画', firstFiscalYear: 2025, lastFiscalYear: 2027 }));
    const item = await json<{ id: number }>(await api('POST', `/api/v1/plans/${plan.id}/items`, { number: '(1)', title: '行政手続の見直し' }));
    const other = await json<{ id: number }>(await api('POST', `/api/v1/plans/${plan.id}/items`, { number: '(2)', title: '職員の育成' }));
    const m1 = await json<{ id: number }>(await api('POST', `/api/v1/plan-items/${item.id}/measures`, { title: '現地研修の実施' }));
    const m2 = await json<{ id: number }>(await api('POST', `/api/v1/plan-items/${item.id}/measures`, { title: '協働推進セミナー', alsoItemIds: [other.id] }));

    const moved = await api('POST', `/api/v1/plan-items/${item.id}/measures/${m2.id}/move`, { direction: 'up' });
    expect(moved.status).toBe(200);
    expect((await json<{ order: number[] }>(moved)).order).toEqual([m2.id, m1.id]);
    const sheet = await json<{ measures: { id: number; label: string }[] }>(await api('GET', `/api/v1/plan-items/${item.id}`));
    expect(sheet.measures.map((m) => [m.id, m.label])).toEqual([
      [m2.id, 'ア'],
      [m1.id, 'イ'],
    ]);
    const sideways = await api('POST', `/api/v1/plan-items/${item.id}/measures/${m2.id}/move`, { direction: 'left' });
    expect(sideways.status).toBe(422);
    expect((await fields(sideways)).direction).toContain('並び順');

    expect((await api('PUT', `/api/v1/plan-items/${item.id}/measures/${m1.id}/targets`, { fiscalYear: 2026, kpi: 'fieldTrainings', target: 3 })).status).toBe(200);
    const targets = (await json<{ measures: { id: number; targets: { id: number }[] }[] }>(await api('GET', `/api/v1/plan-items/${item.id}`))).measures.find((m) => m.id === m1.id)!.targets;
    expect(targets).toHaveLength(1);
    expect((await api('DELETE', `/api/v1/plan-items/${item.id}/measures/${m1.id}/targets/${targets[0]!.id}`, undefined, staffToken)).status).toBe(403);
    expect((await api('DELETE', `/api/v1/plan-items/${item.id}/measures/${m1.id}/targets/${targets[0]!.id}`)).status).toBe(200);
    expect((await json<{ measures: { id: number; targets: unknown[] }[] }>(await api('GET', `/api/v1/plan-items/${item.id}`))).measures.find((m) => m.id === m1.id)!.targets).toEqual([]);
    expect((await api('DELETE', `/api/v1/plan-items/${item.id}/measures/${m1.id}/targets/${targets[0]!.id}`)).status).toBe(404);

    // Deleting m2 at home is refused while (2) still lists it; taking it off (2) only unlists it there.
    const home = await api('DELETE', `/api/v1/plan-items/${item.id}/measures/${m2.id}`);
    expect(home.status).toBe(409);
    expect((await json<{ error: { message: string } }>(home)).error.message).toContain('再掲');
    expect((await api('DELETE', `/api/v1/plan-items/${other.id}/measures/${m2.id}`)).status).toBe(200);
    expect((await json<{ measures: unknown[] }>(await api('GET', `/api/v1/plan-items/${other.id}`))).measures).toEqual([]);

    const full = await api('DELETE', `/api/v1/plan-items/${item.id}`);
    expect(full.status).toBe(409);
    expect((await json<{ error: { code: string; message: string } }>(full)).error).toMatchObject({ code: 'has_measures', message: expect.stringContaining('施策が2件') });
    for (const m of [m1, m2]) expect((await api('DELETE', `/api/v1/plan-items/${item.id}/measures/${m.id}`)).status).toBe(200);
    expect((await api('DELETE', `/api/v1/plan-items/${item.id}`, undefined, staffToken)).status).toBe(403);
    expect((await api('DELETE', `/api/v1/plan-items/${item.id}`)).status).toBe(200);
    expect((await api('GET', `/api/v1/plan-items/${item.id}`)).status).toBe(404);
    const page = await (await admin.get(`/admin/plans/${plan.id}`)).text();
    expect(page).toContain('職員の育成');
    expect(page).not.toContain('行政手続の見直し');
  });
});

describe('evaluation criteria and survey templates over the API', () => {
  it('adds a criterion, rewords and retires it; the page lists it; a blank wording is refused naming 評価項目', async () => {
    const made = await api('POST', '/api/v1/evaluation-criteria', { label: '地域資源の活用', labelEn: 'Use of local resources' });
    expect(made.status).toBe(201);
    const c = await json<{ id: number; active: boolean }>(made);
    expect(c.active).toBe(true);
    const changed = await api('PUT', `/api/v1/evaluation-criteria/${c.id}`, { label: '地域資源の活用度', labelEn: 'Use of local resources', active: false });
    expect(await json(changed)).toMatchObject({ id: c.id, label: '地域資源の活用度', active: false });
    const list = await json<{ items: { id: number; label: string; active: boolean }[] }>(await api('GET', '/api/v1/evaluation-criteria'));
    expect(list.items.find((x) => x.id === c.id)).toMatchObject({ label: '地域資源の活用度', active: false });
    expect(await (await admin.get('/admin/evaluation-criteria')).text()).toContain('地域資源の活用度');

    const blank = await api('POST', '/api/v1/evaluation-criteria', { label: ' ' });
    expect(blank.status).toBe(422);
    expect((await fields(blank)).label).toContain('評価項目');
    // Leaving `active` out would retire the criterion on the page's form; over the API it must be said.
    const unsaid = await api('PUT', `/api/v1/evaluation-criteria/${c.id}`, { label: '地域資源の活用度' });
    expect(unsaid.status).toBe(422);
    expect((await fields(unsaid)).active).toContain('状態');
    expect((await api('POST', '/api/v1/evaluation-criteria', { label: '職員の発案' }, staffToken)).status).toBe(403);
    expect((await api('PUT', '/api/v1/evaluation-criteria/2147483646', { label: 'x', active: true })).status).toBe(404);
  });

  it('changes a survey template as its page does; bad questions are refused naming the field', async () => {
    const questions = [{ id: 'q1', type: 'scale5', label: '満足度', required: true }];
    const made = await json<{ id: number }>(await api('POST', '/api/v1/survey-templates', { name: '研修後アンケート（簡易）', purpose: 'general', questions }));
    const changed = await api('PUT', `/api/v1/survey-templates/${made.id}`, { name: '研修後アンケート（改）', purpose: 'general', anonymous: true, questions: [...questions, { id: 'q2', type: 'text', label: 'ご意見', required: false }] });
    expect(changed.status).toBe(200);
    const list = await json<{ items: { id: number; name: string; anonymous: boolean; questions: { id: string }[] }[] }>(await api('GET', '/api/v1/survey-templates'));
    expect(list.items.find((x) => x.id === made.id)).toMatchObject({ name: '研修後アンケート（改）', anonymous: true, questions: [{ id: 'q1' }, { id: 'q2' }] });
    expect(await (await admin.get(`/admin/survey-templates/${made.id}`)).text()).toContain('研修後アンケート（改）');

    const nameless = await api('PUT', `/api/v1/survey-templates/${made.id}`, { name: '', purpose: 'general', questions });
    expect(nameless.status).toBe(422);
    expect(Object.keys(await fields(nameless))).toEqual(['name']);
    const twice = await api('PUT', `/api/v1/survey-templates/${made.id}`, { name: '重複', purpose: 'general', questions: [questions[0], questions[0]] });
    expect(twice.status).toBe(422);
    expect(Object.keys(await fields(twice))).toEqual(['questions']);
    expect((await api('PUT', `/api/v1/survey-templates/${made.id}`, { name: 'x', purpose: 'general', questions }, staffToken)).status).toBe(403);
    expect((await api('PUT', '/api/v1/survey-templates/2147483646', { name: 'x', purpose: 'general', questions })).status).toBe(404);
  });
});

describe('survey reminders over the API: they mail people, so nothing is sent without confirm', () => {
  it('answers how many would be mailed, sends only with confirm true, and refuses a closed survey', async () => {
    const o = await makeOffering(ctx, { capacity: 10 });
    const emails = ['remind-a@pref.example.jp', 'remind-b@pref.example.jp'];
    for (const email of emails) {
      const p = await makeUser(ctx, ['staff'], { email });
      await apply(ctx, toCurrentUser((await getPerson(ctx, p.id))!), o.id, {});
    }
    const templateId = (await ctx.db.selectFrom('survey_templates').select('id').where('code', '=', 'competency').executeTakeFirstOrThrow()).id;
    const survey = await createSurvey(ctx, null, { templateId, kind: 'pre', offeringId: o.id, opensAt: ctx.now().toISOString(), closesAt: new Date(ctx.now().getTime() + 7 * 86_400_000).toISOString() });
    const before = await mailsTo(emails[0]!);

    const ask = await api('POST', `/api/v1/surveys/${survey.id}/reminders`);
    expect(ask.status).toBe(409);
    const asked = await json<{ error: { code: string; message: string; pending: number } }>(ask);
    expect(asked).toMatchObject({ error: { code: 'confirmation_required', pending: 2 } });
    expect(asked.error.message).toContain('2人');
    expect((await api('POST', `/api/v1/surveys/${survey.id}/reminders`, { confirm: false })).status).toBe(409);
    expect(await mailsTo(emails[0]!)).toEqual(before);

    const wrong = await api('POST', `/api/v1/surveys/${survey.id}/reminders`, { confirm: 'yes' });
    expect(wrong.status).toBe(422);
    expect((await fields(wrong)).confirm).toContain('確認');
    expect((await api('POST', `/api/v1/surveys/${survey.id}/reminders`, { confirm: true }, staffToken)).status).toBe(403);

    const sent = await api('POST', `/api/v1/surveys/${survey.id}/reminders`, { confirm: true });
    expect(sent.status).toBe(200);
    expect(await json(sent)).toEqual({ id: survey.id, reminded: 2 });
    for (const email of emails) expect((await mailsTo(email)).length).toBe(before.length + 1);

    ctx.clock.current = new Date('2026-12-10T01:00:00Z');
    try {
      const closed = await api('POST', `/api/v1/surveys/${survey.id}/reminders`, { confirm: true });
      expect(closed.status).toBe(409);
      expect((await json<{ error: { code: string } }>(closed)).error.code).toBe('closed');
    } finally {
      ctx.clock.current = new Date('2026-11-30T01:00:00Z');
    }
  });
});

describe('the 市町 tile map positions over the API', () => {
  it('replaces the squares, reads them back, and names a wrong square by its number', async () => {
    const put = await api('PUT', '/api/v1/reports/map/positions', {
      tiles: [
        { code: '252018', name: '大津市', x: 2, y: 4 },
        { code: '252069', name: '草津市', x: 3, y: 4 },
      ],
    });
    expect(put.status).toBe(200);
    expect(await json(await api('GET', '/api/v1/reports/map/positions'))).toEqual({
      tiles: [
        { code: '252018', name: '大津市', x: 2, y: 4 },
        { code: '252069', name: '草津市', x: 3, y: 4 },
      ],
    });
    expect(await (await admin.get('/admin/reports/map/positions')).text()).toContain('草津市');

    const taken = await api('PUT', '/api/v1/reports/map/positions', {
      tiles: [
        { code: '252018', name: '大津市', x: 2, y: 4 },
        { code: '252069', name: '草津市', x: 2, y: 4 },
      ],
    });
    expect(taken.status).toBe(422);
    const problems = await fields(taken);
    expect(Object.keys(problems).every((k) => k.startsWith('tiles.1.'))).toBe(true);
    expect(Object.values(problems).join()).toContain('2件目の');
    const far = await api('PUT', '/api/v1/reports/map/positions', { tiles: [{ code: '252018', name: '大津市', x: 99, y: 4 }] });
    expect(far.status).toBe(422);
    expect(await fields(far)).toEqual({ 'tiles.0.x': expect.stringContaining('1件目の列（左から）') });
    const shape = await api('PUT', '/api/v1/reports/map/positions', { tiles: 'all' });
    expect(shape.status).toBe(422);
    expect((await fields(shape)).tiles).toContain('タイルマップ');
    // Nothing was saved by the refusals.
    expect((await json<{ tiles: unknown[] }>(await api('GET', '/api/v1/reports/map/positions'))).tiles).toHaveLength(2);
    expect((await api('PUT', '/api/v1/reports/map/positions', { tiles: [] }, staffToken)).status).toBe(403);
  });
});

describe("coordinators: one's own profile and the coordinators' desk over the API", () => {
  it('a coordinator saves their profile and reads it back; the page shows it; others may not', async () => {
    const otsu = await createUnit(ctx, null, { kind: 'municipality', name: '守山市', kana: 'モリヤマシ', code: '252077' });
    const co = await makeUser(ctx, ['staff', 'coordinator'], { email: 'writes-co@pref.example.jp', name: '協働 一郎' });
    const coToken = await tokenFor(co.id);
    const saved = await api('PUT', '/api/v1/me/coordinator-profile', { fields: ['子育て', '防災'], areas: [otsu.id], availability: '平日の午後', introduction: '地域の子ども食堂を支えています。' }, coToken);
    expect(saved.status).toBe(200);
    expect(await json(await api('GET', '/api/v1/me/coordinator-profile', undefined, coToken))).toMatchObject({ personId: co.id, fields: ['子育て', '防災'], areas: [otsu.id], availability: '平日の午後', desk: false });
    const agent = new Agent(app);
    await agent.login(co.email);
    expect(await (await agent.get('/my/coordinator-profile')).text()).toContain('地域の子ども食堂を支えています。');

    const long = await api('PUT', '/api/v1/me/coordinator-profile', { fields: ['あ'.repeat(31)] }, coToken);
    expect(long.status).toBe(422);
    expect((await fields(long)).fields).toContain('専門分野');
    expect((await api('PUT', '/api/v1/me/coordinator-profile', { introduction: 'x' }, staffToken)).status).toBe(403);
  });

  it('an admin puts a coordinator on the desk and takes them off; someone without the role is refused naming 職員', async () => {
    const co = await makeUser(ctx, ['staff', 'coordinator'], { email: 'writes-desk@pref.example.jp', name: '窓口 花子' });
    expect((await api('PUT', `/api/v1/coordinator-desk/${co.id}`, { desk: true })).status).toBe(200);
    expect((await json<{ items: { personId: number }[] }>(await api('GET', '/api/v1/coordinator-desk'))).items.map((x) => x.personId)).toContain(co.id);
    expect(await (await admin.get('/admin/coordinator-desk')).text()).toContain('窓口 花子');
    expect((await json<{ desk: boolean }>(await api('GET', '/api/v1/me/coordinator-profile', undefined, await tokenFor(co.id)))).desk).toBe(true);
    expect((await api('PUT', `/api/v1/coordinator-desk/${co.id}`, { desk: false })).status).toBe(200);
    expect((await json<{ items: { personId: number }[] }>(await api('GET', '/api/v1/coordinator-desk'))).items.map((x) => x.personId)).not.toContain(co.id);

    const plain = await makeUser(ctx, ['staff']);
    const refused = await api('PUT', `/api/v1/coordinator-desk/${plain.id}`, { desk: true });
    expect(refused.status).toBe(422);
    expect((await fields(refused)).personId).toContain('職員');
    const unsaid = await api('PUT', `/api/v1/coordinator-desk/${co.id}`, {});
    expect(unsaid.status).toBe(422);
    expect((await fields(unsaid)).desk).toContain('コーディネーター窓口');
    expect((await api('PUT', `/api/v1/coordinator-desk/${co.id}`, { desk: true }, staffToken)).status).toBe(403);
  });
});

describe("a unit's nomination (所属推薦) over the API: it mails people, so it asks first", () => {
  it('answers who would be applied for, applies only with confirm true, and mails each applicant', async () => {
    const unit = await createUnit(ctx, null, { kind: 'department', name: '琵琶湖環境部', kana: 'ビワコカンキョウブ' });
    const people = [];
    for (const n of [1, 2]) people.push(await makeUser(ctx, ['staff'], { unitId: unit.id, email: `nominee${n}@pref.example.jp`, name: `推薦 ${n}郎` }));
    const o = await makeOffering(ctx, { capacity: 10 });

    const ask = await api('POST', `/api/v1/offerings/${o.id}/nominations`, { unitId: unit.id });
    expect(ask.status).toBe(409);
    expect(await json(ask)).toMatchObject({ error: { code: 'confirmation_required', message: expect.stringContaining('2名'), count: 2, skipped: 0 } });
    expect(await mailsTo('nominee1@pref.example.jp')).toEqual([]);

    const bad = await api('POST', `/api/v1/offerings/${o.id}/nominations`, { unitId: 'all', confirm: true });
    expect(bad.status).toBe(422);
    expect((await fields(bad)).unitId).toContain('所属');
    expect((await api('POST', `/api/v1/offerings/${o.id}/nominations`, { unitId: unit.id, confirm: true }, staffToken)).status).toBe(403);

    const done = await api('POST', `/api/v1/offerings/${o.id}/nominations`, { unitId: unit.id, confirm: true });
    expect(done.status).toBe(201);
    expect(await json(done)).toEqual({ applied: 2, skipped: 0 });
    expect((await mailsTo('nominee1@pref.example.jp')).length).toBe(1);
    const listed = await (await admin.get(`/admin/offerings/${o.id}/applications`)).text();
    for (const p of people) expect(listed).toContain(p.name);
    // Again: everyone has applied already.
    expect(await json(await api('POST', `/api/v1/offerings/${o.id}/nominations`, { unitId: unit.id, confirm: true }))).toEqual({ applied: 0, skipped: 2 });
  });
});

describe("a host's message to a field session's participants over the API", () => {
  it('mails each confirmed participant through the outbox and lists it on the roster page; another organisation gets 404', async () => {
    const adminUser = toCurrentUser((await getPerson(ctx, adminId))!);
    const member = async (partnerId: number, email: string) => {
      const p = await invitePartnerMember(ctx, null, partnerId, { name: `${email} 担当`, kana: 'タントウ', email });
      await personRepository.update(ctx.db, p.id, { password_hash: await hashPassword(PASSWORD) });
      return p;
    };
    const host = await createPartner(ctx, null, { name: 'NPO法人 湖南まちづくり', kana: 'コナンマチヅクリ', type: 'npo', fields: 'まちづくり' });
    const stranger = await createPartner(ctx, null, { name: '里山の会', kana: 'サトヤマノカイ', type: 'community', fields: '環境' });
    const site = await addSite(ctx, adminUser, host.id, { name: '湖南交流センター', address: '滋賀県湖南市1-1', capacity: '20' });
    const m = await member(host.id, 'host@konan.example.jp');
    const other = await member(stranger.id, 'other@satoyama.example.jp');
    const o = await makeOffering(ctx, { capacity: 10 });
    const session = await addFieldSession(ctx, null, o.id, { siteId: site.id, theme: '空き家の活用', startsAt: '2027-01-20T13:30:00+09:00', endsAt: '2027-01-20T15:30:00+09:00' });
    const p = await makeUser(ctx, ['staff'], { email: 'field-participant@pref.example.jp', name: '現地 次郎' });
    await apply(ctx, toCurrentUser((await getPerson(ctx, p.id))!), o.id, {});

    const hostToken = await tokenFor(m.id);
    const sent = await api('POST', `/api/v1/partner/sessions/${session.id}/messages`, { body: '当日は動きやすい服装でお越しください。' }, hostToken);
    expect(sent.status).toBe(201);
    const mail = await tdb.db.selectFrom('outbox').select(['subject', 'body_text']).where('to_address', '=', 'field-participant@pref.example.jp').execute();
    expect(mail.some((x) => x.body_text.includes('当日は動きやすい服装でお越しください。'))).toBe(true);
    const agent = new Agent(app);
    await agent.login('host@konan.example.jp');
    expect(await (await agent.get(`/partner/sessions/${session.id}`)).text()).toContain('当日は動きやすい服装でお越しください。');

    const empty = await api('POST', `/api/v1/partner/sessions/${session.id}/messages`, { body: '  ' }, hostToken);
    expect(empty.status).toBe(422);
    expect((await fields(empty)).body).toContain('本文');
    expect((await api('POST', `/api/v1/partner/sessions/${session.id}/messages`, { body: 'こんにちは' }, await tokenFor(other.id))).status).toBe(404);
    expect((await api('POST', `/api/v1/partner/sessions/${session.id}/messages`, { body: 'こんにちは' }, staffToken)).status).toBe(403);
  });
});

describe('handing in an assignment (課題) over the API', () => {
  it('takes a file as multipart or a text as JSON, with the page’s type limits; the office then reviews it; another person gets 404', async () => {
    const programme = await createProgramme(ctx, null, { name: '課題のある研修' });
    const o = await makeOffering(ctx, { programmeId: programme.id, capacity: 5, completionRule: { attendance: 'all', assignment: true } });
    await addSession(ctx, null, o.id, { title: '協働の基礎', format: 'lecture', startsAt: '2026-11-30T13:30:00+09:00', endsAt: '2026-11-30T16:30:00+09:00' });
    const p = await makeUser(ctx, ['staff'], { email: 'assignment@pref.example.jp' });
    const a = await apply(ctx, toCurrentUser((await getPerson(ctx, p.id))!), o.id, {});
    const mine = await tokenFor(p.id);

    const exe = new FormData();
    exe.append('file', new File([new Uint8Array([0x4d, 0x5a, 0x90, 0x00])], 'report.exe'));
    const refused = await send(`/api/v1/applications/${a.id}/assignment`, exe, {}, mine);
    expect(refused.status).toBe(422);
    expect((await fields(refused)).file).toContain('ファイル');
    const empty = await api('POST', `/api/v1/applications/${a.id}/assignment`, {}, mine);
    expect(empty.status).toBe(422);
    expect(Object.keys(await fields(empty))).toEqual(['text']);

    const pdf = new FormData();
    pdf.append('text', '協働の事例をまとめました。');
    pdf.append('file', new File([new TextEncoder().encode('%PDF-1.4\n%…\n')], 'report.pdf', { type: 'application/pdf' }));
    expect((await send(`/api/v1/applications/${a.id}/assignment`, pdf, {}, staffToken)).status).toBe(404);
    const handed = await send(`/api/v1/applications/${a.id}/assignment`, pdf, {}, mine);
    expect(handed.status).toBe(201);
    expect(await json(handed)).toEqual({ id: a.id, status: 'submitted' });
    const file = await admin.get(`/admin/applications/${a.id}/assignment`);
    expect(file.headers.get('Content-Disposition')).toContain('report.pdf');
    expect(await file.text()).toMatch(/^%PDF-1\.4/);
    const participant = new Agent(app);
    await participant.login(p.email);
    const page = await (await participant.get(`/my/applications/${a.id}`)).text();
    expect(page).toContain('提出済み');
    expect(page).toContain('協働の事例をまとめました。');

    // Handing in again (text only) replaces it until accepted; then it is refused.
    expect((await api('POST', `/api/v1/applications/${a.id}/assignment`, { text: '改訂版です。' }, mine)).status).toBe(201);
    expect((await api('POST', `/api/v1/applications/${a.id}/assignment-review`, { decision: 'accept' })).status).toBe(200);
    const late = await api('POST', `/api/v1/applications/${a.id}/assignment`, { text: 'もう一度' }, mine);
    expect(late.status).toBe(409);
  });
});

// --- Imports ------------------------------------------------------------------------------------

const csv = (rows: string[][]) => new TextEncoder().encode(`${rows.map((r) => r.join(',')).join('\r\n')}\r\n`);
interface Job {
  id: number;
  status: string;
  canApply: boolean;
  totalRows: number;
  processedRows: number;
  errors: { line: number; field: string | null; message: string }[];
  rows: Record<string, unknown>[] | null;
  statusUrl: string;
}

/**
 * Follows an applied import's status URL until it is no longer running (each step yields to the job).
 * Bounded only so that a job that never ends fails the test: two minutes, far beyond a busy machine.
 */
const POLL_INTERVAL_MS = 100;

async function settled(res: Response): Promise<Job> {
  let job = await json<Job>(res);
  const giveUpAt = Date.now() + 120_000;
  while (job.status === 'running' && Date.now() < giveUpAt) {
    // A pause between polls (not a limit: the two-minute deadline above is), letting the job run.
    await new Promise((r) => setTimeout(r, POLL_INTERVAL_MS));
    job = await json<Job>(await api('GET', job.statusUrl));
  }
  return job;
}

describe('imports over the API', () => {
  it('uploads a CSV whose rows have errors: the preview names each row and column; it cannot be applied, only discarded', async () => {
    const body = csv([
      ['氏名', 'フリガナ', 'メールアドレス', '所属区分'],
      ['取込 一郎', 'トリコミ イチロウ', 'import1@pref.example.jp', '県'],
      ['取込 二郎', 'トリコミ ジロウ', 'not-an-address', '県'],
      ['取込 三郎', 'トリコミ サブロウ', 'import3@pref.example.jp', '宇宙'],
    ]);
    const up = await send('/api/v1/imports?kind=people&filename=people.csv', body, { 'Content-Type': 'text/csv' });
    expect(up.status).toBe(201);
    const job = await json<Job>(up);
    expect(job).toMatchObject({ status: 'preview', canApply: false, totalRows: 1 });
    expect(job.errors.map((e) => [e.line, e.field])).toEqual([
      [3, 'email'],
      [4, 'affiliation'],
    ]);
    expect(job.errors[0]!.message).toContain('メールアドレス');
    expect(job.errors[1]!.message).toContain('所属区分');
    expect(up.headers.get('Location')).toBe(`/api/v1/imports/${job.id}`);
    expect(await json(await api('GET', `/api/v1/imports/${job.id}`))).toMatchObject({ id: job.id, status: 'preview', errors: job.errors });

    const refused = await api('POST', `/api/v1/imports/${job.id}/apply`);
    expect(refused.status).toBe(409);
    expect((await api('POST', `/api/v1/imports/${job.id}/discard`, undefined, staffToken)).status).toBe(403);
    expect(await json(await api('POST', `/api/v1/imports/${job.id}/discard`))).toEqual({ id: job.id, status: 'discarded' });
    expect((await api('POST', `/api/v1/imports/${job.id}/discard`)).status).toBe(409);
    expect((await api('POST', '/api/v1/imports/2147483646/discard')).status).toBe(404);
    expect((await json<{ items: unknown[] }>(await api('GET', '/api/v1/people?q=import1%40pref.example.jp'))).items).toEqual([]);
  });

  it('uploads a people CSV (multipart) and an xlsx of units (as the body), applies each and follows it to done', async () => {
    const form = new FormData();
    form.append(
      'file',
      new File(
        [
          csv([
            ['氏名', 'フリガナ', 'メールアドレス', '職員番号', '所属区分', '役割'],
            ['取込 花子', 'トリコミ ハナコ', 'hanako.import@pref.example.jp', 'T0001', '県', '職員'],
            ['取込 桜', 'トリコミ サクラ', 'sakura.import@pref.example.jp', 'T0002', '市町', '職員、所属長'],
          ]),
        ],
        'people.csv',
        { type: 'text/csv' },
      ),
    );
    const up = await send('/api/v1/imports?kind=people', form);
    expect(up.status).toBe(201);
    const preview = await json<Job>(up);
    expect(preview).toMatchObject({ canApply: true, totalRows: 2, errors: [] });
    expect(preview.rows!.map((r) => r.email)).toEqual(['hanako.import@pref.example.jp', 'sakura.import@pref.example.jp']);
    const applied = await api('POST', `/api/v1/imports/${preview.id}/apply`);
    expect([200, 202]).toContain(applied.status);
    const done = await settled(applied);
    expect(done).toMatchObject({ status: 'done', processedRows: 2 });
    const found = await json<{ items: { name: string; roles: string[] }[] }>(await api('GET', '/api/v1/people?q=sakura.import%40pref.example.jp'));
    expect(found.items).toEqual([expect.objectContaining({ name: '取込 桜', roles: expect.arrayContaining(['approver', 'staff']) })]);
    expect((await api('POST', `/api/v1/imports/${preview.id}/apply`)).status).toBe(409);

    const wb = new ExcelJS.Workbook();
    const sheet = wb.addWorksheet('組織');
    sheet.addRow(['種別', '組織名', 'フリガナ', '上位組織', '団体コード']);
    sheet.addRow(['部局', '総合企画部', 'ソウゴウキカクブ', '', '']);
    sheet.addRow(['課・室', '県民活動生活課', 'ケンミンカツドウセイカツカ', '総合企画部', '']);
    const xlsx = new Uint8Array(await wb.xlsx.writeBuffer());
    const upX = await send('/api/v1/imports?kind=units&filename=units.xlsx', xlsx, { 'Content-Type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' });
    expect(upX.status).toBe(201);
    const previewX = await json<Job & { encoding: string; filename: string }>(upX);
    expect(previewX).toMatchObject({ encoding: 'xlsx', filename: 'units.xlsx', canApply: true, totalRows: 2 });
    const doneX = await settled(await api('POST', `/api/v1/imports/${previewX.id}/apply`));
    expect(doneX.status).toBe('done');
    const units = await json<{ items: { name: string }[] }>(await api('GET', '/api/v1/units'));
    expect(units.items.map((u) => u.name)).toEqual(expect.arrayContaining(['総合企画部', '県民活動生活課']));
    expect(await (await admin.get('/admin/imports')).text()).toContain('units.xlsx');
  });

  it('applies all or nothing: a row that has become a conflict since the preview fails the import and no row is kept', async () => {
    const known = await api('POST', '/api/v1/people', { name: '既存 一郎', kana: 'キゾン イチロウ', email: 'kizon@pref.example.jp', staffNumber: 'K0001', affiliation: 'prefecture' });
    expect(known.status).toBe(201);
    const up = await send(
      '/api/v1/imports?kind=people',
      csv([
        ['氏名', 'フリガナ', 'メールアドレス', '職員番号', '所属区分'],
        ['新規 一子', 'シンキ イチコ', 'shinki@pref.example.jp', 'K0100', '県'],
        ['既存 一郎', 'キゾン イチロウ', 'kizon.new@pref.example.jp', 'K0001', '県'],
      ]),
      { 'Content-Type': 'text/csv; charset=utf-8' },
    );
    const preview = await json<Job>(up);
    expect(preview).toMatchObject({ canApply: true, totalRows: 2 });
    // Since the preview, someone else took row 3's new address.
    await makeUser(ctx, ['staff'], { email: 'kizon.new@pref.example.jp' });
    const applied = await api('POST', `/api/v1/imports/${preview.id}/apply`);
    let job: Job;
    if (applied.status === 409) {
      const failed = await json<{ error: { code: string; message: string }; job: Job }>(applied);
      expect(failed.error.code).toBe('import_failed');
      expect(failed.error.message).toContain('3行目');
      job = failed.job;
    } else job = await settled(applied);
    expect(job.status).toBe('failed');
    expect(job.errors).toEqual([expect.objectContaining({ line: 3, field: 'email' })]);
    expect((await json<{ items: unknown[] }>(await api('GET', '/api/v1/people?q=shinki%40pref.example.jp'))).items).toEqual([]);
    expect((await json<{ items: { email: string }[] }>(await api('GET', '/api/v1/people?q=K0001'))).items.map((x) => x.email)).toEqual(['kizon@pref.example.jp']);
  });

  it('imports an offering’s participant list (受講者名簿): the preview gives each person’s status; applying applies for them and mails them', async () => {
    const o = await makeOffering(ctx, { capacity: 1 });
    for (const n of [1, 2]) await makeUser(ctx, ['staff'], { email: `roster${n}@pref.example.jp`, name: `名簿 ${n}子` });
    const up = await send(
      `/api/v1/imports?kind=roster&offering=${o.id}&filename=meibo.csv`,
      csv([
        ['メールアドレス', '氏名'],
        ['roster1@pref.example.jp', '名簿 1子'],
        ['roster2@pref.example.jp', '名簿 2子'],
        ['nobody@pref.example.jp', '誰 でもない'],
      ]),
      { 'Content-Type': 'text/csv' },
    );
    expect(up.status).toBe(201);
    const withError = await json<Job>(up);
    expect(withError.errors).toEqual([expect.objectContaining({ line: 4, field: 'email' })]);
    expect((await api('POST', `/api/v1/imports/${withError.id}/discard`)).status).toBe(200);

    const good = await json<Job>(
      await send(
        `/api/v1/imports?kind=roster&offering=${o.id}`,
        csv([
          ['メールアドレス', '氏名'],
          ['roster1@pref.example.jp', '名簿 1子'],
          ['roster2@pref.example.jp', '名簿 2子'],
        ]),
        { 'Content-Type': 'text/csv' },
      ),
    );
    expect(good.rows!.map((r) => r.status)).toEqual(['confirmed', 'waitlisted']);
    expect(await settled(await api('POST', `/api/v1/imports/${good.id}/apply`))).toMatchObject({ status: 'done' });
    const listed = await (await admin.get(`/admin/offerings/${o.id}/applications`)).text();
    expect(listed).toContain('名簿 1子');
    expect(listed).toContain('名簿 2子');
    expect((await mailsTo('roster1@pref.example.jp')).length).toBeGreaterThan(0);
  });

  it('refuses a wrong kind, a roster without its offering, a missing file and a JSON body, naming the field; staff may not import', async () => {
    const kind = await send('/api/v1/imports?kind=everything', csv([['氏名']]), { 'Content-Type': 'text/csv' });
    expect(kind.status).toBe(422);
    expect((await fields(kind)).kind).toContain('種別');
    const roster = await send('/api/v1/imports?kind=roster', csv([['氏名']]), { 'Content-Type': 'text/csv' });
    expect(roster.status).toBe(422);
    expect((await fields(roster)).offering).toContain('研修');
    const nothing = await send('/api/v1/imports?kind=people', new Uint8Array(), { 'Content-Type': 'text/csv' });
    expect(nothing.status).toBe(422);
    expect((await fields(nothing)).file).toContain('ファイル');
    const jsonBody = await api('POST', '/api/v1/imports?kind=people', { rows: [] });
    expect(jsonBody.status).toBe(422);
    expect(Object.keys(await fields(jsonBody))).toEqual(['file']);
    const broken = await send('/api/v1/imports?kind=people', new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0]), { 'Content-Type': 'application/octet-stream' });
    expect(broken.status).toBe(422);
    expect((await fields(broken)).file).toContain('.xls');
    expect((await send('/api/v1/imports?kind=people', csv([['氏名']]), { 'Content-Type': 'text/csv' }, staffToken)).status).toBe(403);
    expect((await api('GET', '/api/v1/imports/2147483646')).status).toBe(404);
  });
});

describe('the OpenAPI document', () => {
  it('documents each new operation', async () => {
    const doc = await json<{ paths: Record<string, Record<string, { summary: string }>> }>(await api('GET', '/api/v1/openapi.json'));
    const ops = [
      ['post', '/api/v1/imports'],
      ['get', '/api/v1/imports/{id}'],
      ['post', '/api/v1/imports/{id}/apply'],
      ['post', '/api/v1/imports/{id}/discard'],
      ['post', '/api/v1/applications/{id}/assignment'],
      ['post', '/api/v1/offerings/{id}/nominations'],
      ['put', '/api/v1/me/coordinator-profile'],
      ['post', '/api/v1/partner/sessions/{id}/messages'],
      ['put', '/api/v1/coordinator-desk/{personId}'],
      ['post', '/api/v1/evaluation-criteria'],
      ['put', '/api/v1/evaluation-criteria/{id}'],
      ['post', '/api/v1/surveys/{id}/reminders'],
      ['put', '/api/v1/survey-templates/{id}'],
      ['put', '/api/v1/reports/map/positions'],
      ['delete', '/api/v1/plan-items/{id}'],
      ['post', '/api/v1/plan-items/{id}/measures/{measureId}/move'],
      ['delete', '/api/v1/plan-items/{id}/measures/{measureId}'],
      ['delete', '/api/v1/plan-items/{id}/measures/{measureId}/targets/{targetId}'],
    ] as const;
    expect(ops.filter(([m, p]) => !doc.paths[p]?.[m]?.summary)).toEqual([]);
  });
});
