import { updateCompletionRule } from '../../services/completion.service.js';
import { ServiceError } from '../../services/context.js';
import type { ApiOp } from '../api.js';
import { completionRuleBody, completionRuleOut } from './schema.js';

/** An offering's completion rule (修了要件). */
export function registerCompletionApi(op: ApiOp) {
  op(
    {
      method: 'PUT',
      path: '/api/v1/offerings/:id/completion-rule',
      summary:
        "Change an offering's completion rule and recompute everyone confirmed. A change that would withdraw completions or revoke certificates is refused with 409 confirmation_required and the counts (certificatesRevoked, completionsLost), unless confirm is true.",
      access: ['admin'],
      body: completionRuleBody,
      response: completionRuleOut,
    },
    async (c, { body, params }) => {
      const t = c.get('t');
      const { confirm, ...rule } = body;
      try {
        return c.json(await updateCompletionRule(c.get('ctx'), c.get('user'), params.id, { rule, confirm: confirm === true }));
      } catch (e) {
        if (e instanceof ServiceError && e.code === 'confirmation_required') {
          const certificatesRevoked = Number(e.params.certificates);
          const completionsLost = Number(e.params.completions);
          return c.json({ error: { code: e.code, message: t(e.messageKey, e.params), fields: {}, certificatesRevoked, completionsLost } }, 409);
        }
        throw e;
      }
    },
  );
}
