import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../../src/services/api-token.service.js';
import { apply } from '../../src/services/application.service.js';
import { submitAssignment } from '../../src/services/completion.service.js';
import { toCurrentUser } from '../../src/services/context.js';
import { addSession, createProgramme } from '../../src/services/offering.service.js';
import { getPerson } from '../../src/services/person.service.js';
import { createTestDb, type TestDb, testContext } from '../support/db.js';
import { appFor, makeUser } from '../support/http.js';
import { makeOffering } from '../support/offerings.js';

/**
 * What the training office does on the pages can also be done from its own scripts (issue 20 §2):
 * units, completion decisions, certificate revocation and the kiosk's check-in, each over the API
 * with the same rules and refusals as the pages.
 */
let tdb: TestDb;
let ctx: ReturnType<typeof testContext>;
let app: ReturnType<typeof appFor>['app'];
let token: string;
let staffToken: string;

beforeAll(async () => {
  tdb = await createTestDb();
  ctx = testContext(tdb);
  ctx.clock.current = new Date('2026-11-24T01:00:00Z'); // 10:00 JST
  app = appFor(ctx).app;
  const admin = await makeUser(ctx, ['admin', 'staff'], { email: 'caps-admin@pref.example.jp' });
  token = (await createApiToken(ctx, null, admin.id, { name: 'scripts', scope: 'write' })).token;
  const staff = await makeUser(ctx, ['staff'], { email: 'caps-staff@pref.example.jp' });
  staffToken = (await createApiToken(ctx, null, staff.id, { name: 'mine', scope: 'write' })).token;
});
afterAll(() => tdb.close());

