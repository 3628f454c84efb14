import { formatTokyo, tokyoDateOf } from '../../domain/calendar.js';
import type { OfferingSession } from '../../db/schema.js';
import type { Translate } from '../../i18n/index.js';
import type { FieldErrors } from '../../lib/validation.js';
import { getOffering, getSession, sessionWarnings } from '../../services/offering.service.js';
import { deleteSession, previewDeleteSession, previewUpdateSession, updateSession } from '../../services/session.service.js';
import { type FormBody, readForm, submit, toId } from '../forms.js';
import { page } from '../page.js';
import type { Ctx, Router } from '../router.js';
import { CsrfField, ErrorSummary, TextField } from '../views/components.js';

/**
 * Changing and deleting a session (回) of an offering, from /admin/offerings/:id. Both ask first, on
 * a page that says who will be told and how many certificates the change revokes; both work
 * without JavaScript (links to the pages, forms to confirm).
 */

const num = toId;
const str = (v: FormBody[string] | undefined) => (typeof v === 'string' ? v : '');
/** A Date as the value of a datetime-local input, in Tokyo time. */
const local = (d: Date) => `${tokyoDateOf(d)}T${formatTokyo(d, 'ja', 'time')}`;

export function warningTexts(t: Translate, lang: 'ja' | 'en', s: { starts_at: Date; ends_at: Date }): string[] {
  return sessionWarnings(s, lang).map((w) => (w.kind === 'holiday' ? t('trainings.warnHoliday', { date: w.date, name: w.name ?? '' }) : t('trainings.warnWeekend', { date: w.date })));
}

function SessionFacts({ t, lang, s }: { t: Translate; lang: 'ja' | 'en'; s: OfferingSession }) {
  return (
    <dl class="meta">
      <dt>{t('field.title')}</dt>
      <dd>{s.title}</dd>
      <dt>{t('trainings.when')}</dt>
      <dd>
        {formatTokyo(s.starts_at, lang, 'datetime')}〜{formatTokyo(s.ends_at, lang, 'time')}
        {warningTexts(t, lang, s).map((w) => (
          <p class="warning">{w}</p>
        ))}
      </dd>
      <dt>{t('field.format')}</dt>
      <dd>{t(`format.${s.format}`)}</dd>
      <dt>{t('field.venue')}</dt>
      <dd>{s.venue || '—'}</dd>
      <dt>{t('field.lecturers')}</dt>
      <dd>{s.lecturers || '—'}</dd>
    </dl>
  );
}

/** Certificates a change revokes, in words (the confirmation says it even when none). */
export function CertificatesLine({ t, effect }: { t: Translate; effect: { certificatesRevoked: number; completionsLost: number } }) {
  return (
    <li>
      {effect.certificatesRevoked || effect.completionsLost ? (
        <strong>{t('sessions.certificatesRevoked', { certificates: effect.certificatesRevoked, completions: effect.completionsLost })}</strong>
      ) : (
        t('sessions.noCertificatesRevoked')
      )}
    </li>
  );
}

/** Adding a session that withdraws completions asks first (the offering page's add form posts here again with confirm). */
export function addSessionConfirmPage(c: Ctx, offeringId: number, body: FormBody, effect: { certificatesRevoked: number; completionsLost: number }) {
  const t = c.get('t');
  const fields = ['title', 'format', 'startsAt', 'endsAt', 'venue', 'lecturers', 'capacity'];
  return page(
    c,
    t('sessions.addConfirmTitle'),
    <>
      <p>{t('sessions.addConfirmLead')}</p>
      <dl class="meta">
        <dt>{t('field.title')}</dt>
        <dd>{str(body.title)}</dd>
        <dt>{t('field.startsAt')}</dt>
        <dd>{str(body.startsAt)}</dd>
        <dt>{t('field.endsAt')}</dt>
        <dd>{str(body.endsAt)}</dd>
      </dl>
      <ul>
        <CertificatesLine t={t} effect={effect} />
      </ul>
      <form method="post" action={`/admin/offerings/${offeringId}/sessions`}>
        <CsrfField token={c.get('csrf')} />
        {fields.map((f) => (typeof body[f] === 'string' ? <input type="hidden" name={f} value={str(body[f])} /> : null))}
        <input type="hidden" name="confirm" value="yes" />
        <p class="actions">
          <button type="submit" class="button button--danger">{t('sessions.addSubmit')}</button> <a class="button button--secondary" href={`/admin/offerings/${offeringId}`}>{t('common.back')}</a>
        </p>
      </form>
    </>,
    { crumbs: [{ label: t('nav.home'), href: '/' }, { label: t('nav.offerings'), href: '/admin/offerings' }, { label: t('sessions.addConfirmTitle') }] },
  );
}

