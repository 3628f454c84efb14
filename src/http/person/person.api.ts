import { createPerson, getPerson, listPeople } from '../../services/person.service.js';
import { type ApiOp } from '../api.js';
import { apiError } from '../api-errors.js';
import { toPersonJson } from './presenter.js';
import { created, peopleList, peopleQuery, personBody, personOut } from './schema.js';

/** The people directory over the API. */
export function registerPersonApi(op: ApiOp) {
  op(
    { method: 'GET', path: '/api/v1/people', summary: 'People, 50音順 by フリガナ', access: ['admin'], query: peopleQuery, response: peopleList },
    async (c, { query }) => {
      const pageNo = query.page ?? 1;
      const { rows, total } = await listPeople(c.get('ctx'), { q: query.q, unitId: query.unitId, limit: 100, offset: (pageNo - 1) * 100 });
      return c.json({ items: rows.map(toPersonJson), total, page: pageNo });
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
}
