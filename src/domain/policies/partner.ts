import { isAdmin, type PolicyActor } from './actor.js';

/**
 * Who may see and change a partner organisation (協働パートナー) and what hangs from it: its sites, its
 * field-training offers and the field sessions it hosts. Admins may act on any organisation; a partner
 * member only on their own. To anyone else the organisation does not exist (404, not 403).
 *
 * `partnerId` is the organisation the actor is a member of, as the service loaded it (null: none).
 */
export interface PartnerActor extends PolicyActor {
  partnerId: number | null;
}

/** Is the actor a member (partner role) of this organisation? */
export function isMemberOf(actor: PartnerActor | null | undefined, partnerId: number): boolean {
  return !!actor && actor.roles.includes('partner') && actor.partnerId !== null && actor.partnerId === partnerId;
}

/** May see the organisation with its sites, offers and hosted sessions: admins, and its own members. */
export function mayViewPartner(actor: PartnerActor | null | undefined, partner: { id: number }): boolean {
  return isAdmin(actor) || isMemberOf(actor, partner.id);
}

/** May edit the organisation's details and add activity sites: admins, and its own members. */
export function mayEditPartner(actor: PartnerActor | null | undefined, partner: { id: number }): boolean {
  return isAdmin(actor) || isMemberOf(actor, partner.id);
}

/** May offer a field training at this site: a member of the organisation the site belongs to. */
export function mayOfferAtSite(actor: PartnerActor | null | undefined, site: { partner_id: number }): boolean {
  return !!actor && actor.partnerId !== null && actor.partnerId === site.partner_id;
}

/**
 * May see a field session's host roster (name and unit of participants only) and message its
 * participants: the members of the hosting organisation, and nobody else — not even admins, who have
 * the offering's own pages.
 */
export function mayHostSession(actor: PartnerActor | null | undefined, session: { host_partner_id: number | null }): boolean {
  return !!actor && actor.partnerId !== null && session.host_partner_id === actor.partnerId;
}
