import type { MiddlewareHandler } from 'hono';
import { type Logger, requestIdFrom } from '../../lib/logger.js';
import type { AppEnv } from '../env.js';

declare module 'hono' {
  interface ContextVariableMap {
    /** This request's id: the sane incoming X-Request-Id, or a new one; echoed in the response. */
    requestId: string;
    /** The logger for this request (carries reqId). */
    log: Logger;
  }
}

/**
 * Gives every request an id (echoed as X-Request-Id) and a child logger carrying it, and logs
 * one line when the response is ready: method, path (no query string: it may hold search words),
 * status and time taken. Health and readiness probes log at debug level only.
 */
export function requestLog(logger: Logger): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const started = performance.now();
    const reqId = requestIdFrom(c.req.header('X-Request-Id'));
    const log = logger.child({ reqId });
    c.set('requestId', reqId);
    c.set('log', log);
    try {
      await next();
    } finally {
      c.res.headers.set('X-Request-Id', reqId);
      const probe = c.req.path === '/healthz' || c.req.path === '/readyz' || c.req.path.startsWith('/assets/');
      const status = c.res?.status ?? 500;
      const line = { method: c.req.method, path: c.req.path, status, ms: Math.round((performance.now() - started) * 10) / 10, user: c.get('user')?.id ?? undefined };
      if (status >= 500) log.error(line, 'request failed');
      else if (probe) log.debug(line, 'request');
      else log.info(line, 'request');
    }
  };
}
