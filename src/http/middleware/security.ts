import type { MiddlewareHandler } from 'hono';
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

export const securityHeaders: MiddlewareHandler<AppEnv> = async (c, next) => {
  await next();
  c.header('Content-Security-Policy', CSP);
  c.header('X-Content-Type-Options', 'nosniff');
  c.header('X-Frame-Options', 'DENY');
  c.header('Referrer-Policy', 'same-origin');
  c.header('Cross-Origin-Opener-Policy', 'same-origin');
  c.header('Permissions-Policy', 'camera=(), microphone=(), geolocation=()');
  if (c.get('ctx').config.secureCookies) c.header('Strict-Transport-Security', 'max-age=31536000');
  if (c.get('user') && !c.res.headers.get('Cache-Control')) c.header('Cache-Control', 'no-store');
};
