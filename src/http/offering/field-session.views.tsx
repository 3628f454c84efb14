import { type DateWarning, formatTokyo } from '../../domain/calendar.js';
import { offeringChoiceLabel } from '../../domain/field-offer.js';
import type { Offering } from '../../db/schema.js';
import type { Translate } from '../../i18n/index.js';
import type { FieldErrors } from '../../lib/validation.js';
import type { fieldSessionSites, previewAddFieldSession } from '../../services/field-session.service.js';
import type { FormBody } from '../forms.js';
import { CsrfField, ErrorSummary, SelectField, TextField } from '../views/components.js';

type Lang = 'ja' | 'en';
type Sites = Awaited<ReturnType<typeof fieldSessionSites>>;
type Preview = Awaited<ReturnType<typeof previewAddFieldSession>>;
const str = (v: FormBody[string] | undefined) => (typeof v === 'string' ? v : '');

/** The form's fields, carried from the form to its confirmation and back. */
export const FIELD_SESSION_FIELDS = ['siteId', 'theme', 'date', 'startTime', 'endTime', 'capacity'] as const;

/** The form's labels for the fields that have no `field.*` entry of their own. */
export const fieldSessionLabels = (t: Translate) => ({ date: t('offerings.fieldDate'), startTime: t('offerings.fieldStartTime'), endTime: t('offerings.fieldEndTime') });

/** A time input (type="time") with the same label, hint and error markup as the other fields. */
export function TimeField(p: { t: Translate; name: string; label: string; value: string; errors: FieldErrors | null; required?: boolean; idPrefix?: string; hint?: string }) {
  const id = `f-${p.idPrefix ?? ''}${p.name}`;
  const error = p.errors?.[p.name];
  const describedBy = [p.hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div class={`field${error ? ' field--error' : ''}`}>
      <label for={id}>
        {p.label}
        <span class={p.required ? 'badge badge--required' : 'badge'}>{p.t(p.required ? 'common.required' : 'common.optional')}</span>
      </label>
      {p.hint ? (
        <p class="hint" id={`${id}-hint`}>
          {p.hint}
        </p>
      ) : null}
      {error ? (
        <p class="field-error" id={`${id}-error`}>
          {p.t(error.key as Parameters<Translate>[0], { field: p.label, ...error.params })}
        </p>
      ) : null}
      <input id={id} name={p.name} type="time" value={p.value} required={p.required} aria-required={p.required ? 'true' : undefined} aria-invalid={error ? 'true' : undefined} aria-describedby={describedBy} />
    </div>
  );
}

/** Setting up a field training directly: a partner's site (grouped by partner), the theme, the day and times. */
export function FieldSessionForm(p: { t: Translate; lang: Lang; csrf: string; o: Offering; sites: Sites; values: FormBody; errors: FieldErrors | null }) {
  const { t, o, values, errors } = p;
  if (!p.sites.length)
    return (
      <p>
        {t('offerings.fieldNoSites')} <a href="/admin/partners">{t('partners.title')}</a>
      </p>
    );
  return (
    <>
      <p>{t('offerings.fieldLead', { offering: offeringChoiceLabel(o.title, o.fiscal_year, p.lang) })}</p>
      <ErrorSummary t={t} errors={errors} labels={fieldSessionLabels(t)} />
      <form method="post" action={`/admin/offerings/${o.id}/field-sessions`} novalidate>
        <CsrfField token={p.csrf} />
        <SelectField
          t={t}
          name="siteId"
          label={t('offer.site')}
          hint={t('offerings.fieldSiteHint')}
          value={str(values.siteId)}
          errors={errors}
          required
          blank={t('offer.chooseOffering')}
          options={[]}
          groups={p.sites.map((g) => ({ label: g.partnerName, options: g.sites.map((s) => ({ value: s.id, label: t('offerings.fieldSiteOption', { site: s.name, address: s.address, capacity: s.capacity }) })) }))}
        />
        <TextField t={t} name="theme" label={t('field.theme')} value={str(values.theme)} errors={errors} required maxlength={200} />
        <TextField t={t} name="date" type="date" label={t('offerings.fieldDate')} value={str(values.date)} errors={errors} required />
        <TimeField t={t} name="startTime" label={t('offerings.fieldStartTime')} value={str(values.startTime) || '13:30'} errors={errors} required />
        <TimeField t={t} name="endTime" label={t('offerings.fieldEndTime')} value={str(values.endTime) || '15:30'} errors={errors} required />
        <TextField t={t} name="capacity" type="number" label={t('field.capacity')} hint={t('offerings.fieldCapacityHint')} value={str(values.capacity)} errors={errors} />
        <p class="actions">
          <button type="submit" class="button">
            {t('offer.acceptNext')}
          </button>{' '}
          <a class="button button--secondary" href={`/admin/offerings/${o.id}`}>
            {t('common.back')}
          </a>
        </p>
      </form>
    </>
  );
}

