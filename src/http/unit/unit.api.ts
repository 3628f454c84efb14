import { apiError } from '../api-errors.js';
import { createUnit, getUnit, listUnits, setUnitActive, updateUnit } from '../../services/unit.service.js';
import { z } from 'zod';
import { UNIT_KINDS } from '../../domain/values.js';
import { type ApiOp, formatQuery, query, wantsFile } from '../api.js';
import { sendTable } from '../export.js';
import { toUnitJson, unitExportColumns } from './presenter.js';
import { unitBody, unitIdOut, unitLabels, unitList, unitOut } from './schema.js';

/** The organisation directory over the API: read, create, change, and take units in or out of use. */
export function registerUnitApi(op: ApiOp) {
  op(
    {
      method: 'GET',
      path: '/api/v1/units',
      summary: 'The organisation directory in tree order (search by q, kind); or as CSV/xlsx (format), as the directory page downloads it. Not paged: it is bounded by the organisation.',
      access: ['admin'],
      query: z.object({ q: query.text('words of the name or フリガナ'), kind: query.oneOf(UNIT_KINDS, 'the kind of unit'), ...formatQuery() }),
      response: unitList,
      formats: true,
    },
    async (c, { query: q }) => {
      const ctx = c.get('ctx');
      const filter = { q: q.q || undefined, kind: q.kind };
      const units = await listUnits(ctx, filter);
      if (wantsFile(q)) {
        const parents = new Map((await listUnits(ctx)).map((u) => [u.id, u.name]));
        return sendTable(c, q.format, 'units', c.get('t')('units.title'), unitExportColumns(c.get('t'), parents), units);
      }
      return c.json({ items: units.map(toUnitJson) });
    },
  );
  op({ method: 'GET', path: '/api/v1/units/:id', summary: 'One unit', access: ['admin'], response: unitOut }, async (c, { params }) => {
    const unit = (await listUnits(c.get('ctx'))).find((u) => u.id === params.id);
    return unit ? c.json(toUnitJson(unit)) : apiError(c, 404, 'not_found', c.get('t')('error.notFound'));
  });
  op({ method: 'POST', path: '/api/v1/units', summary: 'Create a unit (部局, 所属, 市町 or 外郭団体)', access: ['admin'], body: unitBody, labels: unitLabels, status: 201, response: unitIdOut }, async (c, { body }) => {
    const unit = await createUnit(c.get('ctx'), c.get('user'), body);
    return c.json({ id: unit.id }, 201);
  });
  op({ method: 'PUT', path: '/api/v1/units/:id', summary: 'Change a unit', access: ['admin'], body: unitBody, labels: unitLabels, response: unitIdOut }, async (c, { params, body }) => {
    const unit = await updateUnit(c.get('ctx'), c.get('user'), params.id, body);
    return c.json({ id: unit.id });
  });
  for (const action of ['activate', 'deactivate'] as const)
    op(
      { method: 'POST', path: `/api/v1/units/:id/${action}`, summary: action === 'activate' ? 'Take a unit back into use' : 'Take a unit out of use (it stays in past records)', access: ['admin'], response: unitIdOut },
      async (c, { params }) => {
        if (!(await getUnit(c.get('ctx'), params.id))) return apiError(c, 404, 'not_found', c.get('t')('error.notFound'));
        await setUnitActive(c.get('ctx'), c.get('user'), params.id, action === 'activate');
        return c.json({ id: params.id });
      },
    );
}
