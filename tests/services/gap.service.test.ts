import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fiscalYearBounds, fiscalYearRange } from '../../src/domain/calendar.js';
import { COMPETENCIES } from '../../src/domain/survey.js';
import { gapIndicators, gapTrend } from '../../src/services/gap.service.js';
import { fiscalYearKpis, reportYears } from '../../src/services/report.service.js';
import { loadSampleData } from '../../src/services/sample-data/sample-data.service.js';
import { impact } from '../../src/services/survey.service.js';
import { createTestDb, type TestDb, TestClock, testContext } from '../support/db.js';
import { makeUser } from '../support/http.js';

let tdb: TestDb;
let ctx: ReturnType<typeof testContext>;
let years: number[];

beforeAll(async () => {
  tdb = await createTestDb();
  // Today is in 令和8年度 (2026).
  ctx = testContext(tdb, { clock: new TestClock(new Date('2026-11-30T01:00:00Z')) });
  await loadSampleData(ctx, await makeUser(ctx, ['admin']));
  years = await reportYears(ctx);
}, 180_000);
afterAll(() => tdb.close());

/** Held field trainings of a year, counted from the session rows one by one. */
async function handCountFieldTrainings(fy: number) {
  const { startUtc, endUtcExclusive } = fiscalYearBounds(fy);
  const rows = await ctx.db
    .selectFrom('offering_sessions as s')
    .innerJoin('offerings as o', 'o.id', 's.offering_id')
    .select(['s.id', 's.host_partner_id', 's.ends_at', 'o.cancelled_at'])
    .where('s.format', '=', 'field')
    .where('s.starts_at', '>=', startUtc)
    .where('s.starts_at', '<', endUtcExclusive)
    .execute();
  const held = rows.filter((r) => r.cancelled_at === null && r.ends_at.getTime() <= ctx.now().getTime());
  return { sessions: held.length, hosts: new Set(held.map((r) => r.host_partner_id).filter((x) => x !== null)).size };
}

describe('understanding: mean paired change with a 95% interval', () => {
  it('has, in the sample, a year with n ≥ 10 whose interval holds the mean', async () => {
    const all = await gapTrend(ctx, years[0], years[years.length - 1]);
    const good = all.filter((g) => g.understanding.n >= 10);
    expect(good.length).toBeGreaterThan(0);
    for (const g of good) {
      const [lo, hi] = g.understanding.ci95!;
      expect(lo).toBeLessThanOrEqual(g.understanding.meanChange!);
      expect(g.understanding.meanChange!).toBeLessThanOrEqual(hi);
      expect(hi - lo).toBeGreaterThan(0);
    }
    for (const g of all) if (g.understanding.n < 2) expect(g.understanding.ci95).toBeNull();
  });

  it('agrees per competency with the impact report (same pairs, same means) and counts one pair per person and cohort', async () => {
    const g = (await gapTrend(ctx, years[0], years[years.length - 1])).find((x) => x.understanding.n >= 10)!;
    const im = await impact(ctx, { fiscalYear: g.fiscalYear, by: 'cohort' });
    for (const c of COMPETENCIES) {
      const mine = g.understanding.byCompetency.find((x) => x.competency === c)!;
      const theirs = im.overall.find((x) => x.item === c)!;
      expect(mine.n).toBe(theirs.n);
      expect(mine.meanChange).toBe(theirs.meanChange);
    }
    // Every cohort's and every affiliation type's pairs add up to the whole.
    expect(g.understanding.byCohort.reduce((n, x) => n + x.n, 0)).toBe(g.understanding.n);
    expect(g.understanding.byAffiliation.reduce((n, x) => n + x.n, 0)).toBe(g.understanding.n);
    expect(g.understanding.byCohort.length).toBe(im.groups.length);
    // A pair is one person in one cohort: never more pairs than people answering any competency.
    expect(g.understanding.n).toBeLessThanOrEqual(Math.max(...im.overall.map((x) => x.n)));
    expect(g.understanding.n).toBeGreaterThanOrEqual(Math.max(...g.understanding.byCompetency.map((x) => x.n)));
  });

  it('matches a count by hand from the answers themselves: pair pre and post per person, average, t(9) = 2.262', async () => {
    const g = (await gapTrend(ctx, years[0], years[years.length - 1])).find((x) => x.understanding.n === 10)!;
    const answers = await ctx.db
      .selectFrom('survey_responses as r')
      .innerJoin('surveys as s', 's.id', 'r.survey_id')
      .innerJoin('offerings as o', 'o.id', 's.offering_id')
      .select(['s.kind', 's.offering_id', 'r.person_id', 'r.answers'])
      .where('o.fiscal_year', '=', g.fiscalYear)
      .where('s.kind', 'in', ['pre', 'post'])
      .execute();
    const matrix = (a: unknown) => (a as { competency: Record<string, number> }).competency;
    const changes: number[] = [];
    for (const pre of answers.filter((a) => a.kind === 'pre')) {
      const post = answers.find((a) => a.kind === 'post' && a.offering_id === pre.offering_id && a.person_id === pre.person_id);
      if (!post) continue;
      const d = COMPETENCIES.map((c) => matrix(post.answers)[c] - matrix(pre.answers)[c]);
      changes.push(d.reduce((x, y) => x + y, 0) / d.length);
    }
    expect(changes).toHaveLength(10);
    const mean = changes.reduce((x, y) => x + y, 0) / 10;
    const sd = Math.sqrt(changes.reduce((x, y) => x + (y - mean) ** 2, 0) / 9);
    const half = (2.262 * sd) / Math.sqrt(10);
    expect(g.understanding.meanChange).toBeCloseTo(mean, 2);
    expect(g.understanding.ci95![0]).toBeCloseTo(mean - half, 2);
    expect(g.understanding.ci95![1]).toBeCloseTo(mean + half, 2);
  });

  it('shows nothing for a year without self-assessments', async () => {
    const g = await gapIndicators(ctx, 1990);
    expect(g.understanding).toMatchObject({ meanChange: null, n: 0, ci95: null, byCohort: [], byDepartment: [] });
  });
});

