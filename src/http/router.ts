import type { Context, Handler, Hono, MiddlewareHandler } from 'hono';
import type { AppEnv } from './env.js';
import { type Access, allows } from './access.js';
import { apiError } from './api-errors.js';
import { renderStatusPage } from './views/status-page.js';
import { type Role } from '../domain/values.js';

export interface RouteInfo {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  access: Access;
  api: boolean;
}

function guard(access: Access, api: boolean): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (access === 'public') return next();
    const user = c.get('user');
    if (!user) {
      if (api) return apiError(c, 401, 'unauthorized', c.get('t')('error.unauthorized'));
      const next_ = c.req.method === 'GET' ? c.req.path + (new URL(c.req.url).search || '') : '/';
      return c.redirect(`/login?next=${encodeURIComponent(next_)}`, 303);
    }
    if (!allows(access, user.roles)) {
      if (api) return apiError(c, 403, 'forbidden', c.get('t')('error.forbidden'));
      return renderStatusPage(c, 403);
    }
    return next();
  };
}

/**
 * Every route is added through here with its access rule; the table feeds the
 * authorisation tests and the OpenAPI document. `assertAllGuarded` refuses to
 * start an app that has a route added any other way (deny by default).
 */
export class Router {
  readonly table: RouteInfo[] = [];
  constructor(private readonly app: Hono<AppEnv>) {}

  private add(method: RouteInfo['method'], path: string, access: Access, handler: Handler<AppEnv>) {
    const api = path.startsWith('/api/');
    this.table.push({ method, path, access, api });
    this.app.on(method, path, guard(access, api), handler);
  }
  get(path: string, access: Access, handler: Handler<AppEnv>) {
    this.add('GET', path, access, handler);
  }
  post(path: string, access: Access, handler: Handler<AppEnv>) {
    this.add('POST', path, access, handler);
  }
  put(path: string, access: Access, handler: Handler<AppEnv>) {
    this.add('PUT', path, access, handler);
  }
  patch(path: string, access: Access, handler: Handler<AppEnv>) {
    this.add('PATCH', path, access, handler);
  }
  delete(path: string, access: Access, handler: Handler<AppEnv>) {
    this.add('DELETE', path, access, handler);
  }

  assertAllGuarded() {
    const known = new Set(this.table.map((r) => `${r.method} ${r.path}`));
    const stray = this.app.routes.filter((r) => r.method !== 'ALL' && !known.has(`${r.method} ${r.path}`));
    if (stray.length) throw new Error(`Routes without an access rule: ${stray.map((r) => `${r.method} ${r.path}`).join(', ')}`);
  }
}

export type Ctx = Context<AppEnv>;
