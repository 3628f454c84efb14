import type { Affiliation, Role } from '../values.js';

/**
 * Who is asking, as the policies see them: the signed-in person (http's CurrentUser has this shape),
 * or null for a visitor who is not signed in. Policies are pure: they judge the actor and the row they
 * are given and read nothing else.
 */
export interface PolicyActor {
  id: number;
  roles: readonly Role[];
  unitId?: number | null;
  affiliation?: Affiliation;
}

/** A programme admin may do everything the policies allow anyone. */
export function isAdmin(actor: PolicyActor | null | undefined): boolean {
  return !!actor && actor.roles.includes('admin');
}
