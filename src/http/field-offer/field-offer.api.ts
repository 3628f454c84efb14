import { z } from 'zod';
import { acceptOffer, createOffer, declineOffer, listOffers } from '../../services/partner.service.js';
import type { ApiOp } from '../api.js';
import { offerJson } from './presenter.js';
import { acceptBody, declineBody, idOut, offerBody, offerListQuery, offerOut } from './schema.js';

export function registerFieldOfferApi(op: ApiOp) {
  op({ method: 'GET', path: '/api/v1/offers', summary: 'Field-training offers', access: ['admin'], query: offerListQuery, response: z.object({ items: z.array(offerOut) }) }, async (c, { query }) => {
    const rows = await listOffers(c.get('ctx'), { status: query.status });
    return c.json({ items: rows.map(offerJson) });
  });
  op({ method: 'POST', path: '/api/v1/offers', summary: "Offer to host a field training at one of the member's own sites", access: ['partner'], body: offerBody, status: 201, response: idOut }, async (c, { body }) => {
    const o = await createOffer(c.get('ctx'), c.get('user')!, body);
    return c.json({ id: o.id }, 201);
  });
  op(
    { method: 'POST', path: '/api/v1/offers/:id/accept', summary: 'Schedule an offer as a field session of an offering', access: ['admin'], body: acceptBody, response: z.object({ sessionId: z.number().int() }) },
    async (c, { body, params }) => {
      const r = await acceptOffer(c.get('ctx'), c.get('user'), params.id, body);
      return c.json({ sessionId: r.session.id });
    },
  );
  op({ method: 'POST', path: '/api/v1/offers/:id/decline', summary: 'Decline an offer with a reason', access: ['admin'], body: declineBody, response: z.object({ status: z.literal('declined') }) }, async (c, { body, params }) => {
    await declineOffer(c.get('ctx'), c.get('user'), params.id, body);
    return c.json({ status: 'declined' });
  });
}
