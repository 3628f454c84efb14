import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { coordinatorRepository } from '../../src/db/repositories/coordinator.repository.js';
import {
  assignCoordinators,
  closeConsultation,
  fileConsultation,
  getConsultation,
  logActivity,
  queue,
  respondToAssignment,
  setDesk,
  suggestions,
  visibleConsultations,
  withdrawConsultation,
  workspace,
} from '../../src/services/consultation.service.js';
import { createPartner } from '../../src/services/partner.service.js';
import { respond, respondentView } from '../../src/services/survey.service.js';
import { createUnit } from '../../src/services/unit.service.js';
import { makeCoordinator, userOf } from '../support/consultations.js';
import { createTestDb, type TestDb, testContext } from '../support/db.js';
import { makeUser } from '../support/http.js';
import { type CurrentUser } from '../../src/services/context.js';

let tdb: TestDb;
let ctx: ReturnType<typeof testContext>;
let otsu: number;
let division: number;
let admin: CurrentUser;
let requester: CurrentUser;
let a: CurrentUser;
let b: CurrentUser;
let outsider: CurrentUser;
let partnerId: number;

const file = (o: Record<string, unknown> = {}) => fileConsultation(ctx, requester, { kind: 'bridge', title: '相談', unitId: otsu, goal: '目的', fields: ['子育て'], areas: [otsu], ...o });

beforeAll(async () => {
  tdb = await createTestDb();
  ctx = testContext(tdb);
  otsu = (await createUnit(ctx, null, { kind: 'municipality', name: '大津市', kana: 'オオツシ', code: '252018' })).id;
  const dept = await createUnit(ctx, null, { kind: 'department', name: '総務部', kana: 'ソウムブ' });
  division = (await createUnit(ctx, null, { kind: 'division', name: '人事課', kana: 'ジンジカ', parentId: dept.id })).id;
  admin = await userOf(ctx, (await makeUser(ctx, ['admin', 'staff'])).id);
  requester = await userOf(ctx, (await makeUser(ctx, ['staff'], { unitId: otsu, email: 'req@city.example.jp' })).id);
  a = await userOf(ctx, (await makeCoordinator(ctx, { name: '甲 コーディ', kana: 'コウ', fields: ['子育て'], areas: [otsu] })).id);
  b = await userOf(ctx, (await makeCoordinator(ctx, { name: '乙 コーディ', kana: 'オツ', fields: ['環境'] })).id);
  outsider = await userOf(ctx, (await makeUser(ctx, ['staff'])).id);
  partnerId = (await createPartner(ctx, null, { name: 'テスト団体', kana: 'テストダンタイ', type: 'npo', fields: '子育て' })).id;
});
afterAll(() => tdb.close());

