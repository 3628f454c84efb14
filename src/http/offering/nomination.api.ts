import { z } from 'zod';
import { nominateUnit, nominationPreview } from '../../services/application.service.js';
import { type ApiOp, idParam } from '../api.js';

const nominationBody = z.object({
  unitId: idParam.describe('the unit (所属) whose active staff are applied for'),
  confirm: z.boolean().optional().describe('true to apply; absent or false only answers who would be applied for (409 confirmation_required with count, skipped, answersPending)'),
});
const nominationOut = z.object({ applied: z.number().int().describe('applications made (each applicant mailed)'), skipped: z.number().int().describe('already applied, or the nominator') });

/** A unit's nomination (所属推薦): what the offering's applicants page does after its confirmation step. */
export function registerNominationApi(op: ApiOp) {
  op(
    {
      method: 'POST',
      path: '/api/v1/offerings/:id/nominations',
      summary:
        'Nominate a unit (所属推薦): apply for each of its active staff, except the nominator and those who already applied; each applicant is mailed and answers any required questions on their application page. Mails people, so it asks first: without confirm true nothing is written and the answer is 409 confirmation_required with count, skipped and answersPending.',
      access: ['admin'],
      body: nominationBody,
      status: 201,
      response: nominationOut,
    },
    async (c, { params, body }) => {
      const ctx = c.get('ctx');
      const user = c.get('user')!;
      if (body.confirm !== true) {
        const p = await nominationPreview(ctx, user, params.id, { unitId: body.unitId });
        const message = c.get('t')('applications.nominateAsk', { count: p.count });
        return c.json({ error: { code: 'confirmation_required', message, fields: {}, count: p.count, skipped: p.skipped, answersPending: p.answersPending } }, 409);
      }
      return c.json(await nominateUnit(ctx, user, params.id, { unitId: body.unitId }), 201);
    },
  );
}
