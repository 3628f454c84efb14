import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerPoolKey } from '../../src/lib/answer-key.js';
import { sha256 } from '../../src/lib/crypto.js';
import { open } from '../../src/lib/sealed-box.js';
import { passwordLogin } from '../../src/services/account.service.js';
import {
  completeSecondFactor,
  confirmEnrolment,
  enrolment,
  pendingSignIn,
  resetSecondFactor,
  secondFactorStatus,
} from '../../src/services/second-factor.service.js';
import { createTestDb, type TestDb, testContext, TestClock } from '../support/db.js';
import { makeUser, PASSWORD } from '../support/http.js';
import { base32Decode, totpCode } from '../support/totp.js';

// Issue 20 §1 and decision 0025: how the second factor is kept and checked.
let tdb: TestDb;
let ctx: ReturnType<typeof testContext>;
const clock = new TestClock(new Date('2026-11-24T03:00:05Z'));
const meta = { ip: '10.1.0.1', userAgent: 'test' };

beforeAll(async () => {
  tdb = await createTestDb();
  ctx = testContext(tdb, { clock });
});
afterAll(() => tdb.close());

const nextStep = () => clock.advance(30_000);

async function enrolled(roles: Parameters<typeof makeUser>[1] = ['staff']) {
  const person = await makeUser(ctx, roles);
  const { secret } = await enrolment(ctx, person);
  const recovery = await confirmEnrolment(ctx, person, { code: totpCode(secret, clock.now()) });
  nextStep();
  return { person, secret, recovery };
}

async function pending(email: string): Promise<string> {
  const outcome = await passwordLogin(ctx, { email, password: PASSWORD }, meta);
  if (outcome.kind !== 'second_factor') throw new Error('expected a pending sign-in');
  return outcome.pendingToken;
}

describe('what the database holds', () => {
  it('keeps the secret sealed with the answer key, recovery codes and pending sign-ins only as hashes', async () => {
    const { person, secret, recovery } = await enrolled();
    const row = await tdb.db.selectFrom('second_factors').selectAll().where('person_id', '=', person.id).executeTakeFirstOrThrow();
    expect(row.secret_sealed).not.toContain(secret);
    expect(row.pending_secret_sealed).toBeNull();
    expect(open<{ secret: string }>(answerPoolKey(ctx.config), row.secret_sealed!)).toEqual({ secret });
    expect(base32Decode(secret)).toHaveLength(20);

    const codes = await tdb.db.selectFrom('second_factor_recovery_codes').selectAll().where('person_id', '=', person.id).execute();
    expect(codes).toHaveLength(10);
    const stored = JSON.stringify(codes);
    for (const c of recovery) {
      expect(stored).not.toContain(c);
      expect(stored).not.toContain(c.replace('-', ''));
    }

    const token = await pending(person.email);
    const p = await tdb.db.selectFrom('pending_sign_ins').selectAll().where('person_id', '=', person.id).executeTakeFirstOrThrow();
    expect(p.token_hash).toBe(sha256(token));
    expect(JSON.stringify(p)).not.toContain(token);
    expect(p.expires_at.getTime() - p.created_at.getTime()).toBe(5 * 60_000);
    expect(p.attempts).toBe(0);
  });

  it('makes no session and no pending sign-in for a person who has not enrolled', async () => {
    const person = await makeUser(ctx, ['staff']);
    const outcome = await passwordLogin(ctx, { email: person.email, password: PASSWORD }, meta);
    expect(outcome.kind).toBe('session');
    expect(await tdb.db.selectFrom('pending_sign_ins').select('token_hash').where('person_id', '=', person.id).execute()).toHaveLength(0);
  });
});

