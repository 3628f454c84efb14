import { z } from 'zod';
import { optionalText } from '../../lib/validation.js';
import { sessionChangeSchema, sessionInputSchema } from '../../services/session.service.js';

/** The API's schemas for sessions (回): the service's own input rules, so op refuses what the service would. */
const iso = 'ISO 8601 date-time with offset, e.g. 2026-12-01T10:00:00+09:00';

/**
 * 持ち物 and the venue's access, as the form takes them (at most 1,000 characters after trimming, line
 * breaks kept). Kept as text here, not turned to undefined when blank as the service's own rule does,
 * so that a change can tell "" (clear it) from a field left out (keep it); the service then applies
 * `optionalText(1000)` itself.
 */
const noteText = (what: string) =>
  z
    .string()
    .trim()
    .max(1000)
    .optional()
    .describe(`${what}; at most 1,000 characters, line breaks kept. Printed on the 受講決定通知 and shown on the confirmed participants’ home page.`);
const belongings = noteText('持ち物: what participants bring');
const access = noteText('How to get to the venue (access)');
const onChange = ' On a change: left out keeps the current text, "" clears it.';

export const sessionBody = sessionInputSchema.extend({
  startsAt: sessionInputSchema.shape.startsAt.describe(iso),
  endsAt: sessionInputSchema.shape.endsAt.describe(iso),
  belongings,
  access,
  confirm: z.boolean().optional().describe('needed when the new session withdraws completions (else 409 confirmation_required with the counts)'),
});

export const sessionChangeBody = sessionChangeSchema.extend({
  startsAt: sessionChangeSchema.shape.startsAt.describe(iso),
  endsAt: sessionChangeSchema.shape.endsAt.describe(iso),
  belongings: belongings.describe(`${belongings.description}${onChange}`),
  access: access.describe(`${access.description}${onChange}`),
});

/** Optional: a DELETE may come without a body. */
export const sessionDeleteBody = z
  .object({ reason: optionalText(1000), confirm: z.boolean().optional().describe('needed when the deletion revokes certificates') })
  .optional();

export const sessionOut = z.object({
  id: z.number().int(),
  title: z.string(),
  format: z.string().describe('lecture, workshop, field or online'),
  startsAt: z.string(),
  endsAt: z.string(),
  venue: z.string(),
  lecturers: z.string(),
  belongings: z.string().describe('持ち物 ("" when none)'),
  access: z.string().describe('how to get to the venue ("" when none)'),
});
