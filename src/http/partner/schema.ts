import { z } from 'zod';
import { emailField, kanaField, requiredText } from '../../lib/validation.js';
import { PARTNER_TYPES } from '../../domain/values.js';
import { partnerInputSchema, siteInputSchema } from '../../services/partner.service.js';
import { query } from '../api.js';

/** GET /api/v1/partners: search words, type, field of activity, municipality. */
export const partnerListQuery = z.object({ q: query.text('words'), type: query.oneOf(PARTNER_TYPES, 'type'), field: query.text('field of activity', 30), area: query.id('municipality unit id') });

/**
 * A new partner organisation: the service's own input schema. Its `name` is the 団体名, so the
 * operation words that field with partners.orgName rather than the general 氏名.
 */
export const partnerCreateBody = partnerInputSchema.extend({
  name: partnerInputSchema.shape.name.describe('団体名, the organisation’s name: required, at most 200 characters'),
  fields: partnerInputSchema.shape.fields.optional().describe('fields of activity, e.g. 福祉'),
  areas: partnerInputSchema.shape.areas.optional().describe('municipality unit ids where it is active'),
});

/** How the partner operations name their fields where the general label would mislead. */
export const partnerLabels = { name: 'partners.orgName' } as const;

/** A new activity site: the service's input schema (its JSON shape is the same). */
export const siteBody = siteInputSchema.extend({ capacity: siteInputSchema.shape.capacity.describe('how many visitors it takes, 1–1000') });

export const partnerOut = z.object({
  id: z.number().int(),
  name: z.string(),
  kana: z.string(),
  type: z.enum(PARTNER_TYPES),
  fields: z.array(z.string()),
  areaUnitIds: z.array(z.number().int()),
  description: z.string(),
});

export const partnerDetailOut = z.object({
  id: z.number().int(),
  name: z.string(),
  type: z.enum(PARTNER_TYPES),
  sites: z.array(z.object({ id: z.number().int(), name: z.string(), address: z.string(), capacity: z.number().int(), whatToSee: z.string(), accessibility: z.string() })),
  offers: z.array(
    z.object({
      id: z.number().int(),
      theme: z.string(),
      status: z.enum(['offered', 'accepted', 'declined', 'withdrawn']),
      siteId: z.number().int(),
      capacity: z.number().int(),
      candidateStarts: z.array(z.string()),
      sessionId: z.number().int().nullable(),
    }),
  ),
  fieldSessions: z.array(z.object({ id: z.number().int(), offeringId: z.number().int(), title: z.string(), startsAt: z.string(), endsAt: z.string(), confirmed: z.number().int() })),
});

export const idOut = z.object({ id: z.number().int() });

/** A member to invite: their name, フリガナ and email (a person's own, so 氏名 is the right word here). */
export const memberInviteBody = z.object({ name: requiredText(100), kana: kanaField(100), email: emailField() });
