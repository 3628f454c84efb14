import { addSite, createPartner, invitePartnerMember, listPartners, updatePartner, viewPartner } from '../../services/partner.service.js';
import { ServiceError } from '../../services/context.js';
import { apiError, wordFields } from '../api-errors.js';
import { type ApiOp, formatQuery, listQuery, paged, pagedOut, wantsFile } from '../api.js';
import { sendTable } from '../export.js';
import { listUnits } from '../../services/unit.service.js';
import { partnerDetailJson, partnerExportColumns, partnerJson } from './presenter.js';
import { idOut, memberInviteBody, partnerCreateBody, partnerDetailOut, partnerLabels, partnerListQuery, partnerOut, siteBody } from './schema.js';
import { registerHostSessionApi } from './host-session.api.js';

export function registerPartnerApi(op: ApiOp) {
  registerHostSessionApi(op);
  op(
    {
      method: 'GET',
      path: '/api/v1/partners',
      summary: 'Partner organisations in フリガナ order (search by q, type, field, area), paged by cursor; or the whole list as CSV/xlsx (format), as the directory page downloads it',
      access: ['admin'],
      query: partnerListQuery.extend({ ...listQuery('text'), ...formatQuery() }),
      response: pagedOut(partnerOut),
      formats: true,
    },
    async (c, { query }) => {
      const ctx = c.get('ctx');
      const filter = { q: query.q || undefined, type: query.type, field: query.field || undefined, areaId: query.area };
      if (wantsFile(query)) {
        const t = c.get('t');
        const [rows, units] = await Promise.all([listPartners(ctx, filter), listUnits(ctx, { kind: 'municipality' })]);
        return sendTable(c, query.format, 'partners', t('partners.title'), partnerExportColumns(t, new Map(units.map((u) => [u.id, u.name]))), rows);
      }
      // Keyset on (フリガナ, id) in the repository; `after` and `limit` pass through the service's filter.
      const keyset = { ...filter, after: query.cursor ? { kana: String(query.cursor.key), id: query.cursor.id } : undefined, limit: query.limit + 1 };
      const rows = await listPartners(ctx, keyset);
      return paged(c, rows, query.limit, (p) => ({ key: p.kana, id: p.id }), partnerJson);
    },
  );
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
