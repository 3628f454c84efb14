import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerQuestions, apply, decide, endorse, endorsementQueue, getApplication, listApplications, nominateUnit } from '../../src/services/application.service.js';
import { ServiceError } from '../../src/services/context.js';
import { getPerson } from '../../src/services/person.service.js';
import { createUnit } from '../../src/services/unit.service.js';
import { createTestDb, type TestDb, testContext } from '../support/db.js';
import { makeUser } from '../support/http.js';
import { makeOffering } from '../support/offerings.js';
import { toCurrentUser } from '../../src/services/context.js';

let tdb: TestDb;
let ctx: ReturnType<typeof testContext>;
let deptId: number;
let admin: Awaited<ReturnType<typeof user>>;

async function user(roles: ('admin' | 'staff' | 'approver')[], unitId: number | null, name?: string) {
  const p = await makeUser(ctx, roles, { unitId, ...(name ? { name } : {}) });
  return toCurrentUser((await getPerson(ctx, p.id))!);
}

let units = 0;
async function unit() {
  return (await createUnit(ctx, null, { kind: 'division', name: `試験課${++units}`, kana: 'シケンカ', parentId: deptId })).id;
}

const refusal = (p: Promise<unknown>) =>
  p.then(
    () => null,
    (e) => (e instanceof ServiceError ? { status: e.status, code: e.code, key: e.messageKey, fields: Object.keys(e.fields) } : Promise.reject(e)),
  );

const mailsTo = (email: string) => tdb.db.selectFrom('outbox').selectAll().where('to_address', '=', email).orderBy('id').execute();

const motive = [{ id: 'q1', label: '受講の動機', required: true }, { id: 'q2', label: '業務で協働している団体', required: false }];

beforeAll(async () => {
  tdb = await createTestDb();
  ctx = testContext(tdb);
  deptId = (await createUnit(ctx, null, { kind: 'department', name: '総務部', kana: 'ソウムブ' })).id;
  admin = await user(['admin', 'staff'], null, '研修 担当');
});
afterAll(() => tdb.close());

describe('applying for someone with a required question (代理申込)', () => {
  it('takes the answers given by the person applying for them, or refuses naming the question', async () => {
    const o = await makeOffering(ctx, { questions: motive });
    const staff = await user(['staff'], await unit());
    expect(await refusal(apply(ctx, admin, o.id, { personId: staff.id }))).toEqual({ status: 422, code: 'validation', key: 'form.errorSummary', fields: ['answers.q1'] });
    const a = await apply(ctx, admin, o.id, { personId: staff.id, answers: { q1: '所属の協働事業に生かすため' } });
    expect(a.answers_pending).toBe(false);
    expect((await getApplication(ctx, a.id))!.answers).toEqual({ q1: '所属の協働事業に生かすため' });
  });

  it('can leave the answers to the applicant: pending, mailed, answered later on their page, then nothing more is owed', async () => {
    const o = await makeOffering(ctx, { questions: motive });
    const staff = await user(['staff'], await unit());
    const a = await apply(ctx, admin, o.id, { personId: staff.id, answersPending: true });
    expect([a.status, a.answers_pending]).toEqual(['confirmed', true]);
    const [mail] = await mailsTo(staff.email);
    expect(mail.body_text).toContain('研修 担当が代わりに行いました。申込みの設問に回答してください。');
    expect(mail.body_text).toContain(`/my/applications/${a.id}`);
    // Someone else cannot answer for them; a blank required answer is refused naming the question.
    expect(await refusal(answerQuestions(ctx, admin, a.id, { answers: { q1: '代わりに' } }))).toMatchObject({ status: 404 });
    expect(await refusal(answerQuestions(ctx, staff, a.id, { answers: { q2: 'NPO法人' } }))).toMatchObject({ status: 422, fields: ['answers.q1'] });
    const after = await answerQuestions(ctx, staff, a.id, { answers: { q1: '地域の団体と協働するため' } });
    expect([after.answers_pending, after.answers]).toEqual([false, { q1: '地域の団体と協働するため' }]);
    expect(await refusal(answerQuestions(ctx, staff, a.id, { answers: { q1: '二度目' } }))).toMatchObject({ status: 409, key: 'applications.error.noAnswersOwed' });
    const audit = await tdb.db.selectFrom('audit_log').select(['action']).where('entity', '=', 'application').where('entity_id', '=', String(a.id)).execute();
    expect(audit.map((r) => r.action)).toContain('answer');
  });

  it('does not mark pending when applying for oneself (the answers are required as always)', async () => {
    const o = await makeOffering(ctx, { questions: motive });
    const staff = await user(['staff'], await unit());
    expect(await refusal(apply(ctx, staff, o.id, { answersPending: true }))).toMatchObject({ status: 422, fields: ['answers.q1'] });
  });
});

describe('bulk nomination (所属推薦) with a required question', () => {
  it('applies for the whole unit with the answers pending, leaving out the nominator', async () => {
    const u = await unit();
    const nominator = await user(['admin', 'staff'], u);
    const staff = [await user(['staff'], u), await user(['staff'], u), await user(['staff'], u)];
    const o = await makeOffering(ctx, { questions: motive, capacity: 10 });
    expect(await nominateUnit(ctx, nominator, o.id, { unitId: u })).toEqual({ applied: 3, skipped: 1 });
    const list = await listApplications(ctx, o.id);
    expect(list.map((a) => [a.person_id, a.answers_pending]).sort()).toEqual(staff.map((s) => [s.id, true]).sort());
    // Nominating again skips those who applied.
    expect(await nominateUnit(ctx, nominator, o.id, { unitId: u })).toEqual({ applied: 0, skipped: 4 });
  });
});

