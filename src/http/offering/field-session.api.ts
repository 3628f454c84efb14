import { z } from 'zod';
import { addFieldSession, fieldSessionInputSchema } from '../../services/field-session.service.js';
import type { ApiOp } from '../api.js';

/** The service's own fields, described for the API (instants with a zone, as every other API date). */
export const fieldSessionBody = fieldSessionInputSchema.extend({
  siteId: fieldSessionInputSchema.shape.siteId.describe('an active site of an active partner: the partner hosts the session'),
  theme: fieldSessionInputSchema.shape.theme.describe('the session is titled 現地研修：<theme>'),
  startsAt: fieldSessionInputSchema.shape.startsAt.describe('ISO 8601 with a zone, ahead, in the offering’s fiscal year (e.g. 2027-02-18T13:30:00+09:00)'),
  endsAt: fieldSessionInputSchema.shape.endsAt.describe('ISO 8601 with a zone, after startsAt'),
  capacity: fieldSessionInputSchema.shape.capacity.describe('at most the site’s capacity (default: the site’s capacity)'),
  confirm: z.boolean().optional().describe('needed when the new session withdraws completions (else 409 confirmation_required with the counts)'),
});

/** Setting up a field training directly (issue 16 §2.5): the same session an accepted offer makes; the host's members are mailed. */
export function registerFieldSessionApi(op: ApiOp) {
  op(
    {
      method: 'POST',
      path: '/api/v1/offerings/:id/field-sessions',
      summary: 'Add a field training (現地研修) at a partner’s site as a session of the offering, hosted by the partner (its members are mailed), without waiting for an offer',
      access: ['admin'],
      body: fieldSessionBody,
      status: 201,
      response: z.object({ id: z.number().int() }),
    },
    async (c, { body, params }) => {
      const s = await addFieldSession(c.get('ctx'), c.get('user'), params.id, body);
      return c.json({ id: s.id }, 201);
    },
  );
}