describe('checking codes', () => {
  it('allows one step of clock drift either way, not two', async () => {
    const { person, secret } = await enrolled();
    // (The step just before is the one enrolment used up: one more step on, it is unused.)
    nextStep();
    const token = await pending(person.email);
    await expect(completeSecondFactor(ctx, token, { code: totpCode(secret, clock.now(), -2) }, meta)).rejects.toMatchObject({ status: 401 });
    await expect(completeSecondFactor(ctx, token, { code: totpCode(secret, clock.now(), 2) }, meta)).rejects.toMatchObject({ status: 401 });
    const done = await completeSecondFactor(ctx, token, { code: totpCode(secret, clock.now(), -1) }, meta);
    expect(done.user.id).toBe(person.id);
    nextStep();
  });

  it('turns one pending sign-in into one session, however many requests race with the right code', async () => {
    const { person, secret } = await enrolled();
    const token = await pending(person.email);
    const code = totpCode(secret, clock.now());
    const results = await Promise.allSettled([1, 2, 3].map(() => completeSecondFactor(ctx, token, { code }, meta)));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const sessions = await tdb.db.selectFrom('sessions').select('id').where('person_id', '=', person.id).execute();
    expect(sessions).toHaveLength(1);
    nextStep();
  });

  it('a new authenticator replaces the old one only once its first code is right', async () => {
    const { person, secret: oldSecret } = await enrolled();
    const { secret: newSecret } = await enrolment(ctx, person, { fresh: true });
    expect(newSecret).not.toBe(oldSecret);
    // Until the new one is confirmed, the old one still signs in.
    let token = await pending(person.email);
    await completeSecondFactor(ctx, token, { code: totpCode(oldSecret, clock.now()) }, meta);
    nextStep();
    const recovery = await confirmEnrolment(ctx, person, { code: totpCode(newSecret, clock.now()) });
    expect(recovery).toHaveLength(10);
    nextStep();
    token = await pending(person.email);
    await expect(completeSecondFactor(ctx, token, { code: totpCode(oldSecret, clock.now()) }, meta)).rejects.toMatchObject({ status: 401 });
    await completeSecondFactor(ctx, token, { code: totpCode(newSecret, clock.now()) }, meta);
    nextStep();
  });
});

describe('kyodo second-factor reset', () => {
  it('removes the authenticator, the recovery codes and any waiting sign-in, and is audited; an admin under totp then enrols again', async () => {
    const admin = await makeUser(ctx, ['admin', 'staff']);
    const { secret } = await enrolment(ctx, admin);
    await confirmEnrolment(ctx, admin, { code: totpCode(secret, clock.now()) });
    nextStep();
    const token = await pending(admin.email);

    const r = await resetSecondFactor(ctx, admin.email.toUpperCase());
    expect(r).toEqual({ person: { id: admin.id, email: admin.email }, removed: true });
    expect((await secondFactorStatus(ctx, { id: admin.id, roles: ['admin', 'staff'] })).enrolled).toBe(false);
    expect(await tdb.db.selectFrom('second_factor_recovery_codes').select('code_hash').where('person_id', '=', admin.id).execute()).toHaveLength(0);
    expect(await pendingSignIn(ctx, token)).toBeNull();
    const entry = await tdb.db.selectFrom('audit_log').selectAll().where('action', '=', 'second_factor_reset').where('entity_id', '=', String(admin.id)).executeTakeFirstOrThrow();
    expect(entry.actor_id).toBeNull();
    expect(entry.after).toMatchObject({ by: 'cli', hadOne: true });

    expect((await resetSecondFactor(ctx, admin.email)).removed).toBe(false);
    await expect(resetSecondFactor(ctx, 'nobody@pref.example.jp')).rejects.toMatchObject({ status: 404 });

    // Under KYODO_ADMIN_SIGN_IN=totp the admin is taken to enrolment at the next sign-in.
    const strict = testContext(tdb, { clock, config: { adminSignIn: 'totp' } });
    const outcome = await passwordLogin(strict, { email: admin.email, password: PASSWORD }, meta);
    expect(outcome.kind).toBe('second_factor');
    const step = await pendingSignIn(strict, outcome.kind === 'second_factor' ? outcome.pendingToken : '');
    expect(step?.mode).toBe('enrol');
  });
});
