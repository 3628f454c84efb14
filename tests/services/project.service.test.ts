import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { personRepository } from '../../src/db/repositories/person.repository.js';
import { assignCoordinators, closeConsultation, fileConsultation, respondToAssignment } from '../../src/services/consultation.service.js';
import { createPartner, invitePartnerMember } from '../../src/services/partner.service.js';
import {
  addCriterion,
  createProject,
  evaluationView,
  getProject,
  listCriteria,
  listProjects,
  myEvaluation,
  partnerHistory,
  saveEvaluation,
  updateCriterion,
  updateProject,
} from '../../src/services/project.service.js';
import { createUnit } from '../../src/services/unit.service.js';
import { makeCoordinator, userOf } from '../support/consultations.js';
import { createTestDb, type TestDb, testContext } from '../support/db.js';
import { makeUser } from '../support/http.js';
import { type CurrentUser } from '../../src/services/context.js';

let tdb: TestDb;
let ctx: ReturnType<typeof testContext>;
let unitA: number;
let unitB: number;
let admin: CurrentUser;
let staffA: CurrentUser;
let staffB: CurrentUser;
let coord: CurrentUser;
let otherCoord: CurrentUser;
let p1: number;
let p2: number;
let member1: CurrentUser;
let member2: CurrentUser;
let consultationId: number;

