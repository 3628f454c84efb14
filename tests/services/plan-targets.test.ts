import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tokyoLocalToUtc } from '../../src/domain/calendar.js';
import { offeringRepository } from '../../src/db/repositories/offering.repository.js';
import type { ServiceError } from '../../src/services/context.js';
import { gapIndicators } from '../../src/services/gap.service.js';
import { createProgramme } from '../../src/services/offering.service.js';
import { createItem, createMeasure, createPlan, deleteTarget, planItemSheet, planYearReport, saveProgress, saveTarget, updatePlan } from '../../src/services/plan.service.js';
import { sampleOffering } from '../../src/services/sample-data/offerings.js';
import { createTestDb, type TestDb, testContext } from '../support/db.js';
import { makeUser } from '../support/http.js';

let tdb: TestDb;
let ctx: ReturnType<typeof testContext>;
let actor: { id: number };
let planId: number;
let itemId: number;
let measureId: number;

const refusal = async (p: Promise<unknown>) => {
  const e = (await p.then(
    () => null,
    (x: unknown) => x,
  )) as ServiceError | null;
  expect(e, 'refused').not.toBeNull();
  expect(e!.status).toBe(422);
  return e!.fields;
};

beforeAll(async () => {
  tdb = await createTestDb();
  ctx = testContext(tdb);
  actor = await makeUser(ctx, ['admin']);
  const programme = await createProgramme(ctx, null, { name: '目標試験セミナー' });
  planId = (await createPlan(ctx, actor, { title: '試験計画', firstFiscalYear: '平成23年度', lastFiscalYear: '2014' })).id;
  itemId = (await createItem(ctx, actor, planId, { number: '(16)', title: '職員研修の充実' })).id;
  measureId = (await createMeasure(ctx, actor, itemId, { title: '協働推進セミナーの実施', programmeIds: [String(programme.id)] })).id;
  // 平成24年度: one lecture and two field trainings, all held.
  const now = ctx.now();
  const o = await sampleOffering(ctx.db, now, { programme_id: programme.id, fiscal_year: 2012, title: '協働推進セミナー（平成24年度）', selection: 'first_come', capacity: 40, opens: tokyoLocalToUtc('2012-05-01', '09:00'), closes: tokyoLocalToUtc('2012-06-01', '17:00') });
  const session = (title: string, format: 'lecture' | 'field', day: string) =>
    offeringRepository.insertSession(ctx.db, { offering_id: o.id, title, format, starts_at: tokyoLocalToUtc(day, '13:00'), ends_at: tokyoLocalToUtc(day, '16:00'), venue: '会場', lecturers: '', capacity: null });
  await session('協働の基礎', 'lecture', '2012-07-06');
  await session('現地研修 1', 'field', '2012-09-07');
  await session('現地研修 2', 'field', '2012-11-16');
}, 60_000);
afterAll(() => tdb.close());

const targetsOf = async (fy: number) => (await planItemSheet(ctx, itemId))!.measures[0].targets.get(fy) ?? [];

describe('numeric targets (数値目標) of a measure', () => {
  it('shows target, actual computed from records and 達成率 side by side', async () => {
    await saveTarget(ctx, actor, itemId, measureId, { fiscalYear: '2012', kpi: 'fieldTrainings', target: '3' });
    await saveTarget(ctx, actor, itemId, measureId, { fiscalYear: '平成24年度', kpi: 'sessions', target: '１' });
    expect(await targetsOf(2012)).toEqual([
      expect.objectContaining({ kpi: 'fieldTrainings', target: 3, actual: 2, rate: 66.7, verdict: 'not_met', met: false }),
      expect.objectContaining({ kpi: 'sessions', target: 1, actual: 1, rate: 100, verdict: 'met', met: true }),
    ]);
  });

  it('replaces the target of the same year and KPI rather than adding a second one, and audits both', async () => {
    await saveTarget(ctx, actor, itemId, measureId, { fiscalYear: '2012', kpi: 'fieldTrainings', target: '2' });
    const rows = await ctx.db.selectFrom('plan_targets').select(['kpi', 'target']).where('measure_id', '=', measureId).where('fiscal_year', '=', 2012).orderBy('kpi').execute();
    expect(rows).toEqual([
      { kpi: 'fieldTrainings', target: 2 },
      { kpi: 'sessions', target: 1 },
    ]);
    expect((await targetsOf(2012))[0]).toMatchObject({ actual: 2, rate: 100, verdict: 'met', met: true });
    const audit = await ctx.db.selectFrom('audit_log').select('action').where('entity', '=', 'plan_target').orderBy('id').execute();
    expect(audit.map((a) => a.action)).toEqual(['create', 'create', 'update']);
  });

  it('refuses bad input naming the field, and saves nothing', async () => {
    const before = await ctx.db.selectFrom('plan_targets').selectAll().execute();
    expect(await refusal(saveTarget(ctx, actor, itemId, measureId, { fiscalYear: '2012', kpi: 'bogus', target: '3' }))).toEqual({ kpi: { key: 'error.choice' } });
    expect(await refusal(saveTarget(ctx, actor, itemId, measureId, { fiscalYear: '2012', kpi: '', target: '3' }))).toEqual({ kpi: { key: 'error.requiredChoice' } });
    for (const target of ['0', '-1', 'abc', '1.234', '2000000']) expect(await refusal(saveTarget(ctx, actor, itemId, measureId, { fiscalYear: '2012', kpi: 'participants', target }))).toEqual({ target: { key: 'error.targetNumber' } });
    expect(await refusal(saveTarget(ctx, actor, itemId, measureId, { fiscalYear: '2012', kpi: 'participants', target: '' }))).toEqual({ target: { key: 'error.required' } });
    expect(await refusal(saveTarget(ctx, actor, itemId, measureId, { fiscalYear: '2012', kpi: 'unitsReachedShare', target: '120' }))).toEqual({ target: { key: 'error.targetPercent' } });
    // Outside the plan period and the years after it up to now (令和8年度).
    expect(await refusal(saveTarget(ctx, actor, itemId, measureId, { fiscalYear: '2010', kpi: 'participants', target: '3' }))).toEqual({ fiscalYear: { key: 'error.choice' } });
    expect(await refusal(saveTarget(ctx, actor, itemId, measureId, { fiscalYear: '2027', kpi: 'participants', target: '3' }))).toEqual({ fiscalYear: { key: 'error.choice' } });
    expect(await ctx.db.selectFrom('plan_targets').selectAll().execute()).toEqual(before);
  });

  it('a year-wide KPI takes the year’s gap indicator (a share as a percentage)', async () => {
    await saveTarget(ctx, actor, itemId, measureId, { fiscalYear: '2026', kpi: 'unitsReachedShare', target: '60' });
    await saveTarget(ctx, actor, itemId, measureId, { fiscalYear: '2026', kpi: 'coordinatorsActive', target: '20' });
    const g = await gapIndicators(ctx, 2026);
    const rows = await targetsOf(2026);
    expect(rows.find((r) => r.kpi === 'coordinatorsActive')).toMatchObject({ actual: g.talent.activeCoordinators });
    // Nobody here has a coordinator certification; but 令和8年度 is not over (the clock says November 2026): in progress, not 未達成.
    expect(rows.find((r) => r.kpi === 'coordinatorsActive')).toMatchObject({ actual: 0, rate: 0, verdict: 'in_progress', met: null });
    const share = rows.find((r) => r.kpi === 'unitsReachedShare')!;
    expect(share.actual).toBeCloseTo(g.opportunity.unitsReachedShare * 100, 6);
  });

  it('a deletion asks first', async () => {
    const t = await ctx.db.selectFrom('plan_targets').select('id').where('kpi', '=', 'sessions').executeTakeFirstOrThrow();
    expect(await refusal(deleteTarget(ctx, actor, itemId, measureId, t.id, {}))).toEqual({ confirm: { key: 'error.confirmRequired' } });
    await deleteTarget(ctx, actor, itemId, measureId, t.id, { confirm: 'yes' });
    expect((await targetsOf(2012)).map((r) => r.kpi)).toEqual(['fieldTrainings']);
  });
});

