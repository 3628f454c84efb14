import { listUnits } from '../../services/unit.service.js';
import type { ApiOp } from '../api.js';
import { toUnitJson } from './presenter.js';
import { unitList } from './schema.js';

/** The organisation directory over the API. */
export function registerUnitApi(op: ApiOp) {
  op({ method: 'GET', path: '/api/v1/units', summary: 'The organisation directory in tree order', access: ['admin'], response: unitList }, async (c) =>
    c.json({ items: (await listUnits(c.get('ctx'))).map(toUnitJson) }),
  );
}
