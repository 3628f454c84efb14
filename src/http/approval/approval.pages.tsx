import type { FieldErrors } from '../../lib/validation.js';
import { endorse, endorsementQueue } from '../../services/application.service.js';
import { ServiceError } from '../../services/context.js';
import { formAction, toId } from '../forms.js';
import { page } from '../page.js';
import type { Ctx, Router } from '../router.js';
import { ApprovalQueue } from './approval.views.js';

/** 推薦・承認: the approver's queue of their unit's applications (every unit's for an admin), never their own. */
export function registerApprovalPages(r: Router) {
  const queuePage = async (c: Ctx, errors: FieldErrors | null = null, status: 200 | 403 | 409 | 422 = 200) => {
    const t = c.get('t');
    const queue = await endorsementQueue(c.get('ctx'), c.get('user')!);
    return page(c, t('approvals.title'), <ApprovalQueue t={t} lang={c.get('lang')} csrf={c.get('csrf')} queue={queue} errors={errors} />, {
      crumbs: [{ label: t('nav.home'), href: '/' }, { label: t('approvals.title') }],
      notice: c.req.query('notice') === 'done' ? t('approvals.done') : null,
      status,
    });
  };
  r.get('/approvals', ['approver'], (c) => queuePage(c));
  r.post('/approvals/:id', ['approver'], (c) => {
    const id = toId(c.req.param('id'));
    return formAction(c, {
      run: (form) => endorse(c.get('ctx'), c.get('user')!, id, { decision: form.decision, comment: form.comment }),
      invalid: (_, errors, status) => queuePage(c, errors, status === 409 ? 409 : 422),
      done: () => '/approvals?notice=done',
    }).catch((e) => {
      // A refusal (such as one's own application) is shown on the list with its reason, not as a bare error page.
      if (e instanceof ServiceError && e.code === 'own_application') return queuePage(c, { _: { key: e.messageKey } }, 403);
      throw e;
    });
  });
}
