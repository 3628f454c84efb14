import { z } from 'zod';
import { isIsoDate, tokyoLocalToUtc } from '../../domain/calendar.js';
import { listAudit } from '../../services/audit.service.js';
import { type ApiOp, listQuery, paged, pagedOut, query } from '../api.js';

/** A calendar date (Tokyo) in a filter: a real one only. */
const isoDate = (description: string) => z.string().refine(isIsoDate, { message: 'error.invalid' }).optional().describe(description);

const auditQuery = z.object({
  actor: query.id('who acted: a person id'),
  actorQ: query.text('who acted: words of their name, フリガナ, e-mail or staff number'),
  action: query.text('the action, e.g. person.update', 50),
  entity: query.text('the kind of record, e.g. person', 50),
  entityId: query.text('the record’s id (with entity)', 50),
  from: isoDate('from this day (Tokyo), YYYY-MM-DD'),
  to: isoDate('up to and including this day (Tokyo), YYYY-MM-DD'),
  ...listQuery('none'),
});

const auditItem = z.object({
  id: z.number().int(),
  at: z.string().describe('ISO 8601'),
  actorId: z.number().int().nullable().describe('null for the system, and for an answer to an anonymous survey'),
  actorName: z.string().nullable(),
  action: z.string(),
  entity: z.string(),
  entityId: z.string().nullable(),
  before: z.unknown().describe('the record before the change (secrets left out), or null'),
  after: z.unknown().describe('the record after the change, or null'),
});

const nextDay = (iso: string) => {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
};

/** The audit log (監査ログ), newest first, filtered as on its page, paged by cursor. */
export function registerAuditApi(op: ApiOp) {
  op(
    {
      method: 'GET',
      path: '/api/v1/audit',
      summary: 'The audit log, newest first: filter by actor, action, entity (and entityId) and a span of days (from, to: Tokyo); paged by cursor',
      access: ['admin'],
      query: auditQuery,
      response: pagedOut(auditItem),
    },
    async (c, { query: q }) => {
      const filter = {
        actorId: q.actor,
        actorQ: q.actorQ || undefined,
        action: q.action || undefined,
        entity: q.entity || undefined,
        entityId: q.entityId || undefined,
        from: q.from ? tokyoLocalToUtc(q.from, '00:00') : undefined,
        to: q.to ? tokyoLocalToUtc(nextDay(q.to), '00:00') : undefined,
      };
      // Keyset on id (entries are numbered as they are written); nothing counted past the page.
      const page = { limit: q.limit + 1, offset: 0, countUpTo: 0, before: q.cursor?.id };
      const { rows } = await listAudit(c.get('ctx'), filter, page);
      return paged(c, rows, q.limit, (e) => ({ key: null, id: e.id }), (e) => ({
        id: e.id,
        at: e.at.toISOString(),
        actorId: e.actor_id,
        actorName: e.actor_name,
        action: e.action,
        entity: e.entity,
        entityId: e.entity_id,
        before: e.before ?? null,
        after: e.after ?? null,
      }));
    },
  );
}
