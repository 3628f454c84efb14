import type { ApiOp } from '../api.js';
import { toMe } from './presenter.js';
import { meSchema } from './schema.js';

/** The signed-in person, over the API. */
export function registerAccountApi(op: ApiOp) {
  op({ method: 'GET', path: '/api/v1/me', summary: 'The current user', access: 'user', response: meSchema }, (c) => c.json(toMe(c.get('user')!)));
}
