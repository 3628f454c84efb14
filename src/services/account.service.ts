import { z } from 'zod';
import { personRepository, type PersonWithRoles } from '../db/repositories/person.repository.js';
import { sessionRepository } from '../db/repositories/session.repository.js';
import { isCommonPassword } from '../lib/common-passwords.js';
import { hashPassword, randomToken, sha256, verifyPassword } from '../lib/crypto.js';
import { emailField, validate } from '../lib/validation.js';
import { translator, type Lang } from '../i18n/index.js';
import { audit } from './audit.service.js';
import { type Actor, type AppContext, type CurrentUser, invalid, ServiceError, toCurrentUser } from './context.js';
import { enqueueMail } from './mail.service.js';
import { createPerson, personInputSchema } from './person.service.js';
import { type Role } from '../domain/values.js';
import { afterPassword } from '../domain/policies/sign-in.js';
import { secondFactorRepository } from '../db/repositories/second-factor.repository.js';
import { createPendingSignIn } from './second-factor.service.js';

export const passwordSchema = z
  .string()
  .min(12, { message: 'error.passwordPolicy' })
  .max(200)
  .refine((p) => /[A-Za-z]/.test(p) && /[0-9]/.test(p), { message: 'error.passwordPolicy' })
  .refine((p) => !isCommonPassword(p), { message: 'error.passwordCommon' });

export async function hasAnyPerson(ctx: AppContext): Promise<boolean> {
  return (await personRepository.count(ctx.db)) > 0;
}

/** Creates the first administrator. Refused once anyone exists. */
export async function setupFirstAdmin(ctx: AppContext, input: Record<string, unknown>): Promise<PersonWithRoles> {
  const pw = validate(z.object({ password: passwordSchema }), input);
  if (await hasAnyPerson(ctx)) throw new ServiceError(409, 'setup_done', 'error.setupDone');
  const person = await createPerson(ctx, null, { ...input, affiliation: 'prefecture', roles: ['admin', 'staff'] }, {
    extraErrors: pw.ok ? {} : pw.errors,
    passwordHash: pw.ok ? await hashPassword(pw.data.password, ctx.config.passwordHashN) : undefined,
    guard: async (trx) => {
      // Serialise concurrent setups: only the first wins.
      const n = await personRepository.count(trx);
      if (n > 0) throw new ServiceError(409, 'setup_done', 'error.setupDone');
    },
  });
  return person;
}

export interface LoginResult {
  sessionToken: string;
  user: CurrentUser;
  /** The known-device cookie for this browser and account (new, or the one presented). */
  deviceToken: string;
}

/**
 * Failed logins are counted under three keys, each with its own limit within the lock window:
 * one account from one address (the configured limit), one account from any address (4× the limit:
 * guessing spread over many addresses), and one address against any account (10× the limit: one
 * password tried across many accounts).
 */
function throttleKeys(ctx: AppContext, email: string, ip: string): { key: string; max: number }[] {
  const account = email.trim().toLowerCase();
  const max = ctx.config.loginMaxFailures;
  return [
    { key: `${account}|${ip}`, max },
    { key: `account|${account}`, max: max * 4 },
    { key: `ip|${ip}`, max: max * 10 },
  ];
}

/**
 * Logs in (decision 0017). Every attempt is counted atomically before the password is checked, so
 * parallel guesses each count. A browser presenting this account's known-device cookie is counted
 * against that device alone (OWASP device cookies): failures from other browsers, for this account or
 * any other, cannot lock out the account's owner. A device that reaches the limit is no longer
 * trusted, and its attempts fall back to the address and account limits. A success rotates the
 * session (the old one is dropped).
 *
 * Who may sign in with a password (issue 20 §1, decision 0025, `domain/policies/sign-in.ts`): once the
 * password is right, a person who must use single sign-on is refused (401, audited); a person who needs
 * a second factor gets no session but a pending sign-in (five minutes), completed at
 * /login/second-factor. Neither clears the throttle's counts: only the attempt itself is taken back,
 * and the counts are cleared once the second factor has been passed.
 */
