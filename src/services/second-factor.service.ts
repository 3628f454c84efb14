import { randomBytes } from 'node:crypto';
import { Secret, TOTP } from 'otpauth';
import { personRepository } from '../db/repositories/person.repository.js';
import { secondFactorRepository } from '../db/repositories/second-factor.repository.js';
import { sessionRepository } from '../db/repositories/session.repository.js';
import { afterPassword, mayTurnOffSecondFactor, secondFactorRequired } from '../domain/policies/sign-in.js';
import { answerPoolKey } from '../lib/answer-key.js';
import { randomToken, sha256 } from '../lib/crypto.js';
import { open, seal } from '../lib/sealed-box.js';
import { audit } from './audit.service.js';
import { type LoginResult, startLoginSession } from './account.service.js';
import { type AppContext, type CurrentUser, ServiceError } from './context.js';

/**
 * A TOTP second factor (RFC 6238: 30-second steps, 6 digits, HMAC-SHA-1, as every authenticator app
 * reads it) and the pending sign-in between a correct password and its code (issue 20 §1, decision 0025).
 * Secrets are sealed with the answer key (decision 0018's `sealed-box`); recovery codes and pending
 * sign-in tokens are stored as SHA-256 hashes.
 */

export const PENDING_SIGN_IN_MINUTES = 5;
export const RECOVERY_CODE_COUNT = 10;
const PERIOD = 30;
const ISSUER = 'Kyodo';

type ThrottleKey = { key: string; max: number };
type Meta = { ip: string; userAgent: string | null; previousSessionToken?: string | null; deviceToken?: string | null };

// --- TOTP --------------------------------------------------------------------------------------

function totp(secretBase32: string, label: string): TOTP {
  return new TOTP({ issuer: ISSUER, label, algorithm: 'SHA1', digits: 6, period: PERIOD, secret: Secret.fromBase32(secretBase32) });
}

/** The time step of a code that is right at `now` (one step of clock drift either way), or null. */
function matchingStep(secretBase32: string, code: string, now: Date): number | null {
  const at = now.getTime();
  const delta = totp(secretBase32, '').validate({ token: code, timestamp: at, window: 1 });
  return delta === null ? null : Math.floor(at / 1000 / PERIOD) + delta;
}

const sealSecret = (ctx: AppContext, secret: string) => seal(answerPoolKey(ctx.config), { secret });
function openSecret(ctx: AppContext, sealed: string): string {
  const box = open<{ secret: string }>(answerPoolKey(ctx.config), sealed);
  if (!box) throw new Error('second factor: the secret cannot be opened with the answer key (was KYODO_ANSWER_KEY changed?)');
  return box.secret;
}

/** What a person types: digits (spaces allowed) for a code, or a recovery code (hyphen and case ignored). */
function readCode(input: unknown): { kind: 'totp' | 'recovery'; value: string } | null {
  const raw = typeof input === 'string' ? input.normalize('NFKC').replace(/[\s-]/g, '').toLowerCase() : '';
  if (/^\d{6}$/.test(raw)) return { kind: 'totp', value: raw };
  if (/^[a-z2-7]{10}$/.test(raw)) return { kind: 'recovery', value: raw };
  return null;
}

/** Ten recovery codes, each 50 bits (10 base32 letters), shown in two groups of five with a hyphen (e.g. k7m2p-q3x4w). */
function newRecoveryCodes(): string[] {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz234567';
  return Array.from({ length: RECOVERY_CODE_COUNT }, () => {
    const s = [...randomBytes(10)].map((b) => alphabet[b & 31]).join('');
    return `${s.slice(0, 5)}-${s.slice(5)}`;
  });
}
const hashRecoveryCode = (normalized: string) => sha256(`recovery|${normalized}`);

// --- Throttle (the password throttle's counts, decision 0017) ---------------------------------

const windowMs = (ctx: AppContext) => ctx.config.loginLockMinutes * 60_000;

