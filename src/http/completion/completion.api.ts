import { overrideCompletion, reviewAssignment, signOff, updateCompletionRule } from '../../services/completion.service.js';
import { ServiceError } from '../../services/context.js';
import type { ApiOp } from '../api.js';
import { assignmentReviewBody, completionOverrideBody, completionRuleBody, completionRuleOut, completionStateOut } from './schema.js';

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
  op(
    { method: 'POST', path: '/api/v1/applications/:id/sign-off', summary: "Sign off a participant's completion (承認), where the offering's rule asks for it", access: ['admin'], response: completionStateOut },
    async (c, { params }) => c.json({ id: params.id, completed: await signOff(c.get('ctx'), c.get('user')!, params.id) }),
  );
  op(
    { method: 'POST', path: '/api/v1/applications/:id/assignment-review', summary: "Accept or return a participant's assignment (課題); completion is recomputed", access: ['admin'], body: assignmentReviewBody, response: completionStateOut },
    async (c, { params, body }) => c.json({ id: params.id, completed: await reviewAssignment(c.get('ctx'), c.get('user'), params.id, body) }),
  );
  op(
    { method: 'POST', path: '/api/v1/applications/:id/completion-override', summary: "Decide a participant's completion by hand, with the reason, or clear the decision", access: ['admin'], body: completionOverrideBody, response: completionStateOut },
    async (c, { params, body }) => c.json({ id: params.id, completed: await overrideCompletion(c.get('ctx'), c.get('user'), params.id, body) }),
  );
}