export async function passwordLogin(
  ctx: AppContext,
  input: { email?: unknown; password?: unknown },
  meta: { ip: string; userAgent: string | null; previousSessionToken?: string | null; deviceToken?: string | null; next?: string },
): Promise<PasswordLoginOutcome> {
  const v = validate(z.object({ email: emailField(), password: z.string().min(1) }), input);
  if (!v.ok) throw invalid(v.errors);
  const now = ctx.now();
  const windowMs = ctx.config.loginLockMinutes * 60_000;
  const person = await personRepository.findByEmail(ctx.db, v.data.email);
  const presented = meta.deviceToken && /^[\w-]{20,100}$/.test(meta.deviceToken) ? sha256(meta.deviceToken) : null;
  const device = presented && person ? await sessionRepository.findDevice(ctx.db, presented) : undefined;

  const count = async (keys: { key: string; max: number }[]) => {
    const counts = await Promise.all(keys.map((k) => sessionRepository.countAttempt(ctx.db, k.key, now, windowMs)));
    const blocked = counts.filter((c, i) => (c.lockedUntil && c.lockedUntil > now) || c.failures > keys[i]!.max);
    return { counts, blocked };
  };
  let keys = device && device.person_id === person!.id ? [{ key: `device|${presented}`, max: ctx.config.loginMaxFailures }] : [];
  let counted = keys.length ? await count(keys) : null;
  const trustedDevice = counted !== null && counted.blocked.length === 0;
  if (!trustedDevice) {
    keys = throttleKeys(ctx, v.data.email, meta.ip);
    counted = await count(keys);
  }
  if (counted!.blocked.length) {
    const until = Math.max(...counted!.blocked.map((c) => (c.lockedUntil && c.lockedUntil > now ? c.lockedUntil.getTime() : now.getTime() + windowMs)));
    const minutes = Math.max(1, Math.ceil((until - now.getTime()) / 60_000));
    throw new ServiceError(429, 'throttled', 'error.loginThrottled', {}, { minutes });
  }
  const ok = await verifyPassword(v.data.password, person?.password_hash ?? null, ctx.config.passwordHashN);
  if (!ok || !person || !person.active) {
    for (const { key, max } of keys) await sessionRepository.lockIfReached(ctx.db, key, max, new Date(now.getTime() + windowMs));
    await audit(ctx.db, ctx, person ? { id: person.id } : null, 'login_failed', 'session', null, undefined, {
      email: v.data.email,
      ip: meta.ip,
      failures: counted!.counts[0]!.failures,
      ...(trustedDevice ? { knownDevice: true } : {}),
    });
    throw new ServiceError(401, 'login_failed', 'error.loginFailed', {
      email: { key: 'error.loginFailed' },
    });
  }
  const roles = await personRepository.roles(ctx.db, person.id);
  const step = afterPassword(roles, ctx.config, await secondFactorRepository.isEnrolled(ctx.db, person.id));
  if (step !== 'session') {
    for (const { key } of keys) await sessionRepository.uncountAttempt(ctx.db, key);
    if (step === 'sso_only') {
      await audit(ctx.db, ctx, { id: person.id }, 'login_refused', 'session', null, undefined, { ip: meta.ip, reason: 'sso_only' });
      const admin = roles.includes('admin') && ctx.config.adminSignIn === 'sso' && ctx.config.passwordSignIn === 'everyone';
      throw new ServiceError(401, 'sso_only', admin ? 'secondFactor.ssoOnlyAdmin' : 'secondFactor.ssoOnly');
    }
    const pending = await createPendingSignIn(ctx, person.id, meta.next ?? '/', keys);
    return { kind: 'second_factor', pendingToken: pending.token, expiresAt: pending.expiresAt };
  }
  // A success clears this account's counts (or the device's); the attempt counted against the address
  // is taken back, and the address's failures across accounts stay.
  if (device && device.person_id === person.id) await sessionRepository.clearThrottle(ctx.db, `device|${presented}`);
  if (!trustedDevice) {
    await sessionRepository.clearThrottle(ctx.db, keys[0]!.key);
    await sessionRepository.clearThrottle(ctx.db, keys[1]!.key);
    await sessionRepository.uncountAttempt(ctx.db, keys[2]!.key);
  }
  const deviceToken = device && device.person_id === person.id && meta.deviceToken ? meta.deviceToken : randomToken();
  return { kind: 'session', ...(await startLoginSession(ctx, person.id, { ...meta, deviceToken }, { method: 'password' })) };
}