/** Adding asks first: what is scheduled where, who at the partner is mailed, whether it is published, who the roster lists. */
export function FieldSessionConfirm(p: { t: Translate; lang: Lang; csrf: string; o: Offering; pv: Preview; values: FormBody; warnings: DateWarning[] }) {
  const { t, lang, pv } = p;
  const said = p.warnings.map((w) => (w.kind === 'holiday' ? t('trainings.warnHoliday', { date: w.date, name: w.name ?? '' }) : t('trainings.warnWeekend', { date: w.date })));
  const lost = pv.effect.completionsLost;
  return (
    <>
      <p>{t('offerings.fieldConfirmLead')}</p>
      <dl class="meta">
        <dt>{t('field.theme')}</dt>
        <dd>{pv.theme}</dd>
        <dt>{t('nav.partners')}</dt>
        <dd>{pv.partner.name}</dd>
        <dt>{t('offer.site')}</dt>
        <dd>
          {pv.site.name}（{pv.site.address}）
        </dd>
        <dt>{t('field.offeringId')}</dt>
        <dd>{offeringChoiceLabel(pv.offering.title, pv.offering.fiscal_year, lang)}</dd>
        <dt>{t('field.startsAt')}</dt>
        <dd>
          {formatTokyo(pv.starts, lang, 'datetime')}〜{formatTokyo(pv.endsAt, lang, 'time')}
          {said.length ? <span class="warning">（{said.join('、')}）</span> : null}
        </dd>
        <dt>{t('field.capacity')}</dt>
        <dd>{pv.capacity}</dd>
      </dl>
      <ul>
        <li>{pv.membersMailed ? t('offerings.fieldConfirmMail', { partner: pv.partner.name, count: pv.membersMailed }) : t('offer.confirmNoMembers', { partner: pv.partner.name })}</li>
        <li>{pv.published ? t('offer.confirmPublished') : t('offer.confirmUnpublished')}</li>
        <li>{t('offer.confirmRoster', { count: pv.rosterCount })}</li>
        {lost > 0 ? <li class="warning">{t('offerings.fieldConfirmCompletions', { count: lost, certificates: pv.effect.certificatesRevoked })}</li> : null}
      </ul>
      <form method="post" action={`/admin/offerings/${p.o.id}/field-sessions`}>
        <CsrfField token={p.csrf} />
        {FIELD_SESSION_FIELDS.map((k) => (
          <input type="hidden" name={k} value={str(p.values[k])} />
        ))}
        <input type="hidden" name="confirm" value="yes" />
        <p class="actions">
          <button type="submit" class="button">
            {t('offerings.fieldConfirmSubmit')}
          </button>{' '}
          <a class="button button--secondary" href={`/admin/offerings/${p.o.id}/field-sessions/new?${new URLSearchParams(FIELD_SESSION_FIELDS.map((k) => [k, str(p.values[k])]))}`}>
            {t('common.back')}
          </a>
        </p>
      </form>
    </>
  );
}