/** Counts one attempt under each key before the code is checked; 429 while any key is locked. */
async function countAttempt(ctx: AppContext, keys: ThrottleKey[]): Promise<void> {
  const now = ctx.now();
  const counts = await Promise.all(keys.map((k) => sessionRepository.countAttempt(ctx.db, k.key, now, windowMs(ctx))));
  const blocked = counts.filter((c, i) => (c.lockedUntil && c.lockedUntil > now) || c.failures > keys[i]!.max);
  if (!blocked.length) return;
  const until = Math.max(...blocked.map((c) => (c.lockedUntil && c.lockedUntil > now ? c.lockedUntil.getTime() : now.getTime() + windowMs(ctx))));
  throw new ServiceError(429, 'throttled', 'error.loginThrottled', {}, { minutes: Math.max(1, Math.ceil((until - now.getTime()) / 60_000)) });
}
async function countFailure(ctx: AppContext, keys: ThrottleKey[]): Promise<void> {
  const until = new Date(ctx.now().getTime() + windowMs(ctx));
  for (const { key, max } of keys) await sessionRepository.lockIfReached(ctx.db, key, max, until);
}
/** A success: the account's counts are cleared; the one counted against the address is taken back. */
async function countSuccess(ctx: AppContext, keys: ThrottleKey[]): Promise<void> {
  for (const { key } of keys) {
    if (key.startsWith('ip|')) await sessionRepository.uncountAttempt(ctx.db, key);
    else await sessionRepository.clearThrottle(ctx.db, key);
  }
}
/** Codes typed by a signed-in person (enrolment, turning off) are limited per person. */
const personKeys = (ctx: AppContext, personId: number): ThrottleKey[] => [{ key: `second-factor|${personId}`, max: ctx.config.loginMaxFailures }];

const wrongCode = () => new ServiceError(401, 'second_factor_failed', 'secondFactor.error.wrong', { code: { key: 'secondFactor.error.wrong' } });
const replayedCode = () => new ServiceError(401, 'second_factor_replayed', 'secondFactor.error.replayed', { code: { key: 'secondFactor.error.replayed' } });

// --- Status and enrolment (signed in) ---------------------------------------------------------

export interface SecondFactorStatus {
  enrolled: boolean;
  confirmedAt: Date | null;
  recoveryCodesLeft: number;
  /** An admin under KYODO_ADMIN_SIGN_IN=totp: must have one, may not turn it off. */
  required: boolean;
  mayTurnOff: boolean;
}

export async function secondFactorStatus(ctx: AppContext, user: Pick<CurrentUser, 'id' | 'roles'>): Promise<SecondFactorStatus> {
  const row = await secondFactorRepository.find(ctx.db, user.id);
  const enrolled = !!row?.secret_sealed;
  return {
    enrolled,
    confirmedAt: row?.confirmed_at ?? null,
    recoveryCodesLeft: enrolled ? await secondFactorRepository.unusedRecoveryCodes(ctx.db, user.id) : 0,
    required: secondFactorRequired(user.roles, ctx.config),
    mayTurnOff: mayTurnOffSecondFactor(user.roles, ctx.config),
  };
}

export interface Enrolment {
  /** Base32, as typed into an app by hand. */
  secret: string;
  /** otpauth:// URI, for the QR code. */
  uri: string;
}

/** The secret to enrol: the one shown before and not yet confirmed, or a new one (`fresh`: always a new one). */
export async function enrolment(ctx: AppContext, person: { id: number; email: string }, opts: { fresh?: boolean } = {}): Promise<Enrolment> {
  const row = await secondFactorRepository.find(ctx.db, person.id);
  let secret = row?.pending_secret_sealed && !opts.fresh ? openSecret(ctx, row.pending_secret_sealed) : null;
  if (!secret) {
    secret = new Secret({ size: 20 }).base32;
    await secondFactorRepository.savePending(ctx.db, person.id, sealSecret(ctx, secret), ctx.now());
  }
  return { secret, uri: totp(secret, person.email).toString() };
}

/** Checks a code against the secret shown for enrolment and, when right, makes it the authenticator. Returns the new recovery codes (shown once). */
async function confirmPending(ctx: AppContext, personId: number, codeInput: unknown, throttle: ThrottleKey[], via: 'account' | 'sign_in'): Promise<string[]> {
  const row = await secondFactorRepository.find(ctx.db, personId);
  if (!row?.pending_secret_sealed) throw new ServiceError(409, 'no_enrolment', 'secondFactor.error.noEnrolment');
  await countAttempt(ctx, throttle);
  const code = readCode(codeInput);
  const step = code?.kind === 'totp' ? matchingStep(openSecret(ctx, row.pending_secret_sealed), code.value, ctx.now()) : null;
  if (step === null) {
    await countFailure(ctx, throttle);
    await audit(ctx.db, ctx, { id: personId }, 'second_factor_failed', 'person', personId, undefined, { during: 'enrolment' });
    throw wrongCode();
  }
  const codes = newRecoveryCodes();
  await ctx.db.transaction().execute(async (trx) => {
    if (!(await secondFactorRepository.confirm(trx, personId, row.pending_secret_sealed!, step, ctx.now()))) throw new ServiceError(409, 'no_enrolment', 'secondFactor.error.noEnrolment');
    await secondFactorRepository.replaceRecoveryCodes(trx, personId, codes.map((c) => hashRecoveryCode(c.replace('-', ''))));
    await audit(trx, ctx, { id: personId }, 'second_factor_enrolled', 'person', personId, undefined, { via, replaced: !!row.secret_sealed });
  });
  await countSuccess(ctx, throttle);
  return codes;
}

