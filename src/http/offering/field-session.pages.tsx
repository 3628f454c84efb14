import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { FieldErrors } from '../../lib/validation.js';
import { addFieldSession, fieldSessionSites, previewAddFieldSession } from '../../services/field-session.service.js';
import { getOffering, sessionWarnings } from '../../services/offering.service.js';
import { type FormBody, formAction, readForm, submit, toId } from '../forms.js';
import { page } from '../page.js';
import type { Ctx, Router } from '../router.js';
import { FIELD_SESSION_FIELDS, FieldSessionConfirm, FieldSessionForm } from './field-session.views.js';

/**
 * Setting up a field training directly from the offering page (issue 16 §2.5): choose a partner's
 * site, the theme, the day and times; the next page says what happens and asks; then the session is
 * added and the host told.
 */
export function registerFieldSessionPages(r: Router) {
  const crumbs = (c: Ctx, o: { id: number; title: string }, label: string) => [
    { label: c.get('t')('nav.home'), href: '/' },
    { label: c.get('t')('nav.offerings'), href: '/admin/offerings' },
    { label: o.title, href: `/admin/offerings/${o.id}` },
    { label },
  ];
  const form = async (c: Ctx, id: number, values: FormBody, errors: FieldErrors | null, status: ContentfulStatusCode = 200) => {
    const t = c.get('t');
    const ctx = c.get('ctx');
    const d = await getOffering(ctx, id);
    if (!d) return c.notFound();
    const sites = await fieldSessionSites(ctx);
    return page(c, t('offerings.addFieldSession'), <FieldSessionForm t={t} lang={c.get('lang')} csrf={c.get('csrf')} o={d.offering} sites={sites} values={values} errors={errors} />, {
      crumbs: crumbs(c, d.offering, t('offerings.addFieldSession')),
      status: errors ? (status === 200 ? 422 : status) : 200,
    });
  };
  r.get('/admin/offerings/:id/field-sessions/new', ['admin'], (c) => {
    // Back from the confirmation: the form again with what was entered.
    const values: FormBody = {};
    for (const k of FIELD_SESSION_FIELDS) {
      const v = c.req.query(k);
      if (v) values[k] = v;
    }
    return form(c, toId(c.req.param('id')), values, null);
  });
  r.post('/admin/offerings/:id/field-sessions', ['admin'], async (c) => {
    const id = toId(c.req.param('id'));
    const ctx = c.get('ctx');
    const t = c.get('t');
    const back = (body: FormBody) => (errors: FieldErrors, status: ContentfulStatusCode) => form(c, id, body, errors, status);
    const body = await readForm(c);
    if (body.confirm !== 'yes') {
      // The first post only asks: nothing is written, nobody is mailed.
      const res = await submit(() => previewAddFieldSession(ctx, id, body), back(body));
      if (!res.ok) return res.response;
      const pv = res.value;
      const d = (await getOffering(ctx, id))!;
      return page(c, t('offerings.fieldConfirmTitle'), <FieldSessionConfirm t={t} lang={c.get('lang')} csrf={c.get('csrf')} o={d.offering} pv={pv} values={body} warnings={sessionWarnings({ starts_at: pv.starts, ends_at: pv.endsAt }, c.get('lang'))} />, {
        crumbs: crumbs(c, d.offering, t('offerings.fieldConfirmTitle')),
      });
    }
    return formAction(c, {
      run: () => addFieldSession(ctx, c.get('user'), id, body),
      invalid: (_b, errors, status) => back(body)(errors, status),
      done: () => `/admin/offerings/${id}?notice=offerings.fieldSessionAdded`,
    });
  });
}