describe('opportunity', () => {
  it('counts the field trainings held and their hosts as the session rows do, year by year', async () => {
    for (const fy of years) {
      const g = await gapIndicators(ctx, fy);
      const hand = await handCountFieldTrainings(fy);
      expect({ fy, sessions: g.opportunity.fieldTrainings, hosts: g.opportunity.hostPartners }).toEqual({ fy, ...hand });
      expect(g.opportunity.fieldTrainings).toBe((await fiscalYearKpis(ctx, fy)).fieldTrainingsHeld);
    }
  });

  it('reaches some 所属 and 市町 of the sample, shares between 0 and 1 from whole counts', async () => {
    const g = await gapIndicators(ctx, years[years.length - 1]);
    const units = await ctx.db.selectFrom('units').select((e) => e.fn.countAll<number>().as('n')).where('active', '=', true).where('kind', 'in', ['division', 'agency']).executeTakeFirstOrThrow();
    const towns = await ctx.db.selectFrom('units').select((e) => e.fn.countAll<number>().as('n')).where('active', '=', true).where('kind', '=', 'municipality').executeTakeFirstOrThrow();
    expect(g.opportunity.units).toBe(Number(units.n));
    expect(g.opportunity.municipalities).toBe(Number(towns.n));
    expect(g.opportunity.unitsReached).toBeGreaterThan(0);
    expect(g.opportunity.unitsReachedShare).toBeCloseTo(g.opportunity.unitsReached / g.opportunity.units, 3);
    expect(g.opportunity.municipalitiesReachedShare).toBeCloseTo(g.opportunity.municipalitiesReached / Number(towns.n), 3);
    for (const s of [g.opportunity.unitsReachedShare, g.opportunity.municipalitiesReachedShare]) {
      expect(s).toBeGreaterThanOrEqual(0);
      expect(s).toBeLessThanOrEqual(1);
    }
    expect(g.opportunity.participants).toBeGreaterThan(0);
  });
});

describe('facilitation talent', () => {
  it('counts the coordinators whose certification stands, as the yearly KPIs do, split by 部局 and 市町', async () => {
    for (const fy of years.slice(-3)) {
      const g = await gapIndicators(ctx, fy);
      const k = await fiscalYearKpis(ctx, fy);
      expect(g.talent.activeCoordinators).toBe(k.coordinators.active);
      const split = g.talent.coordinatorsByDepartment.reduce((n, x) => n + x.coordinators, 0) + g.talent.coordinatorsByMunicipality.reduce((n, x) => n + x.coordinators, 0);
      expect(split).toBeLessThanOrEqual(g.talent.activeCoordinators);
      expect(g.talent.coordinatorsByMunicipality).toHaveLength(g.talent.municipalities);
      expect(g.talent.municipalities).toBe(g.opportunity.municipalities);
    }
  });

  it('counts consultations served from the rows: accepted by a coordinator or closed with an outcome', async () => {
    const fy = years[years.length - 1];
    const { startUtc, endUtcExclusive } = fiscalYearBounds(fy);
    const rows = await ctx.db.selectFrom('consultations').select(['id', 'status', 'outcome', 'unit_id']).where('created_at', '>=', startUtc).where('created_at', '<', endUtcExclusive).execute();
    const accepted = new Set((await ctx.db.selectFrom('consultation_assignments').select('consultation_id').where('status', '=', 'accepted').execute()).map((r) => r.consultation_id));
    const served = rows.filter((r) => r.status !== 'withdrawn' && ((r.status === 'closed' && r.outcome !== null) || accepted.has(r.id)));
    const g = await gapIndicators(ctx, fy);
    expect(g.talent.consultationsServed).toBe(served.length);
    expect(g.talent.consultations.total).toBe(rows.length);
    expect(g.talent.municipalitiesServed).toBeGreaterThanOrEqual(g.talent.coordinatorsByMunicipality.filter((m) => m.coordinators > 0).length);
    expect(g.talent.municipalitiesServedShare).toBeCloseTo(g.talent.municipalitiesServed / g.talent.municipalities, 3);
  });

  it('adds a 市町 to those served once a coordinator of it is certified', async () => {
    const fy = years[years.length - 1];
    const before = await gapIndicators(ctx, fy);
    const town = before.talent.coordinatorsByMunicipality.find((m) => m.coordinators === 0 && !m.consulted)!;
    expect(before.talent.municipalitiesServed).toBe(before.talent.coordinatorsByMunicipality.filter((m) => m.coordinators > 0 || m.consulted).length);
    const p = await makeUser(ctx, ['staff', 'coordinator']);
    await ctx.db.updateTable('people').set({ unit_id: town.unitId, affiliation: 'municipality' }).where('id', '=', p.id).execute();
    await ctx.db.insertInto('coordinator_certifications').values({ person_id: p.id, granted_on: fiscalYearRange(fy).start, valid_until: null, renewed_on: null, certificate_id: null, revoked_at: null, updated_at: ctx.now() }).execute();
    const after = await gapIndicators(ctx, fy);
    expect(after.talent.activeCoordinators).toBe(before.talent.activeCoordinators + 1);
    expect(after.talent.coordinatorsByMunicipality.find((m) => m.unitId === town.unitId)!.coordinators).toBe(1);
    expect(after.talent.municipalitiesServed).toBe(before.talent.municipalitiesServed + 1);
  });
});