/** A signed-in person confirms the authenticator they set up with one code; returns the recovery codes (shown once). */
export async function confirmEnrolment(ctx: AppContext, user: Pick<CurrentUser, 'id'>, input: { code?: unknown }): Promise<string[]> {
  return confirmPending(ctx, user.id, input.code, personKeys(ctx, user.id), 'account');
}

/** Turns the second factor off, with a current code (not a recovery code). Refused for an admin under `totp`. */
export async function turnOffSecondFactor(ctx: AppContext, user: Pick<CurrentUser, 'id' | 'roles'>, input: { code?: unknown }): Promise<void> {
  if (!mayTurnOffSecondFactor(user.roles, ctx.config)) throw new ServiceError(409, 'second_factor_required', 'secondFactor.error.required');
  const row = await secondFactorRepository.find(ctx.db, user.id);
  if (!row?.secret_sealed) throw new ServiceError(409, 'not_enrolled', 'secondFactor.error.notEnrolled');
  const throttle = personKeys(ctx, user.id);
  await countAttempt(ctx, throttle);
  const code = readCode(input.code);
  const step = code?.kind === 'totp' ? matchingStep(openSecret(ctx, row.secret_sealed), code.value, ctx.now()) : null;
  if (step === null || !(await secondFactorRepository.useStep(ctx.db, user.id, step, ctx.now()))) {
    await countFailure(ctx, throttle);
    await audit(ctx.db, ctx, { id: user.id }, 'second_factor_failed', 'person', user.id, undefined, { during: 'turn_off' });
    throw step === null ? wrongCode() : replayedCode();
  }
  await ctx.db.transaction().execute(async (trx) => {
    await secondFactorRepository.remove(trx, user.id);
    await audit(trx, ctx, { id: user.id }, 'second_factor_reset', 'person', user.id, undefined, { by: 'self' });
  });
  await countSuccess(ctx, throttle);
}

/** `kyodo second-factor reset <email>`: removes a person's authenticator and recovery codes (a lost phone). False when they had none. */
export async function resetSecondFactor(ctx: AppContext, email: string): Promise<{ person: { id: number; email: string }; removed: boolean }> {
  const person = await personRepository.findByEmail(ctx.db, email.trim());
  if (!person) throw new ServiceError(404, 'not_found', 'error.notFound');
  const removed = await ctx.db.transaction().execute(async (trx) => {
    const had = await secondFactorRepository.remove(trx, person.id);
    await secondFactorRepository.deletePendingSignInsOf(trx, person.id);
    await audit(trx, ctx, null, 'second_factor_reset', 'person', person.id, undefined, { by: 'cli', hadOne: had });
    return had;
  });
  return { person: { id: person.id, email: person.email }, removed };
}

// --- Pending sign-in (between the password and the code) --------------------------------------

/** Called by the password sign-in once the password is right and a second factor is due. */
export async function createPendingSignIn(ctx: AppContext, personId: number, next: string, throttle: ThrottleKey[]): Promise<{ token: string; expiresAt: Date }> {
  const token = randomToken();
  const now = ctx.now();
  const expiresAt = new Date(now.getTime() + PENDING_SIGN_IN_MINUTES * 60_000);
  await secondFactorRepository.createPendingSignIn(ctx.db, { tokenHash: sha256(token), personId, next, throttleKeys: throttle, now, expiresAt });
  return { token, expiresAt };
}

export type PendingStep = { mode: 'challenge'; email: string } | { mode: 'enrol'; email: string; enrolment: Enrolment };

/** What the pending sign-in asks for now: a code, or (an admin under `totp` without one) enrolment first. Null when it has expired or is unknown. */
export async function pendingSignIn(ctx: AppContext, token: string): Promise<PendingStep | null> {
  const pending = await secondFactorRepository.findPendingSignIn(ctx.db, sha256(token), ctx.now());
  if (!pending) return null;
  const person = await personRepository.find(ctx.db, pending.person_id);
  if (!person || !person.active) return null;
  const step = afterPassword(person.roles, ctx.config, await secondFactorRepository.isEnrolled(ctx.db, person.id));
  if (step === 'challenge') return { mode: 'challenge', email: person.email };
  if (step === 'enrol') return { mode: 'enrol', email: person.email, enrolment: await enrolment(ctx, person) };
  return null;
}