const api = (method: string, path: string, body?: unknown, as = token) =>
  app.request(`http://kyodo.test${path}`, {
    method,
    headers: { Authorization: `Bearer ${as}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
const fields = async (res: Response) => ((await res.json()) as { error: { fields: Record<string, string> } }).error.fields;

let n = 0;
async function participantOf(rule: Record<string, unknown>) {
  const programme = await createProgramme(ctx, null, { name: `API研修${++n}` });
  const o = await makeOffering(ctx, { programmeId: programme.id, capacity: 5, completionRule: rule });
  const s = await addSession(ctx, null, o.id, { title: '協働の基礎', format: 'lecture', startsAt: '2026-11-24T13:30:00+09:00', endsAt: '2026-11-24T16:30:00+09:00' });
  const p = await makeUser(ctx, ['staff'], { name: `受講 ${n}郎`, kana: 'ジュコウ ジロウ', email: `caps-p${n}@pref.example.jp` });
  const user = toCurrentUser((await getPerson(ctx, p.id))!);
  const a = await apply(ctx, user, o.id, {});
  return { o, s, p, a, user };
}

describe('units over the API', () => {
  it('creates, refuses a division without its department naming 上位組織, changes, and takes a unit out of use and back', async () => {
    const created = await api('POST', '/api/v1/units', { kind: 'department', name: '総務部', kana: 'ソウムブ' });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: number };

    const orphan = await api('POST', '/api/v1/units', { kind: 'division', name: '人事課', kana: 'ジンジカ' });
    expect(orphan.status).toBe(422);
    expect((await fields(orphan)).parentId).toContain('上位組織');
    const blank = await api('POST', '/api/v1/units', { kind: 'department', name: '', kana: 'ア' });
    expect((await fields(blank)).name).toContain('組織名');

    const division = await api('POST', '/api/v1/units', { kind: 'division', parentId: id, name: '人事課', kana: 'ジンジカ' });
    expect(division.status).toBe(201);
    const renamed = await api('PUT', `/api/v1/units/${id}`, { kind: 'department', name: '総務部（新）', kana: 'ソウムブ' });
    expect(renamed.status).toBe(200);
    expect(await (await api('GET', `/api/v1/units/${id}`)).json()).toMatchObject({ id, name: '総務部（新）', active: true });

    expect((await api('POST', `/api/v1/units/${id}/deactivate`)).status).toBe(200);
    expect(await (await api('GET', `/api/v1/units/${id}`)).json()).toMatchObject({ active: false });
    expect((await api('POST', `/api/v1/units/${id}/activate`)).status).toBe(200);
    expect(await (await api('GET', `/api/v1/units/${id}`)).json()).toMatchObject({ active: true });
    expect((await api('POST', '/api/v1/units/2147483646/deactivate')).status).toBe(404);
    expect((await api('POST', '/api/v1/units', { kind: 'department', name: '企画部', kana: 'キカクブ' }, staffToken)).status).toBe(403);
  });
});

describe('completion decisions over the API', () => {
  it('sign-off completes a participant whose rule asks for it', async () => {
    const { s, a } = await participantOf({ signOff: true });
    ctx.clock.current = new Date('2026-11-24T05:00:00Z');
    expect((await api('PUT', `/api/v1/sessions/${s.id}/attendance`, [{ applicationId: a.id, status: 'present' }])).status).toBe(200);
    const signed = await api('POST', `/api/v1/applications/${a.id}/sign-off`);
    expect(await signed.json()).toEqual({ id: a.id, completed: true });
  });

  it('an assignment accepted over the API completes the participant; returned, it does not', async () => {
    const { s, a, user } = await participantOf({ assignment: true });
    ctx.clock.current = new Date('2026-11-24T05:00:00Z');
    await api('PUT', `/api/v1/sessions/${s.id}/attendance`, [{ applicationId: a.id, status: 'present' }]);
    await submitAssignment(ctx, user, a.id, { text: '所属での協働の進め方をまとめました。' });
    const bad = await api('POST', `/api/v1/applications/${a.id}/assignment-review`, { decision: 'maybe' });
    expect(bad.status).toBe(422);
    expect(Object.keys(await fields(bad))).toEqual(['decision']);
    const back = await api('POST', `/api/v1/applications/${a.id}/assignment-review`, { decision: 'return', comment: '事例を1つ加えてください。' });
    expect(await back.json()).toEqual({ id: a.id, completed: false });
    const ok = await api('POST', `/api/v1/applications/${a.id}/assignment-review`, { decision: 'accept' });
    expect(await ok.json()).toEqual({ id: a.id, completed: true });
  });

  it('a decision by hand needs its reason, and clearing it goes back to the rule', async () => {
    const { s, a } = await participantOf({});
    ctx.clock.current = new Date('2026-11-24T05:00:00Z');
    await api('PUT', `/api/v1/sessions/${s.id}/attendance`, [{ applicationId: a.id, status: 'present' }]);
    const noReason = await api('POST', `/api/v1/applications/${a.id}/completion-override`, { completed: 'no' });
    expect(noReason.status).toBe(422);
    expect(Object.keys(await fields(noReason))).toEqual(['reason']);
    const no = await api('POST', `/api/v1/applications/${a.id}/completion-override`, { completed: 'no', reason: '受講態度に問題があったため' });
    expect(await no.json()).toEqual({ id: a.id, completed: false });
    const cleared = await api('POST', `/api/v1/applications/${a.id}/completion-override`, { completed: 'clear' });
    expect(await cleared.json()).toEqual({ id: a.id, completed: true });
  });
});

describe('certificates and the kiosk over the API', () => {
  it('revokes a certificate with its reason; verification reads it as revoked; a second revocation is 409', async () => {
    const { s, a, p } = await participantOf({});
    ctx.clock.current = new Date('2026-11-24T05:00:00Z');
    await api('PUT', `/api/v1/sessions/${s.id}/attendance`, [{ applicationId: a.id, status: 'present' }]);
    const cert = ((await (await api('GET', `/api/v1/people/${p.id}/certificates`)).json()) as { items: { number: string; verificationUrl: string }[] }).items[0]!;
    const code = cert.verificationUrl.split('/verify/')[1]!;
    const noReason = await api('POST', `/api/v1/certificates/${cert.number}/revoke`, {});
    expect(noReason.status).toBe(422);
    expect(Object.keys(await fields(noReason))).toEqual(['reason']);
    const revoked = await api('POST', `/api/v1/certificates/${cert.number}/revoke`, { reason: '修了要件の確認誤りのため' });
    expect(await revoked.json()).toEqual({ number: cert.number, revoked: true });
    expect(((await (await api('GET', `/api/v1/certificates/${code}`)).json()) as { status: string }).status).toBe('revoked');
    expect((await api('POST', `/api/v1/certificates/${cert.number}/revoke`, { reason: '再度' })).status).toBe(409);
    expect((await api('POST', '/api/v1/certificates/KYODO-1999-000001/revoke', { reason: 'なし' })).status).toBe(404);
  });

  it("checks a participant in by code as the kiosk does: not before 30 minutes ahead, once, and a wrong code says so", async () => {
    const { s, a } = await participantOf({});
    ctx.clock.current = new Date('2026-11-24T03:30:00Z'); // 12:30 JST: an hour before the start
    const early = await api('POST', `/api/v1/sessions/${s.id}/check-in`, { code: a.participant_code });
    expect(await early.json()).toEqual({ ok: false, reason: 'not_yet', opensAt: '2026-11-24T04:00:00.000Z' });
    ctx.clock.current = new Date('2026-11-24T04:25:00Z');
    const typed = a.participant_code.toLowerCase().replace('-', ' ');
    expect(await (await api('POST', `/api/v1/sessions/${s.id}/check-in`, { code: typed })).json()).toMatchObject({ ok: true, status: 'present' });
    expect(await (await api('POST', `/api/v1/sessions/${s.id}/check-in`, { code: a.participant_code })).json()).toEqual({ ok: false, reason: 'already' });
    expect(await (await api('POST', `/api/v1/sessions/${s.id}/check-in`, { code: 'AAAA-BBBB' })).json()).toEqual({ ok: false, reason: 'unknown' });
    const missing = await api('POST', `/api/v1/sessions/${s.id}/check-in`, {});
    expect(Object.keys(await fields(missing))).toEqual(['code']);
  });
});

describe('people, partners and offerings changed over the API', () => {
  it('changes a person, takes them out of use only when confirmed, brings them back, and invites them', async () => {
    const created = await api('POST', '/api/v1/people', { name: '変更 花子', kana: 'ヘンコウ ハナコ', email: 'henko@pref.example.jp', affiliation: 'prefecture' });
    const { id } = (await created.json()) as { id: number };
    const blank = await api('PUT', `/api/v1/people/${id}`, { name: '', kana: 'ヘンコウ ハナコ', email: 'henko@pref.example.jp', affiliation: 'prefecture' });
    expect(blank.status).toBe(422);
    expect((await fields(blank)).name).toContain('氏名');
    const changed = await api('PUT', `/api/v1/people/${id}`, { name: '変更 花子', kana: 'ヘンコウ ハナコ', email: 'henko@pref.example.jp', affiliation: 'prefecture', staffNumber: '１２３４５' });
    expect(changed.status).toBe(200);
    expect(await (await api('GET', `/api/v1/people/${id}`)).json()).toMatchObject({ id, staffNumber: '12345', jobTitle: null, active: true });
    // 職名, printed on rosters and notices: set, kept when a change leaves it out, cleared with an empty text.
    const base = { name: '変更 花子', kana: 'ヘンコウ ハナコ', email: 'henko@pref.example.jp', affiliation: 'prefecture', staffNumber: '12345' };
    await api('PUT', `/api/v1/people/${id}`, { ...base, jobTitle: '主査' });
    await api('PUT', `/api/v1/people/${id}`, base);
    expect(await (await api('GET', `/api/v1/people/${id}`)).json()).toMatchObject({ jobTitle: '主査' });
    await api('PUT', `/api/v1/people/${id}`, { ...base, jobTitle: '' });
    expect(await (await api('GET', `/api/v1/people/${id}`)).json()).toMatchObject({ jobTitle: null });

    const unconfirmed = await api('POST', `/api/v1/people/${id}/deactivate`, {});
    expect(unconfirmed.status).toBe(422);
    expect(Object.keys(await fields(unconfirmed))).toEqual(['confirm']);
    expect((await api('POST', `/api/v1/people/${id}/deactivate`, { confirm: true })).status).toBe(200);
    expect(await (await api('GET', `/api/v1/people/${id}`)).json()).toMatchObject({ active: false });
    expect((await api('POST', `/api/v1/people/${id}/activate`)).status).toBe(200);
    expect(await (await api('GET', `/api/v1/people/${id}`)).json()).toMatchObject({ active: true });
    expect((await api('POST', `/api/v1/people/${id}/invite`)).status).toBe(200);
    const queued = await tdb.db.selectFrom('outbox').select(['to_address', 'subject']).where('to_address', '=', 'henko@pref.example.jp').execute();
    expect(queued).toHaveLength(1);
  });

  it('changes a partner organisation (its name words as 団体名) and invites a member', async () => {
    const created = await api('POST', '/api/v1/partners', { name: 'NPO法人 びわこ協働', kana: 'ビワココウドウ', type: 'npo' });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: number };
    const blank = await api('PUT', `/api/v1/partners/${id}`, { name: '', kana: 'ビワココウドウ', type: 'npo' });
    expect((await fields(blank)).name).toContain('団体名');
    expect((await api('PUT', `/api/v1/partners/${id}`, { name: 'NPO法人 びわこ協働ネット', kana: 'ビワココウドウネット', type: 'npo' })).status).toBe(200);
    expect(await (await api('GET', `/api/v1/partners/${id}`)).json()).toMatchObject({ name: 'NPO法人 びわこ協働ネット' });
    const member = await api('POST', `/api/v1/partners/${id}/members`, { name: '湖 太郎', kana: 'ミズウミ タロウ', email: 'taro@biwako-npo.example.jp' });
    expect(member.status).toBe(201);
    const taken = await api('POST', `/api/v1/partners/${id}/members`, { name: '湖 次郎', kana: 'ミズウミ ジロウ', email: 'taro@biwako-npo.example.jp' });
    expect(Object.keys(await fields(taken))).toEqual(['email']);
  });

  it('changes and publishes an offering; a cancelled one is 409', async () => {
    const programme = await createProgramme(ctx, null, { name: `公開研修${++n}` });
    const now = ctx.now().getTime();
    const body = {
      programmeId: programme.id,
      fiscalYear: 2026,
      title: '協働推進セミナー（下書き）',
      selection: 'first_come',
      capacity: 20,
      published: false,
      applicationOpensAt: new Date(now - 86_400_000).toISOString(),
      applicationClosesAt: new Date(now + 7 * 86_400_000).toISOString(),
    };
    const { id } = (await (await api('POST', '/api/v1/offerings', body)).json()) as { id: number };
    expect((await api('GET', `/api/v1/offerings/${id}`, undefined, staffToken)).status).toBe(404);
    const published = await api('PUT', `/api/v1/offerings/${id}`, { ...body, title: '協働推進セミナー', published: true });
    expect(published.status).toBe(200);
    expect(await (await api('GET', `/api/v1/offerings/${id}`, undefined, staffToken)).json()).toMatchObject({ title: '協働推進セミナー' });
    const noCapacity = await api('PUT', `/api/v1/offerings/${id}`, { ...body, capacity: 0 });
    expect(Object.keys(await fields(noCapacity))).toEqual(['capacity']);
    expect((await api('POST', `/api/v1/offerings/${id}/cancel`, { reason: '講師の都合により中止します。', confirm: true })).status).toBe(200);
    expect((await api('PUT', `/api/v1/offerings/${id}`, body)).status).toBe(409);
  });
});
