import { formatTokyo, tokyoDateOf } from '../../domain/calendar.js';
import type { OfferingSession } from '../../db/schema.js';
import type { Translate } from '../../i18n/index.js';
import type { FieldErrors } from '../../lib/validation.js';
import { getOffering, getSession } from '../../services/offering.service.js';
import { deleteSession, previewDeleteSession, previewUpdateSession, updateSession } from '../../services/session.service.js';
import { type FormBody, readForm, submit, toId } from '../forms.js';
import { page } from '../page.js';
import type { Ctx, Router } from '../router.js';
import { DeleteSessionConfirm, EditSession, EditSessionConfirm, Refused } from './session.views.js';

/**
 * Changing and deleting a session (回) of an offering, from /admin/offerings/:id. Both ask first, on
 * a page that says who will be told and how many certificates the change revokes; both work
 * without JavaScript (links to the pages, forms to confirm).
 */

const num = toId;
/** A Date as the value of a datetime-local input, in Tokyo time. */
const local = (d: Date) => `${tokyoDateOf(d)}T${formatTokyo(d, 'ja', 'time')}`;

export function registerSessionPages(r: Router) {
  const crumbs = (t: Translate, offeringId: number, title: string, label: string) => [
    { label: t('nav.home'), href: '/' },
    { label: t('nav.offerings'), href: '/admin/offerings' },
    { label: title, href: `/admin/offerings/${offeringId}` },
    { label },
  ];
  /** The session, if it belongs to the offering in the path; else nothing (404). */
  const sessionIn = async (c: Ctx) => {
    const s = await getSession(c.get('ctx'), num(c.req.param('sid')));
    return s && s.offering_id === num(c.req.param('id')) ? s : null;
  };
  const refused = (c: Ctx, offeringId: number, title: string, errors: FieldErrors, status: 409 | 422) => page(c, title, <Refused t={c.get('t')} offeringId={offeringId} errors={errors} />, { status });

  // --- Delete ---------------------------------------------------------------------------------
  const deleteConfirm = async (c: Ctx, offeringId: number, sessionId: number, errors: FieldErrors | null = null, values: FormBody = {}) => {
    const t = c.get('t');
    const p = await previewDeleteSession(c.get('ctx'), sessionId);
    return page(c, t('sessions.deleteConfirmTitle'), <DeleteSessionConfirm t={t} lang={c.get('lang')} csrf={c.get('csrf')} offeringId={offeringId} sessionId={sessionId} preview={p} errors={errors} values={values} />, {
      crumbs: crumbs(t, offeringId, p.offering.title, t('sessions.deleteConfirmTitle')),
      status: errors ? 422 : 200,
    });
  };
  r.get('/admin/offerings/:id/sessions/:sid/delete', ['admin'], async (c) => {
    const s = await sessionIn(c);
    if (!s) return c.notFound();
    const res = await submit(() => deleteConfirm(c, s.offering_id, s.id), (errors, status) => refused(c, s.offering_id, c.get('t')('sessions.deleteConfirmTitle'), errors, status === 409 ? 409 : 422));
    return res.ok ? res.value : res.response;
  });
  r.post('/admin/offerings/:id/sessions/:sid/delete', ['admin'], async (c) => {
    const s = await sessionIn(c);
    if (!s) return c.notFound();
    const body = await readForm(c);
    const onRefusal = (errors: FieldErrors, status: number) =>
      status === 422 && !errors._ ? deleteConfirm(c, s.offering_id, s.id, errors, body) : refused(c, s.offering_id, c.get('t')('sessions.deleteConfirmTitle'), errors, status === 409 ? 409 : 422);
    // Without the confirmation (an old form, a bookmarked post), it only asks.
    if (body.confirm !== 'yes') {
      const res = await submit(() => deleteConfirm(c, s.offering_id, s.id), onRefusal);
      return res.ok ? res.value : res.response;
    }
    const res = await submit(() => deleteSession(c.get('ctx'), c.get('user'), s.id, { reason: body.reason, confirm: 'yes' }), onRefusal);
    if (!res.ok) return res.response;
    return c.redirect(`/admin/offerings/${s.offering_id}?notice=sessions.deleted`, 303);
  });

  // --- Change ---------------------------------------------------------------------------------
  const editPage = async (c: Ctx, s: OfferingSession, values: FormBody, errors: FieldErrors | null = null) => {
    const t = c.get('t');
    const offering = (await getOffering(c.get('ctx'), s.offering_id))?.offering.title ?? '';
    return page(c, t('sessions.editTitle', { session: s.title }), <EditSession t={t} lang={c.get('lang')} csrf={c.get('csrf')} s={s} values={values} errors={errors} />, {
      crumbs: crumbs(t, s.offering_id, offering, t('sessions.editTitle', { session: s.title })),
      status: errors ? 422 : 200,
    });
  };
  const valuesOf = (s: OfferingSession): FormBody => ({ title: s.title, startsAt: local(s.starts_at), endsAt: local(s.ends_at), venue: s.venue, lecturers: s.lecturers, belongings: s.belongings, access: s.access });

  r.get('/admin/offerings/:id/sessions/:sid/edit', ['admin'], async (c) => {
    const s = await sessionIn(c);
    if (!s) return c.notFound();
    return editPage(c, s, valuesOf(s));
  });
  r.post('/admin/offerings/:id/sessions/:sid', ['admin'], async (c) => {
    const s = await sessionIn(c);
    if (!s) return c.notFound();
    const t = c.get('t');
    const body = await readForm(c);
    if (body.confirm !== 'yes') {
      // First the confirmation page: who will be told (nothing is written).
      const res = await submit(
        async () => {
          const p = await previewUpdateSession(c.get('ctx'), s.id, body);
          return page(c, t('sessions.editConfirmTitle'), <EditSessionConfirm t={t} lang={c.get('lang')} csrf={c.get('csrf')} s={s} p={p} body={body} />, {
            crumbs: crumbs(t, s.offering_id, p.offering.title, t('sessions.editConfirmTitle')),
          });
        },
        (errors) => editPage(c, s, body, errors),
      );
      return res.ok ? res.value : res.response;
    }
    const res = await submit(() => updateSession(c.get('ctx'), c.get('user'), s.id, body), (errors) => editPage(c, s, body, errors));
    if (!res.ok) return res.response;
    return c.redirect(`/admin/offerings/${s.offering_id}?notice=sessions.updated`, 303);
  });
}
