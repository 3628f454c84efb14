// Shared by the benchmarks: the load generator, percentiles, sizes, the summary table and the
// PostgreSQL server to measure on (given, or a throwaway one started once per run).
import { spawn, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { loadConfig } from '../src/config/index.js';

/** Size factor for quick runs: KYODO_BENCH_SCALE=0.1 runs a tenth of the default sizes. Default 1. */
export function benchScale(): number {
  const raw = process.env.KYODO_BENCH_SCALE;
  if (!raw) return 1;
  const s = Number(raw);
  if (!Number.isFinite(s) || s <= 0 || s > 10) throw new Error(`KYODO_BENCH_SCALE must be a number in (0, 10], not "${raw}"`);
  return s;
}

/** KYODO_BENCH_DB=pglite or postgres measures on that database only; unset, on both. */
export function wants(kind: 'pglite' | 'postgres'): boolean {
  const v = process.env.KYODO_BENCH_DB;
  return !v || v === kind;
}

export const scaled = (n: number, min = 1) => Math.max(min, Math.round(n * benchScale()));

export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/**
 * Runs `count` tasks with at most `concurrency` in flight, and stops starting new ones after
 * `maxSeconds`; returns each task's latency in ms (sorted), how many ran, and the wall time.
 */
export async function pool(count: number, concurrency: number, task: (i: number) => Promise<void>, maxSeconds = Infinity) {
  const latencies: number[] = [];
  let next = 0;
  const start = performance.now();
  const deadline = start + maxSeconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let i = next++; i < count && performance.now() < deadline; i = next++) {
        const t0 = performance.now();
        await task(i);
        latencies.push(performance.now() - t0);
      }
    }),
  );
  return { latencies: latencies.sort((a, b) => a - b), done: latencies.length, seconds: (performance.now() - start) / 1000 };
}

/** One load to generate: `count` requests, `concurrency` in flight, bearer tokens taken in turn. */
export interface LoadJob {
  url: string;
  method: 'GET' | 'POST';
  count: number;
  concurrency: number;
  tokens?: string[];
  headers?: Record<string, string>;
  /** A JSON body for every request. */
  body?: string;
}

export interface LoadResult {
  /** Each request's latency in ms, sorted. */
  latencies: number[];
  seconds: number;
  /** How many responses had each HTTP status. */
  statuses: Record<string, number>;
  /** CPU time the client process used while sending and reading (user + system; its start-up not counted). */
  cpuSeconds: number;
  /** Of which in user space (the client's JavaScript). */
  userSeconds: number;
}

/** Runs a load from a separate process (bench/load-client.ts), so the client does not share the server's event loop. */
export function runLoad(job: LoadJob): Promise<LoadResult> {
  const client = join(dirname(fileURLToPath(import.meta.url)), 'load-client.ts');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', client], { stdio: ['pipe', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (d: string) => (out += d));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`load client exited with ${code}`));
      try {
        resolve(JSON.parse(out) as LoadResult);
      } catch (e) {
        reject(e);
      }
    });
    child.stdin.end(JSON.stringify(job));
  });
}

/** Times `fn` `runs` times (after one unmeasured warm-up unless told otherwise); returns the median and every time, in ms. */
export async function timeIt(runs: number, fn: () => Promise<unknown>, warmUp = true): Promise<{ median: number; times: number[] }> {
  if (warmUp) await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  return { median: median(times), times };
}

export const ms = (v: number) => (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2));

// ---- the summary printed once at the end of `npm run bench` -------------------------------------

export interface SummaryRow {
  bench: string;
  db: string;
  what: string;
  /** The figure, with its unit. */
  value: string;
  /** The baseline measured in the same run, with its unit. */
  baseline: string;
  /** value relative to the baseline, as printed (e.g. "×3.1" slower, or "0.45" of a rate). */
  ratio: string;
}

export const summary: SummaryRow[] = [];

