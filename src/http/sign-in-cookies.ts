import { deleteCookie, setCookie } from 'hono/cookie';
import { randomToken } from '../lib/crypto.js';
import { PENDING_SIGN_IN_MINUTES } from '../services/second-factor.service.js';
import { cookieOptions, CSRF_COOKIE, DEVICE_COOKIE, SESSION_COOKIE } from './middleware/session.js';
import type { Ctx } from './router.js';

/**
 * The cookies of signing in, shared by the password (account), second-factor and single sign-on pages:
 * a session once identity is proved, and the short-lived cookie of a sign-in waiting for its second step.
 */

/** A new session: its cookie, the known-device cookie and a new CSRF token. */
export function startSession(c: Ctx, token: string, deviceToken: string) {
  const ctx = c.get('ctx');
  setCookie(c, SESSION_COOKIE, token, { ...cookieOptions(ctx.config.secureCookies), maxAge: ctx.config.sessionAbsoluteHours * 3600 });
  // Kept after logout: it says only that this browser has logged in to that account before.
  setCookie(c, DEVICE_COOKIE, deviceToken, { ...cookieOptions(ctx.config.secureCookies), sameSite: 'Strict', maxAge: 365 * 24 * 3600 });
  // A new CSRF token with the new session.
  setCookie(c, CSRF_COOKIE, randomToken(24), cookieOptions(ctx.config.secureCookies));
}

export const PENDING_COOKIE = 'kyodo_pending_sign_in';
const PENDING_PATH = '/login';

/** After a correct password that needs a second factor: the pending sign-in's cookie (the caller redirects to /login/second-factor). */
export function startPendingSignIn(c: Ctx, token: string): void {
  setCookie(c, PENDING_COOKIE, token, { ...cookieOptions(c.get('ctx').config.secureCookies), sameSite: 'Strict', path: PENDING_PATH, maxAge: PENDING_SIGN_IN_MINUTES * 60 });
}

export function endPendingSignIn(c: Ctx): void {
  deleteCookie(c, PENDING_COOKIE, { path: PENDING_PATH, secure: c.get('ctx').config.secureCookies });
}
