import { z } from 'zod';
import { optionalText } from '../../lib/validation.js';
import { sessionChangeSchema, sessionInputSchema } from '../../services/session.service.js';

/** The API's schemas for sessions (回): the service's own input rules, so op refuses what the service would. */
const iso = 'ISO 8601 date-time with offset, e.g. 2026-12-01T10:00:00+09:00';

export const sessionBody = sessionInputSchema.extend({
  startsAt: sessionInputSchema.shape.startsAt.describe(iso),
  endsAt: sessionInputSchema.shape.endsAt.describe(iso),
  confirm: z.boolean().optional().describe('needed when the new session withdraws completions (else 409 confirmation_required with the counts)'),
});

export const sessionChangeBody = sessionChangeSchema.extend({
  startsAt: sessionChangeSchema.shape.startsAt.describe(iso),
  endsAt: sessionChangeSchema.shape.endsAt.describe(iso),
});

/** Optional: a DELETE may come without a body. */
export const sessionDeleteBody = z
  .object({ reason: optionalText(1000), confirm: z.boolean().optional().describe('needed when the deletion revokes certificates') })
  .optional();

export const sessionOut = z.object({ id: z.number().int(), title: z.string(), startsAt: z.string(), endsAt: z.string(), venue: z.string(), lecturers: z.string() });
