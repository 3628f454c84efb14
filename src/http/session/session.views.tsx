import { formatTokyo } from '../../domain/calendar.js';
import type { OfferingSession } from '../../db/schema.js';
import type { Translate } from '../../i18n/index.js';
import type { FieldErrors } from '../../lib/validation.js';
import { sessionWarnings } from '../../services/offering.service.js';
import type { previewDeleteSession, previewUpdateSession } from '../../services/session.service.js';
import type { FormBody } from '../forms.js';
import { CertificatesLine } from '../views/certificates-line.js';
import { CsrfField, ErrorSummary, Lines, TextArea, TextField } from '../views/components.js';

type Lang = 'ja' | 'en';
export const str = (v: FormBody[string] | undefined) => (typeof v === 'string' ? v : '');

export function warningTexts(t: Translate, lang: Lang, s: { starts_at: Date; ends_at: Date }): string[] {
  return sessionWarnings(s, lang).map((w) => (w.kind === 'holiday' ? t('trainings.warnHoliday', { date: w.date, name: w.name ?? '' }) : t('trainings.warnWeekend', { date: w.date })));
}

function SessionFacts({ t, lang, s }: { t: Translate; lang: Lang; s: OfferingSession }) {
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
      <dt>{t('field.belongings')}</dt>
      <dd>{s.belongings ? <Lines text={s.belongings} /> : '—'}</dd>
      <dt>{t('field.access')}</dt>
      <dd>{s.access ? <Lines text={s.access} /> : '—'}</dd>
    </dl>
  );
}

/** A refusal on a confirmation page: the reason and the way back. */
export function Refused({ t, offeringId, errors }: { t: Translate; offeringId: number; errors: FieldErrors }) {
  return (
    <>
      <ErrorSummary t={t} errors={errors} />
      <p>
        <a href={`/admin/offerings/${offeringId}`}>{t('common.back')}</a>
      </p>
    </>
  );
}

export function DeleteSessionConfirm(p: { t: Translate; lang: Lang; csrf: string; offeringId: number; sessionId: number; preview: Awaited<ReturnType<typeof previewDeleteSession>>; errors: FieldErrors | null; values: FormBody }) {
  const { t, preview: x, errors } = p;
  return (
    <>
      <ErrorSummary t={t} errors={errors} idPrefix="delete-" />
      <p>{t('sessions.deleteConfirmLead')}</p>
      <SessionFacts t={t} lang={p.lang} s={x.session} />
      <ul>
        <li>{x.ahead ? t('sessions.deleteParticipants', { count: x.participantsTold }) : t('sessions.nobodyTold')}</li>
        {x.partner ? <li>{t('sessions.deletePartner', { partner: x.partner.name, count: x.partner.membersTold })}</li> : null}
        {x.offer ? <li>{t('sessions.deleteOffer')}</li> : null}
        <CertificatesLine t={t} effect={x} />
      </ul>
      <form method="post" action={`/admin/offerings/${p.offeringId}/sessions/${p.sessionId}/delete`} novalidate>
        <CsrfField token={p.csrf} />
        <input type="hidden" name="confirm" value="yes" />
        <TextField t={t} idPrefix="delete-" name="reason" label={t('sessions.reason')} value={str(p.values.reason)} errors={errors} maxlength={1000} />
        <p class="actions">
          <button type="submit" class="button button--danger">{t('sessions.deleteSubmit')}</button> <a class="button button--secondary" href={`/admin/offerings/${p.offeringId}`}>{t('common.back')}</a>
        </p>
      </form>
    </>
  );
}

export function EditSession({ t, lang, csrf, s, values, errors }: { t: Translate; lang: Lang; csrf: string; s: OfferingSession; values: FormBody; errors: FieldErrors | null }) {
  return (
    <>
      <ErrorSummary t={t} errors={errors} idPrefix="edit-" />
      <SessionFacts t={t} lang={lang} s={s} />
      <form method="post" action={`/admin/offerings/${s.offering_id}/sessions/${s.id}`} novalidate>
        <CsrfField token={csrf} />
        <TextField t={t} idPrefix="edit-" name="title" label={t('field.title')} value={str(values.title)} errors={errors} required maxlength={200} />
        <TextField t={t} idPrefix="edit-" name="startsAt" type="datetime-local" label={t('field.startsAt')} value={str(values.startsAt)} errors={errors} required />
        <TextField t={t} idPrefix="edit-" name="endsAt" type="datetime-local" label={t('field.endsAt')} value={str(values.endsAt)} errors={errors} required />
        <TextField t={t} idPrefix="edit-" name="venue" label={t('field.venue')} value={str(values.venue)} errors={errors} maxlength={300} />
        <TextField t={t} idPrefix="edit-" name="lecturers" label={t('field.lecturers')} value={str(values.lecturers)} errors={errors} maxlength={500} />
        <TextArea t={t} idPrefix="edit-" name="belongings" label={t('field.belongings')} value={str(values.belongings)} errors={errors} maxlength={1000} rows={2} />
        <TextArea t={t} idPrefix="edit-" name="access" label={t('field.access')} value={str(values.access)} errors={errors} maxlength={1000} rows={2} />
        <p class="actions">
          <button type="submit" class="button">{t('sessions.editNext')}</button> <a class="button button--secondary" href={`/admin/offerings/${s.offering_id}`}>{t('common.back')}</a>
        </p>
      </form>
    </>
  );
}

export function EditSessionConfirm({ t, lang, csrf, s, p, body }: { t: Translate; lang: Lang; csrf: string; s: OfferingSession; p: Awaited<ReturnType<typeof previewUpdateSession>>; body: FormBody }) {
  return (
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
        <CsrfField token={csrf} />
        {(['title', 'startsAt', 'endsAt', 'venue', 'lecturers', 'belongings', 'access'] as const).map((f) => (
          <input type="hidden" name={f} value={str(body[f])} />
        ))}
        <input type="hidden" name="confirm" value="yes" />
        <p class="actions">
          <button type="submit" class="button">{t('sessions.editSubmit')}</button> <a class="button button--secondary" href={`/admin/offerings/${s.offering_id}/sessions/${s.id}/edit`}>{t('common.back')}</a>
        </p>
      </form>
    </>
  );
}