describe('nobody endorses their own application', () => {
  it('refuses an approver on their own application, asks the other approver of the unit, and keeps it off their own list', async () => {
    const u = await unit();
    const kacho = await user(['approver', 'staff'], u, '課長 一郎');
    const hosa = await user(['approver', 'staff'], u, '課長補佐 二郎');
    const o = await makeOffering(ctx, { endorsementRequired: true });
    const a = await apply(ctx, kacho, o.id, {});
    expect(await refusal(endorse(ctx, kacho, a.id, { decision: 'endorse' }))).toEqual({ status: 403, code: 'own_application', key: 'applications.error.ownApplication', fields: [] });
    expect(await refusal(endorse(ctx, kacho, a.id, { decision: 'return', comment: '自分で差し戻す' }))).toMatchObject({ status: 403, code: 'own_application' });
    expect((await getApplication(ctx, a.id))!.status).toBe('applied');
    expect((await endorsementQueue(ctx, kacho)).map((x) => x.id)).not.toContain(a.id);
    expect((await endorsementQueue(ctx, hosa)).map((x) => x.id)).toContain(a.id);
    // The request went to the other approver only.
    expect((await mailsTo(hosa.email)).map((m) => m.subject)).toEqual([`【Kyodo】推薦・承認の依頼：${o.title}`]);
    expect((await mailsTo(kacho.email)).map((m) => m.subject)).not.toContain(`【Kyodo】推薦・承認の依頼：${o.title}`);
    expect((await endorse(ctx, hosa, a.id, { decision: 'endorse' })).status).toBe('confirmed');
  });

  it('sends the application of a unit’s only approver to the admins, who may endorse it', async () => {
    const u = await unit();
    const only = await user(['approver', 'staff'], u, '唯一 承認者');
    const o = await makeOffering(ctx, { endorsementRequired: true });
    const a = await apply(ctx, only, o.id, {});
    const adminMail = (await mailsTo(admin.email)).filter((m) => m.subject === `【Kyodo】推薦・承認の依頼：${o.title}`);
    expect(adminMail).toHaveLength(1);
    expect(adminMail[0].body_text).toContain('ほかの推薦・承認者がいないため');
    expect((await endorsementQueue(ctx, admin)).map((x) => x.id)).toContain(a.id);
    expect((await endorse(ctx, admin, a.id, { decision: 'endorse' })).status).toBe('confirmed');
  });

  it('refuses an admin on their own application too', async () => {
    const o = await makeOffering(ctx, { endorsementRequired: true });
    const a = await apply(ctx, admin, o.id, {});
    expect(await refusal(endorse(ctx, admin, a.id, { decision: 'endorse' }))).toMatchObject({ status: 403, code: 'own_application' });
    expect((await endorsementQueue(ctx, admin)).map((x) => x.id)).not.toContain(a.id);
  });
});

describe('nobody decides on their own case in 選考', () => {
  it('refuses an admin deciding on their own application, all or nothing', async () => {
    const o = await makeOffering(ctx, { selection: 'review' });
    const other = await user(['staff'], await unit());
    const mine = await apply(ctx, admin, o.id, {});
    const theirs = await apply(ctx, other, o.id, {});
    expect(await refusal(decide(ctx, admin, o.id, { applicationIds: [theirs.id, mine.id], decision: 'confirmed' }))).toMatchObject({ status: 409, code: 'own_application', key: 'applications.error.ownDecision' });
    expect((await listApplications(ctx, o.id)).map((a) => a.status)).toEqual(['applied', 'applied']);
    expect((await decide(ctx, admin, o.id, { applicationIds: [theirs.id], decision: 'confirmed' }))[0].status).toBe('confirmed');
  });
});

describe('the approver’s comment after 差し戻し', () => {
  it('is kept with who and when, and cleared when the applicant applies again', async () => {
    const u = await unit();
    const kacho = await user(['approver', 'staff'], u, '課長 三郎');
    const staff = await user(['staff'], u);
    const o = await makeOffering(ctx, { endorsementRequired: true });
    const a = await apply(ctx, staff, o.id, {});
    await endorse(ctx, kacho, a.id, { decision: 'return', comment: '業務との関係を書いてください。' });
    const returned = (await getApplication(ctx, a.id))!;
    expect([returned.status, returned.endorse_comment, returned.endorser_name, returned.endorsed_at?.toISOString()]).toEqual([
      'returned',
      '業務との関係を書いてください。',
      '課長 三郎',
      ctx.now().toISOString(),
    ]);
    const again = await apply(ctx, staff, o.id, {});
    expect(again.id).toBe(a.id);
    const resubmitted = (await getApplication(ctx, a.id))!;
    expect([resubmitted.status, resubmitted.endorse_comment, resubmitted.endorser_name]).toEqual(['applied', null, null]);
  });
});
