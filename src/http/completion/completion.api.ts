import { overrideCompletion, reviewAssignment, signOff, submitAssignment, updateCompletionRule } from '../../services/completion.service.js';
import { ServiceError } from '../../services/context.js';
import { apiError, wordFields } from '../api-errors.js';
import { type ApiOp, jsonBody } from '../api.js';
import { validate } from '../../lib/validation.js';
import { assignmentLabels, assignmentOut, assignmentTextBody, assignmentReviewBody, completionOverrideBody, completionRuleBody, completionRuleOut, completionStateOut } from './schema.js';

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
  op(
    {
      method: 'POST',
      path: '/api/v1/applications/:id/assignment',
      summary:
        'Hand in my assignment (課題) for a confirmed application, as on the application page: multipart/form-data with text and/or file (PDF, Word, Excel, PowerPoint, text, PNG or JPEG; the same size limit as the page), or application/json {"text": "…"}. Handing in again replaces the previous one until it is accepted (409 accepted).',
      access: 'user',
      status: 201,
      response: assignmentOut,
    },
    async (c, { params }) => {
      const t = c.get('t');
      const type = (c.req.header('Content-Type') ?? '').toLowerCase();
      let input: { text?: unknown; file: { name: string; bytes: Uint8Array } | null };
      if (type.startsWith('multipart/form-data')) {
        const form = await c.req.parseBody();
        const file = form.file instanceof File && form.file.size > 0 ? { name: form.file.name, bytes: new Uint8Array(await form.file.arrayBuffer()) } : null;
        input = { text: typeof form.text === 'string' ? form.text : undefined, file };
      } else {
        const raw = await jsonBody(c);
        if (raw instanceof Response) return raw;
        const v = validate(assignmentTextBody, raw);
        if (!v.ok) return apiError(c, 422, 'validation', t('form.errorSummary', { count: Object.keys(v.errors).length }), wordFields(t, v.errors, assignmentLabels));
        input = { text: v.data.text, file: null };
      }
      try {
        await submitAssignment(c.get('ctx'), c.get('user')!, params.id, input);
      } catch (e) {
        // A wrong text or file is named as the page names it (課題（本文）, ファイル).
        if (!(e instanceof ServiceError) || e.status !== 422) throw e;
        return apiError(c, 422, e.code, t(e.messageKey, e.params), wordFields(t, e.fields, assignmentLabels));
      }
      return c.json({ id: params.id, status: 'submitted' as const }, 201);
    },
  );
}
