import { createServer, type Server, type Socket, connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { createApp } from '../../src/http/app.js';
import { kyselyOnPostgres } from '../../src/db/database.js';
import { createTestDb, type TestDb, testConfig } from '../support/db.js';
import { makeUser } from '../support/http.js';

/** A TCP proxy in front of PostgreSQL that the test can cut and restore: a real network fault. */
class Proxy {
  server: Server | null = null;
  sockets = new Set<Socket>();
  constructor(
    readonly port: number,
    readonly target: { host: string; port: number },
  ) {}
  start(): Promise<void> {
    this.server = createServer((client) => {
      const upstream = connect(this.target.port, this.target.host);
      this.sockets.add(client).add(upstream);
      client.pipe(upstream).pipe(client);
      const close = () => {
        client.destroy();
        upstream.destroy();
      };
      client.on('error', close).on('close', close);
      upstream.on('error', close).on('close', close);
    });
    return new Promise((r) => this.server!.listen(this.port, '127.0.0.1', () => r()));
  }
  stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
    return new Promise((r) => (this.server ? this.server.close(() => r()) : r()));
  }
}

describe.runIf(!!inject('databaseUrl'))('database outage (PostgreSQL)', () => {
  let tdb: TestDb;
  let proxy: Proxy;
  beforeAll(async () => {
    tdb = await createTestDb();
    const u = new URL(tdb.url!);
    const free = createServer();
    const port = await new Promise<number>((r) => free.listen(0, '127.0.0.1', () => r((free.address() as { port: number }).port)));
    await new Promise((r) => free.close(r));
    proxy = new Proxy(port, { host: u.hostname, port: Number(u.port) });
    await proxy.start();
  });
  afterAll(async () => {
    await proxy.stop();
    await tdb.close();
  });

  it('answers 503 with a clear page while the database is unreachable, and recovers by itself', async () => {
    const u = new URL(tdb.url!);
    u.port = String(proxy.port);
    const { db } = kyselyOnPostgres(u.toString(), 3);
    const ctx = { db, dbKind: 'postgres' as const, config: testConfig(), now: () => new Date(), kickOutbox: () => {} };
    await makeUser({ ...ctx, db: tdb.db }, ['staff'], { email: 'outage@pref.example.jp' });
    const { app } = createApp(ctx);
    const get = (p: string) => app.request(`http://kyodo.test${p}`);
    expect((await get('/healthz')).status).toBe(200);
    expect((await get('/login')).status).toBe(200);

    await proxy.stop();
    const health = await get('/healthz');
    expect(health.status).toBe(503);
    const page = await get('/verify/KYODO-2026-000001');
    expect(page.status).toBe(503);
    expect(page.headers.get('retry-after')).toBe('10');
    expect(await page.text()).toContain('データベースに接続できないため、現在ご利用いただけません。');
    const apiRes = await app.request('http://kyodo.test/api/v1/me', { headers: { Authorization: 'Bearer kyodo_x' } });
    expect(apiRes.status).toBe(503);
    expect((await apiRes.json()).error.code).toBe('unavailable');

    await proxy.start();
    let ok = false;
    for (let i = 0; i < 20 && !ok; i++) {
      ok = (await get('/healthz')).status === 200;
      if (!ok) await new Promise((r) => setTimeout(r, 250));
    }
    expect(ok).toBe(true);
    expect((await get('/login')).status).toBe(200);
    await db.destroy();
  });
});
