import { sql } from 'kysely';
import { loadConfig } from '../src/config/index.js';
import { hashPassword, sha256 } from '../src/lib/crypto.js';
import { type RunningServer, startServer } from '../src/server.js';
import { freshDatabase, NO_POSTGRES, percentile, pool, postgresServerUrl, summary, tempDir, wants } from './support.js';

const APPLICANTS = 2000;
const CAPACITY = 100;
const CONCURRENCY = 100;

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
  summary.push({ bench: 'registration', db: label, what: `${APPLICANTS} applications, ${CONCURRENCY} in flight`, value: `${appRate.toFixed(0)} req/s, p99 ${percentile(app.latencies, 99).toFixed(0)} ms`, baseline: `insert tx ${baseRate.toFixed(0)} tx/s`, ratio: (appRate / baseRate).toFixed(2) });
  summary.push({ bench: 'registration', db: label, what: `confirmed of ${CAPACITY} seats`, value: String(confirmed), baseline: '', ratio: ok ? 'OK' : 'MISMATCH' });
  if (!ok) process.exitCode = 1;
}

export async function registration(): Promise<void> {
  const quiet = () => {};
  if (wants('pglite')) {
    const data = tempDir('kyodo-bench-');
    const lite = await startServer(loadConfig({ KYODO_DATA_DIR: data.dir, PORT: '0', LOG_LEVEL: 'silent' }, { databaseUrl: null, smtpUrl: null }), quiet);
    try {
      await measure('PGlite', lite);
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
  const fresh = await freshDatabase(serverUrl, 'kyodo_bench');
  const server = await startServer(loadConfig({ PORT: '0', LOG_LEVEL: 'silent' }, { databaseUrl: fresh.url, smtpUrl: null }), quiet);
  try {
    await measure('PostgreSQL', server);
  } finally {
    await server.stop();
    await fresh.drop();
  }
}
