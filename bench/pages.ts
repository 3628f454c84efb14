// `npm run bench -- pages`: the catalogue (/trainings), the dashboard (/admin/reports) and the person
// list (/admin/people) over loopback HTTP, logged in as an administrator, with the sample data loaded;
// beside a bare Hono page served in the same process, measured in the same run with the same client.
import http from 'node:http';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import type { KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs, QueryResult, RootOperationNode, UnknownRow } from 'kysely';
import { createApp } from '../src/http/app.js';
import { html } from 'hono/html';
import { loadConfig } from '../src/config/index.js';
import { SESSION_COOKIE } from '../src/http/middleware/session.js';
import { hashPassword } from '../src/lib/crypto.js';
import { login } from '../src/services/account.service.js';
import { createPerson } from '../src/services/person.service.js';
import { loadSampleData } from '../src/services/sample-data/sample-data.service.js';
import { type RunningServer, startServer } from '../src/server.js';
import { freshDatabase, ms, NO_POSTGRES, percentile, pool, postgresServerUrl, scaled, summary, tempDir, wants } from './support.js';

const CONCURRENCY = 10;
/** At most this many requests per page, and at most this long: whichever comes first. */
const REQUESTS = () => scaled(2_000, 200);
const MAX_SECONDS = 15;

const PAGES: { path: string; what: string }[] = [
  { path: '/trainings', what: 'catalogue /trainings' },
  { path: '/admin/reports', what: 'dashboard /admin/reports' },
  { path: '/admin/people', what: 'person list /admin/people' },
];

interface Run {
  rate: number;
  p50: number;
  p99: number;
  done: number;
  errors: number;
  bytes: number;
}

/**
 * Loads `url` with the client used for every page: node:http with a keep-alive agent (one socket per
 * request in flight; cheaper than fetch, so more of the machine is left to the server), fixed
 * concurrency, bounded count and time. Loopback only.
 */
async function load(url: string, headers: Record<string, string>, requests = REQUESTS()): Promise<Run> {
  if (new URL(url).hostname !== '127.0.0.1') throw new Error(`loopback only: ${url}`);
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  let errors = 0;
  let bytes = 0;
  const get = () =>
    new Promise<void>((resolve, reject) => {
      const req = http.get(url, { agent, headers }, (res) => {
        let n = 0;
        res.on('data', (chunk: Buffer) => (n += chunk.length));
        res.on('end', () => {
          if (res.statusCode !== 200) errors++;
          bytes = n;
          resolve();
        });
        res.on('error', reject);
      });
      req.on('error', reject);
    });
  try {
    await pool(20, CONCURRENCY, get); // warm-up, not measured
    errors = 0;
    const run = await pool(requests, CONCURRENCY, get, MAX_SECONDS);
    return { rate: run.done / run.seconds, p50: percentile(run.latencies, 50), p99: percentile(run.latencies, 99), done: run.done, errors, bytes };
  } finally {
    agent.destroy();
  }
}

/** Counts the statements a request sends (a Kysely plugin sees every query, built or raw). */
class StatementCounter implements KyselyPlugin {
  n = 0;
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    this.n++;
    return args.node;
  }
  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return args.result;
  }
}

function line(what: string, r: Run, bare?: Run, statements?: number) {
  const ratio = bare ? `   ratio to bare page ${(r.rate / bare.rate).toFixed(3)}` : '';
  const err = r.errors ? `   ERRORS: ${r.errors}` : '';
  const st = statements === undefined ? '' : `, ${statements} SQL statements`;
  console.log(`  ${what.padEnd(28)} ${r.rate.toFixed(0).padStart(6)} req/s   p50 ${ms(r.p50).padStart(6)} ms   p99 ${ms(r.p99).padStart(6)} ms   (${r.done} requests, ${(r.bytes / 1024).toFixed(0)} KiB each${st})${ratio}${err}`);
  if (r.errors) process.exitCode = 1;
}

