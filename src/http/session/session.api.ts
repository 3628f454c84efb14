import { z } from 'zod';
import { addSession } from '../../services/offering.service.js';
import { deleteSession, updateSession } from '../../services/session.service.js';
import type { ApiOp } from '../api.js';
import { sessionJson } from './presenter.js';
import { sessionBody, sessionChangeBody, sessionDeleteBody, sessionOut } from './schema.js';

/**
 * Adding, changing and deleting a session (回), one call each. Changing and deleting tell the confirmed
 * participants and, for a field training, the host; deleting a session that came from a partner's offer
 * puts the offer back to 'offered'. A deletion that would revoke certificates is refused
 * (409 confirmation_required, with the counts) unless `confirm` is true.
 */
export function registerSessionApi(op: ApiOp) {
  op(
    {
      method: 'POST',
      path: '/api/v1/offerings/:id/sessions',
      summary: 'Add a session (回), with its 持ち物 and access if given; answers the session as stored',
      access: ['admin'],
      body: sessionBody,
      status: 201,
      response: sessionOut,
    },
    async (c, { body, params }) => {
      const s = await addSession(c.get('ctx'), c.get('user'), params.id, body);
      return c.json(sessionJson(s), 201);
    },
  );
  op(
    {
      method: 'PUT',
      path: '/api/v1/sessions/:id',
      summary: 'Change a session: title, date and time (within the offering’s fiscal year), venue, lecturers, 持ち物, access; participants and the host are mailed',
      access: ['admin'],
      body: sessionChangeBody,
      response: sessionOut,
    },
    async (c, { body, params }) => {
      const s = await updateSession(c.get('ctx'), c.get('user'), params.id, body);
      return c.json(sessionJson(s));
    },
  );
  op(
    {
      method: 'DELETE',
      path: '/api/v1/sessions/:id',
      summary: 'Delete a session with no attendance or questionnaire; participants and the host are mailed; an offer it came from goes back to offered',
      access: ['admin'],
      body: sessionDeleteBody,
      response: z.object({ status: z.literal('deleted') }),
    },
    async (c, { body, params }) => {
      await deleteSession(c.get('ctx'), c.get('user'), params.id, { reason: body?.reason, confirm: body?.confirm });
      return c.json({ status: 'deleted' as const });
    },
  );
}
