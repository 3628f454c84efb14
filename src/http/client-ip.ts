import type { Context } from 'hono';
import { type ClientAddressOf, clientAddressResolver } from '../lib/client-address.js';
import type { AppEnv } from './env.js';

const resolvers = new WeakMap<readonly string[], ClientAddressOf>();

/** The client's address: the socket's, or from X-Forwarded-For when the socket is a trusted proxy (KYODO_TRUSTED_PROXIES, decision 0017). */
export function clientIp(c: Context<AppEnv>): string {
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
  const trusted = c.get('ctx').config.trustedProxies;
  let resolve = resolvers.get(trusted);
  if (!resolve) resolvers.set(trusted, (resolve = clientAddressResolver(trusted)));
  return resolve(env?.incoming?.socket?.remoteAddress, c.req.header('X-Forwarded-For'));
}
