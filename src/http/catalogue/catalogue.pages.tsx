import { fiscalYearOf, formatFiscalYear, parseFiscalYear } from '../../domain/calendar.js';
import { isAdmin } from '../../domain/policies/actor.js';
import { mayViewOffering } from '../../domain/policies/offering.js';
import { LIVE_STATUSES } from '../../domain/selection.js';
import { SESSION_FORMATS } from '../../domain/values.js';
import type { FieldErrors } from '../../lib/validation.js';
import { apply, cancel, cancellationPreview, getApplication, listApplications } from '../../services/application.service.js';
import { personalFeed, sessionIcs } from '../../services/calendar-feed.service.js';
import { invalid } from '../../services/context.js';
import { cancellationDeadline, catalogue, getOffering } from '../../services/offering.service.js';
import { formAction, toId } from '../forms.js';
import { page } from '../page.js';
import type { Ctx, Router } from '../router.js';
import { answersOf } from '../views/offering-facts.js';
import { CancelConfirm, CatalogueList, TrainingDetail } from './catalogue.views.js';

/**
 * The catalogue (研修一覧) and applying: the published trainings of a year, one training's page with
 * the form to apply, 辞退 with its confirmation, and the calendar files of sessions and the personal feed.
 */
export function registerCataloguePages(r: Router) {
  r.get('/trainings', 'user', async (c) => {
    const t = c.get('t');
    const lang = c.get('lang');
    const ctx = c.get('ctx');
    const fy = parseFiscalYear(c.req.query('fy') ?? '') ?? fiscalYearOf(ctx.now());
    const programmeId = toId(c.req.query('programme')) || undefined;
    const format = SESSION_FORMATS.find((f) => f === c.req.query('format'));
    const month = toId(c.req.query('month')) || undefined;
    const { programmes, offerings } = await catalogue(ctx, { fiscalYear: fy, programmeId, format, month });
    return page(
      c,
      t('trainings.title', { fy: formatFiscalYear(fy, lang) }),
      <CatalogueList t={t} lang={lang} fy={fy} programmeId={programmeId} format={format} month={month} programmes={programmes} offerings={offerings} now={ctx.now()} />,
      { crumbs: [{ label: t('nav.home'), href: '/' }, { label: t('nav.trainings') }] },
    );
  });

  const detail = async (c: Ctx, offeringId: number, errors: FieldErrors | null = null, status: 200 | 409 | 422 = 200, notice: string | null = null) => {
    const t = c.get('t');
    const ctx = c.get('ctx');
    const user = c.get('user')!;
    const d = await getOffering(ctx, offeringId);
    // An unpublished offering is the training office's business only: to anyone else it does not exist.
    if (!d || !mayViewOffering(user, d.offering)) return c.notFound();
    const o = d.offering;
    const mine = (await listApplications(ctx, o.id)).filter((a) => a.person_id === user.id).pop();
    const live = !!mine && LIVE_STATUSES.includes(mine.status);
    const now = ctx.now();
    const open = now >= o.application_opens_at && now < o.application_closes_at;
    return page(
      c,
      o.title,
      <TrainingDetail
        t={t}
        lang={c.get('lang')}
        csrf={c.get('csrf')}
        d={d}
        mine={mine}
        live={live}
        canApply={open || isAdmin(user)}
        deadline={cancellationDeadline(o, d.sessions)}
        warnings={isAdmin(user)}
        errors={errors}
      />,
      { crumbs: [{ label: t('nav.home'), href: '/' }, { label: t('nav.trainings'), href: '/trainings' }, { label: o.title }], status, notice },
    );
  };
  r.get('/trainings/:id', 'user', (c) => {
    const t = c.get('t');
    const q = c.req.query('notice');
    return detail(c, toId(c.req.param('id')), null, 200, q === 'applied' ? t('trainings.applied') : q === 'cancelled' ? t('trainings.cancelled') : null);
  });
  r.post('/trainings/:id/apply', 'user', (c) => {
    const id = toId(c.req.param('id'));
    return formAction(c, {
      run: (form) => apply(c.get('ctx'), c.get('user')!, id, { answers: answersOf(form) }),
      invalid: (_, errors, status) => detail(c, id, errors, status === 409 ? 409 : 422),
      done: () => `/trainings/${id}?notice=applied`,
    });
  });

  // 辞退 cannot be undone: a confirmation page says what it will do (the seat passes to the next person
  // waiting, the place on the waiting list is lost, who is mailed) and the POST needs its checkbox.
  const cancelPage = async (c: Ctx, id: number, values: { reason?: string } = {}, errors: FieldErrors | null = null) => {
    const t = c.get('t');
    const user = c.get('user')!;
    // Null for someone else's application (the service asks the application policy): 404.
    const p = await cancellationPreview(c.get('ctx'), user, id);
    if (!p) return c.notFound();
    const { app: a, offering: o } = p;
    const own = a.person_id === user.id;
    return page(c, t('applications.cancelTitle'), <CancelConfirm t={t} csrf={c.get('csrf')} preview={p} own={own} back={own ? `/trainings/${o.id}` : `/my/applications/${a.id}`} values={values} errors={errors} />, {
      crumbs: [{ label: t('nav.home'), href: '/' }, { label: t('nav.trainings'), href: '/trainings' }, { label: o.title, href: `/trainings/${o.id}` }, { label: t('applications.cancelTitle') }],
      status: errors ? 422 : 200,
    });
  };
  r.get('/applications/:id/cancel', 'user', (c) => cancelPage(c, toId(c.req.param('id'))));
  r.post('/applications/:id/cancel', 'user', (c) => {
    const id = toId(c.req.param('id'));
    const user = c.get('user')!;
    return formAction(c, {
      // Not confirmed: the confirmation page again (nothing changes); 404 for someone else's application.
      run: (form) => (form.confirmCancel === 'yes' ? cancel(c.get('ctx'), user, id, { reason: form.reason }) : Promise.reject(invalid({ confirmCancel: { key: 'operations.error.confirm' } }))),
      invalid: async (form, errors, status) => {
        if (status !== 409) return cancelPage(c, id, { reason: typeof form.reason === 'string' ? form.reason : '' }, errors);
        // Too late, or no longer live: said on the training's page.
        const app = await getApplication(c.get('ctx'), id);
        return detail(c, app?.offering_id ?? 0, errors, 409);
      },
      done: (a) => (a.person_id === user.id ? `/trainings/${a.offering_id}?notice=cancelled` : `/my/applications/${a.id}?notice=cancelled`),
    });
  });

  r.get('/trainings/sessions/:file', 'user', async (c) => {
    const m = /^(\d+)\.ics$/.exec(c.req.param('file') ?? '');
    // The offering policy decides whether the viewer may see the session (unpublished: admins only).
    const ics = m ? await sessionIcs(c.get('ctx'), Number(m[1]), { viewer: c.get('user') }) : null;
    if (!ics) return c.notFound();
    return c.body(ics, 200, { 'Content-Type': 'text/calendar; charset=utf-8', 'Content-Disposition': `attachment; filename="kyodo-session-${m![1]}.ics"` });
  });

  // The personal feed is read by calendar clients, which cannot log in: the secret token is the credential.
  r.get('/calendar/:file', 'public', async (c) => {
    const m = /^([\w-]{20,})\.ics$/.exec(c.req.param('file') ?? '');
    const ics = m ? await personalFeed(c.get('ctx'), m[1]) : null;
    if (!ics) return c.notFound();
    return c.body(ics, 200, { 'Content-Type': 'text/calendar; charset=utf-8', 'Cache-Control': 'private, max-age=300' });
  });
}
