// `npm run bench -- reports`: the yearly KPI report, the dashboard's KPIs for every year, the
// coverage table and the plan-item sheet, on ten years of synthetic records, each beside the bare SQL
// behind it (the same statements, recorded from the service and replayed on the driver alone).
// The dashboard and the plan sheet read stored figures (decision 0022): each is timed as a view
// reads it (figures stored), after a change to the current year (that year computed again), and with
// nothing stored (every year computed, as before the figures were stored).
import { fiscalYearOf } from '../src/domain/calendar.js';
import { planItemSheet } from '../src/services/plan.service.js';
import { coverage, fiscalYearKpis, fiscalYearKpisOf, reportYears } from '../src/services/report.service.js';
import { type BenchDb, onEachDatabase, replay } from './database.js';
import { loadSynthetic, type SyntheticSizes } from './synthetic.js';
import { ms, scaled, summary, timeIt } from './support.js';

const RUNS = 5;
/** The report goal on PostgreSQL (issue 8): the yearly KPI report under 200 ms. */
const KPI_GOAL_MS = 200;
/** The goals of issue 18 for the dashboard and the plan sheet on ten years of records. */
const VIEW_GOAL_MS = { pglite: 300, postgres: 100 } as const;

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
  const dashboard = async () => fiscalYearKpisOf(ctx, await reportYears(ctx));
  const sheet = () => planItemSheet(ctx, data.planItemId);
  // A change to the current year: one past record imported and taken back (both mark the year).
  const person = Number(((await b.raw('SELECT min(id) AS id FROM people')).rows[0] as { id: number }).id);
  const change = async () => {
    await b.raw(`INSERT INTO training_records (person_id, fiscal_year, title, completed, note, created_at) VALUES ($1, $2, 'bench', true, '', now())`, [person, fy + 1]);
    await b.raw(`DELETE FROM training_records WHERE title = 'bench'`);
  };
  const forget = () => b.raw('DELETE FROM figure_cache');
  const cases: { what: string; run: () => Promise<unknown>; goal?: boolean }[] = [
    { what: `yearly KPI report (FY${fy})`, run: () => fiscalYearKpis(ctx, fy) },
    { what: 'dashboard KPIs, every year (stored)', run: dashboard, goal: true },
    { what: 'dashboard after a change this year', run: async () => (await change(), dashboard()) },
    { what: 'dashboard, nothing stored', run: async () => (await forget(), dashboard()) },
    { what: 'coverage table', run: () => coverage(ctx) },
    { what: 'plan-item sheet (4 measures × 5 years)', run: sheet, goal: true },
    { what: 'plan-item sheet after a change this year', run: async () => (await change(), sheet()) },
    { what: 'plan-item sheet, nothing stored', run: async () => (await forget(), sheet()) },
  ];
  console.log(`  ${`median of ${RUNS} runs (3 if slow)`.padEnd(40)} ${'service'.padStart(10)} ${'bare SQL'.padStart(12)} ${'statements'.padStart(12)}   ratio`);
  for (const k of cases) {
    // A warm-up (it stores what a view stores), then the recorded run; slow cases are timed fewer times.
    const t0 = performance.now();
    await k.run();
    const { statements } = await b.record(k.run);
    const runs = performance.now() - t0 > 1500 ? 3 : RUNS;
    const service = await timeIt(runs, k.run, false);
    const bare = await timeIt(runs, () => replay(b, statements));
    const ratio = service.median / bare.median;
    const goalMs = k.goal ? VIEW_GOAL_MS[b.kind] : k.what.startsWith('yearly KPI') && b.kind === 'postgres' ? KPI_GOAL_MS : null;
    const goal = goalMs === null ? '' : `   (goal < ${goalMs} ms: ${service.median < goalMs ? 'met' : 'NOT met'})`;
    console.log(`  ${k.what.padEnd(40)} ${(ms(service.median) + ' ms').padStart(10)} ${(ms(bare.median) + ' ms').padStart(12)} ${String(statements.length).padStart(12)}   ×${ratio.toFixed(2)}${goal}`);
    summary.push({ bench: 'reports', db: b.label, what: k.what, value: `${ms(service.median)} ms`, baseline: `bare SQL ${ms(bare.median)} ms`, ratio: `×${ratio.toFixed(2)}` });
  }
}

export async function reports(): Promise<void> {
  const sizes = reportSizes();
  console.log(`\nreports: ${sizes.years} fiscal years, ${sizes.people} people, ${sizes.applications} applications, ${sizes.answers} survey answers (KYODO_BENCH_SCALE=${process.env.KYODO_BENCH_SCALE ?? 1})`);
  await onEachDatabase((db) => measure(db, sizes));
}
