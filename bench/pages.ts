// `npm run bench -- pages`: pages an administrator opens every day, over loopback HTTP with a real
// session cookie, each beside two references measured in the same run with the same client:
//  - the one-query page: a route registered only inside this process (never in the product) that runs
//    ONE indexed query through the same stack (Hono and its middleware, the session cookie, Kysely, the
//    page layout) on the database being measured; each page's ratio to it is the last column;
//  - the bare Hono page: one small HTML page and nothing else, the ceiling of this client.
// Sample data: the catalogue, the dashboard, the plan-item sheet and the person list (with the sample's
// people, then with 50,000). With KYODO_BENCH_SCALE set (1: the full size), also the dashboard and the
// plan-item sheet on ten years of synthetic records (bench/synthetic.ts) in a database of their own.
import http from 'node:http';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { html } from 'hono/html';
import { CompiledQuery, type KyselyPlugin, type PluginTransformQueryArgs, type PluginTransformResultArgs, type QueryResult, type RootOperationNode, type UnknownRow } from 'kysely';
import { loadConfig } from '../src/config/index.js';
import { createApp } from '../src/http/app.js';
import { SESSION_COOKIE } from '../src/http/middleware/session.js';
import { page } from '../src/http/page.js';
import { hashPassword } from '../src/lib/crypto.js';
import { login } from '../src/services/account.service.js';
import type { AppContext } from '../src/services/context.js';
import { createPerson } from '../src/services/person.service.js';
import { loadSampleData } from '../src/services/sample-data/sample-data.service.js';
import { startServer } from '../src/server.js';
import type { BenchDb } from './database.js';
import { reportSizes } from './reports.js';
import { freshDatabase, ms, NO_POSTGRES, percentile, pool, postgresServerUrl, scaled, summary, tempDir, wants } from './support.js';
import { loadSynthetic } from './synthetic.js';

const CONCURRENCY = 10;
/** At most this many requests per page, and at most this long: whichever comes first. */
const REQUESTS = () => scaled(2_000, 200);
const MAX_SECONDS = 15;
/** Each page is measured this many times, each time right after the one-query page, with this many requests. */
const PAIRS = 3;
const PAIR_REQUESTS = () => scaled(1_000, 100);
/**
 * Requests (or seconds, whichever comes first) each page gets before it is measured, so that V8 has compiled
 * its code: with 20, a page measured first on a database (the one-query page) ran colder than the pages
 * after it, and colder in a run of one database than in a whole run.
 */
const WARM_REQUESTS = () => scaled(400, 40);
const WARM_SECONDS = 3;
/** A page whose single request takes longer than this is measured one request at a time, a few times. */
const SLOW_MS = 500;
/** People in the large person list. */
const MANY_PEOPLE = 50_000;
/** The bench-only route: one indexed query (a person by primary key) through the whole stack. */
const ONE_QUERY_PATH = '/__bench/one-query';

interface Run {
  rate: number;
  p50: number;
  p99: number;
  done: number;
  errors: number;
  bytes: number;
  /** One request at a time (a slow page). */
  serial?: boolean;
}

/**
 * Loads `url` with the client used for every page: node:http with a keep-alive agent (one socket per
 * request in flight), fixed concurrency, bounded count and time. Loopback only. A page slower than
 * SLOW_MS is measured one request at a time, at most 5 times, so that a run stays short.
 */
