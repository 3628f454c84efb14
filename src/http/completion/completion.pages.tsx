import type { CompletionRule } from '../../domain/completion.js';
import type { FieldErrors } from '../../lib/validation.js';
import { getApplication } from '../../services/application.service.js';
import { completionTable, getAssignment, overrideCompletion, previewCompletionChange, reviewAssignment, signOff, updateCompletionRule } from '../../services/completion.service.js';
import { ServiceError } from '../../services/context.js';
import { getOffering } from '../../services/offering.service.js';
import { type FormBody, formAction, readForm, toId } from '../forms.js';
import { page } from '../page.js';
import type { Ctx, Router } from '../router.js';
import { CompletionOverview, formList, RuleConfirm, str } from './completion.views.js';

/** The rule as posted by the form (a blank minimum: none). Checked by the service. */
function ruleFromForm(form: FormBody): Record<string, unknown> {
  const min = str(form.completionMinSessions);
  const required = formList(form.completionRequiredSessions);
  return {
    ...(min !== '' ? { minSessions: Number(min) } : {}),
    ...(required.length ? { requiredSessionIds: required.map(Number) } : {}),
    ...(form.completionAssignment ? { assignment: true } : {}),
    ...(form.completionSignOff ? { signOff: true } : {}),
  };
}

/** Completion per offering: the rule, each participant's result, 課題 review, 承認 and overrides. */
export function registerCompletionPages(r: Router) {
  const completionPage = async (c: Ctx, offeringId: number, notice: string | null = null, errors: FieldErrors | null = null, ruleValues: FormBody | null = null) => {
    const t = c.get('t');
    const ctx = c.get('ctx');
    const d = await getOffering(ctx, offeringId);
    if (!d) return c.notFound();
    const table = await completionTable(ctx, offeringId);
    return page(
      c,
      t('completion.title', { title: d.offering.title }),
      <CompletionOverview t={t} lang={c.get('lang')} csrf={c.get('csrf')} offeringId={offeringId} title={d.offering.title} rule={d.offering.completion_rule} table={table} errors={errors} ruleValues={ruleValues} />,
      {
        crumbs: [{ label: t('nav.home'), href: '/' }, { label: t('nav.offerings'), href: '/admin/offerings' }, { label: d.offering.title, href: `/admin/offerings/${offeringId}` }, { label: t('completion.completed') }],
        notice,
        status: errors ? 422 : 200,
      },
    );
  };
  r.get('/admin/offerings/:id/completion', ['admin'], (c) => {
    const q = c.req.query();
    const notice =
      q.notice === 'saved'
        ? c.get('t')('common.saved')
        : q.notice === 'rule'
          ? c.get('t')('completion.ruleSaved', { completions: Math.max(0, toId(q.completions) || 0), certificates: Math.max(0, toId(q.certificates) || 0) })
          : null;
    return completionPage(c, toId(c.req.param('id')), notice);
  });

  // --- The completion rule: a change that withdraws completions or revokes certificates asks first --------
  const confirmRulePage = async (c: Ctx, offeringId: number, form: FormBody, effect: { certificatesRevoked: number; completionsLost: number }, error: boolean) => {
    const t = c.get('t');
    const d = await getOffering(c.get('ctx'), offeringId);
    if (!d) return c.notFound();
    return page(
      c,
      t('completion.confirmTitle'),
      <RuleConfirm t={t} csrf={c.get('csrf')} offeringId={offeringId} form={form} rule={ruleFromForm(form) as CompletionRule} sessions={d.sessions} effect={effect} error={error} />,
      {
        crumbs: [{ label: t('nav.home'), href: '/' }, { label: t('nav.offerings'), href: '/admin/offerings' }, { label: d.offering.title, href: `/admin/offerings/${offeringId}/completion` }, { label: t('completion.confirmTitle') }],
        status: error ? 422 : 200,
      },
    );
  };
  r.post('/admin/offerings/:id/completion-rule', ['admin'], async (c) => {
    const id = toId(c.req.param('id'));
    const ctx = c.get('ctx');
    const form = await readForm(c);
    if (!(await getOffering(ctx, id))) return c.notFound();
    const rule = ruleFromForm(form);
    try {
      if (!form.confirm) {
        // First ask: what would this change withdraw? (Sent back from the confirmation unticked: ask again, marked.)
        const effect = await previewCompletionChange(ctx, id, { rule });
        if (effect.certificatesRevoked > 0 || effect.completionsLost > 0) return confirmRulePage(c, id, form, effect, !!form.confirming);
      }
      const res = await updateCompletionRule(ctx, c.get('user'), id, { rule, confirm: !!form.confirm });
      return c.redirect(`/admin/offerings/${id}/completion?notice=rule&completions=${res.completionsLost}&certificates=${res.certificatesRevoked}`, 303);
    } catch (e) {
      if (e instanceof ServiceError && e.code === 'confirmation_required') return confirmRulePage(c, id, form, { certificatesRevoked: Number(e.params.certificates), completionsLost: Number(e.params.completions) }, true);
      if (e instanceof ServiceError && e.status === 422) return completionPage(c, id, null, e.fields, form);
      throw e;
    }
  });

  // --- One participant: 課題 review, 承認, override; a wrong input is shown on the completion page -------
  const appAction = (path: string, run: (c: Ctx, appId: number, form: FormBody) => Promise<unknown>) =>
    r.post(`/admin/applications/:id/${path}`, ['admin'], async (c) => {
      const appId = toId(c.req.param('id'));
      const app = await getApplication(c.get('ctx'), appId);
      if (!app) return c.notFound();
      return formAction(c, {
        run: (form) => run(c, appId, form),
        invalid: (_, errors, status, e) => {
          if (status !== 422) throw e;
          return completionPage(c, app.offering_id, null, errors);
        },
        done: () => `/admin/offerings/${app.offering_id}/completion?notice=saved`,
      });
    });
  appAction('assignment-review', (c, id, form) => reviewAssignment(c.get('ctx'), c.get('user'), id, form));
  appAction('sign-off', (c, id) => signOff(c.get('ctx'), c.get('user')!, id));
  appAction('override', (c, id, form) => overrideCompletion(c.get('ctx'), c.get('user'), id, form));
  r.get('/admin/applications/:id/assignment', ['admin'], async (c) => {
    const a = await getAssignment(c.get('ctx'), toId(c.req.param('id')));
    if (!a) return c.notFound();
    if (a.file_data && a.file_name) {
      return c.body(a.file_data as Uint8Array<ArrayBuffer>, 200, {
        'Content-Type': a.file_type ?? 'application/octet-stream',
        'Content-Disposition': `attachment; filename*=UTF-8''${encodeURIComponent(a.file_name)}`,
        'X-Content-Type-Options': 'nosniff',
        'Content-Security-Policy': "default-src 'none'; sandbox",
        'Cache-Control': 'no-store',
      });
    }
    return c.text(a.text ?? '', 200, { 'Content-Type': 'text/plain; charset=utf-8' });
  });
}
