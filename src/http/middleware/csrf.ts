import type { MiddlewareHandler } from 'hono';
import { safeEqual } from '../../lib/crypto.js';
import { apiError } from '../api-errors.js';
import type { AppEnv } from '../env.js';
import { renderStatusPage } from '../views/status-page.js';

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Every state-changing request from a browser must carry the CSRF token: the
 * form field `_csrf` (or the X-CSRF-Token header) equal to the HttpOnly
 * cookie. Requests authenticated by an API bearer token carry no cookies and
 * are exempt. A cross-site Origin is refused outright.
 */
export const csrfCheck: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (SAFE.has(c.req.method) || c.get('auth') === 'token') return next();
  const t = c.get('t');
  const api = c.req.path.startsWith('/api/');
  const refuse = () => (api ? apiError(c, 403, 'csrf', t('error.csrf')) : csrfPage(c));
  const origin = c.req.header('Origin');
  if (origin && origin !== 'null' && origin !== new URL(c.req.url).origin && origin !== c.get('ctx').config.baseUrl) return refuse();
  let sent = c.req.header('X-CSRF-Token') ?? '';
  if (!sent && !api) {
    const type = c.req.header('Content-Type') ?? '';
    if (type.startsWith('application/x-www-form-urlencoded') || type.startsWith('multipart/form-data')) {
      try {
        const body = await c.req.parseBody();
        sent = typeof body._csrf === 'string' ? body._csrf : '';
      } catch {
        sent = '';
      }
    }
  }
  if (!sent || !safeEqual(sent, c.get('csrf'))) return refuse();
  return next();
};

function csrfPage(c: Parameters<MiddlewareHandler<AppEnv>>[0]) {
  return renderStatusPage(c, 403, c.get('t')('error.csrf'));
}
