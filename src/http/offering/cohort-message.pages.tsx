import type { FieldErrors } from '../../lib/validation.js';
import { cohortCounts, messagesOfOffering, myMessages, previewCohortMessage, sendCohortMessage } from '../../services/cohort-message.service.js';
import { getOffering } from '../../services/offering.service.js';
import { type FormBody, readForm, submit, toId } from '../forms.js';
import { page } from '../page.js';
import type { Ctx, Router } from '../router.js';
import { CohortMessageConfirm, CohortMessageForm, MyMessages } from './cohort-message.views.js';
import { arr, str } from './offering.views.js';

/** Messaging an offering's cohort (issue 16 §2.2): write, see how many it reaches, confirm, send. */
export function registerCohortMessagePages(r: Router) {
  const crumbs = (c: Ctx, o: { id: number; title: string }, label: string) => [
    { label: c.get('t')('nav.home'), href: '/' },
    { label: c.get('t')('nav.offerings'), href: '/admin/offerings' },
    { label: o.title, href: `/admin/offerings/${o.id}` },
    { label },
  ];
  const messagePage = async (c: Ctx, id: number, values: FormBody = {}, errors: FieldErrors | null = null, status: 200 | 409 | 422 = 200, notice: string | null = null) => {
    const t = c.get('t');
    const ctx = c.get('ctx');
    const d = await getOffering(ctx, id);
    if (!d) return c.notFound();
    const [counts, sent] = await Promise.all([cohortCounts(ctx, id), messagesOfOffering(ctx, id)]);
    return page(
      c,
      t('bulk.messageTitle', { title: d.offering.title }),
      <CohortMessageForm t={t} lang={c.get('lang')} csrf={c.get('csrf')} id={id} sessions={d.sessions} counts={counts} sent={sent} values={values} errors={errors} />,
      { crumbs: crumbs(c, d.offering, t('bulk.message')), status, notice },
    );
  };
  const confirmPage = async (c: Ctx, id: number, values: FormBody, errors: FieldErrors | null = null) => {
    const t = c.get('t');
    const p = await previewCohortMessage(c.get('ctx'), id, { statuses: arr(values.statuses), sessionId: str(values.sessionId), subject: values.subject, body: values.body });
    return page(c, t('bulk.messageConfirmTitle'), <CohortMessageConfirm t={t} csrf={c.get('csrf')} id={id} values={values} p={p} errors={errors} />, {
      crumbs: crumbs(c, p.offering, t('bulk.message')),
      status: errors ? 422 : 200,
    });
  };
  r.get('/admin/offerings/:id/messages', ['admin'], (c) => {
    const sent = c.req.query('sent');
    return messagePage(c, toId(c.req.param('id')), {}, null, 200, sent ? c.get('t')('bulk.messageSent', { count: Math.max(0, Number.parseInt(sent, 10) || 0) }) : null);
  });
  r.post('/admin/offerings/:id/messages', ['admin'], async (c) => {
    const id = toId(c.req.param('id'));
    const body = await readForm(c);
    const steps = arr(body.step);
    const back = (errors: FieldErrors, status: number) => messagePage(c, id, body, errors, status === 409 ? 409 : 422);
    if (steps.includes('edit')) return messagePage(c, id, body);
    const input = { statuses: arr(body.statuses), sessionId: str(body.sessionId), subject: body.subject, body: body.body };
    if (!steps.includes('send')) {
      const check = await submit(() => previewCohortMessage(c.get('ctx'), id, input), back);
      if (!check.ok) return check.response;
      return confirmPage(c, id, body);
    }
    if (body.confirm !== 'on') {
      // Not confirmed: the confirmation page again, asking for the tick (or the form, if the message is wrong).
      const check = await submit(() => previewCohortMessage(c.get('ctx'), id, input), back);
      if (!check.ok) return check.response;
      return confirmPage(c, id, body, { confirm: { key: 'operations.error.confirm' } });
    }
    const res = await submit(() => sendCohortMessage(c.get('ctx'), c.get('user'), id, input), back);
    if (!res.ok) return res.response;
    return c.redirect(`/admin/offerings/${id}/messages?sent=${res.value.queued}`, 303);
  });

  // Each person's copies: the messages the training office sent them.
  r.get('/my/messages', 'user', async (c) => {
    const t = c.get('t');
    const rows = await myMessages(c.get('ctx'), c.get('user')!.id);
    return page(c, t('bulk.myMessages'), <MyMessages t={t} lang={c.get('lang')} rows={rows} />, { crumbs: [{ label: t('nav.home'), href: '/' }, { label: t('bulk.myMessages') }] });
  });
}
