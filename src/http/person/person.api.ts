import { z } from 'zod';
import { invite } from '../../services/account.service.js';
import { createPerson, getPerson, listPeople, setPersonActive, updatePerson } from '../../services/person.service.js';
import { type ApiOp, formatQuery, listQuery, nextPageUrl, paged, pagedOut, wantsFile } from '../api.js';
import { sendTable } from '../export.js';
import { apiError } from '../api-errors.js';
import { personExportColumns, toPersonJson } from './presenter.js';
import { unitReferences } from '../../services/import.service.js';
import { created, peopleList, peopleQuery, personBody, personOut } from './schema.js';

/** The people directory over the API. */
export function registerPersonApi(op: ApiOp) {
  op(
    {
      method: 'GET',
      path: '/api/v1/people',
      summary: 'People, 50音順 by フリガナ (then id), paged by cursor; or the whole list as CSV/xlsx (format), as the people page downloads it',
      access: ['admin'],
      query: peopleQuery.extend({ ...listQuery('text'), ...formatQuery() }),
      response: peopleList.omit({ page: true }).extend({ page: z.number().int().optional(), next: pagedOut(personOut).shape.next }),
      formats: true,
    },
    async (c, { query }) => {
      const ctx = c.get('ctx');
      const filter = { q: query.q, unitId: query.unitId };
      if (wantsFile(query)) {
        const t = c.get('t');
        const { rows } = await listPeople(ctx, { ...filter, limit: 1_000_000, offset: 0 });
        return sendTable(c, query.format, 'people', t('people.title'), personExportColumns(t, await unitReferences(ctx)), rows);
      }
      // `page` (deprecated) still pages by offset, 100 a page; otherwise keyset on (フリガナ, id).
      if (query.page && !query.cursor) {
        const { rows, total } = await listPeople(ctx, { ...filter, limit: 100, offset: (query.page - 1) * 100 });
        return c.json({ items: rows.map(toPersonJson), total, page: query.page, next: rows.length === 100 && query.page * 100 < total ? nextPageUrl(c, query.page + 1) : null });
      }
      const after = query.cursor ? { kana: String(query.cursor.key), id: query.cursor.id } : undefined;
      const { rows, total } = await listPeople(ctx, { ...filter, after, limit: query.limit + 1, offset: 0 });
      return paged(c, rows, query.limit, (p) => ({ key: p.kana, id: p.id }), toPersonJson, { total });
    },
  );

  op({ method: 'POST', path: '/api/v1/people', summary: 'Create a person', access: ['admin'], body: personBody, status: 201, response: created }, async (c, { body }) => {
    const p = await createPerson(c.get('ctx'), c.get('user'), body);
    return c.json({ id: p.id }, 201);
  });

  op({ method: 'GET', path: '/api/v1/people/:id', summary: 'One person', access: ['admin'], response: personOut }, async (c, { params }) => {
    const p = await getPerson(c.get('ctx'), params.id);
    if (!p) return apiError(c, 404, 'not_found', c.get('t')('error.notFound'));
    return c.json(toPersonJson(p));
  });

  op({ method: 'PUT', path: '/api/v1/people/:id', summary: 'Change a person (name, フリガナ, email, unit, affiliation, staff number, roles)', access: ['admin'], body: personBody, response: created }, async (c, { params, body }) => {
    const p = await updatePerson(c.get('ctx'), c.get('user'), params.id, body);
    return c.json({ id: p.id });
  });

  op(
    {
      method: 'POST',
      path: '/api/v1/people/:id/deactivate',
      summary: 'Take a person out of use: they can no longer sign in; their records stay. Ask with confirm: true.',
      access: ['admin'],
      body: z.object({ confirm: z.literal(true, { message: 'operations.error.confirm' }) }),
      response: created,
    },
    async (c, { params }) => {
      if (!(await getPerson(c.get('ctx'), params.id))) return apiError(c, 404, 'not_found', c.get('t')('error.notFound'));
      await setPersonActive(c.get('ctx'), c.get('user'), params.id, false);
      return c.json({ id: params.id });
    },
  );

  op({ method: 'POST', path: '/api/v1/people/:id/activate', summary: 'Take a person back into use', access: ['admin'], response: created }, async (c, { params }) => {
    if (!(await getPerson(c.get('ctx'), params.id))) return apiError(c, 404, 'not_found', c.get('t')('error.notFound'));
    await setPersonActive(c.get('ctx'), c.get('user'), params.id, true);
    return c.json({ id: params.id });
  });

  op({ method: 'POST', path: '/api/v1/people/:id/invite', summary: 'Mail a person a link to set their password (an invitation)', access: ['admin'], response: created }, async (c, { params }) => {
    if (!(await getPerson(c.get('ctx'), params.id))) return apiError(c, 404, 'not_found', c.get('t')('error.notFound'));
    await invite(c.get('ctx'), c.get('user'), params.id);
    return c.json({ id: params.id });
  });
}
