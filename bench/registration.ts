import { spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { loadConfig } from '../src/config/index.js';
import { hashPassword, sha256 } from '../src/lib/crypto.js';
import { type RunningServer, startServer } from '../src/server.js';

const APPLICANTS = 2000;
const CAPACITY = 100;
const CONCURRENCY = 100;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** Runs `count` tasks with at most `concurrency` in flight; returns each task's latency in ms and the wall time. */
async function pool(count: number, concurrency: number, task: (i: number) => Promise<void>) {
  const latencies: number[] = [];
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let i = next++; i < count; i = next++) {
        const t0 = performance.now();
        await task(i);
        latencies.push(performance.now() - t0);
      }
    }),
  );
  return { latencies: latencies.sort((a, b) => a - b), seconds: (performance.now() - start) / 1000 };
}

async function setup(server: RunningServer) {
  const db = server.ctx.db;
  const now = new Date();
  const hash = await hashPassword('bench-password-2026');
  const admin = await db
    .insertInto('people')
    .values({ name: '計測 管理', kana: 'ケイソク カンリ', email: 'bench-admin@pref.example.jp', affiliation: 'prefecture', search_key: 'bench', password_hash: hash, created_at: now, updated_at: now })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db.insertInto('person_roles').values([{ person_id: admin.id, role: 'admin' }, { person_id: admin.id, role: 'staff' }]).execute();
  const tokens: string[] = [];
  for (let i = 0; i < APPLICANTS; i += 500) {
    const rows = Array.from({ length: Math.min(500, APPLICANTS - i) }, (_, k) => ({
      name: `計測 ${i + k}`,
      kana: 'ケイソク',
      email: `bench${i + k}@pref.example.jp`,
      affiliation: 'prefecture' as const,
      search_key: `bench${i + k}`,
      created_at: now,
      updated_at: now,
    }));
    const people = await db.insertInto('people').values(rows).returning('id').execute();
    await db.insertInto('person_roles').values(people.map((p) => ({ person_id: p.id, role: 'staff' as const }))).execute();
    const batch = people.map((p) => ({ p, token: `kyodo_bench_${p.id}_${Math.random().toString(36).slice(2)}` }));
    await db
      .insertInto('api_tokens')
      .values(batch.map(({ p, token }) => ({ person_id: p.id, name: 'bench', token_hash: sha256(token), prefix: token.slice(0, 12), created_at: now })))
      .execute();
    tokens.push(...batch.map((b) => b.token));
  }
  const adminToken = `kyodo_bench_admin_${Math.random().toString(36).slice(2)}`;
  await db.insertInto('api_tokens').values({ person_id: admin.id, name: 'bench', token_hash: sha256(adminToken), prefix: 'kyodo_bench', created_at: now }).execute();
  await sql`ANALYZE`.execute(db);
  const call = async (path: string, token: string, body: unknown) => {
    const r = await fetch(`${server.url}${path}`, { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    if (r.status !== 201) throw new Error(`${path}: ${r.status} ${await r.text()}`);
    return (await r.json()) as { id: number };
  };
  const programme = await call('/api/v1/programmes', adminToken, { name: '計測用研修' });
  const offering = await call('/api/v1/offerings', adminToken, {
    programmeId: programme.id,
    fiscalYear: 2026,
    title: '計測用セミナー',
    capacity: CAPACITY,
    selection: 'first_come',
    applicationOpensAt: new Date(Date.now() - 3_600_000).toISOString(),
    applicationClosesAt: new Date(Date.now() + 3_600_000).toISOString(),
  });
  return { tokens, adminToken, offeringId: offering.id };
}

async function measure(label: string, server: RunningServer) {
  const { tokens, adminToken, offeringId } = await setup(server);
  let created = 0;
  const app = await pool(APPLICANTS, CONCURRENCY, async (i) => {
    const r = await fetch(`${server.url}/api/v1/offerings/${offeringId}/applications`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${tokens[i]}`, 'Content-Type': 'application/json' },
      body: '{}',
    });
    if (r.status === 201) created++;
    await r.arrayBuffer();
  });
  const list = await fetch(`${server.url}/api/v1/offerings/${offeringId}/applications?status=confirmed`, { headers: { Authorization: `Bearer ${adminToken}` } });
  const confirmed = ((await list.json()) as { items: unknown[] }).items.length;

  // The HTTP ceiling on this machine: the cheapest authenticated request (GET /api/v1/me), same client.
  const me = await pool(APPLICANTS, CONCURRENCY, async (i) => {
    const r = await fetch(`${server.url}/api/v1/me`, { headers: { Authorization: `Bearer ${tokens[i]}` } });
    await r.arrayBuffer();
  });

  const db = server.ctx.db;
  await sql`CREATE TABLE bench_baseline (id serial PRIMARY KEY, n integer NOT NULL, at timestamptz NOT NULL DEFAULT now())`.execute(db);
  const base = await pool(APPLICANTS, CONCURRENCY, async (i) => {
    await db.transaction().execute((trx) => trx.insertInto('bench_baseline' as never).values({ n: i } as never).execute());
  });
  await sql`DROP TABLE bench_baseline`.execute(db);

  const appRate = APPLICANTS / app.seconds;
  const baseRate = APPLICANTS / base.seconds;
  const ok = confirmed === CAPACITY;
  console.log(`\n${label}: ${APPLICANTS} concurrent applications (${CONCURRENCY} in flight) to one ${CAPACITY}-seat first_come offering`);
  console.log(`  applications  ${appRate.toFixed(0).padStart(6)} req/s   p50 ${percentile(app.latencies, 50).toFixed(1)} ms   p99 ${percentile(app.latencies, 99).toFixed(1)} ms   201: ${created}`);
  console.log(`  baseline      ${baseRate.toFixed(0).padStart(6)} tx/s    p50 ${percentile(base.latencies, 50).toFixed(1)} ms   p99 ${percentile(base.latencies, 99).toFixed(1)} ms   (single-row insert transactions, same database)`);
  console.log(`  GET /api/v1/me ${(APPLICANTS / me.seconds).toFixed(0).padStart(5)} req/s   p50 ${percentile(me.latencies, 50).toFixed(1)} ms   (authenticated read: the HTTP ceiling with this client)`);
  console.log(`  ratio app/baseline: ${(appRate / baseRate).toFixed(2)}   (goal: ≥ 0.5)   ratio app/HTTP ceiling: ${(appRate / (APPLICANTS / me.seconds)).toFixed(2)}`);
  console.log(`  confirmed: ${confirmed} of ${CAPACITY} — ${ok ? 'OK' : 'MISMATCH'}`);
  if (!ok) process.exitCode = 1;
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** A throwaway PostgreSQL (loopback, fsync off), when this machine has the server and we are root. */
async function throwawayPostgres(): Promise<{ url: string; stop: () => void } | null> {
  const bin = ['/usr/local/bin', ...(existsSync('/usr/lib/postgresql') ? spawnSync('ls', ['/usr/lib/postgresql']).stdout.toString().trim().split('\n').map((v) => `/usr/lib/postgresql/${v}/bin`) : [])].find((d) => existsSync(join(d, 'initdb')));
  if (!bin || process.getuid?.() !== 0) return null;
  const dir = mkdtempSync(join(tmpdir(), 'kyodo-bench-pg-'));
  const pw = spawnSync('id', ['-u', 'postgres']).stdout.toString().trim();
  const pgid = spawnSync('id', ['-g', 'postgres']).stdout.toString().trim();
  if (!pw) return null;
  chownSync(dir, Number(pw), Number(pgid));
  const port = await freePort();
  const run = (...args: string[]) => spawnSync('runuser', ['-u', 'postgres', '--', ...args], { stdio: 'ignore' });
  run(join(bin, 'initdb'), '--no-sync', '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--locale=C.UTF-8', '-D', join(dir, 'data'));
  const started = run(join(bin, 'pg_ctl'), '-D', join(dir, 'data'), '-l', join(dir, 'log'), '-w', 'start', '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200`);
  if (started.status !== 0) return null;
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    stop: () => {
      run(join(bin, 'pg_ctl'), '-D', join(dir, 'data'), '-m', 'immediate', 'stop');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function registration(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'kyodo-bench-'));
  const quiet = () => {};
  const lite = await startServer(loadConfig({ KYODO_DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'silent' }, { databaseUrl: null, smtpUrl: null }), quiet);
  try {
    await measure('PGlite', lite);
  } finally {
    await lite.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }

  const given = process.env.KYODO_BENCH_DATABASE_URL ?? loadConfig().databaseUrl;
  const own = given ? null : await throwawayPostgres();
  const serverUrl = given ?? own?.url;
  if (!serverUrl) {
    console.log('\nPostgreSQL: skipped (set KYODO_BENCH_DATABASE_URL, or run as root on a machine with initdb)');
    return;
  }
  const name = `kyodo_bench_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const u = new URL(serverUrl);
  u.pathname = `/${name}`;
  const server = await startServer(loadConfig({ PORT: '0', LOG_LEVEL: 'silent' }, { databaseUrl: u.toString(), smtpUrl: null }), quiet);
  try {
    await measure('PostgreSQL', server);
  } finally {
    await server.stop();
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
    own?.stop();
  }
}
