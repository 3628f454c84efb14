import type { listOffers } from '../../services/partner.service.js';

type OfferRow = Awaited<ReturnType<typeof listOffers>>[number];

/** A field-training offer in the API. */
export const offerJson = (o: OfferRow) => ({
  id: o.id,
  partnerId: o.partner_id,
  partner: o.partner_name,
  theme: o.theme,
  status: o.status,
  capacity: o.capacity,
  candidateStarts: o.candidate_starts,
  sessionId: o.session_id,
  // Set when the offer's scheduled session was deleted and the offer went back to 'offered'.
  withdrawnSession: o.session_withdrawn_at ? { startsAt: o.withdrawn_session_starts_at, withdrawnAt: o.session_withdrawn_at, reason: o.session_withdrawn_reason } : null,
});
