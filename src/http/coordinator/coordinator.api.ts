import { z } from 'zod';
import { directoryStatusesFor } from '../../domain/policies/coordinator.js';
import { coordinatorDirectory } from '../../services/coordinator.service.js';
import { type ApiOp, query } from '../api.js';

/** The coordinator directory (協働コーディネーター名簿) for staff; admins also see expired certifications. */
export function registerCoordinatorApi(op: ApiOp) {
  op(
    {
      method: 'GET',
      path: '/api/v1/coordinators',
      summary: 'The coordinator directory (staff only)',
      access: ['staff', 'approver', 'coordinator'],
      query: z.object({ q: query.text('search words'), area: query.id('municipality unit id') }),
    },
    async (c, { query: q }) => {
      const rows = await coordinatorDirectory(c.get('ctx'), {
        q: q.q,
        areaId: q.area,
        statuses: directoryStatusesFor(c.get('user')),
      });
      return c.json({ items: rows });
    },
  );
}
