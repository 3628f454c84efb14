import { sendCohortMessage } from '../../services/cohort-message.service.js';
import type { ApiOp } from '../api.js';
import { cohortMessageBody, cohortMessageOut } from './schema.js';

/** Messaging an offering's cohort (issue 16 §2.2). */
export function registerCohortMessageApi(op: ApiOp) {
  op(
    {
      method: 'POST',
      path: '/api/v1/offerings/:id/messages',
      summary: 'Message a cohort: a mail through the outbox to each person with an application in one of the statuses (or to a session’s participants); each copy is listed on the person’s page',
      access: ['admin'],
      body: cohortMessageBody,
      status: 201,
      response: cohortMessageOut,
    },
    async (c, { body, params }) => {
      const r = await sendCohortMessage(c.get('ctx'), c.get('user'), params.id, body);
      return c.json({ id: r.id, queued: r.queued }, 201);
    },
  );
}
