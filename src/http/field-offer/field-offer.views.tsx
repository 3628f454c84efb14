import { type DateWarning, formatFiscalYear, formatTokyo } from '../../domain/calendar.js';
import { offeringChoiceLabel } from '../../domain/field-offer.js';
import type { Translate } from '../../i18n/index.js';
import type { FieldErrors } from '../../lib/validation.js';
import type { listOffers, offeringChoices, previewAcceptOffer, previewDeclineOffer } from '../../services/partner.service.js';
import type { FormBody } from '../forms.js';
import { CsrfField, ErrorSummary, SelectField, TextField } from '../views/components.js';
import { OfferNote } from '../views/offer-note.js';

type Offer = Awaited<ReturnType<typeof listOffers>>[number];
type Choices = Awaited<ReturnType<typeof offeringChoices>>;
const str = (v: FormBody[string] | undefined) => (typeof v === 'string' ? v : '');

/** `failed`: the offer whose form was refused, with what was sent, so that its errors show at its own fields. */
export function OffersView({ t, lang, csrf, offers, choices, errors, failed }: { t: Translate; lang: 'ja' | 'en'; csrf: string; offers: Offer[]; choices: Choices; errors: FieldErrors | null; failed: { id: number; values: FormBody } | null }) {
  const prefix = (id: number) => `offer${id}-`;
  const label = (x: { title: string; fiscal_year: number }) => offeringChoiceLabel(x.title, x.fiscal_year, lang);
  return (
    <>
      <ErrorSummary t={t} errors={errors} idPrefix={failed ? prefix(failed.id) : ''} />
      {offers.length ? null : <p>{t('offer.none')}</p>}
      {offers.map((o) => {
        const choice = choices.get(o.id);
        const mine = failed?.id === o.id ? errors : null;
        const values = failed?.id === o.id ? failed.values : {};
        return (
          <article class="card">
            <h2>{o.theme}</h2>
            <dl class="meta">
              <dt>{t('nav.partners')}</dt>
              <dd>
                <a href={`/admin/partners/${o.partner_id}`}>{o.partner_name}</a>
              </dd>
              <dt>{t('offer.site')}</dt>
              <dd>
                {o.site_name}（{o.site_address}）
              </dd>
              <dt>{t('offer.candidates')}</dt>
              <dd>{o.candidate_starts.map((x) => formatTokyo(new Date(x), lang, 'datetime')).join('、')}</dd>
              <dt>{t('field.capacity')}</dt>
              <dd>{o.capacity}</dd>
              <dt>{t('offer.duration')}</dt>
              <dd>{o.duration_minutes}</dd>
              <dt>{t('offer.preparation')}</dt>
              <dd>{o.preparation || '—'}</dd>
              <dt>{t('common.status')}</dt>
              <dd>
                {t(`offer.status.${o.status}`)}
                {o.status === 'accepted' && o.session_offering_id && o.session_starts_at ? (
                  <>
                    （<a href={`/admin/offerings/${o.session_offering_id}`}>{o.session_offering_title}</a>、{formatTokyo(o.session_starts_at, lang, 'datetime')}）
                  </>
                ) : null}
                {o.status === 'declined' && o.decline_reason ? `（${o.decline_reason}）` : ''}
                <OfferNote t={t} lang={lang} o={o} />
              </dd>
            </dl>
            {o.status === 'offered' && choice ? (
              <>
                {!choice.starts.length ? (
                  <p>{t('offer.noUpcoming')}</p>
                ) : !choice.offerings.length ? (
                  <p>{t('offer.noOffering')}</p>
                ) : (
                  <form method="post" action={`/admin/field-offers/${o.id}/accept`} class="stack" novalidate>
                    <CsrfField token={csrf} />
                    <SelectField
                      t={t}
                      idPrefix={prefix(o.id)}
                      name="offeringId"
                      label={t('field.offeringId')}
                      hint={t('offer.offeringHint')}
                      value={str(values.offeringId)}
                      errors={mine}
                      required
                      blank={t('offer.chooseOffering')}
                      options={choice.fiscalYears.length > 1 ? [] : choice.offerings.map((x) => ({ value: x.id, label: label(x) }))}
                      groups={
                        choice.fiscalYears.length > 1
                          ? choice.fiscalYears.map((fy) => ({ label: formatFiscalYear(fy, lang), options: choice.offerings.filter((x) => x.fiscal_year === fy).map((x) => ({ value: x.id, label: label(x) })) }))
                          : []
                      }
                    />
                    <SelectField
                      t={t}
                      idPrefix={prefix(o.id)}
                      name="start"
                      label={t('field.start')}
                      value={str(values.start)}
                      errors={mine}
                      required
                      options={choice.starts.map((x) => ({ value: x, label: formatTokyo(new Date(x), lang, 'datetime') }))}
                    />
                    <button type="submit" class="button button--small">{t('offer.acceptNext')}</button>
                  </form>
                )}
                <form method="post" action={`/admin/field-offers/${o.id}/decline`} class="stack" novalidate>
                  <CsrfField token={csrf} />
                  <TextField t={t} idPrefix={prefix(o.id)} name="reason" label={t('field.reason')} value={str(values.reason)} errors={mine} required maxlength={1000} />
                  <button type="submit" class="button button--small button--secondary">{t('offer.decline')}</button>
                </form>
              </>
            ) : null}
          </article>
        );
      })}
    </>
  );
}