export function registerSessions(r: Router) {
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
  /** A refusal on a confirmation page: the reason and the way back. */
  const refused = (c: Ctx, offeringId: number, title: string, errors: FieldErrors, status: 409 | 422) =>
    page(
      c,
      title,
      <>
        <ErrorSummary t={c.get('t')} errors={errors} />
        <p>
          <a href={`/admin/offerings/${offeringId}`}>{c.get('t')('common.back')}</a>
        </p>
      </>,
      { status },
    );

  // --- Delete ---------------------------------------------------------------------------------
  const deleteConfirm = async (c: Ctx, offeringId: number, sessionId: number, errors: FieldErrors | null = null, values: FormBody = {}) => {
    const t = c.get('t');
    const lang = c.get('lang');
    const p = await previewDeleteSession(c.get('ctx'), sessionId);
    return page(
      c,
      t('sessions.deleteConfirmTitle'),
      <>
        <ErrorSummary t={t} errors={errors} idPrefix="delete-" />
        <p>{t('sessions.deleteConfirmLead')}</p>
        <SessionFacts t={t} lang={lang} s={p.session} />
        <ul>
          <li>{p.ahead ? t('sessions.deleteParticipants', { count: p.participantsTold }) : t('sessions.nobodyTold')}</li>
          {p.partner ? <li>{t('sessions.deletePartner', { partner: p.partner.name, count: p.partner.membersTold })}</li> : null}
          {p.offer ? <li>{t('sessions.deleteOffer')}</li> : null}
          <CertificatesLine t={t} effect={p} />
        </ul>
        <form method="post" action={`/admin/offerings/${offeringId}/sessions/${sessionId}/delete`} novalidate>
          <CsrfField token={c.get('csrf')} />
          <input type="hidden" name="confirm" value="yes" />
          <TextField t={t} idPrefix="delete-" name="reason" label={t('sessions.reason')} value={str(values.reason)} errors={errors} maxlength={1000} />
          <p class="actions">
            <button type="submit" class="button button--danger">{t('sessions.deleteSubmit')}</button> <a class="button button--secondary" href={`/admin/offerings/${offeringId}`}>{t('common.back')}</a>
          </p>
        </form>
      </>,
      { crumbs: crumbs(t, offeringId, p.offering.title, t('sessions.deleteConfirmTitle')), status: errors ? 422 : 200 },
    );
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
    const lang = c.get('lang');
    const offering = await getOfferingTitle(c, s.offering_id);
    return page(
      c,
      t('sessions.editTitle', { session: s.title }),
      <>
        <ErrorSummary t={t} errors={errors} idPrefix="edit-" />
        <SessionFacts t={t} lang={lang} s={s} />
        <form method="post" action={`/admin/offerings/${s.offering_id}/sessions/${s.id}`} novalidate>
          <CsrfField token={c.get('csrf')} />
          <TextField t={t} idPrefix="edit-" name="title" label={t('field.title')} value={str(values.title)} errors={errors} required maxlength={200} />
          <TextField t={t} idPrefix="edit-" name="startsAt" type="datetime-local" label={t('field.startsAt')} value={str(values.startsAt)} errors={errors} required />
          <TextField t={t} idPrefix="edit-" name="endsAt" type="datetime-local" label={t('field.endsAt')} value={str(values.endsAt)} errors={errors} required />
          <TextField t={t} idPrefix="edit-" name="venue" label={t('field.venue')} value={str(values.venue)} errors={errors} maxlength={300} />
          <TextField t={t} idPrefix="edit-" name="lecturers" label={t('field.lecturers')} value={str(values.lecturers)} errors={errors} maxlength={500} />
          <p class="actions">
            <button type="submit" class="button">{t('sessions.editNext')}</button> <a class="button button--secondary" href={`/admin/offerings/${s.offering_id}`}>{t('common.back')}</a>
          </p>
        </form>
      </>,
      { crumbs: crumbs(t, s.offering_id, offering, t('sessions.editTitle', { session: s.title })), status: errors ? 422 : 200 },
    );
  };
  const getOfferingTitle = async (c: Ctx, offeringId: number) => (await getOffering(c.get('ctx'), offeringId))?.offering.title ?? '';
  const valuesOf = (s: OfferingSession): FormBody => ({ title: s.title, startsAt: local(s.starts_at), endsAt: local(s.ends_at), venue: s.venue, lecturers: s.lecturers });

  r.get('/admin/offerings/:id/sessions/:sid/edit', ['admin'], async (c) => {
    const s = await sessionIn(c);
    if (!s) return c.notFound();
    return editPage(c, s, valuesOf(s));
  });
  r.post('/admin/offerings/:id/sessions/:sid', ['admin'], async (c) => {
    const s = await sessionIn(c);
    if (!s) return c.notFound();
    const body = await readForm(c);
    const t = c.get('t');
    const lang = c.get('lang');
    if (body.confirm !== 'yes') {
      const res = await submit(
        async () => {
          const p = await previewUpdateSession(c.get('ctx'), s.id, body);
          return page(
            c,
            t('sessions.editConfirmTitle'),
            <>
              <p>{t('sessions.editConfirmLead')}</p>
              <h2>{t('sessions.before')}</h2>
              <SessionFacts t={t} lang={lang} s={p.before} />
              <h2>{t('sessions.after')}</h2>
              <SessionFacts t={t} lang={lang} s={p.after} />
              <ul>
                <li>{p.ahead ? t('sessions.participantsTold', { count: p.participantsTold }) : t('sessions.nobodyTold')}</li>
                {p.partner ? <li>{t('sessions.partnerTold', { partner: p.partner.name, count: p.partner.membersTold })}</li> : null}
              </ul>
              <form method="post" action={`/admin/offerings/${s.offering_id}/sessions/${s.id}`}>
                <CsrfField token={c.get('csrf')} />
                {(['title', 'startsAt', 'endsAt', 'venue', 'lecturers'] as const).map((f) => (
                  <input type="hidden" name={f} value={str(body[f])} />
                ))}
                <input type="hidden" name="confirm" value="yes" />
                <p class="actions">
                  <button type="submit" class="button">{t('sessions.editSubmit')}</button> <a class="button button--secondary" href={`/admin/offerings/${s.offering_id}/sessions/${s.id}/edit`}>{t('common.back')}</a>
                </p>
              </form>
            </>,
            { crumbs: crumbs(t, s.offering_id, p.offering.title, t('sessions.editConfirmTitle')) },
          );
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