const count = async (t: 'collaboration_projects' | 'project_evaluations') => Number((await ctx.db.selectFrom(t).select((e) => e.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
const input = (o: Record<string, unknown> = {}) => ({ title: '見守り協働事業', unitId: unitA, partnerIds: [p1, p2], startsOn: '2027-01-10', objective: '地域で見守る', coordinatorId: coord.id, consultationIds: [consultationId], ...o });

beforeAll(async () => {
  tdb = await createTestDb();
  ctx = testContext(tdb);
  unitA = (await createUnit(ctx, null, { kind: 'municipality', name: '大津市', kana: 'オオツシ', code: '252018' })).id;
  unitB = (await createUnit(ctx, null, { kind: 'municipality', name: '草津市', kana: 'クサツシ', code: '252069' })).id;
  admin = await userOf(ctx, (await makeUser(ctx, ['admin', 'staff'])).id);
  staffA = await userOf(ctx, (await makeUser(ctx, ['staff'], { unitId: unitA })).id);
  staffB = await userOf(ctx, (await makeUser(ctx, ['staff'], { unitId: unitB })).id);
  coord = await userOf(ctx, (await makeCoordinator(ctx, { name: '担当 コーディ', kana: 'タントウ' })).id);
  otherCoord = await userOf(ctx, (await makeCoordinator(ctx, { name: '無関係 コーディ', kana: 'ムカンケイ' })).id);
  p1 = (await createPartner(ctx, null, { name: '団体一', kana: 'ダンタイイチ', type: 'npo' })).id;
  p2 = (await createPartner(ctx, null, { name: '団体二', kana: 'ダンタイニ', type: 'company' })).id;
  member1 = await userOf(ctx, (await invitePartnerMember(ctx, null, p1, { name: '団体一 担当', kana: 'タントウ', email: 'm1@p1.example.jp' })).id);
  member2 = await userOf(ctx, (await invitePartnerMember(ctx, null, p2, { name: '団体二 担当', kana: 'タントウ', email: 'm2@p2.example.jp' })).id);
  const c = await fileConsultation(ctx, staffA, { kind: 'bridge', title: '見守りの相談', unitId: unitA, goal: '見守り' });
  await assignCoordinators(ctx, admin, c.id, { personIds: [coord.id] });
  await respondToAssignment(ctx, coord, c.id, true);
  await closeConsultation(ctx, coord, c.id, { outcome: 'project_started' });
  consultationId = c.id;
});
afterAll(() => tdb.close());

describe('recording a project', () => {
  it.each([
    [{ partnerIds: [] }, 'partnerIds', 'error.required'],
    [{ partnerIds: [99999] }, 'partnerIds', 'error.choice'],
    [{ unitId: 99999 }, 'unitId', 'error.unitNotFound'],
    [{ startsOn: '2027/01/10' }, 'startsOn', 'consultations.error.date'],
    [{ endsOn: '2026-12-31' }, 'endsOn', 'consultations.error.periodOrder'],
    [{ coordinatorId: 99999 }, 'coordinatorId', 'consultations.error.notCoordinator'],
    [{ objective: '' }, 'objective', 'error.required'],
  ])('%j is refused on %s; nothing is saved', async (o, field, key) => {
    const before = await count('collaboration_projects');
    await expect(createProject(ctx, coord, input(o))).rejects.toMatchObject({ status: 422, fields: { [field]: { key } } });
    expect(await count('collaboration_projects')).toBe(before);
  });

  it('a coordinator may link only consultations they worked on', async () => {
    await expect(createProject(ctx, otherCoord, input())).rejects.toMatchObject({ fields: { consultationIds: { key: 'error.choice' } } });
  });

  it('records unit, partners, period, purpose, coordinator and source consultations; partners are mailed; audit has the links', async () => {
    const p = await createProject(ctx, coord, input({ endsOn: '2027-12-31' }));
    const d = await getProject(ctx, admin, p.id);
    expect(d.project).toMatchObject({ title: '見守り協働事業', unit_id: unitA, starts_on: '2027-01-10', ends_on: '2027-12-31', purpose: '地域で見守る', coordinator_id: coord.id });
    expect(d.partners.map((x) => x.id).sort()).toEqual([p1, p2].sort());
    expect(d.consultations.map((x) => x.id)).toEqual([consultationId]);
    const mail = await ctx.db.selectFrom('outbox').select('to_address').where('subject', 'like', '%見守り協働事業%').execute();
    expect(mail.map((m) => m.to_address).sort()).toEqual(['m1@p1.example.jp', 'm2@p2.example.jp']);
    const entry = await ctx.db.selectFrom('audit_log').selectAll().where('entity', '=', 'project').where('entity_id', '=', String(p.id)).executeTakeFirstOrThrow();
    expect(entry.after).toMatchObject({ partnerIds: expect.arrayContaining([p1, p2]), consultationIds: [consultationId] });
    expect((await partnerHistory(ctx, p1, { consultations: true })).consultations.map((x) => x.id)).toEqual([consultationId]);
  });
});

describe('who sees a project', () => {
  it('admins, the unit, its coordinator and the partners see it; others get 404 and an empty list', async () => {
    const [p] = await listProjects(ctx, admin);
    for (const who of [admin, staffA, coord, member1, member2]) {
      expect((await getProject(ctx, who, p.id)).project.id).toBe(p.id);
      expect((await listProjects(ctx, who)).map((x) => x.id)).toContain(p.id);
    }
    for (const who of [staffB, otherCoord]) {
      await expect(getProject(ctx, who, p.id)).rejects.toMatchObject({ status: 404 });
      await expect(evaluationView(ctx, who, p.id)).rejects.toMatchObject({ status: 404 });
      expect(await listProjects(ctx, who)).toEqual([]);
    }
    // Partners do not see the internal consultation the project came from.
    expect((await getProject(ctx, member1, p.id)).consultations).toEqual([]);
    await expect(updateProject(ctx, otherCoord, p.id, input())).rejects.toMatchObject({ status: 404 });
  });
});

describe('evaluation from both sides', () => {
  const scores = async (xs: number[], comment = '') => Object.fromEntries((await listCriteria(ctx, { activeOnly: true })).flatMap((c, i) => [[`score_${c.id}`, String(xs[i % xs.length])], [`comment_${c.id}`, comment]]));

  it('each side scores every active criterion; saving again replaces the scores, with before and after in the audit log', async () => {
    const [p] = await listProjects(ctx, admin);
    await expect(saveEvaluation(ctx, staffA, p.id, { ...(await scores([4])), [`score_${(await listCriteria(ctx))[2].id}`]: '' })).rejects.toMatchObject({ status: 422 });
    await expect(saveEvaluation(ctx, staffA, p.id, await scores([4], 'x'.repeat(1001)))).rejects.toMatchObject({ status: 422 });
    expect(await count('project_evaluations')).toBe(0);
    await saveEvaluation(ctx, staffA, p.id, await scores([4], '順調'));
    const again = await saveEvaluation(ctx, coord, p.id, await scores([5], '順調'));
    expect(again.side).toEqual({ side: 'unit', partnerId: null });
    expect(await count('project_evaluations')).toBe(1);
    const log = await ctx.db.selectFrom('audit_log').selectAll().where('entity', '=', 'project_evaluation').where('action', '=', 'update').executeTakeFirstOrThrow();
    expect(log.before).toMatchObject({ side: 'unit' });
    await saveEvaluation(ctx, member1, p.id, await scores([2], '役割が曖昧'));
    await saveEvaluation(ctx, member2, p.id, { scores: (await listCriteria(ctx, { activeOnly: true })).map((c) => ({ criterionId: c.id, score: 5, comment: '団体二の所見' })) });
    // A partner member cannot score the unit's side, nor anyone else's.
    await expect(saveEvaluation(ctx, member1, p.id, { ...(await scores([1])), side: 'unit' })).rejects.toMatchObject({ status: 409 });
    await expect(saveEvaluation(ctx, staffA, p.id, { ...(await scores([1])), side: 'partner' })).rejects.toMatchObject({ status: 409 });
    expect((await myEvaluation(ctx, member1, p.id)).side).toEqual({ side: 'partner', partnerId: p1 });

    const v = await evaluationView(ctx, admin, p.id);
    expect(v.rows[0].partners.map((x) => x.gap)).toEqual([-3, 0]);
    expect(v.rows.every((r) => r.highlight)).toBe(true);
    expect(v.unit.mean).toBe(5);
    // Partner one sees the unit's side and its own, never partner two's.
    const own = await evaluationView(ctx, member1, p.id);
    expect(own.partners.map((s) => s.partner.id)).toEqual([p1]);
    expect(JSON.stringify(own)).not.toContain('団体二の所見');
  });

  it('admins edit the criteria: a retired one is no longer asked, the scores already given stay (even after the side saves again)', async () => {
    const [p] = await listProjects(ctx, admin);
    const [first] = await listCriteria(ctx);
    await expect(updateCriterion(ctx, admin, first.id, { label: '' })).rejects.toMatchObject({ fields: { label: { key: 'error.required' } } });
    await updateCriterion(ctx, admin, first.id, { label: first.label, labelEn: first.label_en });
    expect((await listCriteria(ctx, { activeOnly: true })).map((c) => c.id)).not.toContain(first.id);
    const added = await addCriterion(ctx, admin, { label: '地域の課題が解決に近づいた', labelEn: 'The local issue got closer to a solution' });
    expect((await myEvaluation(ctx, staffA, p.id)).criteria.map((c) => c.id)).toContain(added.id);
    const v = await evaluationView(ctx, admin, p.id);
    expect(v.criteria.map((c) => c.id)).toContain(first.id);
    expect(v.rows.find((r) => r.criterionId === first.id)!.unit?.score).toBe(5);
    await expect(saveEvaluation(ctx, staffA, p.id, await scores([3]))).resolves.toMatchObject({ side: { side: 'unit' } });
    const after = await evaluationView(ctx, admin, p.id);
    expect(after.rows.find((r) => r.criterionId === first.id)!.unit?.score).toBe(5);
    expect(after.rows.find((r) => r.criterionId === added.id)!.unit?.score).toBe(3);
    const person = await personRepository.find(ctx.db, staffA.id);
    expect(person?.unit_id).toBe(unitA);
  });
});

describe('sample data', () => {
  it('has consultations across kinds and statuses, and projects evaluated by both sides', async () => {
    const { loadSampleData } = await import('../../src/services/sample-data/sample-data.service.js');
    const t2 = await createTestDb();
    try {
      const c2 = testContext(t2);
      const r = await loadSampleData(c2, null, { staff: 120 });
      expect(r.consultations).toBeGreaterThanOrEqual(10);
      expect(r.projects).toBeGreaterThanOrEqual(2);
      const rows = await t2.db.selectFrom('consultations').select(['kind', 'status']).execute();
      expect(new Set(rows.map((x) => x.kind))).toEqual(new Set(['bridge', 'planning', 'evaluation']));
      expect(new Set(rows.map((x) => x.status))).toEqual(new Set(['new', 'assigned', 'in_progress', 'closed', 'withdrawn']));
      const sides = await t2.db.selectFrom('project_evaluations').select(['project_id', 'side']).execute();
      for (const p of await t2.db.selectFrom('collaboration_projects').select('id').execute())
        expect(sides.filter((s) => s.project_id === p.id).map((s) => s.side).sort()).toEqual(['partner', 'unit']);
      const desk = await t2.db.selectFrom('coordinator_profiles').select('person_id').where('desk', '=', true).execute();
      expect(desk.length).toBe(2);
    } finally {
      await t2.close();
    }
  }, 120_000);
});
