import { formatTokyo } from '../../domain/calendar.js';
import type { Translate } from '../../i18n/index.js';
import type { FieldErrors } from '../../lib/validation.js';
import type { hostRoster } from '../../services/partner.service.js';
import type { FormBody } from '../forms.js';
import { CsrfField, DataTable, Downloads, ErrorSummary, SelectField, TextArea, TextField } from '../views/components.js';
import { OfferNote } from '../views/offer-note.js';
import { CandidateStartsFields } from '../field-offer/candidate-starts.views.js';
import { type Municipality, type PartnerDetail, PartnerFormView, type PartnerHistory, PartnerOverview, partnerValues, SiteFormView, str } from './partner.views.js';

export type MemberPageOpts = { errors?: FieldErrors | null; values?: FormBody | null; siteErrors?: FieldErrors | null; offerErrors?: FieldErrors | null; offerValues?: FormBody; notice?: string | null };

/** A partner member's own page: withdrawn offers first, hosted sessions, the offer, site and details forms, the overview. */
export function MemberHomeView(p: { t: Translate; lang: 'ja' | 'en'; csrf: string; d: PartnerDetail; history: PartnerHistory; municipalities: Municipality[]; tomorrow: string; opts: MemberPageOpts }) {
  const { t, lang, d, opts } = p;
  const anyErrors = opts.errors ?? opts.siteErrors ?? opts.offerErrors ?? null;
  // An offer whose scheduled session was withdrawn is said first, where the member looks.
  const withdrawn = d.offers.filter((o) => o.status === 'offered' && o.session_withdrawn_at);
  const offerErrors = opts.offerErrors ?? null;
  return (
    <>
      <ErrorSummary
        t={t}
        errors={anyErrors}
        labels={opts.errors ? { name: t('partners.orgName') } : opts.siteErrors ? { name: t('offer.site') } : {}}
        idPrefix={opts.errors ? '' : opts.siteErrors ? 'site-' : opts.offerErrors ? 'offer-' : ''}
      />
      {withdrawn.length ? (
        <>
          <h2>{t('partners.offers')}</h2>
          <ul>
            {withdrawn.map((o) => (
              <li>
                {o.theme}：{t(`offer.status.${o.status}`)}
                <OfferNote t={t} lang={lang} o={o} />
              </li>
            ))}
          </ul>
        </>
      ) : null}
      <h2>{t('partners.hosted')}</h2>
      {d.hosted.length ? (
        <ul class="link-list">
          {d.hosted.map((s) => (
            <li>
              <a href={`/partner/sessions/${s.id}`}>
                {formatTokyo(s.starts_at, lang, 'datetime')} {s.title}
              </a>
              （{t('partners.rosterCount', { count: Number(s.confirmed_count ?? 0) })}）
            </li>
          ))}
        </ul>
      ) : (
        <p>{t('common.noResults')}</p>
      )}
      <h2>{t('partners.newOffer')}</h2>
      {d.sites.length ? (
        <form method="post" action="/partner/offers" novalidate>
          <CsrfField token={p.csrf} />
          <SelectField t={t} idPrefix="offer-" name="siteId" label={t('offer.site')} value={str(opts.offerValues?.siteId)} errors={offerErrors} required options={d.sites.map((s) => ({ value: s.id, label: `${s.name}（${t('field.capacity')} ${s.capacity}）` }))} />
          <TextField t={t} idPrefix="offer-" name="theme" label={t('field.theme')} value={str(opts.offerValues?.theme)} errors={offerErrors} required maxlength={200} />
          <CandidateStartsFields t={t} idPrefix="offer-" values={opts.offerValues} errors={offerErrors} min={p.tomorrow} />
          <TextField t={t} idPrefix="offer-" name="durationMinutes" type="number" label={t('offer.duration')} value={str(opts.offerValues?.durationMinutes) || '120'} errors={offerErrors} required />
          <TextField t={t} idPrefix="offer-" name="capacity" type="number" label={t('field.capacity')} value={str(opts.offerValues?.capacity)} errors={offerErrors} required />
          <TextArea t={t} idPrefix="offer-" name="preparation" label={t('offer.preparation')} value={str(opts.offerValues?.preparation)} errors={offerErrors} maxlength={2000} rows={2} />
          <button type="submit" class="button">{t('partners.newOffer')}</button>
        </form>
      ) : null}
      <h2>{t('partners.addSite')}</h2>
      <SiteFormView t={t} csrf={p.csrf} action="/partner/sites" errors={opts.siteErrors ?? null} values={{}} />
      <h2>{t('partners.edit')}</h2>
      <PartnerFormView t={t} csrf={p.csrf} values={opts.values ?? partnerValues(d.partner)} errors={opts.errors ?? null} action="/partner" municipalities={p.municipalities} />
      <PartnerOverview t={t} lang={lang} d={d} history={p.history} />
    </>
  );
}

type Roster = Awaited<ReturnType<typeof hostRoster>>;

/** The host's page of one field session: the roster (name and unit only) and messages to participants. */
export function HostRosterView({ t, lang, csrf, id, r0, survey, errors }: { t: Translate; lang: 'ja' | 'en'; csrf: string; id: number; r0: Roster; survey: { id: number; title: string } | null; errors: FieldErrors | null }) {
  return (
    <>
      {survey ? (
        <p>
          {t('partners.surveys')}：<a href={`/surveys/${survey.id}`}>{survey.title}</a>
        </p>
      ) : null}
      <dl class="meta">
        <dt>{t('approvals.offering')}</dt>
        <dd>{r0.offering.title}</dd>
        <dt>{t('trainings.when')}</dt>
        <dd>
          {formatTokyo(r0.session.starts_at, lang, 'datetime')}〜{formatTokyo(r0.session.ends_at, lang, 'time')}
        </dd>
        <dt>{t('trainings.venue')}</dt>
        <dd>{r0.session.venue}</dd>
      </dl>
      <p role="status">{t('partners.rosterCount', { count: r0.participants.length })}</p>
      <DataTable
        t={t}
        caption={t('partners.roster')}
        rows={r0.participants}
        columns={[
          { key: 'name', label: t('field.name'), cell: (p) => p.name },
          { key: 'unit', label: t('field.unit'), cell: (p) => p.unit },
        ]}
      />
      <Downloads t={t} base={`/partner/sessions/${id}/roster`} />
      <h2>{t('partners.message')}</h2>
      <ErrorSummary t={t} errors={errors} />
      <form method="post" action={`/partner/sessions/${id}/messages`} novalidate>
        <CsrfField token={csrf} />
        <TextArea t={t} name="body" label={t('field.body')} errors={errors} required maxlength={4000} rows={4} />
        <button type="submit" class="button">{t('partners.messageSend')}</button>
      </form>
      <ul>
        {r0.messages.map((m) => (
          <li>
            {formatTokyo(m.created_at, lang, 'datetime')}：{m.body}
          </li>
        ))}
      </ul>
    </>
  );
}
