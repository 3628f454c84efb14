import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { confirmEnrolment, enrolment, secondFactorStatus } from '../../src/services/second-factor.service.js';
import { makeUser } from '../support/http.js';
import { totpCode } from '../support/totp.js';
import { kyodo, makeStore, type Store } from './helpers.js';

// `kyodo second-factor reset EMAIL` (issue 20 §1, decision 0025): an admin has lost the phone.
let dir: string;
let store: Store;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kyodo-second-factor-'));
  store = await makeStore(join(dir, 'data'));
}, 60_000);
afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('kyodo second-factor reset', () => {
  it('removes the person’s second factor, says so, and is audited; refuses an unknown address and a wrong usage', async () => {
    const admin = await store.withDb(async (ctx) => {
      const p = await makeUser(ctx, ['admin', 'staff'], { email: 'lost-phone@pref.example.jp' });
      const { secret } = await enrolment(ctx, p);
      await confirmEnrolment(ctx, p, { code: totpCode(secret, new Date()) });
      return p;
    });

    const r = await kyodo(store.env, 'second-factor', 'reset', 'Lost-Phone@pref.example.jp');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('second factor removed for <lost-phone@pref.example.jp>');

    await store.withDb(async (ctx) => {
      expect((await secondFactorStatus(ctx, { id: admin.id, roles: ['admin', 'staff'] })).enrolled).toBe(false);
      const entry = await ctx.db.selectFrom('audit_log').selectAll().where('action', '=', 'second_factor_reset').where('entity_id', '=', String(admin.id)).executeTakeFirstOrThrow();
      expect(entry.after).toMatchObject({ by: 'cli' });
    });

    const again = await kyodo(store.env, 'second-factor', 'reset', 'lost-phone@pref.example.jp');
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('had no second factor');

    const unknown = await kyodo(store.env, 'second-factor', 'reset', 'nobody@pref.example.jp');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('No person with email nobody@pref.example.jp');

    const usage = await kyodo(store.env, 'second-factor', 'remove');
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('Usage: kyodo second-factor reset EMAIL');

    expect((await kyodo(store.env, 'help')).stdout).toContain('second-factor reset EMAIL');
  }, 120_000);
});
