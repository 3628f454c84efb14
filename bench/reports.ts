// `npm run bench -- reports`: the yearly KPI report, the dashboard's KPIs for every year, the
// coverage table and the plan-item sheet, on ten years of synthetic records, each beside the bare SQL
// behind it (the same statements, recorded from the service and replayed on the driver alone).
import { fiscalYearOf } from '../src/domain/calendar.js';
import { planItemSheet } from '../src/services/plan.service.js';
import { coverage, fiscalYearKpis, reportYears } from '../src/services/report.service.js';
import { type BenchDb, onEachDatabase, replay } from './database.js';
import { loadSynthetic, type SyntheticSizes } from './synthetic.js';
import { ms, scaled, summary, timeIt } from './support.js';

const RUNS = 5;
/** The report goal on PostgreSQL (issue 8): the yearly KPI report under 200 ms. */
const KPI_GOAL_MS = 200;

export function reportSizes(): SyntheticSizes {
  return { people: scaled(50_000, 500), applications: scaled(300_000, 3_000), answers: scaled(200_000, 2_000), years: 10 };
}

async function measure(b: BenchDb, sizes: SyntheticSizes) {
  console.log(`\n${b.label}: loading synthetic data …`);
  const data = await loadSynthetic(b, sizes);
  const c = data.counts;
  console.log(
    `  loaded in ${data.seconds.toFixed(1)} s: ${c.people} people, ${c.offerings} offerings, ${c.offering_sessions} sessions, ${c.applications} applications, ` +
      `${c.attendance} attendance marks, ${c.completions} completions, ${c.certificates} certificates, ${c.coordinator_certifications} coordinators, ` +
      `${c.training_records} past records, ${c.survey_responses} survey responses (${c.survey_scores} scores); fiscal years ${data.fiscalYears[0]}–${data.fiscalYears.at(-1)}`,
  );
  const fy = fiscalYearOf(new Date()) - 1; // the last complete year
  const ctx = b.ctx;
  const cases: { what: string; run: () => Promise<unknown> }[] = [
    { what: `yearly KPI report (FY${fy})`, run: () => fiscalYearKpis(ctx, fy) },
    { what: 'dashboard KPIs, every year', run: async () => Promise.all((await reportYears(ctx)).map((y) => fiscalYearKpis(ctx, y))) },
    { what: 'coverage table', run: () => coverage(ctx) },
    { what: 'plan-item sheet (4 measures × 5 years)', run: () => planItemSheet(ctx, data.planItemId) },
  ];
  console.log(`  ${`median of ${RUNS} runs (3 if slow)`.padEnd(40)} ${'service'.padStart(10)} ${'bare SQL'.padStart(12)} ${'statements'.padStart(12)}   ratio`);
  for (const k of cases) {
    // The recorded run is the warm-up; slow cases are timed fewer times to keep the run short.
    const t0 = performance.now();
    const { statements } = await b.record(k.run);
    const runs = performance.now() - t0 > 1500 ? 3 : RUNS;
    const service = await timeIt(runs, k.run, false);
    const bare = await timeIt(runs, () => replay(b, statements));
    const ratio = service.median / bare.median;
    const goal = k.what.startsWith('yearly KPI') && b.kind === 'postgres' ? `   (goal < ${KPI_GOAL_MS} ms: ${service.median < KPI_GOAL_MS ? 'met' : 'NOT met'})` : '';
    console.log(`  ${k.what.padEnd(40)} ${(ms(service.median) + ' ms').padStart(10)} ${(ms(bare.median) + ' ms').padStart(12)} ${String(statements.length).padStart(12)}   ×${ratio.toFixed(2)}${goal}`);
    summary.push({ bench: 'reports', db: b.label, what: k.what, value: `${ms(service.median)} ms`, baseline: `bare SQL ${ms(bare.median)} ms`, ratio: `×${ratio.toFixed(2)}` });
  }
}

export async function reports(): Promise<void> {
  const sizes = reportSizes();
  console.log(`\nreports: ${sizes.years} fiscal years, ${sizes.people} people, ${sizes.applications} applications, ${sizes.answers} survey answers (KYODO_BENCH_SCALE=${process.env.KYODO_BENCH_SCALE ?? 1})`);
  await onEachDatabase((db) => measure(db, sizes));
}