async function load(url: string, headers: Record<string, string>, requests = REQUESTS(), warm = true): Promise<Run> {
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
    const first = await pool(1, 1, get); // warm-up, not measured
    if (first.latencies[0] > SLOW_MS) {
      errors = 0;
      const run = await pool(first.latencies[0] > 5_000 ? 3 : 5, 1, get);
      return { rate: run.done / run.seconds, p50: percentile(run.latencies, 50), p99: percentile(run.latencies, 99), done: run.done, errors, bytes, serial: true };
    }
    if (warm) await pool(WARM_REQUESTS(), CONCURRENCY, get, WARM_SECONDS); // warm-up, not measured
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

const figure = (r: Run) => `${r.rate >= 10 ? r.rate.toFixed(0) : r.rate.toFixed(1)} req/s, p50 ${ms(r.p50)} ms, p99 ${ms(r.p99)} ms${r.serial ? ' (one at a time)' : ''}`;

function line(what: string, r: Run, refs: { oneQuery?: Run; bare?: Run } = {}, statements?: number | string, note = '') {
  const ratio = (ref: Run | undefined, name: string) => (ref ? `   ${name} ${(r.rate / ref.rate).toFixed(3)}` : '');
  const err = r.errors ? `   ERRORS: ${r.errors}` : '';
  const st = statements === undefined ? '' : `, ${statements} SQL statements`;
  const rate = r.rate >= 10 ? r.rate.toFixed(0) : r.rate.toFixed(1);
  console.log(
    `  ${what.padEnd(42)} ${rate.padStart(6)} req/s   p50 ${ms(r.p50).padStart(6)} ms   p99 ${ms(r.p99).padStart(6)} ms   (${r.done} requests${r.serial ? ' one at a time' : ''}, ${(r.bytes / 1024).toFixed(0)} KiB each${st})${ratio(refs.bare, '÷ bare')}${ratio(refs.oneQuery, '÷ one-query')}${note}${err}`,
  );
  if (r.errors) process.exitCode = 1;
}

/** The second reference: a Hono app with one small server-rendered page and nothing else. */
async function bareServer(): Promise<{ url: string; stop: () => Promise<void> }> {
  const app = new Hono();
  app.get('/', (c) => c.html(html`<!doctype html><html lang="ja"><head><meta charset="utf-8"><title>Kyodo</title></head><body><main><h1>研修一覧</h1><p>${'協働推進研修'}</p></main></body></html>`));
  return listen(app.fetch);
}

async function listen(fetch: (req: Request) => Response | Promise<Response>): Promise<{ url: string; stop: () => Promise<void> }> {
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  return { url: `http://127.0.0.1:${port}`, stop: () => new Promise<void>((r) => server.close(() => r())) };
}

/**
 * The product's app on this database, plus the bench-only one-query route, served on a port of its
 * own. The route is added to this process's app object only: createApp registers nothing of it, so
 * the product never has it. Its guard is the session: no user, no page (as the admin routes require).
 */
async function benchApp(ctx: AppContext, counter?: StatementCounter) {
  const { app } = createApp(counter ? { ...ctx, db: ctx.db.withPlugin(counter) } : ctx);
  app.get(ONE_QUERY_PATH, async (c) => {
    const user = c.get('user');
    if (!user) return c.text('login required', 401);
    const p = await c.get('ctx').db.selectFrom('people').select(['id', 'name', 'kana']).where('id', '=', user.id).executeTakeFirstOrThrow();
    return page(c, p.name, `${p.kana}（${p.id}）`);
  });
  return app;
}

/** An administrator with a session: the cookie header each request sends. */
async function adminSession(ctx: AppContext): Promise<Record<string, string>> {
  const password = 'bench-password-2026';
  const email = `bench-pages-${Date.now().toString(36)}@pref.example.jp`;
  await createPerson(ctx, null, { name: '計測 管理', kana: 'ケイソク カンリ', email, affiliation: 'prefecture', roles: ['admin', 'staff'] }, { passwordHash: await hashPassword(password) });
  const { sessionToken } = await login(ctx, { email, password }, { ip: '127.0.0.1', userAgent: 'kyodo-bench' });
  return { Cookie: `${SESSION_COOKIE}=${sessionToken}` };
}

/** Runs raw SQL through the server's own Kysely (bench/synthetic.ts needs only `raw` and `kind`). */
function rawOn(ctx: AppContext, kind: 'pglite' | 'postgres', label: string): BenchDb {
  return {
    kind,
    label,
    db: ctx.db,
    ctx,
    raw: async (text, parameters = []) => ({ rows: [...(await ctx.db.executeQuery(CompiledQuery.raw(text, [...parameters]))).rows] }),
    record: () => {
      throw new Error('not used');
    },
    close: async () => {},
  };
}

const KATA = `'アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワンガギグゲゴザジズゼゾダヂヅデドバビブベボパピプペポョュャッ'`;
const HIRA = `'あいうえおかきくけこさしすせそたちつてとなにぬねのはひふへほまみむめもやゆよらりるれろわんがぎぐげござじずぜぞだぢづでどばびぶべぼぱぴぷぺぽょゅゃっ'`;

/**
 * Adds people (set-based, with the search key as personSearchKey makes it: kana as hiragana, no spaces)
 * until there are `total`, then runs the maintenance an import of people runs.
 */
async function growPeople(b: BenchDb, total: number): Promise<number> {
  const have = Number(Object.values((await b.raw('SELECT count(*) AS n FROM people')).rows[0] as object)[0]);
  const add = Math.max(0, total - have);
  const t0 = performance.now();
  // Kana from a few family and given names, so that the 50音 order interleaves the rows.
  await b.raw(
    `WITH x AS (SELECT g, (ARRAY['アオキ','イトウ','ウエダ','エノモト','オオタ','カトウ','キムラ','クドウ','ケンモチ','コバヤシ','サトウ','シミズ','スズキ','セキ','ソノダ','タナカ','チバ','ツジ','テラダ','ナカムラ','ハヤシ','マツモト','ヤマダ','ワタナベ'])[1 + g % 24] AS family,
                       (ARRAY['アキラ','ケイコ','サトシ','ナオミ','ヒロシ','マサコ','ユウタ','リョウ'])[1 + (g / 24) % 8] AS given
                FROM generate_series(1, $1::int) g),
          u AS (SELECT array_agg(id ORDER BY id) AS ids FROM units)
     INSERT INTO people (name, kana, email, staff_number, unit_id, affiliation, search_key, active, created_at, updated_at)
     SELECT '計測 職員' || g, family || ' ' || given, 'many' || g || '@pref.example.jp', 'M' || lpad(g::text, 7, '0'),
            ids[1 + g % cardinality(ids)], 'prefecture', '計測職員' || g || '|' || translate(family || given, ${KATA}, ${HIRA}) || '|many' || g || '@pref.example.jp|m' || lpad(g::text, 7, '0'),
            g % 40 <> 0, now(), now()
     FROM x, u`,
    [add],
  );
  await b.raw(`INSERT INTO person_roles (person_id, role) SELECT id, 'staff' FROM people WHERE email LIKE 'many%@pref.example.jp'`);
  // What the product runs after an import of people (db/database.ts): on PGlite VACUUM (ANALYZE) of each
  // table, on PostgreSQL ANALYZE. A PostgreSQL installation's autovacuum then vacuums the inserted rows
  // within its naptime (a minute; autovacuum_vacuum_insert_threshold): the VACUUM here stands for it.
  const { maintainAfterBulkWrite } = await import('../src/db/database.js');
  const run = await maintainAfterBulkWrite(b.db, ['people', 'person_roles', 'audit_log']);
  if (b.kind === 'postgres') await b.raw('VACUUM people, person_roles');
  console.log(`  ${add} people added (set-based) in ${((performance.now() - t0 - run.ms) / 1000).toFixed(1)} s; the import's maintenance took ${run.ms} ms (longest statement ${run.longestMs} ms)`);
  return add;
}

interface Served {
  ctx: AppContext;
  kind: 'pglite' | 'postgres';
  stop: () => Promise<void>;
}

/** Kyodo started as operators start it (`startServer`: open, migrate, worker, schedules) on a new database. */
async function start(kind: 'pglite' | 'postgres', name: string): Promise<Served | null> {
  const quiet = () => {};
  if (kind === 'pglite') {
    const data = tempDir(`kyodo-bench-${name}-`);
    const s = await startServer(loadConfig({ KYODO_DATA_DIR: data.dir, PORT: '0', LOG_LEVEL: 'silent' }, { databaseUrl: null, smtpUrl: null }), quiet);
    return { ctx: s.ctx, kind, stop: async () => (await s.stop(), data.remove()) };
  }
  const serverUrl = await postgresServerUrl();
  if (!serverUrl) return null;
  const fresh = await freshDatabase(serverUrl, `kyodo_bench_${name}`);
  const s = await startServer(loadConfig({ PORT: '0', LOG_LEVEL: 'silent' }, { databaseUrl: fresh.url, smtpUrl: null }), quiet);
  return { ctx: s.ctx, kind, stop: async () => (await s.stop(), await fresh.drop()) };
}

/** Measures each page on the served app and records it with its ratio to the one-query page. */
async function measurePages(label: string, ctx: AppContext, headers: Record<string, string>, list: { path: string; what: string }[], refs: { oneQuery: Run; bare: Run }) {
  const counter = new StatementCounter();
  const counted = await benchApp(ctx, counter);
  const served = await listen((await benchApp(ctx)).fetch);
  try {
    for (const p of list) {
      // Statements of a request: the first view (which may compute and store figures, decision 0022),
      // then a second one, as the measured requests are.
      const probes: number[] = [];
      for (let i = 0; i < 2; i++) {
        counter.n = 0;
        const probe = await counted.request(`${served.url}${p.path}`, { headers });
        if (probe.status !== 200) throw new Error(`${p.path} answered ${probe.status}`);
        await probe.arrayBuffer();
        probes.push(counter.n);
      }
      const [first, statements] = probes as [number, number];
      const stmtText = first === statements ? `${statements}` : `${statements}; first view ${first}`;
      // PAIRS times: the reference right before the page, on the same server, then the page; the page's
      // ratio is the median of the pairs' ratios (a machine shared with other work drifts within a run,
      // by ±15 % between two measurements of the same page). A slow page (one request at a time) once.
      const pairs: { oneQuery: Run; page: Run }[] = [];
      for (let i = 0; i < PAIRS; i++) {
        // Warmed up before the first pair only: the later ones run on code already warm.
        const oneQuery = await load(`${served.url}${ONE_QUERY_PATH}`, headers, PAIR_REQUESTS(), i === 0);
        const page = await load(`${served.url}${p.path}`, headers, PAIR_REQUESTS(), i === 0);
        pairs.push({ oneQuery, page });
        if (page.serial) break;
      }
      const ratios = pairs.map((x) => x.page.rate / x.oneQuery.rate).sort((a, b) => a - b);
      const mid = pairs.find((x) => x.page.rate / x.oneQuery.rate === ratios[(ratios.length - 1) >> 1])!;
      const ratioText = ratios.map((x) => x.toFixed(2)).join(', ');
      line(p.what, mid.page, { ...refs, oneQuery: mid.oneQuery }, stmtText, ` (the median of ${pairs.length}: ${ratioText}; one-query page just before: ${mid.oneQuery.rate.toFixed(0)} req/s)`);
      summary.push({ bench: 'pages', db: label, what: `${p.what} (${stmtText} statements)`, value: figure(mid.page), baseline: `one-query page ${mid.oneQuery.rate.toFixed(0)} req/s, just before (ratios ${ratioText})`, ratio: (mid.page.rate / mid.oneQuery.rate).toFixed(3) });
    }
  } finally {
    await served.stop();
  }
}

async function onDatabase(kind: 'pglite' | 'postgres', bare: Run) {
  const label = kind === 'pglite' ? 'PGlite' : 'PostgreSQL';
  const s = await start(kind, 'pages');
  if (!s) return console.log(`\n${NO_POSTGRES}`);
  try {
    const t0 = performance.now();
    const loaded = await loadSampleData(s.ctx, null);
    // What an installation has by the time people use it: the scheduled maintenance's first run (every
    // table) and, on PostgreSQL, autovacuum's VACUUM of the rows just written; measured without, the
    // pages ran while autovacuum worked through the sample data on the same two cores.
    const { maintain } = await import('../src/db/database.js');
    await maintain(s.ctx.db, { everyTable: true });
    if (kind === 'postgres') await rawOn(s.ctx, kind, label).raw('VACUUM');
    const headers = await adminSession(s.ctx);
    console.log(`\n${label}: sample data (${loaded.units} units, ${loaded.people} people, ${loaded.programmes} programmes) loaded in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    // The reference of this database: one indexed query through the same stack.
    const served = await listen((await benchApp(s.ctx)).fetch);
    let oneQuery: Run;
    try {
      oneQuery = await load(`${served.url}${ONE_QUERY_PATH}`, headers);
    } finally {
      await served.stop();
    }
    line('one-query page (reference)', oneQuery, { bare });
    summary.push({ bench: 'pages', db: label, what: 'one-query page (1 indexed query + session)', value: figure(oneQuery), baseline: `bare page ${bare.rate.toFixed(0)} req/s`, ratio: '1' });
    const refs = { oneQuery, bare };
    const people = Number(Object.values((await rawOn(s.ctx, kind, label).raw('SELECT count(*) FROM people')).rows[0] as object)[0]);
    await measurePages(label, s.ctx, headers, [
      { path: '/trainings', what: 'catalogue /trainings' },
      { path: '/admin/reports', what: 'dashboard /admin/reports' },
      { path: `/admin/plan-items/${loaded.planItemId}`, what: 'plan-item sheet' },
      { path: '/admin/people', what: `person list /admin/people (${people} people)` },
    ], refs);
    await growPeople(rawOn(s.ctx, kind, label), MANY_PEOPLE);
    const many = MANY_PEOPLE.toLocaleString('en');
    await measurePages(label, s.ctx, headers, [
      { path: '/admin/people', what: `person list /admin/people (${many} people)` },
      { path: '/admin/people?sort=kana&dir=desc&page=400', what: `person list, page 400 by フリガナ desc (${many})` },
      { path: `/admin/people?q=${encodeURIComponent('タナカ')}`, what: `person list, search タナカ (${many})` },
    ], refs);
    if (process.env.KYODO_BENCH_SCALE) await synthetic(kind, label, refs);
  } finally {
    await s.stop();
  }
}

/** The dashboard and the plan-item sheet on ten years of synthetic records, in a database of their own. */
async function synthetic(kind: 'pglite' | 'postgres', label: string, refs: { oneQuery: Run; bare: Run }) {
  const s = await start(kind, 'pages_years');
  if (!s) return;
  try {
    const sizes = reportSizes();
    const data = await loadSynthetic(rawOn(s.ctx, kind, label), sizes);
    console.log(`\n${label}: synthetic records (${data.counts.people} people, ${data.counts.applications} applications, fiscal years ${data.fiscalYears[0]}–${data.fiscalYears.at(-1)}) loaded in ${data.seconds.toFixed(1)} s`);
    const headers = await adminSession(s.ctx);
    await measurePages(label, s.ctx, headers, [
      { path: '/admin/reports', what: `dashboard, ${sizes.years} years (${sizes.people} people)` },
      { path: `/admin/plan-items/${data.planItemId}`, what: `plan-item sheet, ${sizes.years} years` },
    ], refs);
  } finally {
    await s.stop();
  }
}

export async function pages(): Promise<void> {
  console.log(`\npages: loopback HTTP, ${CONCURRENCY} requests in flight, up to ${REQUESTS()} requests or ${MAX_SECONDS} s per page (pages slower than ${SLOW_MS} ms: one at a time), client in the same process`);
  const b = await bareServer();
  let bare: Run;
  try {
    bare = await load(`${b.url}/`, {}, REQUESTS() * 5);
    line('bare Hono page (second reference)', bare);
    summary.push({ bench: 'pages', db: '—', what: 'bare Hono page', value: figure(bare), baseline: '—', ratio: '—' });
  } finally {
    await b.stop();
  }
  if (wants('pglite')) await onDatabase('pglite', bare);
  if (wants('postgres')) await onDatabase('postgres', bare);
}