/** A password sign-in's outcome: a session, or a pending sign-in waiting for the second factor (its token goes in a short-lived cookie). */
export type PasswordLoginOutcome = ({ kind: 'session' } & LoginResult) | { kind: 'second_factor'; pendingToken: string; expiresAt: Date };

/** Logs in with a password where no second factor can be asked for (scripts, tests): a pending sign-in is refused (401). */
export async function login(ctx: AppContext, input: { email?: unknown; password?: unknown }, meta: Parameters<typeof passwordLogin>[2]): Promise<LoginResult> {
  const outcome = await passwordLogin(ctx, input, meta);
  if (outcome.kind !== 'session') throw new ServiceError(401, 'second_factor_required', 'secondFactor.challengeLead');
  const { kind: _kind, ...session } = outcome;
  return session;
}

/** How a session was begun, written to the audit log with the login. */
export type SignInMethod = 'password' | 'password+totp' | 'sso';

/**
 * Starts a session for a person whose identity has been proved (password, password and second factor,
 * or single sign-on): rotates the session (the previous one is dropped), remembers this browser as a
 * known device, and writes the login to the audit log. `deviceToken` is the known-device cookie to keep,
 * or null for a new one.
 */
export async function startLoginSession(
  ctx: AppContext,
  personId: number,
  meta: { ip: string; userAgent: string | null; previousSessionToken?: string | null; deviceToken?: string | null },
  how: { method: SignInMethod; audit?: Record<string, unknown> },
): Promise<LoginResult> {
  const now = ctx.now();
  const deviceToken = meta.deviceToken && /^[\w-]{20,100}$/.test(meta.deviceToken) ? meta.deviceToken : randomToken();
  const token = randomToken();
  await ctx.db.transaction().execute(async (trx) => {
    if (meta.previousSessionToken) await sessionRepository.delete(trx, sha256(meta.previousSessionToken));
    await sessionRepository.create(trx, {
      id: sha256(token),
      personId,
      now,
      expiresAt: new Date(now.getTime() + ctx.config.sessionAbsoluteHours * 3_600_000),
      userAgent: meta.userAgent?.slice(0, 300) ?? null,
    });
    await sessionRepository.saveDevice(trx, sha256(deviceToken), personId, now);
    await audit(trx, ctx, { id: personId }, 'login', 'session', null, undefined, { ip: meta.ip, ...(how.method === 'password' ? {} : { method: how.method }), ...how.audit });
  });
  const full = (await personRepository.find(ctx.db, personId))!;
  return { sessionToken: token, user: toCurrentUser(full), deviceToken };
}

/** Resolves a session cookie to a user, enforcing the idle and absolute timeouts. */
export async function resolveSession(ctx: AppContext, token: string): Promise<CurrentUser | null> {
  const id = sha256(token);
  const s = await sessionRepository.find(ctx.db, id);
  if (!s) return null;
  const now = ctx.now();
  const idleMs = ctx.config.sessionIdleMinutes * 60_000;
  if (s.expires_at <= now || now.getTime() - s.last_seen_at.getTime() > idleMs) {
    await sessionRepository.delete(ctx.db, id);
    return null;
  }
  const person = await personRepository.find(ctx.db, s.person_id);
  if (!person || !person.active) return null;
  // Write the "last seen" time at most once a minute.
  if (now.getTime() - s.last_seen_at.getTime() > 60_000) await sessionRepository.touch(ctx.db, id, now);
  return toCurrentUser(person);
}

export async function logout(ctx: AppContext, token: string, actor: Actor): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    await sessionRepository.delete(trx, sha256(token));
    if (actor) await audit(trx, ctx, actor, 'logout', 'session', null);
  });
}

const LINK_HOURS = { invite: 72, reset: 2 } as const;

/** Queues an invitation or reset mail with a one-time link. Must run inside the caller's transaction. */
export async function sendOneTimeLink(
  trx: Parameters<typeof enqueueMail>[0],
  ctx: AppContext,
  person: { id: number; name: string; email: string; locale: string | null },
  purpose: 'invite' | 'reset',
): Promise<void> {
  const token = randomToken();
  const now = ctx.now();
  const hours = LINK_HOURS[purpose];
  await sessionRepository.createOneTimeToken(trx, {
    hash: sha256(token),
    personId: person.id,
    purpose,
    now,
    expiresAt: new Date(now.getTime() + hours * 3_600_000),
  });
  const t = translator((person.locale as Lang) === 'en' ? 'en' : 'ja');
  const url = `${ctx.config.baseUrl}/password/set/${token}`;
  const subject = t(purpose === 'invite' ? 'mail.inviteSubject' : 'mail.resetSubject');
  const body = t(purpose === 'invite' ? 'mail.inviteBody' : 'mail.resetBody', { name: person.name, url, hours });
  await enqueueMail(trx, ctx, { to: person.email, subject, body });
}

