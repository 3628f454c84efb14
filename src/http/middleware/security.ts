import type { MiddlewareHandler } from 'hono';
import { translator } from '../../i18n/index.js';
import { apiError } from '../api-errors.js';
import type { AppEnv } from '../env.js';

/** Nothing loads from outside the app (LGWAN): no CDN, no inline script, no external font. */
export const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "object-src 'none'",
].join('; ');

/**
 * Headers on every response. Set on the response's own headers, not with `c.header()`: after the
 * handler, `c.header()` makes Hono copy the whole response once per header (decision 0015).
 */
export const securityHeaders: MiddlewareHandler<AppEnv> = async (c, next) => {
  await next();
  const h = c.res.headers;
  // A handler may have set a stricter policy (an uploaded file is served with `default-src 'none'; sandbox`): keep it.
  if (!h.has('Content-Security-Policy')) h.set('Content-Security-Policy', CSP);
  h.set('X-Content-Type-Options', 'nosniff');
  h.set('X-Frame-Options', 'DENY');
  h.set('Referrer-Policy', 'same-origin');
  h.set('Cross-Origin-Opener-Policy', 'same-origin');
  h.set('Permissions-Policy', 'camera=(), microphone=(), geolocation=()');
  if (c.get('ctx').config.secureCookies) h.set('Strict-Transport-Security', 'max-age=31536000');
  if (c.get('user') && !h.get('Cache-Control')) h.set('Cache-Control', 'no-store');
};

const NUL_ENCODED = /%00/i;
/** A JSON \u0000 escape: preceded by an even number of backslashes (none, or escaped ones). */
const NUL_ESCAPED = /(?:^|[^\\])(?:\\\\)*\\u0000/i;

/**
 * PostgreSQL text and jsonb cannot hold U+0000: a NUL in the address (`%00`), in a form or in a JSON
 * body would reach a query and fail there with a 500 (found by the security scan, docs/security.md).
 * Refused here with a 400 instead. Multipart bodies (uploads) are not read: files may hold NUL bytes.
 * Register after the body limit, so that a body is read only once it is known to be small enough.
 */
export const rejectNul: MiddlewareHandler<AppEnv> = async (c, next) => {
  let nul = NUL_ENCODED.test(c.req.url);
  if (!nul && c.req.method !== 'GET' && c.req.method !== 'HEAD') {
    const type = (c.req.header('Content-Type') ?? '').toLowerCase();
    if (type.startsWith('application/x-www-form-urlencoded')) {
      const body = await c.req.text();
      nul = NUL_ENCODED.test(body) || body.includes('\0');
    } else if (type.includes('json')) {
      const body = await c.req.text();
      nul = body.includes('\0') || NUL_ESCAPED.test(body);
    }
  }
  if (!nul) return next();
  const message = translator('ja')('error.badRequest');
  return c.req.path.startsWith('/api/') ? apiError(c, 400, 'bad_request', message) : c.text(message, 400);
};
