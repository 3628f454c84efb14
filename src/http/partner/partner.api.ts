import { z } from 'zod';
import { addSite, createPartner, invitePartnerMember, listPartners, updatePartner, viewPartner } from '../../services/partner.service.js';
import { ServiceError } from '../../services/context.js';
import { apiError, wordFields } from '../api-errors.js';
import type { ApiOp } from '../api.js';
import { partnerDetailJson, partnerJson } from './presenter.js';
import { idOut, memberInviteBody, partnerCreateBody, partnerDetailOut, partnerLabels, partnerListQuery, partnerOut, siteBody } from './schema.js';

export function registerPartnerApi(op: ApiOp) {
  op({ method: 'GET', path: '/api/v1/partners', summary: 'Partner organisations (search by q, type, field, area)', access: ['admin'], query: partnerListQuery, response: z.object({ items: z.array(partnerOut) }) }, async (c, { query }) => {
    const rows = await listPartners(c.get('ctx'), { q: query.q || undefined, type: query.type, field: query.field || undefined, areaId: query.area });
    return c.json({ items: rows.map(partnerJson) });
  });
  op({ method: 'POST', path: '/api/v1/partners', summary: 'Create a partner organisation', access: ['admin'], body: partnerCreateBody, labels: partnerLabels, status: 201, response: idOut }, async (c, { body }) => {
    try {
      const p = await createPartner(c.get('ctx'), c.get('user'), body);
      return c.json({ id: p.id }, 201);
    } catch (e) {
      // A name already taken: the organisation's name is 団体名, not a person's 氏名 (field.name).
      if (!(e instanceof ServiceError) || !e.fields.name) throw e;
      const t = c.get('t');
      return apiError(c, e.status, e.code, t(e.messageKey, e.params), wordFields(t, e.fields, partnerLabels));
    }
  });
  op(
    { method: 'GET', path: '/api/v1/partners/:id', summary: 'One partner with sites, offers and hosted field sessions (admins, or its own members)', access: ['admin', 'partner'], response: partnerDetailOut },
    async (c, { params }) => c.json(partnerDetailJson(await viewPartner(c.get('ctx'), c.get('user')!, params.id))),
  );
  op({ method: 'POST', path: '/api/v1/partners/:id/sites', summary: 'Add an activity site (admins, or its own members)', access: ['admin', 'partner'], body: siteBody, status: 201, response: idOut }, async (c, { body, params }) => {
    const s = await addSite(c.get('ctx'), c.get('user')!, params.id, body);
    return c.json({ id: s.id }, 201);
  });
  op(
    { method: 'PUT', path: '/api/v1/partners/:id', summary: 'Change a partner organisation (admins, or its own members)', access: ['admin', 'partner'], body: partnerCreateBody, labels: partnerLabels, response: idOut },
    async (c, { params, body }) => {
      const p = await updatePartner(c.get('ctx'), c.get('user')!, params.id, body);
      return c.json({ id: p.id });
    },
  );
  op(
    { method: 'POST', path: '/api/v1/partners/:id/members', summary: 'Invite a member of the organisation: an account with the partner role and a mail to set the password', access: ['admin'], body: memberInviteBody, status: 201, response: idOut },
    async (c, { params, body }) => {
      const m = await invitePartnerMember(c.get('ctx'), c.get('user'), params.id, body);
      return c.json({ id: m.id }, 201);
    },
  );
}
