import { z } from 'zod';
import { deleteSession, updateSession } from '../../services/session.service.js';
import { toId } from '../forms.js';
import { type ApiOp, jsonBody } from '../api.js';

const iso = z.string().describe('ISO 8601 with a zone, e.g. 2027-01-20T13:30:00+09:00');

/**
 * Changing and deleting a session (回), one call each. Both tell the confirmed participants and, for a
 * field training, the host; deleting a session that came from a partner's offer puts the offer back
 * to 'offered'. A deletion that would revoke certificates is refused (409 confirmation_required, with
 * the counts) unless `confirm` is true.
 */
export function registerSessionsApi(op: ApiOp) {
  op(
    {
      method: 'PUT',
      path: '/api/v1/sessions/:id',
      summary: 'Change a session: title, date and time (within the offering’s fiscal year), venue, lecturers; participants and the host are mailed',
      access: ['admin'],
      body: z.object({ title: z.string(), startsAt: iso, endsAt: iso, venue: z.string().optional(), lecturers: z.string().optional() }),
      response: z.object({ id: z.number().int(), title: z.string(), startsAt: z.string(), endsAt: z.string(), venue: z.string(), lecturers: z.string() }),
    },
    async (c) => {
      const body = await jsonBody(c);
      if (body instanceof Response) return body;
      const s = await updateSession(c.get('ctx'), c.get('user'), toId(c.req.param('id')), body);
      return c.json({ id: s.id, title: s.title, startsAt: s.starts_at.toISOString(), endsAt: s.ends_at.toISOString(), venue: s.venue, lecturers: s.lecturers });
    },
  );
  op(
    {
      method: 'DELETE',
      path: '/api/v1/sessions/:id',
      summary: 'Delete a session with no attendance or questionnaire; participants and the host are mailed; an offer it came from goes back to offered',
      access: ['admin'],
      body: z.object({ reason: z.string().optional(), confirm: z.boolean().optional().describe('needed when the deletion revokes certificates') }),
      response: z.object({ status: z.literal('deleted') }),
    },
    async (c) => {
      // The body is optional (Hono keeps the text it read, so jsonBody reads it again).
      const body = (await c.req.text()).trim() ? await jsonBody(c) : {};
      if (body instanceof Response) return body;
      await deleteSession(c.get('ctx'), c.get('user'), toId(c.req.param('id')), { reason: body.reason, confirm: body.confirm });
      return c.json({ status: 'deleted' as const });
    },
  );
}
