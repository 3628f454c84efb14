import { runLottery } from '../../services/application.service.js';
import { mayViewOffering, seesPublishedOfferingsOnly } from '../../domain/policies/offering.js';
import { cancelOffering, createOffering, deleteOffering, getOffering, listOfferings, updateOffering } from '../../services/offering.service.js';
import { apiError } from '../api-errors.js';
import { type ApiOp, listQuery, paged, pagedOut, pageOfList } from '../api.js';
import { registerFieldSessionApi } from './field-session.api.js';
import { registerNominationApi } from './nomination.api.js';
import { offeringJson, offeringListJson } from './presenter.js';
import { cancelOfferingBody, cancelOfferingOut, idOut, lotteryOut, offeringBody, offeringDetail, offeringListItem, offeringListQuery } from './schema.js';

/** Offerings (a programme in one fiscal year): list, create, read, cancel (中止), delete, draw the lottery. */
export function registerOfferingApi(op: ApiOp) {
  registerFieldSessionApi(op);
  registerNominationApi(op);
  op(
    {
      method: 'GET',
      path: '/api/v1/offerings',
      summary: 'Offerings (of a fiscal year, or all years), in the order their applications open, then id; paged by cursor',
      access: 'user',
      query: offeringListQuery.extend(listQuery('number')),
      response: pagedOut(offeringListItem),
    },
    async (c, { query }) => {
      const rows = await listOfferings(c.get('ctx'), { fiscalYear: query.fiscalYear, publishedOnly: seesPublishedOfferingsOnly(c.get('user')) });
      // The cursor is (applications open at, id): the list's order.
      const key = (o: (typeof rows)[number]) => ({ key: o.application_opens_at.getTime(), id: o.id });
      return paged(c, pageOfList(rows, key, query), query.limit, key, offeringListJson);
    },
  );
  op({ method: 'POST', path: '/api/v1/offerings', summary: 'Create an offering (a programme in one fiscal year)', access: ['admin'], body: offeringBody, status: 201, response: idOut }, async (c, { body }) => {
    const o = await createOffering(c.get('ctx'), c.get('user'), body);
    return c.json({ id: o.id }, 201);
  });
  op(
    {
      method: 'PUT',
      path: '/api/v1/offerings/:id',
      summary: 'Change an offering (the whole of it, as on creation); publish or take it back with published. A cancelled offering cannot be changed (409).',
      access: ['admin'],
      body: offeringBody,
      response: idOut,
    },
    async (c, { params, body }) => {
      const o = await updateOffering(c.get('ctx'), c.get('user'), params.id, body);
      return c.json({ id: o.id });
    },
  );
  op({ method: 'GET', path: '/api/v1/offerings/:id', summary: 'One offering with its sessions', access: 'user', response: offeringDetail }, async (c, { params }) => {
    const d = await getOffering(c.get('ctx'), params.id);
    if (!d || !mayViewOffering(c.get('user'), d.offering)) return apiError(c, 404, 'not_found', c.get('t')('error.offeringNotFound'));
    return c.json(offeringJson(d.offering, d.sessions));
  });
  op(
    {
      method: 'POST',
      path: '/api/v1/offerings/:id/cancel',
      summary: 'Cancel (中止) an offering: every live application is withdrawn and its applicant mailed with the reason; the offering leaves the public schedule, the open data and the calendars',
      access: ['admin'],
      body: cancelOfferingBody,
      response: cancelOfferingOut,
    },
    async (c, { body, params }) => {
      const r = await cancelOffering(c.get('ctx'), c.get('user'), params.id, body);
      return c.json({ id: r.offering.id, cancelledAt: r.offering.cancelled_at, told: r.told });
    },
  );
  op(
    { method: 'DELETE', path: '/api/v1/offerings/:id', summary: 'Delete an offering nobody applied to (one with applications is refused: cancel it instead)', access: ['admin'], status: 204 },
    async (c, { params }) => {
      await deleteOffering(c.get('ctx'), c.get('user'), params.id);
      return c.body(null, 204);
    },
  );
  op(
    {
      method: 'POST',
      path: '/api/v1/offerings/:id/lottery',
      summary: 'Draw the lottery (uniform; the seed is drawn by the server, recorded and returned, so the draw is reproducible but cannot be chosen)',
      access: ['admin'],
      response: lotteryOut,
    },
    async (c, { params }) => {
      // A seed sent by the client is refused, not ignored: whoever sends one expects it to be used.
      // The body is optional (none, or {}), so it is read here rather than declared to op.
      const text = await c.req.text();
      let sent: unknown = null;
      try {
        sent = text.trim() ? JSON.parse(text) : null;
      } catch {
        sent = null;
      }
      if (sent && typeof sent === 'object' && 'seed' in sent) {
        const message = c.get('t')('error.seedByServer');
        return apiError(c, 422, 'validation', message, { seed: message });
      }
      const r = await runLottery(c.get('ctx'), c.get('user')!, params.id);
      return c.json(r);
    },
  );
}
