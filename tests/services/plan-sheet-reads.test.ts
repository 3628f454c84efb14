// The plan-item sheet and the dashboard read their figures in a few statements (issue 18 §1): what they
// show must be exactly what the full computations give — the year's gap indicators for year-wide targets,
// and the KPIs of every year of records for the dashboard — on the sample data, in past years and this one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PLAN_KPIS, type PlanKpi } from '../../src/domain/plan.js';
import { gapIndicators } from '../../src/services/gap.service.js';
import { kpiValue, planItemSheet, saveTarget } from '../../src/services/plan.service.js';
import { fiscalYearKpisOf, reportYears, reportYearsWithKpis } from '../../src/services/report.service.js';
import { loadSampleData } from '../../src/services/sample-data/sample-data.service.js';
import { createTestDb, type TestDb, TestClock, testContext } from '../support/db.js';
import { makeUser } from '../support/http.js';

let tdb: TestDb;
let ctx: ReturnType<typeof testContext>;
let itemId: number;
let actor: { id: number };

const YEAR_KPIS = (Object.keys(PLAN_KPIS) as PlanKpi[]).filter((k) => PLAN_KPIS[k].scope === 'year');

beforeAll(async () => {
  tdb = await createTestDb();
  // Today is in 令和8年度 (2026); the sample plan runs from 平成23年度 (2011).
  ctx = testContext(tdb, { clock: new TestClock(new Date('2026-11-30T01:00:00Z')) });
  actor = await makeUser(ctx, ['admin']);
  itemId = (await loadSampleData(ctx, actor)).planItemId!;
}, 180_000);
afterAll(() => tdb.close());

describe('the plan-item sheet’s year-wide targets', () => {
  it('take each KPI’s value from the year’s gap indicators, in the first year, past years and this one', async () => {
    const sheet = (await planItemSheet(ctx, itemId))!;
    const [first, second] = sheet.measures;
    const years = [sheet.plan.first_fiscal_year, 2024, 2025, 2026];
    for (const [i, kpi] of YEAR_KPIS.entries())
      for (const fy of years) await saveTarget(ctx, actor, itemId, (i % 2 ? second : first)!.measure.id, { fiscalYear: String(fy), kpi, target: '1' });
    const after = (await planItemSheet(ctx, itemId))!;
    let compared = 0;
    for (const fy of years) {
      const g = await gapIndicators(ctx, fy);
      for (const m of after.measures)
        for (const row of m.targets.get(fy) ?? []) {
          if (PLAN_KPIS[row.kpi].scope !== 'year') continue;
          expect({ fy, kpi: row.kpi, actual: row.actual }).toEqual({ fy, kpi: row.kpi, actual: kpiValue(row.kpi, undefined, g) });
          compared++;
        }
    }
    expect(compared).toBeGreaterThanOrEqual(YEAR_KPIS.length * years.length);
    // The sample records give these KPIs something to count this year.
    const thisYear = after.measures.flatMap((m) => m.targets.get(2026) ?? []);
    expect(thisYear.find((r) => r.kpi === 'coordinatorsActive')!.actual).toBeGreaterThan(0);
    expect(thisYear.find((r) => r.kpi === 'unitsReachedShare')!.actual).toBeGreaterThan(0);
  });

  it('gives the sheet’s forms every programme and the plan’s items when asked', async () => {
    const s = (await planItemSheet(ctx, itemId, { choices: true }))!;
    expect(s.choices!.siblings.items.map((i) => i.id)).toContain(itemId);
    expect(s.choices!.programmes.length).toBeGreaterThan(0);
    expect((await planItemSheet(ctx, itemId))!.choices).toBeNull();
    expect(await planItemSheet(ctx, 987_654)).toBeNull();
  });
});

describe('the dashboard’s years and KPIs', () => {
  it('are the years of records and each year’s KPIs, as computed one by one', async () => {
    const { years, kpis } = await reportYearsWithKpis(ctx);
    expect(years).toEqual(await reportYears(ctx));
    expect(years[0]).toBe(2011);
    expect(kpis).toEqual(await fiscalYearKpisOf(ctx, years));
    expect(kpis.map((k) => k.fiscalYear)).toEqual(years);
  });
});