export function printSummary(): void {
  if (!summary.length) return;
  const head: SummaryRow = { bench: 'bench', db: 'database', what: 'measure', value: 'value', baseline: 'baseline (same run)', ratio: 'ratio' };
  const rows = [head, ...summary];
  const keys = Object.keys(head) as (keyof SummaryRow)[];
  const width = Object.fromEntries(keys.map((k) => [k, Math.max(...rows.map((r) => [...r[k]].length))])) as Record<keyof SummaryRow, number>;
  const line = (r: SummaryRow) => `| ${keys.map((k) => (k === 'value' || k === 'ratio' ? r[k].padStart(width[k]) : r[k].padEnd(width[k]))).join(' | ')} |`;
  console.log('\n== Summary ==');
  console.log(line(head));
  console.log(`|${keys.map((k) => '-'.repeat(width[k] + 2)).join('|')}|`);
  for (const r of summary) console.log(line(r));
}

// ---- PostgreSQL -------------------------------------------------------------------------------------

export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

let own: { url: string; stop: () => void } | null = null;
let resolved: Promise<string | null> | null = null;

/** A throwaway PostgreSQL (loopback, free port, fsync off), when this machine has the server and we are root. */
async function throwawayPostgres(): Promise<{ url: string; stop: () => void } | null> {
  const versions = existsSync('/usr/lib/postgresql') ? spawnSync('ls', ['/usr/lib/postgresql']).stdout.toString().trim().split('\n').filter(Boolean) : [];
  const bin = ['/usr/local/bin', ...versions.map((v) => `/usr/lib/postgresql/${v}/bin`)].find((d) => existsSync(join(d, 'initdb')));
  if (!bin || process.getuid?.() !== 0) return null;
  const uid = spawnSync('id', ['-u', 'postgres']).stdout.toString().trim();
  const gid = spawnSync('id', ['-g', 'postgres']).stdout.toString().trim();
  if (!uid) return null;
  const dir = mkdtempSync(join(tmpdir(), 'kyodo-bench-pg-'));
  chownSync(dir, Number(uid), Number(gid));
  const run = (...args: string[]) => spawnSync('runuser', ['-u', 'postgres', '--', ...args], { stdio: 'ignore' });
  run(join(bin, 'initdb'), '--no-sync', '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--locale=C.UTF-8', '-D', join(dir, 'data'));
  const port = await freePort();
  const started = run(
    join(bin, 'pg_ctl'), '-D', join(dir, 'data'), '-l', join(dir, 'log'), '-w', 'start',
    '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200`,
  );
  if (started.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    return null;
  }
  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    run(join(bin, 'pg_ctl'), '-D', join(dir, 'data'), '-m', 'immediate', 'stop');
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', stop);
  return { url: `postgres://postgres@127.0.0.1:${port}/postgres`, stop };
}

/**
 * The PostgreSQL server to measure on: KYODO_BENCH_DATABASE_URL, else DATABASE_URL, else a throwaway
 * server started once for the whole run (stopped by `stopPostgres`, or at exit). null: none available.
 */
export function postgresServerUrl(): Promise<string | null> {
  resolved ??= (async () => {
    const given = process.env.KYODO_BENCH_DATABASE_URL ?? loadConfig().databaseUrl;
    if (given) return given;
    own = await throwawayPostgres();
    return own?.url ?? null;
  })();
  return resolved;
}

export function stopPostgres(): void {
  own?.stop();
  own = null;
  resolved = null;
}

export const NO_POSTGRES = 'PostgreSQL: skipped (set KYODO_BENCH_DATABASE_URL or DATABASE_URL, or run as root on a machine with initdb)';

/** A fresh database on the server, dropped by `drop()`. */
export async function freshDatabase(serverUrl: string, prefix: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `${prefix}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 6)}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const u = new URL(serverUrl);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    drop: async () => {
      const a = new pg.Client({ connectionString: serverUrl });
      await a.connect();
      await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await a.end();
    },
  };
}

export function tempDir(prefix: string): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
