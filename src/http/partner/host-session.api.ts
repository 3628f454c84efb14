import { z } from 'zod';
import { requiredText } from '../../lib/validation.js';
import { hostRoster, postHostMessage } from '../../services/partner.service.js';
import { type ApiOp, formatQuery, wantsFile } from '../api.js';
import { sendTable } from '../export.js';
import { rosterExportColumns } from './presenter.js';

const hostMessageBody = z.object({ body: requiredText(4000).describe('the message; each confirmed participant is mailed it, with the session’s title and time') });
const hostMessageOut = z.object({ sessionId: z.number().int(), status: z.literal('sent') });

const rosterOut = z.object({
  sessionId: z.number().int(),
  title: z.string(),
  startsAt: z.string(),
  endsAt: z.string(),
  participants: z.array(z.object({ name: z.string(), unit: z.string() })).describe('confirmed participants, by フリガナ: name and unit only'),
});

/** What a host organisation does with a field session it hosts, as on its roster page: read the roster, message the participants. */
export function registerHostSessionApi(op: ApiOp) {
  op(
    {
      method: 'GET',
      path: '/api/v1/partner/sessions/:id/roster',
      summary: 'The roster (受講者名簿) of a field session your organisation hosts (members of the host partner): confirmed participants’ names and units; or as CSV/xlsx (format), as the roster page downloads it',
      access: ['partner'],
      query: z.object(formatQuery()),
      response: rosterOut,
      formats: true,
    },
    async (c, { params, query }) => {
      const r = await hostRoster(c.get('ctx'), c.get('user')!, params.id);
      if (wantsFile(query)) return sendTable(c, query.format, `roster-${r.session.id}`, c.get('t')('partners.roster'), rosterExportColumns(c.get('t')), r.participants);
      return c.json({
        sessionId: r.session.id,
        title: r.session.title,
        startsAt: r.session.starts_at.toISOString(),
        endsAt: r.session.ends_at.toISOString(),
        participants: r.participants.map((p) => ({ name: p.name, unit: p.unit ?? '' })),
      });
    },
  );
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
