import { isAdmin, type PolicyActor } from './actor.js';

/**
 * Who may anonymise a person who has left (decision 0014): a programme admin, never themselves (they
 * would lock themselves out with no way back), and only someone not already anonymised.
 */
export function mayAnonymisePerson(actor: PolicyActor | null | undefined, person: { id: number; anonymised: boolean }): boolean {
  return isAdmin(actor) && actor!.id !== person.id && !person.anonymised;
}
