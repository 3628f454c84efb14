import { z } from 'zod';
import { directoryStatusesFor } from '../../domain/policies/coordinator.js';
import { coordinatorDirectory } from '../../services/coordinator.service.js';
import { type ApiOp, query } from '../api.js';
import { coordinatorCredential } from '../../services/credential.service.js';
import { credentialJson } from '../credential/presenter.js';
import { credentialItem } from '../credential/schema.js';
import { registerCoordinatorProfileApi } from './coordinator-profile.api.js';

/** The coordinator directory (協働コーディネーター名簿) for staff; admins also see expired certifications. */
export function registerCoordinatorApi(op: ApiOp) {
  registerCoordinatorProfileApi(op);
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
  op(
    { method: 'GET', path: '/api/v1/people/:id/coordinator-certification/credential', summary: "A person's coordinator certification as an Open Badges 3.0 credential, signed as a VC-JWT (the coordinator, or an admin)", access: 'user', response: credentialItem },
    async (c, { params }) => c.json(credentialJson(await coordinatorCredential(c.get('ctx'), c.get('user'), params.id))),
  );
}
