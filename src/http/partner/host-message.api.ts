import { z } from 'zod';
import { requiredText } from '../../lib/validation.js';
import { postHostMessage } from '../../services/partner.service.js';
import type { ApiOp } from '../api.js';

const hostMessageBody = z.object({ body: requiredText(4000).describe('the message; each confirmed participant is mailed it, with the session’s title and time') });
const hostMessageOut = z.object({ sessionId: z.number().int(), status: z.literal('sent') });

/** A host organisation's message to the participants of a field session it hosts (as on its roster page). */
export function registerHostMessageApi(op: ApiOp) {
  op(
    {
      method: 'POST',
      path: '/api/v1/partner/sessions/:id/messages',
      summary: 'Message the confirmed participants of a field session your organisation hosts (members of the host partner): a mail to each, through the outbox; the message is listed on the session’s roster page',
      access: ['partner'],
      body: hostMessageBody,
      status: 201,
      response: hostMessageOut,
    },
    async (c, { params, body }) => {
      await postHostMessage(c.get('ctx'), c.get('user')!, params.id, body);
      return c.json({ sessionId: params.id, status: 'sent' as const }, 201);
    },
  );
}
