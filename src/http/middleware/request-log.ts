import type { MiddlewareHandler } from 'hono';
import { type Logger, requestIdFrom } from '../../lib/logger.js';
import type { AppEnv } from '../env.js';

declare module 'hono' {
  interface ContextVariableMap {
    /** This request's id: the sane incoming X-Request-Id, or a new one; echoed in the response and logged with it. */
    requestId: string;
  }
}

/**
 * Gives every request an id (echoed as X-Request-Id), and logs one line, carrying it as `reqId`, when
 * the response is ready: method, path (no query string: it may hold search words), status and time
 * taken. Health and readiness probes log at debug level only. The line is built only when its level is
 * logged, and no child logger is made per request (pino's child copies and redacts its bindings:
 * microseconds on every request, issue 18); what else is logged while serving a request passes
 * `reqId: c.get('requestId')` itself.
 */
export function requestLog(logger: Logger): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const started = performance.now();
    const reqId = requestIdFrom(c.req.header('X-Request-Id'));
    c.set('requestId', reqId);
    try {
      await next();
    } finally {
      c.res.headers.set('X-Request-Id', reqId);
      const status = c.res?.status ?? 500;
      const level = status >= 500 ? 'error' : c.req.path === '/healthz' || c.req.path === '/readyz' || c.req.path.startsWith('/assets/') ? 'debug' : 'info';
      if (logger.isLevelEnabled(level)) {
        const line = { reqId, method: c.req.method, path: c.req.path, status, ms: Math.round((performance.now() - started) * 10) / 10, user: c.get('user')?.id ?? undefined };
        logger[level](line, status >= 500 ? 'request failed' : 'request');
      }
    }
  };
}
