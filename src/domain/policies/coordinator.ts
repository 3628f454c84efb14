import type { CoordinatorStatus } from '../completion.js';
import { isAdmin, type PolicyActor } from './actor.js';

/** Every status of a coordinator's certification, in the directory's order. */
export const COORDINATOR_STATUSES: readonly CoordinatorStatus[] = ['active', 'expiring', 'expired'];

/**
 * Which coordinators the directory (協働コーディネーター名簿) shows. Staff see those whose certification
 * stands (active, or expiring soon); admins see every status, expired included, and may ask for one.
 * The directory is for staff: partner members do not see staff data (the routes' access says so).
 */
export function directoryStatusesFor(actor: PolicyActor | null | undefined, wanted?: CoordinatorStatus): CoordinatorStatus[] {
  if (!isAdmin(actor)) return ['active', 'expiring'];
  return wanted ? [wanted] : [...COORDINATOR_STATUSES];
}
