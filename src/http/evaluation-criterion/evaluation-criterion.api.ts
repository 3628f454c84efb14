import { z } from 'zod';
import { listCriteria } from '../../services/project.service.js';
import type { ApiOp } from '../api.js';
import { criterionJson } from './presenter.js';
import { criterionOut } from './schema.js';

export function registerEvaluationCriterionApi(op: ApiOp) {
  op(
    { method: 'GET', path: '/api/v1/evaluation-criteria', summary: 'The evaluation criteria (admins may edit them)', access: ['staff', 'approver', 'coordinator', 'partner'], response: z.object({ items: z.array(criterionOut) }) },
    async (c) => c.json({ items: (await listCriteria(c.get('ctx'))).map(criterionJson) }),
  );
}
