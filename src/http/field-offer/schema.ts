import { z } from 'zod';
import { acceptOfferInputSchema, declineOfferInputSchema, offerInputSchema } from '../../services/partner.service.js';
import { query } from '../api.js';

/** GET /api/v1/offers */
export const offerListQuery = z.object({ status: query.oneOf(['offered', 'accepted', 'declined'], 'offered | accepted | declined') });

/** A member's offer to host a field training at one of their own sites: the service's input schema. */
export const offerBody = offerInputSchema.extend({
  candidateStarts: offerInputSchema.shape.candidateStarts.describe('1–10 candidate starts, ISO 8601 with a zone (e.g. 2027-01-20T13:30:00+09:00)'),
  durationMinutes: offerInputSchema.shape.durationMinutes.describe('minutes, 30–600'),
  capacity: offerInputSchema.shape.capacity.describe('1–1000, at most the site’s own capacity'),
});

export const acceptBody = acceptOfferInputSchema.extend({
  offeringId: acceptOfferInputSchema.shape.offeringId.describe('the offering the session is added to: of the fiscal year of the date, neither cancelled nor finished'),
  start: acceptOfferInputSchema.shape.start.describe('one of the offer’s candidate starts, still ahead (ISO 8601)'),
});

export const declineBody = declineOfferInputSchema.extend({ reason: declineOfferInputSchema.shape.reason.describe('mailed to the partner’s members') });

export const offerOut = z.object({
  id: z.number().int(),
  partnerId: z.number().int(),
  partner: z.string(),
  theme: z.string(),
  status: z.enum(['offered', 'accepted', 'declined', 'withdrawn']),
  capacity: z.number().int(),
  candidateStarts: z.array(z.string()),
  sessionId: z.number().int().nullable(),
  withdrawnSession: z.object({ startsAt: z.string().nullable(), withdrawnAt: z.string(), reason: z.string().nullable() }).nullable().describe('set when the offer’s scheduled session was deleted and the offer went back to offered'),
});

export const idOut = z.object({ id: z.number().int() });
