import { z } from 'zod';
import { addCriterion, listCriteria, updateCriterion } from '../../services/project.service.js';
import type { ApiOp } from '../api.js';
import { criterionJson } from './presenter.js';
import { criterionCreateBody, criterionOut, criterionUpdateBody } from './schema.js';

export function registerEvaluationCriterionApi(op: ApiOp) {
  op(
    { method: 'GET', path: '/api/v1/evaluation-criteria', summary: 'The evaluation criteria (admins may edit them)', access: ['staff', 'approver', 'coordinator', 'partner'], response: z.object({ items: z.array(criterionOut) }) },
    async (c) => c.json({ items: (await listCriteria(c.get('ctx'))).map(criterionJson) }),
  );
  op({ method: 'POST', path: '/api/v1/evaluation-criteria', summary: 'Add an evaluation criterion (in use at once; placed after the others)', access: ['admin'], body: criterionCreateBody, status: 201, response: criterionOut }, async (c, { body }) =>
    c.json(criterionJson(await addCriterion(c.get('ctx'), c.get('user'), body)), 201),
  );
  op(
    { method: 'PUT', path: '/api/v1/evaluation-criteria/:id', summary: 'Reword an evaluation criterion, or retire it (active false); evaluations already made keep their scores', access: ['admin'], body: criterionUpdateBody, response: criterionOut },
    async (c, { params, body }) => c.json(criterionJson(await updateCriterion(c.get('ctx'), c.get('user'), params.id, body))),
  );
}
