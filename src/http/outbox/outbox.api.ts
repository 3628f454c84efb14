import { z } from 'zod';
import { listOutbox } from '../../services/mail.service.js';
import { type ApiOp, listQuery, paged, pagedOut, query } from '../api.js';
import { OUTBOX_STATUSES } from './outbox.views.js';

const outboxItem = z.object({
  id: z.number().int(),
  to: z.string(),
  subject: z.string(),
  body: z.string(),
  status: z.enum(OUTBOX_STATUSES),
  attempts: z.number().int(),
  lastError: z.string().nullable(),
  calendarMethod: z.enum(['REQUEST', 'CANCEL']).nullable().describe('an iTIP invitation sent with the mail'),
  createdAt: z.string(),
  nextAttemptAt: z.string(),
  sentAt: z.string().nullable(),
});

/** The outbox (送信待ちのメール), newest first, paged by cursor: admins only, as its page. */
export function registerOutboxApi(op: ApiOp) {
  op(
    {
      method: 'GET',
      path: '/api/v1/outbox',
      summary: 'Mail queued by Kyodo, newest first, with its delivery status (filter by status); paged by cursor',
      access: ['admin'],
      query: z.object({ status: query.oneOf(OUTBOX_STATUSES, 'pending, sending, sent or failed'), ...listQuery('none') }),
      response: pagedOut(outboxItem),
    },
    async (c, { query: q }) => {
      // Keyset on id; `before` passes through the service's filter to the repository.
      const f = { status: q.status, countUpTo: 0, before: q.cursor?.id };
      const { rows } = await listOutbox(c.get('ctx'), q.limit + 1, 0, f);
      return paged(c, rows, q.limit, (m) => ({ key: null, id: m.id }), (m) => ({
        id: m.id,
        to: m.to_address,
        subject: m.subject,
        body: m.body_text,
        status: m.status,
        attempts: m.attempts,
        lastError: m.last_error,
        calendarMethod: m.calendar_method,
        createdAt: m.created_at.toISOString(),
        nextAttemptAt: m.next_attempt_at.toISOString(),
        sentAt: m.sent_at ? m.sent_at.toISOString() : null,
      }));
    },
  );
}
