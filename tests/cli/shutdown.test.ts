import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../../src/services/api-token.service.js';
import { makeUser } from '../support/http.js';
import { makeOffering } from '../support/offerings.js';
import { exitOf, makeStore, serve, type Store } from './helpers.js';

/**
 * SIGTERM on `kyodo serve`: it stops accepting connections, lets the requests in flight finish,
 * stops its workers, closes the database, releases the data directory's lock and exits 0. The
 * requests in flight are made slow from the client's side: their bodies arrive only after the signal.
 */
let dir: string;
let store: Store;
let offeringId: number;
let tokens: string[];
const children: ChildProcess[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kyodo-shutdown-'));
  store = await makeStore(join(dir, 'data'), { LOG_LEVEL: 'info' });
  ({ offeringId, tokens } = await store.withDb(async (ctx) => {
    const o = await makeOffering(ctx, { capacity: 100 });
    const people = [];
    for (let i = 0; i < 30; i++) people.push(await makeUser(ctx, ['staff'], { email: `shutdown${i}@pref.example.jp` }));
    const tokens = [];
    for (const p of people) tokens.push((await createApiToken(ctx, null, p.id, { name: 'shutdown' })).token);
    return { offeringId: o.id, tokens };
  }));
}, 120_000);
afterAll(async () => {
  for (const c of children) c.kill('SIGKILL');
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A POST whose headers and first byte go now and the rest when `finish()` is called. */
function slowApply(base: string, token: string) {
  const body = '{"answers":{}}';
  const u = new URL(`${base}/api/v1/offerings/${offeringId}/applications`);
  let finish = () => {};
  const response = new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = request(
      { hostname: u.hostname, port: u.port, path: u.pathname, method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(body)) } },
      (res) => {
        let text = '';
        res.on('data', (d) => (text += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on('error', reject);
    req.write(body.slice(0, 1));
    finish = () => req.end(body.slice(1));
  });
  return { response, finish: () => finish() };
}

/** A GET on a new connection (fetch would reuse a kept-alive one). */
function freshGet(url: string) {
  return new Promise<number>((resolve, reject) => {
    const req = request(url, { agent: false }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

const apply = (base: string, token: string) =>
  fetch(`${base}/api/v1/offerings/${offeringId}/applications`, { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body: '{}' });

describe('graceful shutdown of kyodo serve', () => {
  it('on SIGTERM: finishes the requests in flight (slow ones and a burst), refuses new connections, releases the lock and exits 0', async () => {
    const server = await serve(store.env, children);
    const lock = join(store.dataDir, 'kyodo.lock');
    if (store.kind === 'pglite') expect(existsSync(lock)).toBe(true);
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200);

    const slow = tokens.slice(0, 3).map((t) => slowApply(server.url, t));
    // The burst goes over connections the server has already accepted (kept alive after a first request):
    // a connection still waiting in the kernel's accept queue when the listener closes is reset, as with
    // any server, and would prove nothing about requests in flight.
    await Promise.all(tokens.slice(3).map(() => fetch(`${server.url}/healthz`).then((r) => r.text())));
    const burst = tokens.slice(3).map((t) => apply(server.url, t));
    await Promise.race(burst);
    await new Promise((r) => setTimeout(r, 200));
    server.child.kill('SIGTERM');
    // The server says when it has stopped listening (its event loop may be busy with the burst for a moment).
    for (let i = 0; i < 200 && !server.output().includes('stopping: no new connections'); i++) await new Promise((r) => setTimeout(r, 50));

    // No new connections once the signal is handled…
    const fresh = await freshGet(`${server.url}/healthz`).then(String, (e: Error) => e.message);
    expect(fresh, server.output()).toMatch(/ECONNREFUSED|ECONNRESET/);
    // …but the slow requests that were already in flight complete normally.
    for (const s of slow) s.finish();
    const slowResults = await Promise.all(slow.map((s) => s.response));
    expect(slowResults.map((r) => r.status)).toEqual([201, 201, 201]);
    const burstResults = await Promise.all(burst);
    expect(burstResults.map((r) => r.status).every((s) => s === 201)).toBe(true);

    expect(await exitOf(server)).toEqual({ code: 0, signal: null });
    expect(server.output()).toContain('Kyodo stopped.');
    expect(server.output()).toContain('"msg":"shutdown requested"');
    if (store.kind === 'pglite') expect(existsSync(lock)).toBe(false);

    // Every acknowledged application is there.
    const ids = [...slowResults.map((r) => JSON.parse(r.body).id), ...(await Promise.all(burstResults.map((r) => r.json()))).map((b: { id: number }) => b.id)];
    const stored = await store.withDb((ctx) => ctx.db.selectFrom('applications').select('id').where('offering_id', '=', offeringId).execute());
    expect(stored.map((r) => r.id).sort()).toEqual(ids.sort());
  }, 180_000);

  it('bounded: a request that never finishes is cut off after KYODO_SHUTDOWN_TIMEOUT_MS, and the process still exits 0 and releases the lock', async () => {
    const server = await serve({ ...store.env, KYODO_SHUTDOWN_TIMEOUT_MS: '1500' }, children);
    const stalled = slowApply(server.url, tokens[0]);
    stalled.response.catch(() => {});
    await new Promise((r) => setTimeout(r, 300));
    const t0 = Date.now();
    server.child.kill('SIGTERM');
    expect(await exitOf(server, 30_000)).toEqual({ code: 0, signal: null });
    expect(Date.now() - t0).toBeLessThan(15_000);
    expect(server.output()).toContain('some requests were cut off');
    await expect(stalled.response).rejects.toThrow();
    if (store.kind === 'pglite') expect(existsSync(join(store.dataDir, 'kyodo.lock'))).toBe(false);
  }, 120_000);
});
