import { endorseRefusal } from '../application-policy.js';
import { isAdmin, type PolicyActor } from './actor.js';

/**
 * Who may see an application (申込) and its decision notice: the applicant, and the training office.
 * To anyone else it does not exist (404, not 403), in pages and the API alike.
 */
export function mayViewApplication(actor: PolicyActor | null | undefined, application: { person_id: number }): boolean {
  return !!actor && (application.person_id === actor.id || isAdmin(actor));
}

/** Who may withdraw (辞退) an application: the applicant, or an admin on their behalf. */
export function mayCancelApplication(actor: PolicyActor | null | undefined, application: { person_id: number }): boolean {
  return mayViewApplication(actor, application);
}

/** Who answers the questions left open on an application: the applicant only (an admin applies on their behalf, but does not answer for them). */
export function mayAnswerApplication(actor: PolicyActor | null | undefined, application: { person_id: number }): boolean {
  return !!actor && application.person_id === actor.id;
}

/** Who hands in the assignment (課題) of an application: the applicant only. */
export function maySubmitAssignment(actor: PolicyActor | null | undefined, application: { person_id: number }): boolean {
  return !!actor && application.person_id === actor.id;
}

/**
 * Who may endorse or return an application (推薦・承認): an approver of the applicant's unit, or an
 * admin, but never the applicant themselves (see endorseRefusal, which also says why not).
 */
export function mayEndorseApplication(actor: PolicyActor | null | undefined, application: { person_id: number; person_unit_id: number | null }): boolean {
  if (!actor) return false;
  return endorseRefusal({ id: actor.id, roles: actor.roles, unitId: actor.unitId ?? null }, { id: application.person_id, unitId: application.person_unit_id }) === null;
}
