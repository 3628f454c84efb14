#!/usr/bin/env node
// `npm test`: the whole suite. Unit/db/service/http tests, then the browser tests in real Chromium.
// Runs on PGlite, or on PostgreSQL when DATABASE_URL is set. Prints one closing line: "N passed, N failed".
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const out = join(root, '.test-artifacts');
mkdirSync(out, { recursive: true });
const ci = process.env.CI === 'true';
const extra = process.argv.slice(2);

function chromiumPath() {
  const candidates = [process.env.KYODO_CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];
  return candidates.find((p) => p && existsSync(p)) ?? null;
}

function vitest(project, env = {}) {
  const report = join(out, `vitest-${project}.json`);
  rmSync(report, { force: true });
  const r = spawnSync(
    process.execPath,
    [join(root, 'node_modules/vitest/vitest.mjs'), 'run', '--project', project, '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...extra],
    { stdio: 'inherit', env: { ...process.env, ...env }, cwd: root },
  );
  let counts = { passed: 0, failed: 0, skipped: 0 };
  const skippedNames = [];
  if (existsSync(report)) {
    const j = JSON.parse(readFileSync(report, 'utf8'));
    counts = { passed: j.numPassedTests, failed: j.numFailedTests, skipped: j.numPendingTests + (j.numTodoTests ?? 0) };
    for (const file of j.testResults ?? [])
      for (const t of file.assertionResults ?? []) if (t.status === 'pending' || t.status === 'skipped' || t.status === 'todo') skippedNames.push(t.fullName);
  }
  return { ok: r.status === 0, counts, skippedNames };
}

const db = process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite';
console.log(`\n== Kyodo tests on ${db}, Node.js ${process.version} ==\n`);
const unit = vitest('unit');
let e2e = { ok: true, counts: { passed: 0, failed: 0, skipped: 0 } };
let browserNote = '';
const chromium = chromiumPath();
if (process.env.KYODO_SKIP_E2E === 'true') {
  browserNote = 'browser tests not run in this pass (KYODO_SKIP_E2E=true)';
} else if (chromium) {
  e2e = vitest('e2e', { KYODO_CHROMIUM: chromium });
} else if (ci) {
  console.error('\nFAIL: Chromium was not found, and under CI=true the browser tests must run.');
  console.error('Install it with: apt-get install -y chromium fonts-noto-cjk');
  e2e = { ok: false, counts: { passed: 0, failed: 1, skipped: 0 } };
} else {
  browserNote =
    'BROWSER TESTS SKIPPED: Chromium was not found (looked for /usr/bin/chromium or $KYODO_CHROMIUM).\n' +
    'Install it to run them: sudo apt-get install -y chromium fonts-noto-cjk';
}
const passed = unit.counts.passed + e2e.counts.passed;
const failed = unit.counts.failed + e2e.counts.failed + (unit.ok || unit.counts.failed ? 0 : 1) + (e2e.ok || e2e.counts.failed ? 0 : 1);
const skipped = unit.counts.skipped + e2e.counts.skipped;
const skippedNames = [...(unit.skippedNames ?? []), ...(e2e.skippedNames ?? [])];
if (skippedNames.length) {
  console.log(`\nSkipped on ${db} (each runs on the other database's pass):`);
  for (const n of skippedNames) console.log(`  - ${n}`);
}
if (browserNote) console.log(`\n${browserNote}`);
console.log(`\n${db}: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(unit.ok && e2e.ok ? 0 : 1);
