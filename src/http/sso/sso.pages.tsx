import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { beginSignIn, completeSignIn, SsoRefused, type SsoRefusalReason, SsoUnavailable } from '../../services/sso.service.js';
import { startSession } from '../sign-in-cookies.js';
import { clientIp } from '../client-ip.js';
import { cookieOptions, DEVICE_COOKIE } from '../middleware/session.js';
import { page, safeNext } from '../page.js';
import type { Ctx, Router } from '../router.js';
import { ssoCallbackQuery, ssoStartQuery } from './schema.js';
import { SsoRefusedView, SsoUnavailableView } from './sso.views.js';

/** The browser's copy of the sign-in's state, sent back only to the callback (decision 0024). */
const STATE_COOKIE = 'kyodo_sso';
const STATE_PATH = '/login/sso';

/** Refusals about the account are 403; a response that does not fit the sign-in begun is 400. */
const STATUS: Record<SsoRefusalReason, 400 | 403> = {
  unknown: 403,
  inactive: 403,
  partner: 403,
  mismatch: 403,
  no_identifier: 403,
  incomplete: 403,
  no_role: 403,
  groups_missing: 403,
  state: 400,
  provider_error: 400,
  invalid_response: 400,
};

/** Single sign-on through the prefecture's OpenID Connect provider (issue 20 §1). */
export function registerSsoPages(r: Router) {
  const refused = (c: Ctx, reason: SsoRefusalReason) =>
    page(c, c.get('t')('sso.refusedTitle'), <SsoRefusedView t={c.get('t')} reason={reason} />, { status: STATUS[reason] });
  const unavailable = (c: Ctx, status: ContentfulStatusCode) => {
    c.header('Retry-After', '60');
    return page(c, c.get('t')('sso.unavailableTitle'), <SsoUnavailableView t={c.get('t')} />, { status });
  };
  const enabled = (c: Ctx) => c.get('ctx').config.oidc !== null;

  r.get('/login/sso', 'public', async (c) => {
    if (!enabled(c)) return c.notFound();
    const q = ssoStartQuery.safeParse(c.req.query());
    const next = safeNext(q.success ? q.data.next : undefined);
    try {
      const { url, state } = await beginSignIn(c.get('ctx'), next);
      const ctx = c.get('ctx');
      setCookie(c, STATE_COOKIE, state, { ...cookieOptions(ctx.config.secureCookies), path: STATE_PATH, maxAge: 10 * 60 });
      c.header('Cache-Control', 'no-store');
      return c.redirect(url, 302);
    } catch (e) {
      if (e instanceof SsoUnavailable) return unavailable(c, 503);
      throw e;
    }
  });

  r.get('/login/sso/callback', 'public', async (c) => {
    if (!enabled(c)) return c.notFound();
    const browserState = getCookie(c, STATE_COOKIE) ?? null;
    deleteCookie(c, STATE_COOKIE, { path: STATE_PATH });
    c.header('Cache-Control', 'no-store');
    if (!ssoCallbackQuery.safeParse(c.req.query()).success) return refused(c, 'state');
    try {
      const res = await completeSignIn(c.get('ctx'), new URL(c.req.url).search, browserState, {
        ip: clientIp(c),
        userAgent: c.req.header('User-Agent') ?? null,
        previousSessionToken: c.get('sessionToken'),
        deviceToken: getCookie(c, DEVICE_COOKIE) ?? null,
      });
      startSession(c, res.sessionToken, res.deviceToken);
      return c.redirect(safeNext(res.next), 303);
    } catch (e) {
      if (e instanceof SsoRefused) return refused(c, e.reason);
      if (e instanceof SsoUnavailable) return unavailable(c, e.status);
      throw e;
    }
  });
}
