import { isAdmin, type PolicyActor } from './actor.js';

/**
 * Who may see an offering and its sessions. An unpublished offering (a draft, or one taken back) is
 * the training office's business only: to anyone else it does not exist (404, not 403), in pages, the
 * API, calendar feeds and exports alike.
 */
export function mayViewOffering(actor: PolicyActor | null | undefined, offering: { published: boolean }): boolean {
  return offering.published || isAdmin(actor);
}

/** Whether lists and feeds for this actor hold published offerings only. */
export function seesPublishedOfferingsOnly(actor: PolicyActor | null | undefined): boolean {
  return !isAdmin(actor);
}
