import type { Role } from '../domain/values.js';

/**
 * Who may use a route: anyone ('public'), any logged-in person ('user'), or the listed roles.
 * A programme admin may use every route.
 */
export type Access = 'public' | 'user' | readonly Role[];

export function allows(access: Access, roles: readonly Role[] | null): boolean {
  if (access === 'public') return true;
  if (!roles) return false;
  if (access === 'user') return true;
  return roles.includes('admin') || access.some((r) => roles.includes(r));
}