/** The baseline: a Hono app with one small server-rendered page and nothing else. */
async function bareServer(): Promise<{ url: string; stop: () => Promise<void> }> {
  const app = new Hono();
  app.get('/', (c) => c.html(html`<!doctype html><html lang="ja"><head><meta charset="utf-8"><title>Kyodo</title></head><body><main><h1>研修一覧</h1><p>${'協働推進研修'}</p></main></body></html>`));
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  return { url: `http://127.0.0.1:${port}/`, stop: () => new Promise<void>((r) => server.close(() => r())) };
}

async function measure(label: string, server: RunningServer, bare: Run) {
  const ctx = server.ctx;
  const t0 = performance.now();
  const loaded = await loadSampleData(ctx, null);
  const password = 'bench-password-2026';
  await createPerson(ctx, null, { name: '計測 管理', kana: 'ケイソク カンリ', email: 'bench-pages@pref.example.jp', affiliation: 'prefecture', roles: ['admin', 'staff'] }, { passwordHash: await hashPassword(password) });
  const { sessionToken } = await login(ctx, { email: 'bench-pages@pref.example.jp', password }, { ip: '127.0.0.1', userAgent: 'kyodo-bench' });
  console.log(`\n${label}: sample data (${loaded.units} units, ${loaded.people} people, ${loaded.programmes} programmes) loaded in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const headers = { Cookie: `${SESSION_COOKIE}=${sessionToken}` };
  // The same app in-process, its database wrapped to count the statements one request sends.
  const counter = new StatementCounter();
  const counted = createApp({ ...ctx, db: ctx.db.withPlugin(counter) }).app;
  for (const p of PAGES) {
    counter.n = 0;
    await counted.request(`${server.url}${p.path}`, { headers });
    const statements = counter.n;
    const r = await load(`${server.url}${p.path}`, headers);
    line(p.what, r, bare, statements);
    summary.push({ bench: 'pages', db: label, what: `${p.what} (${statements} statements)`, value: `${r.rate.toFixed(0)} req/s, p50 ${ms(r.p50)} ms, p99 ${ms(r.p99)} ms`, baseline: `bare page ${bare.rate.toFixed(0)} req/s`, ratio: (r.rate / bare.rate).toFixed(3) });
  }
}

export async function pages(): Promise<void> {
  console.log(`\npages: loopback HTTP, ${CONCURRENCY} requests in flight, up to ${REQUESTS()} requests or ${MAX_SECONDS} s per page, client in the same process`);
  const b = await bareServer();
  let bare: Run;
  try {
    bare = await load(b.url, {}, REQUESTS() * 5);
    line('bare Hono page (baseline)', bare);
    summary.push({ bench: 'pages', db: '—', what: 'bare Hono page', value: `${bare.rate.toFixed(0)} req/s, p50 ${ms(bare.p50)} ms, p99 ${ms(bare.p99)} ms`, baseline: '—', ratio: '1' });
  } finally {
    await b.stop();
  }
  const quiet = () => {};
  if (wants('pglite')) {
    const data = tempDir('kyodo-bench-pages-');
    const lite = await startServer(loadConfig({ KYODO_DATA_DIR: data.dir, PORT: '0', LOG_LEVEL: 'silent' }, { databaseUrl: null, smtpUrl: null }), quiet);
    try {
      await measure('PGlite', lite, bare);
    } finally {
      await lite.stop();
      data.remove();
    }
  }
  if (!wants('postgres')) return;
  const serverUrl = await postgresServerUrl();
  if (!serverUrl) {
    console.log(`\n${NO_POSTGRES}`);
    return;
  }
  const fresh = await freshDatabase(serverUrl, 'kyodo_bench_pages');
  const server = await startServer(loadConfig({ PORT: '0', LOG_LEVEL: 'silent' }, { databaseUrl: fresh.url, smtpUrl: null }), quiet);
  try {
    await measure('PostgreSQL', server, bare);
  } finally {
    await server.stop();
    await fresh.drop();
  }
}