export async function invite(ctx: AppContext, actor: Actor, personId: number): Promise<void> {
  const person = await personRepository.find(ctx.db, personId);
  if (!person || !person.active) throw new ServiceError(404, 'not_found', 'error.notFound');
  await ctx.db.transaction().execute(async (trx) => {
    await sendOneTimeLink(trx, ctx, person, 'invite');
    await audit(trx, ctx, actor, 'invite', 'person', personId);
  });
  ctx.kickOutbox();
}

/** Reset mails per account, and requests per address, within the login lock window. */
export const RESET_LIMITS = { perAccount: 3, perAddress: 10 } as const;

/**
 * Always answers the same way, whether or not the address is known (no account enumeration). Limited,
 * counted atomically: an address that asks too often gets 429 (that says nothing about accounts); an
 * account that has been sent RESET_LIMITS.perAccount links in the window is sent no more, silently.
 */
export async function requestPasswordReset(ctx: AppContext, input: { email?: unknown }, meta: { ip: string } = { ip: 'local' }): Promise<void> {
  const v = validate(z.object({ email: emailField() }), input);
  if (!v.ok) throw invalid(v.errors);
  const now = ctx.now();
  const windowMs = ctx.config.loginLockMinutes * 60_000;
  const byAddress = await sessionRepository.countAttempt(ctx.db, `reset-ip|${meta.ip}`, now, windowMs);
  if (byAddress.failures > RESET_LIMITS.perAddress) {
    const minutes = Math.max(1, Math.ceil((byAddress.lockedUntil && byAddress.lockedUntil > now ? byAddress.lockedUntil.getTime() - now.getTime() : windowMs) / 60_000));
    throw new ServiceError(429, 'throttled', 'error.resetThrottled', {}, { minutes });
  }
  const person = await personRepository.findByEmail(ctx.db, v.data.email);
  if (!person || !person.active) return;
  const byAccount = await sessionRepository.countAttempt(ctx.db, `reset|${person.id}`, now, windowMs);
  if (byAccount.failures > RESET_LIMITS.perAccount) return;
  await ctx.db.transaction().execute(async (trx) => {
    await sendOneTimeLink(trx, ctx, person, 'reset');
    await audit(trx, ctx, null, 'password_reset_requested', 'person', person.id);
  });
  ctx.kickOutbox();
}

export async function checkOneTimeLink(ctx: AppContext, token: string): Promise<boolean> {
  return !!(await sessionRepository.findOneTimeToken(ctx.db, sha256(token), ctx.now()));
}

/** Sets a password from a one-time link; that link and every other one of the person's is spent, and every existing session ends. */
export async function setPasswordWithLink(
  ctx: AppContext,
  token: string,
  input: { password?: unknown; passwordConfirm?: unknown },
): Promise<void> {
  const v = validate(
    z.object({ password: passwordSchema, passwordConfirm: z.string() }).refine((d) => d.password === d.passwordConfirm, {
      message: 'error.passwordMismatch',
      path: ['passwordConfirm'],
    }),
    input,
  );
  if (!v.ok) throw invalid(v.errors);
  const hash = await hashPassword(v.data.password, ctx.config.passwordHashN);
  await ctx.db.transaction().execute(async (trx) => {
    const used = await sessionRepository.consumeOneTimeToken(trx, sha256(token), ctx.now());
    if (!used) throw new ServiceError(404, 'token_invalid', 'error.tokenInvalid');
    await personRepository.update(trx, used.person_id, { password_hash: hash, updated_at: ctx.now() });
    await sessionRepository.deleteForPerson(trx, used.person_id);
    // Every other link still out for this person (an older reset mail, an invitation) is spent too.
    await sessionRepository.spendOneTimeTokensOf(trx, used.person_id, ctx.now());
    await audit(trx, ctx, { id: used.person_id }, 'password_set', 'person', used.person_id, undefined, { via: used.purpose });
  });
}

export { personInputSchema };
