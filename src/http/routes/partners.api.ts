import { z } from 'zod';
import { toId } from '../forms.js';
import { acceptOffer, addSite, createOffer, createPartner, declineOffer, getPartner, listOffers, listPartners, memberPartnerId } from '../../services/partner.service.js';
import { apiError } from '../api-errors.js';
import { fieldMessage } from '../../i18n/index.js';
import { ServiceError } from '../../services/context.js';
import { type ApiOp, jsonBody, query } from '../api.js';
import { PARTNER_TYPES } from '../../domain/values.js';

const partnerOut = z.object({
  id: z.number().int(),
  name: z.string(),
  kana: z.string(),
  type: z.enum(PARTNER_TYPES),
  fields: z.array(z.string()),
  areaUnitIds: z.array(z.number().int()),
  description: z.string(),
});
const idOut = z.object({ id: z.number().int() });

export function registerPartnersApi(op: ApiOp) {
  op({ method: 'GET', path: '/api/v1/partners', summary: 'Partner organisations (search by q, type, field, area)', access: ['admin'], query: z.object({ q: query.text('words'), type: query.oneOf(PARTNER_TYPES, 'type'), field: query.text('field of activity', 30), area: query.id('municipality unit id') }), response: z.object({ items: z.array(partnerOut) }) }, async (c) => {
    const rows = await listPartners(c.get('ctx'), {
      q: c.req.query('q')?.slice(0, 100),
      type: PARTNER_TYPES.find((x) => x === c.req.query('type')),
      field: c.req.query('field')?.slice(0, 30),
      areaId: (toId(c.req.query('area')) || undefined),
    });
    return c.json({ items: rows.map((p) => ({ id: p.id, name: p.name, kana: p.kana, type: p.type, fields: p.fields, areaUnitIds: p.area_unit_ids, description: p.description })) });
  });
  op(
    {
      method: 'POST',
      path: '/api/v1/partners',
      summary: 'Create a partner organisation',
      access: ['admin'],
      body: z.object({ name: z.string(), kana: z.string(), type: z.enum(PARTNER_TYPES), fields: z.array(z.string()).optional(), areas: z.array(z.number().int()).optional(), description: z.string().optional() }),
      status: 201,
      response: idOut,
    },
    async (c) => {
      const body = await jsonBody(c);
      if (body instanceof Response) return body;
      try {
        const p = await createPartner(c.get('ctx'), c.get('user'), body);
        return c.json({ id: p.id }, 201);
      } catch (e) {
        // An organisation's name is 団体名, not a person's 氏名 (field.name).
        if (!(e instanceof ServiceError) || !e.fields.name) throw e;
        const t = c.get('t');
        const fields = Object.fromEntries(Object.entries(e.fields).map(([f, x]) => [f, f === 'name' ? t(x.key, { field: t('partners.orgName'), ...x.params }) : fieldMessage(t, f, x.key, x.params)]));
        return apiError(c, e.status, e.code, t(e.messageKey, e.params), fields);
      }
    },
  );
  op({ method: 'GET', path: '/api/v1/partners/:id', summary: 'One partner with sites, offers and hosted field sessions (admins, or its own members)', access: ['admin', 'partner'] }, async (c) => {
    const id = toId(c.req.param('id'));
    const user = c.get('user')!;
    if (!user.roles.includes('admin') && (await memberPartnerId(c.get('ctx'), user)) !== id) return apiError(c, 404, 'not_found', c.get('t')('error.notFound'));
    const d = await getPartner(c.get('ctx'), id);
    if (!d) return apiError(c, 404, 'not_found', c.get('t')('error.notFound'));
    return c.json({
      id: d.partner.id,
      name: d.partner.name,
      type: d.partner.type,
      sites: d.sites.map((s) => ({ id: s.id, name: s.name, address: s.address, capacity: s.capacity, whatToSee: s.what_to_see, accessibility: s.accessibility })),
      offers: d.offers.map((o) => ({ id: o.id, theme: o.theme, status: o.status, siteId: o.site_id, capacity: o.capacity, candidateStarts: o.candidate_starts, sessionId: o.session_id })),
      fieldSessions: d.hosted.map((s) => ({ id: s.id, offeringId: s.offering_id, title: s.title, startsAt: s.starts_at, endsAt: s.ends_at, confirmed: Number(s.confirmed_count ?? 0) })),
    });
  });
  op(
    {
      method: 'POST',
      path: '/api/v1/partners/:id/sites',
      summary: 'Add an activity site',
      access: ['admin', 'partner'],
      body: z.object({ name: z.string(), address: z.string(), capacity: z.number().int(), whatToSee: z.string().optional(), accessibility: z.string().optional() }),
      status: 201,
      response: idOut,
    },
    async (c) => {
      const body = await jsonBody(c);
      if (body instanceof Response) return body;
      const s = await addSite(c.get('ctx'), c.get('user')!, toId(c.req.param('id')), body);
      return c.json({ id: s.id }, 201);
    },
  );
  op({ method: 'GET', path: '/api/v1/offers', summary: 'Field-training offers', access: ['admin'], query: z.object({ status: query.oneOf(['offered', 'accepted', 'declined'], 'offered | accepted | declined') }) }, async (c) => {
    const rows = await listOffers(c.get('ctx'), { status: c.req.query('status') || undefined });
    return c.json({
      items: rows.map((o) => ({
        id: o.id,
        partnerId: o.partner_id,
        partner: o.partner_name,
        theme: o.theme,
        status: o.status,
        capacity: o.capacity,
        candidateStarts: o.candidate_starts,
        sessionId: o.session_id,
        // Set when the offer's scheduled session was deleted and the offer went back to 'offered'.
        withdrawnSession: o.session_withdrawn_at ? { startsAt: o.withdrawn_session_starts_at, withdrawnAt: o.session_withdrawn_at, reason: o.session_withdrawn_reason } : null,
      })),
    });
  });
  op(
    {
      method: 'POST',
      path: '/api/v1/offers',
      summary: "Offer to host a field training at one of the member's own sites",
      access: ['partner'],
      body: z.object({ siteId: z.number().int(), theme: z.string(), candidateStarts: z.array(z.string()), durationMinutes: z.number().int(), capacity: z.number().int(), preparation: z.string().optional() }),
      status: 201,
      response: idOut,
    },
    async (c) => {
      const body = await jsonBody(c);
      if (body instanceof Response) return body;
      const o = await createOffer(c.get('ctx'), c.get('user')!, body);
      return c.json({ id: o.id }, 201);
    },
  );
  op(
    { method: 'POST', path: '/api/v1/offers/:id/accept', summary: 'Schedule an offer as a field session of an offering', access: ['admin'], body: z.object({ offeringId: z.number().int(), start: z.string() }), response: z.object({ sessionId: z.number().int() }) },
    async (c) => {
      const body = await jsonBody(c);
      if (body instanceof Response) return body;
      const r = await acceptOffer(c.get('ctx'), c.get('user'), toId(c.req.param('id')), body);
      return c.json({ sessionId: r.session.id });
    },
  );
  op({ method: 'POST', path: '/api/v1/offers/:id/decline', summary: 'Decline an offer with a reason', access: ['admin'], body: z.object({ reason: z.string() }) }, async (c) => {
    const body = await jsonBody(c);
    if (body instanceof Response) return body;
    await declineOffer(c.get('ctx'), c.get('user'), toId(c.req.param('id')), body);
    return c.json({ status: 'declined' });
  });
}