export type SecondFactorSignIn = LoginResult & { next: string; recoveryCodes: string[] | null };

/**
 * Completes a pending sign-in with a code from the authenticator (a time step is good once), a recovery
 * code (each good once) or, when enrolling, the first code of the new authenticator. Every attempt counts
 * against the password throttle's keys; a wrong code also counts against the pending sign-in, which ends
 * after the configured number of failures. The session starts only here.
 */
export async function completeSecondFactor(ctx: AppContext, token: string, input: { code?: unknown }, meta: Meta): Promise<SecondFactorSignIn> {
  const hash = sha256(token);
  const pending = await secondFactorRepository.findPendingSignIn(ctx.db, hash, ctx.now());
  if (!pending) throw new ServiceError(401, 'pending_expired', 'secondFactor.error.expired');
  const person = await personRepository.find(ctx.db, pending.person_id);
  if (!person || !person.active) throw new ServiceError(401, 'pending_expired', 'secondFactor.error.expired');
  const step = afterPassword(person.roles, ctx.config, await secondFactorRepository.isEnrolled(ctx.db, person.id));
  if (step === 'sso_only' || step === 'session') throw new ServiceError(401, 'pending_expired', 'secondFactor.error.expired');
  const throttle = pending.throttle_keys;

  const failed = async (e: ServiceError) => {
    const attempts = await secondFactorRepository.countPendingAttempt(ctx.db, hash);
    if (attempts >= ctx.config.loginMaxFailures) await secondFactorRepository.deletePendingSignIn(ctx.db, hash);
    return e;
  };

  let recoveryCodes: string[] | null = null;
  let method: 'totp' | 'recovery' | 'enrolment' = 'enrolment';
  if (step === 'enrol') {
    try {
      recoveryCodes = await confirmPending(ctx, person.id, input.code, throttle, 'sign_in');
    } catch (e) {
      if (e instanceof ServiceError && e.status === 401) throw await failed(e);
      if (e instanceof ServiceError && e.status === 429) await secondFactorRepository.deletePendingSignIn(ctx.db, hash);
      throw e;
    }
  } else {
    try {
      await countAttempt(ctx, throttle);
    } catch (e) {
      await secondFactorRepository.deletePendingSignIn(ctx.db, hash);
      throw e;
    }
    const row = (await secondFactorRepository.find(ctx.db, person.id))!;
    const code = readCode(input.code);
    let error: ServiceError | null = null;
    if (code?.kind === 'totp') {
      method = 'totp';
      const at = matchingStep(openSecret(ctx, row.secret_sealed!), code.value, ctx.now());
      if (at === null) error = wrongCode();
      else if (!(await secondFactorRepository.useStep(ctx.db, person.id, at, ctx.now()))) error = replayedCode();
    } else if (code?.kind === 'recovery') {
      method = 'recovery';
      if (!(await secondFactorRepository.useRecoveryCode(ctx.db, person.id, hashRecoveryCode(code.value), ctx.now()))) error = wrongCode();
    } else error = wrongCode();
    if (error) {
      await countFailure(ctx, throttle);
      await audit(ctx.db, ctx, { id: person.id }, 'second_factor_failed', 'person', person.id, undefined, {
        ip: meta.ip,
        reason: error.code === 'second_factor_replayed' ? 'replayed' : 'wrong',
      });
      throw await failed(error);
    }
    await countSuccess(ctx, throttle);
    await audit(ctx.db, ctx, { id: person.id }, 'second_factor_used', 'person', person.id, undefined, { ip: meta.ip, method });
  }
  // Only one request can turn a pending sign-in into a session.
  if (!(await secondFactorRepository.deletePendingSignIn(ctx.db, hash))) throw new ServiceError(401, 'pending_expired', 'secondFactor.error.expired');
  // The browser's known-device cookie is kept only if it is this person's (as the password step does).
  const device = meta.deviceToken && /^[\w-]{20,100}$/.test(meta.deviceToken) ? await sessionRepository.findDevice(ctx.db, sha256(meta.deviceToken)) : undefined;
  const deviceToken = device && device.person_id === person.id ? meta.deviceToken : null;
  const session = await startLoginSession(ctx, person.id, { ...meta, deviceToken }, { method: 'password+totp', audit: method === 'recovery' ? { recoveryCode: true } : {} });
  return { ...session, next: pending.next, recoveryCodes };
}

/** Ends a pending sign-in the person gave up on (the link back to the login page). */
export async function cancelPendingSignIn(ctx: AppContext, token: string): Promise<void> {
  await secondFactorRepository.deletePendingSignIn(ctx.db, sha256(token));
}
