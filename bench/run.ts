// `npm run bench -- [name]`: benchmarks print their figures and compare with a baseline measured in
// the same run. They are not tests and assert nothing about time.
import { cpus } from 'node:os';
import { registration } from './registration.js';

const benches: Record<string, () => Promise<void>> = { registration };
const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const names = wanted.length ? wanted : Object.keys(benches);
console.log(`Kyodo benchmarks — node ${process.version}, ${cpus().length} cores (${cpus()[0]?.model ?? '?'})`);
for (const name of names) {
  const run = benches[name];
  if (!run) {
    console.error(`unknown benchmark "${name}"; known: ${Object.keys(benches).join(', ')}`);
    process.exit(2);
  }
  await run();
}
