import { z } from 'zod';
import { APPLICATION_STATUSES } from '../../domain/selection.js';
import { sendCohortMessage } from '../../services/cohort-message.service.js';
import { copyOffering } from '../../services/offering-copy.service.js';
import { toId } from '../forms.js';
import { type ApiOp, jsonBody } from '../api.js';

/** Bulk tasks on an offering (issue 16 §2.1–2.2). */
export function registerOfferingBulkApi(op: ApiOp) {
  op(
    {
      method: 'POST',
      path: '/api/v1/offerings/:id/copy',
      summary:
        'Copy an offering into another fiscal year: sessions on the same weekday in that year (a session that would fall on a weekend or a national holiday moves to the next working day), with its questions, seats per group and completion rule; the copy starts unpublished, with no applications, no field-training host and no surveys (create the pre/post surveys once the participants are known)',
      access: ['admin'],
      body: z.object({ fiscalYear: z.union([z.number().int(), z.string()]).describe('target fiscal year by its starting calendar year (2027), or as text (令和9年度)') }),
      status: 201,
      response: z.object({
        id: z.number().int(),
        sessions: z.array(z.object({ from: z.string(), to: z.string(), moved: z.enum(['weekend', 'holiday']).nullable() })).describe('each session: its date, its copy’s date (Tokyo), and why it moved'),
      }),
    },
    async (c) => {
      const body = await jsonBody(c);
      if (body instanceof Response) return body;
      const r = await copyOffering(c.get('ctx'), c.get('user'), toId(c.req.param('id')), body);
      return c.json({ id: r.offering.id, sessions: r.sessions.map((s) => ({ from: s.from, to: s.to, moved: s.moved?.kind ?? null })) }, 201);
    },
  );
  op(
    {
      method: 'POST',
      path: '/api/v1/offerings/:id/messages',
      summary: 'Message a cohort: a mail through the outbox to each person with an application in one of the statuses (or to a session’s participants); each copy is listed on the person’s page',
      access: ['admin'],
      body: z.object({
        subject: z.string().max(200),
        body: z.string().max(10_000),
        statuses: z.array(z.enum(APPLICATION_STATUSES)).optional(),
        sessionId: z.number().int().optional().describe('instead of statuses: the participants of this session of the offering'),
      }),
      status: 201,
      response: z.object({ id: z.number().int(), queued: z.number().int().describe('people the mail was queued for') }),
    },
    async (c) => {
      const body = await jsonBody(c);
      if (body instanceof Response) return body;
      const r = await sendCohortMessage(c.get('ctx'), c.get('user'), toId(c.req.param('id')), body);
      return c.json({ id: r.id, queued: r.queued }, 201);
    },
  );
}
