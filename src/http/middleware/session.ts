import type { MiddlewareHandler } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { translator, type Lang } from '../../i18n/index.js';
import { resolveSession } from '../../services/account.service.js';
import { resolveApiTokenScoped, scopeAllows } from '../../services/api-token.service.js';
import { apiError } from '../api-errors.js';
import { randomToken } from '../../lib/crypto.js';
import type { AppEnv } from '../env.js';

export const SESSION_COOKIE = 'kyodo_session';
export const CSRF_COOKIE = 'kyodo_csrf';
export const LANG_COOKIE = 'kyodo_lang';
/** A browser that has logged in to an account before (decision 0017): its logins are counted on their own. */
export const DEVICE_COOKIE = 'kyodo_device';

export function cookieOptions(secure: boolean) {
  return { httpOnly: true, sameSite: 'Lax' as const, secure, path: '/' };
}

/** Identifies the user (session cookie, or bearer token under /api), and picks the language. */
export const identify: MiddlewareHandler<AppEnv> = async (c, next) => {
  const ctx = c.get('ctx');
  c.set('user', null);
  c.set('auth', null);
  c.set('sessionToken', null);
  const authz = c.req.header('Authorization');
  let outOfScope = false;
  if (c.req.path.startsWith('/api/') && authz?.startsWith('Bearer ')) {
    const resolved = await resolveApiTokenScoped(ctx, authz.slice(7).trim());
    if (resolved) {
      c.set('user', resolved.user);
      c.set('auth', 'token');
      outOfScope = !scopeAllows(resolved.scope, c.req.method);
    } else {
      // A revoked, expired or forged bearer token: 401, whatever the method (not the CSRF check's 403).
      c.set('t', translator(getCookie(c, LANG_COOKIE) === 'en' ? 'en' : 'ja'));
      c.header('WWW-Authenticate', 'Bearer error="invalid_token"');
      return apiError(c, 401, 'unauthorized', c.get('t')('error.unauthorized'));
    }
  } else {
    const token = getCookie(c, SESSION_COOKIE);
    if (token) {
      const user = await resolveSession(ctx, token);
      if (user) {
        c.set('user', user);
        c.set('auth', 'session');
        c.set('sessionToken', token);
      }
    }
  }
  const cookieLang = getCookie(c, LANG_COOKIE);
  const lang: Lang = cookieLang === 'en' || cookieLang === 'ja' ? cookieLang : c.get('user')?.locale === 'en' ? 'en' : 'ja';
  c.set('lang', lang);
  c.set('t', translator(lang));
  // A bearer-token request carries no cookies and needs no CSRF token (csrfCheck exempts it): none is made.
  let csrf = getCookie(c, CSRF_COOKIE) ?? '';
  if (c.get('auth') !== 'token' && csrf.length < 20) {
    csrf = randomToken(24);
    setCookie(c, CSRF_COOKIE, csrf, cookieOptions(ctx.config.secureCookies));
  }
  c.set('csrf', csrf);
  // A read-only token may only read: any other method is refused before the route runs.
  if (outOfScope) return apiError(c, 403, 'insufficient_scope', c.get('t')('error.forbidden'));
  await next();
};