describe('the office’s own rating of a year’s progress', () => {
  it('is one of the plan’s labels (A/B/C by default); anything else is refused and nothing is saved', async () => {
    expect(await refusal(saveProgress(ctx, actor, itemId, 2012, { rating: 'A', [`m${measureId}-rating`]: 'Z', results: '実施した。' }))).toEqual({ [`m${measureId}-rating`]: { key: 'error.choice' } });
    expect(await ctx.db.selectFrom('plan_progress').selectAll().execute()).toEqual([]);
    await saveProgress(ctx, actor, itemId, 2012, { status: 'on_track', rating: 'B', results: '実施した。', [`m${measureId}-rating`]: 'A' });
    const s = (await planItemSheet(ctx, itemId))!;
    expect(s.progressOf(0, 2012)).toMatchObject({ status: 'on_track', rating: 'B', results: '実施した。' });
    expect(s.progressOf(measureId, 2012)).toMatchObject({ rating: 'A' });
  });

  it('uses the labels the plan uses once they are set', async () => {
    expect(await refusal(updatePlan(ctx, actor, planId, { title: '試験計画', firstFiscalYear: '2011', lastFiscalYear: '2014', ratingLabels: '、、' }))).toEqual({ ratingLabels: { key: 'error.ratingLabels', params: { max: 10 } } });
    await updatePlan(ctx, actor, planId, { title: '試験計画', firstFiscalYear: '2011', lastFiscalYear: '2014', ratingLabels: '順調、概ね順調、遅れ' });
    expect((await planItemSheet(ctx, itemId))!.ratingLabels).toEqual(['順調', '概ね順調', '遅れ']);
    expect(await refusal(saveProgress(ctx, actor, itemId, 2013, { rating: 'A' }))).toEqual({ rating: { key: 'error.choice' } });
    await saveProgress(ctx, actor, itemId, 2013, { rating: '概ね順調' });
    expect((await planItemSheet(ctx, itemId))!.progressOf(0, 2013)?.rating).toBe('概ね順調');
  });
});

describe('planYearReport: one year of the plan as the progress review reads it', () => {
  it('gives each item’s progress with its rating and each measure’s targets, actuals and 達成率', async () => {
    const r = (await planYearReport(ctx, planId, 2012))!;
    expect(r.fiscalYear).toBe(2012);
    expect(r.items).toHaveLength(1);
    const [item] = r.items;
    expect(item.progress).toMatchObject({ status: 'on_track', rating: 'B', results: '実施した。' });
    expect(item.measures[0]).toMatchObject({ label: 'ア', repeated: false, progress: expect.objectContaining({ rating: 'A' }) });
    expect(item.measures[0].figures).toMatchObject({ sessionsHeld: 1, fieldTrainingsHeld: 2 });
    expect(item.measures[0].targets).toEqual([expect.objectContaining({ kpi: 'fieldTrainings', target: 2, actual: 2, rate: 100, verdict: 'met', met: true })]);
    expect(await planYearReport(ctx, 999_999, 2012)).toBeNull();
  });
});