type AcceptPreview = Awaited<ReturnType<typeof previewAcceptOffer>>;

/** Accepting asks first: what is scheduled, who is mailed, whether it is published, who the roster lists. */
export function AcceptConfirmView({ t, lang, csrf, offerId, p, warnings }: { t: Translate; lang: 'ja' | 'en'; csrf: string; offerId: number; p: AcceptPreview; warnings: DateWarning[] }) {
  // A weekend or holiday date is said in words, as on the session pages.
  const said = warnings.map((w) => (w.kind === 'holiday' ? t('trainings.warnHoliday', { date: w.date, name: w.name ?? '' }) : t('trainings.warnWeekend', { date: w.date })));
  return (
    <>
      <p>{t('offer.confirmLead')}</p>
      <dl class="meta">
        <dt>{t('field.theme')}</dt>
        <dd>{p.offer.theme}</dd>
        <dt>{t('nav.partners')}</dt>
        <dd>{p.partner.name}</dd>
        <dt>{t('offer.site')}</dt>
        <dd>
          {p.site.name}（{p.site.address}）
        </dd>
        <dt>{t('field.offeringId')}</dt>
        <dd>{offeringChoiceLabel(p.offering.title, p.offering.fiscal_year, lang)}</dd>
        <dt>{t('field.start')}</dt>
        <dd>
          {formatTokyo(p.starts, lang, 'datetime')}〜{formatTokyo(p.endsAt, lang, 'time')}
          {said.length ? <span class="warning">（{said.join('、')}）</span> : null}
        </dd>
      </dl>
      <ul>
        <li>{p.membersMailed ? t('offer.confirmMail', { partner: p.partner.name, count: p.membersMailed }) : t('offer.confirmNoMembers', { partner: p.partner.name })}</li>
        <li>{p.published ? t('offer.confirmPublished') : t('offer.confirmUnpublished')}</li>
        <li>{t('offer.confirmRoster', { count: p.rosterCount })}</li>
      </ul>
      <form method="post" action={`/admin/field-offers/${offerId}/accept`}>
        <CsrfField token={csrf} />
        <input type="hidden" name="offeringId" value={String(p.offering.id)} />
        <input type="hidden" name="start" value={p.starts.toISOString()} />
        <input type="hidden" name="confirm" value="yes" />
        <p class="actions">
          <button type="submit" class="button">{t('offer.confirmSubmit')}</button> <a class="button button--secondary" href="/admin/field-offers">{t('common.back')}</a>
        </p>
      </form>
    </>
  );
}

type DeclinePreview = Awaited<ReturnType<typeof previewDeclineOffer>>;

/** Declining mails the partner and cannot be undone: it asks first. */
export function DeclineConfirmView({ t, csrf, offerId, p }: { t: Translate; csrf: string; offerId: number; p: DeclinePreview }) {
  return (
    <>
      <p>{t('offer.declineConfirmLead')}</p>
      <dl class="meta">
        <dt>{t('field.theme')}</dt>
        <dd>{p.offer.theme}</dd>
        <dt>{t('nav.partners')}</dt>
        <dd>{p.partner.name}</dd>
        <dt>{t('field.reason')}</dt>
        <dd>{p.reason}</dd>
      </dl>
      <ul>
        <li>{p.membersMailed ? t('offer.declineMail', { partner: p.partner.name, count: p.membersMailed }) : t('offer.confirmNoMembers', { partner: p.partner.name })}</li>
      </ul>
      <form method="post" action={`/admin/field-offers/${offerId}/decline`}>
        <CsrfField token={csrf} />
        <input type="hidden" name="reason" value={p.reason} />
        <input type="hidden" name="confirm" value="yes" />
        <p class="actions">
          <button type="submit" class="button button--danger">{t('offer.declineSubmit')}</button> <a class="button button--secondary" href="/admin/field-offers">{t('common.back')}</a>
        </p>
      </form>
    </>
  );
}
