import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../../src/services/api-token.service.js';
import { makeUser } from '../support/http.js';
import { makeOffering } from '../support/offerings.js';
import { exitOf, makeStore, serve, type Store } from './helpers.js';

/**
 * `kill -9` of the real server in the middle of a burst of applications, then a restart: every
 * application the server acknowledged (2xx) is there with the status it was acknowledged with, and
 * nothing is half-written (no more confirmed seats than capacity, every application has its audit
 * entry and its notice in the outbox, written in the same transaction). PGlite in the default pass,
 * PostgreSQL when DATABASE_URL is set.
 */
const CAPACITY = 10;
const PEOPLE = 80;
let dir: string;
let store: Store;
let offeringId: number;
let tokens: string[];
const children: ChildProcess[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kyodo-kill-'));
  store = await makeStore(join(dir, 'data'));
  ({ offeringId, tokens } = await store.withDb(async (ctx) => {
    const o = await makeOffering(ctx, { capacity: CAPACITY, waitlist: true });
    const tokens: string[] = [];
    for (let i = 0; i < PEOPLE; i++) {
      const p = await makeUser(ctx, ['staff'], { email: `kill${i}@pref.example.jp` });
      tokens.push((await createApiToken(ctx, null, p.id, { name: 'kill' })).token);
    }
    return { offeringId: o.id, tokens };
  }));
}, 180_000);
afterAll(async () => {
  for (const c of children) c.kill('SIGKILL');
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('kill -9 during a burst of applications', () => {
  it('after a restart, every acknowledged application is present and nothing is half-written', async () => {
    const server = await serve(store.env, children);
    const acked = new Map<number, string>();
    let killed = false;
    // A steady burst: 8 requests in flight at every moment, so that the kill always finds some in
    // flight and some not yet sent (applications arriving together are answered together, so 80 sent
    // at once can all be answered before the 12th answer is even read).
    const IN_FLIGHT = 8;
    const statuses: (number | 'lost')[] = [];
    let next = 0;
    const send = (token: string) =>
      fetch(`${server.url}/api/v1/offerings/${offeringId}/applications`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        body: '{}',
      })
        .then(async (res) => {
          if (res.status >= 200 && res.status < 300) {
            const b = (await res.json()) as { id: number; status: string };
            acked.set(b.id, b.status);
            // Kill in the middle: after a handful of acknowledgements, with more of the burst to come.
            if (acked.size >= 12 && !killed) {
              killed = true;
              server.child.kill('SIGKILL');
            }
          }
          return res.status;
        })
        .catch(() => 'lost' as const);
    const results = Array.from({ length: IN_FLIGHT }, async () => {
      for (let i = next++; i < tokens.length; i = next++) statuses.push(await send(tokens[i]));
    });
    await Promise.all(results);
    if (!killed) server.child.kill('SIGKILL');
    expect(await exitOf(server)).toEqual({ code: null, signal: 'SIGKILL' });
    expect(acked.size).toBeGreaterThanOrEqual(12);
    // The kill did interrupt the burst (otherwise this test proves nothing).
    expect(statuses.filter((s) => s === 'lost').length).toBeGreaterThan(0);

    // Restart: the server comes up on the same data (a lock left by a killed process is taken over) and is ready.
    const again = await serve(store.env, children);
    expect((await fetch(`${again.url}/readyz`)).status).toBe(200);
    again.child.kill('SIGTERM');
    expect(await exitOf(again)).toEqual({ code: 0, signal: null });

    await store.withDb(async (ctx) => {
      const apps = await ctx.db.selectFrom('applications').select(['id', 'status', 'person_id', 'waitlist_order']).where('offering_id', '=', offeringId).execute();
      const byId = new Map(apps.map((a) => [a.id, a]));
      // Every acknowledged application, with the status it was acknowledged with.
      for (const [id, status] of acked) expect(byId.get(id)?.status, `application ${id}`).toBe(status);
      // Capacity held.
      expect(apps.filter((a) => a.status === 'confirmed').length).toBeLessThanOrEqual(CAPACITY);
      // One application per person; waitlist positions unique.
      expect(new Set(apps.map((a) => a.person_id)).size).toBe(apps.length);
      const orders = apps.filter((a) => a.status === 'waitlisted').map((a) => a.waitlist_order);
      expect(new Set(orders).size).toBe(orders.length);
      // Each application committed with its audit entry and its notice (same transaction), none without.
      const audited = await sql<{ entity_id: string }>`SELECT entity_id FROM audit_log WHERE entity = 'application' AND action = 'apply'`.execute(ctx.db);
      expect(new Set(audited.rows.map((r) => Number(r.entity_id)))).toEqual(new Set(apps.map((a) => a.id)));
      const mailed = await sql<{ n: number }>`
        SELECT count(DISTINCT o.to_address) AS n FROM outbox o JOIN people p ON p.email = o.to_address
        JOIN applications a ON a.person_id = p.id AND a.offering_id = ${offeringId}`.execute(ctx.db);
      expect(Number(mailed.rows[0].n)).toBe(apps.length);
    });
  }, 240_000);
});