describe('filing', () => {
  it.each([
    [{ unitId: 99999 }, 'unitId', 'error.unitNotFound'],
    [{ areas: ['the division'] }, 'areas', 'error.choice'],
    [{ partnerId: 99999 }, 'partnerId', 'error.choice'],
    [{ kind: 'other' }, 'kind', 'error.choice'],
    [{ goal: ' ' }, 'goal', 'error.required'],
    [{ desiredFrom: '2027-04-31' }, 'desiredFrom', 'consultations.error.date'],
    [{ title: 'x'.repeat(201) }, 'title', 'error.tooLong'],
    [{ unitId: '2147483648' }, 'unitId', 'error.atMost'],
  ])('%j is refused on %s, and nothing is saved', async (input, field, key) => {
    const before = await ctx.db.selectFrom('consultations').select((e) => e.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const fixed = 'areas' in input ? { areas: [division] } : input; // a 課・室 is not a 市町
    await expect(file(fixed)).rejects.toMatchObject({ status: 422, fields: { [field]: { key } } });
    const after = await ctx.db.selectFrom('consultations').select((e) => e.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });

  it('records the case as new, with an audit entry and mail to the requester', async () => {
    const c = await file({ partnerId, desiredFrom: '2027-01-01', desiredTo: '2027-03-31' });
    expect(c).toMatchObject({ status: 'new', requester_id: requester.id, unit_id: otsu, partner_id: partnerId, desired_from: '2027-01-01', desired_to: '2027-03-31', fields: ['子育て'], area_unit_ids: [otsu] });
    const entry = await ctx.db.selectFrom('audit_log').selectAll().where('entity', '=', 'consultation').where('entity_id', '=', String(c.id)).executeTakeFirstOrThrow();
    expect(entry).toMatchObject({ action: 'create', actor_id: requester.id });
    expect(ctx.kicks).toBeGreaterThan(0);
  });
});

describe('triage, assignment and the case rules', () => {
  it('only admins and the desk see the queue and the suggestions; others get 404', async () => {
    const c = await file();
    await expect(queue(ctx, a, {})).rejects.toMatchObject({ status: 404 });
    await expect(suggestions(ctx, a, c.id)).rejects.toMatchObject({ status: 404 });
    await expect(getConsultation(ctx, outsider, c.id)).rejects.toMatchObject({ status: 404 });
    await expect(setDesk(ctx, admin, { personId: outsider.id, desk: 'on' })).rejects.toMatchObject({ fields: { personId: { key: 'consultations.error.notCoordinator' } } });
    await setDesk(ctx, admin, { personId: b.id, desk: 'on' });
    expect((await queue(ctx, b, {})).map((x) => x.id)).toContain(c.id);
    const s = await suggestions(ctx, b, c.id);
    expect(s.coordinators[0].candidate.personId).toBe(a.id);
    expect(s.partners[0].candidate.partnerId).toBe(partnerId);
    expect((await visibleConsultations(ctx, b)).map((x) => x.id)).toContain(c.id);
    await setDesk(ctx, admin, { personId: b.id, desk: 'off' });
    await expect(queue(ctx, b, {})).rejects.toMatchObject({ status: 404 });
    // A desk flag alone is not enough: the person must hold the coordinator role.
    await coordinatorRepository.saveProfile(ctx.db, { person_id: outsider.id, fields: '[]', area_unit_ids: '[]', availability: '', introduction: '', updated_at: ctx.now() });
    await ctx.db.updateTable('coordinator_profiles').set({ desk: true }).where('person_id', '=', outsider.id).execute();
    await expect(queue(ctx, outsider, {})).rejects.toMatchObject({ status: 404 });
  });

  it('a decline by everyone returns the case to the queue; a re-offer and an accept put it in progress', async () => {
    const c = await file();
    await assignCoordinators(ctx, admin, c.id, { personIds: [a.id, b.id] });
    expect((await getConsultation(ctx, admin, c.id)).consultation.status).toBe('assigned');
    await expect(logActivity(ctx, a, c.id, { onDate: '2026-11-20', kind: 'meeting', minutes: 10, note: 'x' })).rejects.toMatchObject({ status: 409 });
    await expect(respondToAssignment(ctx, a, c.id, false, {})).rejects.toMatchObject({ fields: { reason: { key: 'error.required' } } });
    await respondToAssignment(ctx, a, c.id, false, { reason: '多忙のため' });
    expect((await getConsultation(ctx, admin, c.id)).consultation.status).toBe('assigned');
    await respondToAssignment(ctx, b, c.id, false, { reason: '分野外' });
    expect((await getConsultation(ctx, admin, c.id)).consultation.status).toBe('new');
    await expect(respondToAssignment(ctx, a, c.id, true)).rejects.toMatchObject({ status: 404 });
    await assignCoordinators(ctx, admin, c.id, { personIds: [a.id] });
    await respondToAssignment(ctx, a, c.id, true);
    const d = await getConsultation(ctx, a, c.id);
    expect(d.consultation.status).toBe('in_progress');
    expect(d.can).toMatchObject({ log: true, close: true, respond: false, withdraw: false, triage: false });
    expect(d.assignments.map((x) => [x.person_id, x.status])).toEqual(
      expect.arrayContaining([
        [a.id, 'accepted'],
        [b.id, 'declined'],
      ]),
    );
  });

  it('two coordinators accepting at once both hold the case; a close and a withdrawal at once: exactly one wins', async () => {
    const c = await file();
    await assignCoordinators(ctx, admin, c.id, { personIds: [a.id, b.id] });
    await Promise.all([respondToAssignment(ctx, a, c.id, true), respondToAssignment(ctx, b, c.id, true)]);
    const d = await getConsultation(ctx, admin, c.id);
    expect(d.consultation.status).toBe('in_progress');
    expect(d.assignments.every((x) => x.status === 'accepted')).toBe(true);
    const results = await Promise.allSettled([closeConsultation(ctx, a, c.id, { outcome: 'advice_given' }), withdrawConsultation(ctx, requester, c.id, { reason: '不要になった' })]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(results.find((r) => r.status === 'rejected')).toMatchObject({ reason: { status: 409 } });
    const after = (await getConsultation(ctx, admin, c.id)).consultation;
    expect(['closed', 'withdrawn']).toContain(after.status);
    expect(after.status === 'closed' ? after.outcome : null).toBe(after.status === 'closed' ? 'advice_given' : null);
  });

  it('closing asks the requester for feedback with the consultation questionnaire, which they can answer', async () => {
    const c = await file();
    await expect(closeConsultation(ctx, a, c.id, { outcome: 'no_fit' })).rejects.toMatchObject({ status: 404 });
    await assignCoordinators(ctx, admin, c.id, { personIds: [a.id] });
    await expect(closeConsultation(ctx, a, c.id, { outcome: 'no_fit' })).rejects.toMatchObject({ status: 409 });
    await respondToAssignment(ctx, a, c.id, true);
    await logActivity(ctx, a, c.id, { onDate: '2026-11-24', kind: 'advice', minutes: '45', note: '助言', partnerIds: [String(partnerId)] });
    await expect(logActivity(ctx, a, c.id, { onDate: '2026-11-24', kind: 'advice', minutes: 1, note: 'x', partnerIds: [99999] })).rejects.toMatchObject({ fields: { partnerIds: { key: 'error.choice' } } });
    await expect(closeConsultation(ctx, a, c.id, { outcome: 'done' })).rejects.toMatchObject({ fields: { outcome: { key: 'error.choice' } } });
    const closed = await closeConsultation(ctx, a, c.id, { outcome: 'advice_given', note: '進め方を助言した' });
    expect(closed).toMatchObject({ status: 'closed', outcome: 'advice_given', closed_by: a.id });
    const survey = await ctx.db.selectFrom('surveys').selectAll().where('id', '=', closed.feedback_survey_id!).executeTakeFirstOrThrow();
    expect(survey).toMatchObject({ kind: 'feedback', anonymous: false });
    const view = await respondentView(ctx, requester, survey.id);
    expect(view.open).toBe(true);
    await respond(ctx, requester, survey.id, { answers: { helpful: 5, comments: '助かりました' } });
    await expect(respondentView(ctx, a, survey.id)).rejects.toMatchObject({ status: 404 });
    await expect(logActivity(ctx, a, c.id, { onDate: '2026-11-24', kind: 'advice', minutes: 1, note: 'x' })).rejects.toMatchObject({ status: 409 });
    const audit = await ctx.db.selectFrom('audit_log').selectAll().where('entity', '=', 'consultation').where('entity_id', '=', String(c.id)).where('action', '=', 'close').executeTakeFirstOrThrow();
    expect(audit.before).toMatchObject({ status: 'in_progress' });
    expect(audit.after).toMatchObject({ status: 'closed', outcome: 'advice_given' });
  });

  it('an admin may close a case nobody took, as "no fit"', async () => {
    const c = await file();
    const closed = await closeConsultation(ctx, admin, c.id, { outcome: 'no_fit' });
    expect(closed.status).toBe('closed');
    await expect(assignCoordinators(ctx, admin, c.id, { personIds: [a.id] })).rejects.toMatchObject({ status: 409 });
  });
});

describe("the coordinator's workspace", () => {
  it('shows open cases and load, the history, and the practice since the certification was last renewed', async () => {
    const w = await workspace(ctx, a);
    expect(w.load.accepted).toBe(w.open.filter((x) => x.assignment_status === 'accepted').length);
    expect(w.history.length).toBeGreaterThanOrEqual(2);
    expect(w.practice.minutes).toBe(45);
    expect(w.since).toBe('2025-12-11');
    await coordinatorRepository.saveCertification(ctx.db, { person_id: a.id, granted_on: '2025-12-11', valid_until: '2029-12-10', renewed_on: '2026-12-01', certificate_id: null, updated_at: ctx.now() });
    const later = await workspace(ctx, a);
    expect(later.since).toBe('2026-12-01');
    expect(later.practice).toEqual({ cases: 0, minutes: 0 });
  });
});
