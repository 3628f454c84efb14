import type { Child } from 'hono/jsx';
import { fiscalYearOf, formatFiscalYear, parseFiscalYear } from '../../domain/calendar.js';
import type { FieldErrors } from '../../lib/validation.js';
import { addSession, createOffering, getOffering, listOfferings, openProgrammesNow, sessionsKept, updateOffering } from '../../services/offering.service.js';
import { type FormBody, formAction, toId } from '../forms.js';
import { page } from '../page.js';
import type { Ctx, Router } from '../router.js';
import { registerFieldSessionPages } from './field-session.pages.js';
import { registerOfferingApplicationPages } from './offering-applications.pages.js';
import { registerOfferingLifecyclePages } from './offering-lifecycle.pages.js';
import { AddSessionConfirm, OfferingForm, OfferingList, OfferingSessions, offeringValues, str } from './offering.views.js';

const num = toId;

/** The offering pages: the year's list, the form (new, edit), sessions added from the form's page. */
export function registerOfferingPages(r: Router) {
  registerOfferingLifecyclePages(r);
  registerFieldSessionPages(r);
  r.get('/admin/offerings', ['admin'], async (c) => {
    const t = c.get('t');
    const lang = c.get('lang');
    const ctx = c.get('ctx');
    const fy = parseFiscalYear(c.req.query('fy') ?? '') ?? fiscalYearOf(ctx.now());
    const rows = await listOfferings(ctx, { fiscalYear: fy });
    return page(c, t('offerings.title', { fy: formatFiscalYear(fy, lang) }), <OfferingList t={t} lang={lang} fy={fy} rows={rows} />, {
      crumbs: [{ label: t('nav.home'), href: '/' }, { label: t('nav.offerings') }],
      notice: c.req.query('notice') === 'offerings.deleted' ? t('offerings.deleted') : null,
    });
  });

  const form = async (c: Ctx, values: FormBody, errors: FieldErrors | null, id: number | null, status: 200 | 422 = 200, extra: Child = null, notice: string | null = null) => {
    const t = c.get('t');
    const ctx = c.get('ctx');
    const existing = id ? await getOffering(ctx, id) : null;
    // Only programmes still running can take a new offering (NPO・協働研修 ended in 平成18年度); an
    // existing offering keeps showing its own programme. No default unless exactly one is running.
    const open = await openProgrammesNow(ctx);
    const current = existing?.programme;
    const programmes = current && !open.some((p) => p.id === current.id) ? [current, ...open] : open;
    const programmeValue = str(values.programmeId) || (!id && open.length === 1 ? String(open[0].id) : '');
    // A refused year (outside 1990–2100) must not become the centre of the year list: no wareki for it.
    const asked = num(str(values.fiscalYear));
    const fy = asked >= 1990 && asked <= 2100 ? asked : fiscalYearOf(ctx.now());
    const title = id ? t('offerings.edit') : t('offerings.new');
    return page(
      c,
      title,
      <OfferingForm t={t} lang={c.get('lang')} csrf={c.get('csrf')} id={id} values={values} errors={errors} programmes={programmes} programmeValue={programmeValue} fy={fy} sessions={existing?.sessions ?? []} extra={extra} />,
      { crumbs: [{ label: t('nav.home'), href: '/' }, { label: t('nav.offerings'), href: '/admin/offerings' }, { label: title }], status, notice },
    );
  };

  // Not published until the officer says so: a new offering has no sessions yet, and publishing puts it
  // in staff's catalogue, on the public schedule and in the open data at once.
  r.get('/admin/offerings/new', ['admin'], (c) => form(c, { fiscalYear: c.req.query('fy') ?? '', waitlist: 'on' }, null, null));
  r.post('/admin/offerings', ['admin'], (c) =>
    formAction(c, {
      run: (body) => createOffering(c.get('ctx'), c.get('user'), body, { form: true }),
      invalid: (body, errors) => form(c, body, errors, null, 422),
      done: (o) => `/admin/offerings/${o.id}?notice=common.saved`,
    }),
  );

  const edit = async (c: Ctx, id: number, sessionErrors: FieldErrors | null = null, sessionValues: FormBody = {}) => {
    const t = c.get('t');
    const [d, kept] = await Promise.all([getOffering(c.get('ctx'), id), sessionsKept(c.get('ctx'), id)]);
    if (!d) return c.notFound();
    const extra = <OfferingSessions t={t} lang={c.get('lang')} csrf={c.get('csrf')} offering={d.offering} sessions={d.sessions} kept={kept} sessionErrors={sessionErrors} sessionValues={sessionValues} />;
    const notice = c.req.query('notice');
    return form(
      c,
      offeringValues(d.offering),
      null,
      id,
      sessionErrors ? 422 : 200,
      extra,
      notice === 'common.saved' ? t('common.saved') : notice === 'offerings.fieldSessionAdded' ? t(notice) : notice === 'sessions.deleted' || notice === 'sessions.updated' ? t(notice) : notice === 'offerings.cancelled' ? t('offerings.cancelled', { count: Math.max(0, Number.parseInt(c.req.query('count') ?? '0', 10) || 0) }) : null,
    );
  };
  r.get('/admin/offerings/:id', ['admin'], (c) => edit(c, num(c.req.param('id'))));
  r.post('/admin/offerings/:id', ['admin'], (c) => {
    const id = num(c.req.param('id'));
    return formAction(c, {
      run: (body) => updateOffering(c.get('ctx'), c.get('user'), id, body, { form: true }),
      invalid: (body, errors) => form(c, body, errors, id, 422),
      done: () => `/admin/offerings/${id}?notice=common.saved`,
    });
  });
  r.post('/admin/offerings/:id/sessions', ['admin'], (c) => {
    const id = num(c.req.param('id'));
    const t = c.get('t');
    // A session that would withdraw completions (and revoke certificates) asks first, with the counts.
    return formAction(c, {
      run: (body) => addSession(c.get('ctx'), c.get('user'), id, body),
      invalid: (body, errors, _status, e) =>
        e.code === 'confirmation_required'
          ? page(c, t('sessions.addConfirmTitle'), <AddSessionConfirm t={t} csrf={c.get('csrf')} offeringId={id} body={body} effect={{ certificatesRevoked: Number(e.params.certificates ?? 0), completionsLost: Number(e.params.completions ?? 0) }} />, {
              crumbs: [{ label: t('nav.home'), href: '/' }, { label: t('nav.offerings'), href: '/admin/offerings' }, { label: t('sessions.addConfirmTitle') }],
            })
          : edit(c, id, errors, body),
      done: () => `/admin/offerings/${id}?notice=common.saved`,
    });
  });
  // Changing and deleting a session: sessions/session.pages.tsx.
  registerOfferingApplicationPages(r);
}
