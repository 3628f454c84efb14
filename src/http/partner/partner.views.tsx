import { formatFiscalYear, formatTokyo } from '../../domain/calendar.js';
import { PARTNER_FIELDS, PARTNER_TYPES } from '../../domain/values.js';
import type { Partner } from '../../db/schema.js';
import type { Translate } from '../../i18n/index.js';
import type { FieldErrors } from '../../lib/validation.js';
import type { getPartner } from '../../services/partner.service.js';
import type { partnerHistory } from '../../services/project.service.js';
import type { FormBody } from '../forms.js';
import { CheckboxGroup, CsrfField, DataTable, Downloads, ErrorSummary, Pager, SelectField, TextArea, TextField } from '../views/components.js';
import { OfferNote } from '../views/offer-note.js';
import { ProjectTable } from '../views/project-table.js';

export type PartnerDetail = NonNullable<Awaited<ReturnType<typeof getPartner>>>;
export type PartnerHistory = Awaited<ReturnType<typeof partnerHistory>>;
export type Municipality = { id: number; name: string };

export const str = (v: FormBody[string] | undefined) => (typeof v === 'string' ? v : '');
const arr = (v: FormBody[string] | undefined) => (Array.isArray(v) ? v : typeof v === 'string' && v ? [v] : []);

/** A partner's details as the form shows them. */
export function partnerValues(p: Partner): FormBody {
  return {
    name: p.name,
    kana: p.kana,
    type: p.type,
    fields: p.fields.join('、'),
    areas: p.area_unit_ids.map(String),
    contactName: p.contact_name,
    contactEmail: p.contact_email,
    contactPhone: p.contact_phone,
    description: p.description,
  };
}

export function PartnerFormView({ t, csrf, values, errors, action, municipalities }: { t: Translate; csrf: string; values: FormBody; errors: FieldErrors | null; action: string; municipalities: Municipality[] }) {
  return (
    <form method="post" action={action} novalidate>
      <CsrfField token={csrf} />
      <TextField t={t} name="name" label={t('partners.orgName')} value={str(values.name)} errors={errors} required maxlength={200} />
      <TextField t={t} name="kana" label={t('field.kana')} value={str(values.kana)} errors={errors} required maxlength={200} />
      <SelectField t={t} name="type" label={t('field.type')} value={str(values.type)} errors={errors} required options={PARTNER_TYPES.map((x) => ({ value: x, label: t(`partnerType.${x}`) }))} />
      <TextField t={t} name="fields" label={t('field.fields')} hint={`${t('coordinators.fieldsHint')}（${PARTNER_FIELDS.join('、')}）`} value={str(values.fields)} errors={errors} />
      <CheckboxGroup t={t} name="areas" label={t('field.areas')} values={arr(values.areas)} errors={errors} options={municipalities.map((u) => ({ value: String(u.id), label: u.name }))} />
      <TextField t={t} name="contactName" label={t('field.contactName')} value={str(values.contactName)} errors={errors} maxlength={100} />
      <TextField t={t} name="contactEmail" type="email" label={t('field.contactEmail')} value={str(values.contactEmail)} errors={errors} />
      <TextField t={t} name="contactPhone" label={t('field.contactPhone')} value={str(values.contactPhone)} errors={errors} maxlength={30} />
      <TextArea t={t} name="description" label={t('field.description')} value={str(values.description)} errors={errors} maxlength={4000} />
      <button type="submit" class="button">{t('common.save')}</button>
    </form>
  );
}

export function SiteFormView({ t, csrf, action, errors, values }: { t: Translate; csrf: string; action: string; errors: FieldErrors | null; values: FormBody }) {
  return (
    <form method="post" action={action} novalidate>
      <CsrfField token={csrf} />
      <TextField t={t} idPrefix="site-" name="name" label={t('offer.site')} value={str(values.name)} errors={errors} required maxlength={200} />
      <TextField t={t} idPrefix="site-" name="address" label={t('field.address')} value={str(values.address)} errors={errors} required maxlength={300} />
      <TextArea t={t} idPrefix="site-" name="whatToSee" label={t('field.whatToSee')} value={str(values.whatToSee)} errors={errors} maxlength={2000} rows={3} />
      <TextField t={t} idPrefix="site-" name="accessibility" label={t('field.accessibility')} value={str(values.accessibility)} errors={errors} maxlength={1000} />
      <TextField t={t} idPrefix="site-" name="capacity" type="number" label={t('field.capacity')} value={str(values.capacity)} errors={errors} required />
      <button type="submit" class="button">{t('partners.addSite')}</button>
    </form>
  );
}

type Consultation = PartnerHistory['consultations'][number];
type Site = PartnerDetail['sites'][number];
type Offer = PartnerDetail['offers'][number];
type Hosted = PartnerDetail['hosted'][number];

/** The organisation's history (projects and consultations), sites, offers and hosted sessions. */
export function PartnerOverview({ t, lang, d, history }: { t: Translate; lang: 'ja' | 'en'; d: PartnerDetail; history?: PartnerHistory }) {
  return (
    <>
      {history ? (
        <>
          <h2>{t('projects.history')}</h2>
          <ProjectTable t={t} lang={lang} rows={history.projects} caption={t('projects.history')} />
          {history.consultations.length ? (
            <>
              <h2>{t('projects.consultationsHistory')}</h2>
              <DataTable<Consultation>
                t={t}
                caption={t('projects.consultationsHistory')}
                rows={history.consultations}
                columns={[
                  { key: 'filedOn', label: t('consultations.filedOn'), cell: (k) => formatTokyo(k.created_at, lang, 'date') },
                  { key: 'title', label: t('field.title'), cell: (k) => <a href={`/consultations/${k.id}`}>{k.title}</a> },
                  { key: 'kind', label: t('field.kind'), cell: (k) => t(`consultations.kind.${k.kind}`) },
                  { key: 'status', label: t('common.status'), cell: (k) => <>{t(`consultations.status.${k.status}`)}{k.outcome ? `（${t(`consultations.outcome.${k.outcome}`)}）` : ''}</> },
                ]}
              />
            </>
          ) : null}
        </>
      ) : null}
      <h2>{t('partners.sites')}</h2>
      <DataTable<Site>
        t={t}
        caption={t('partners.sites')}
        rows={d.sites}
        columns={[
          { key: 'name', label: t('offer.site'), cell: (s) => s.name },
          { key: 'address', label: t('field.address'), cell: (s) => s.address },
          { key: 'whatToSee', label: t('field.whatToSee'), cell: (s) => s.what_to_see },
          { key: 'accessibility', label: t('field.accessibility'), cell: (s) => s.accessibility },
          { key: 'capacity', label: t('field.capacity'), numeric: true, cell: (s) => s.capacity },
        ]}
      />
      <h2>{t('partners.offers')}</h2>
      <DataTable<Offer>
        t={t}
        caption={t('partners.offers')}
        rows={d.offers}
        columns={[
          { key: 'theme', label: t('field.theme'), cell: (o) => o.theme },
          { key: 'site', label: t('offer.site'), cell: (o) => o.site_name },
          {
            key: 'status',
            label: t('common.status'),
            cell: (o) => (
              <>
                {t(`offer.status.${o.status}`)}
                {o.decline_reason && o.status === 'declined' ? `（${o.decline_reason}）` : ''}
                <OfferNote t={t} lang={lang} o={o} />
              </>
            ),
          },
        ]}
      />
      <h2>{t('partners.hosted')}</h2>
      <DataTable<Hosted>
        t={t}
        caption={t('partners.hosted')}
        rows={d.hosted}
        columns={[
          { key: 'fiscalYear', label: t('field.fiscalYear'), cell: (s) => formatFiscalYear(s.fiscal_year, lang, 'wareki') },
          { key: 'when', label: t('trainings.when'), cell: (s) => formatTokyo(s.starts_at, lang, 'datetime') },
          { key: 'title', label: t('field.title'), cell: (s) => <>{s.offering_title}：{s.title}</> },
          { key: 'roster', label: t('partners.roster'), cell: (s) => t('partners.rosterCount', { count: Number(s.confirmed_count ?? 0) }) },
        ]}
      />
    </>
  );
}

export type PartnerFilters = { q?: string; type?: (typeof PARTNER_TYPES)[number]; field?: string; areaId?: number };
type Table = { sort: string; dir: 'asc' | 'desc'; page: number; pages: number; total: number; rows: Partner[] };

/** The admin's directory of partner organisations: search, a sortable table, downloads. */
export function PartnerListView({ t, f, query, qs, table, municipalities, any }: { t: Translate; f: PartnerFilters; query: Record<string, string | undefined>; qs: string; table: Table; municipalities: Municipality[]; any: boolean }) {
  const areaName = new Map(municipalities.map((u) => [u.id, u.name]));
  return (
    <>
      <p class="actions">
        <a class="button" href="/admin/partners/new">{t('partners.new')}</a>{' '}
        <a class="button button--secondary" href="/admin/imports/new?kind=partners">{t('partners.import')}</a>{' '}
        <a class="button button--secondary" href="/admin/field-offers">{t('nav.fieldOffers')}</a>
      </p>
      <form method="get" action="/admin/partners" class="filters" role="search">
        <TextField t={t} plain name="q" type="search" label={t('partners.search')} value={f.q} />
        <SelectField t={t} plain name="type" label={t('field.type')} value={f.type} blank="—" options={PARTNER_TYPES.map((x) => ({ value: x, label: t(`partnerType.${x}`) }))} />
        <SelectField t={t} plain name="field" label={t('field.fields')} value={f.field} blank="—" options={PARTNER_FIELDS.map((x) => ({ value: x, label: x }))} />
        <SelectField t={t} plain name="area" label={t('field.areas')} value={f.areaId} blank="—" options={municipalities.map((u) => ({ value: u.id, label: u.name }))} />
        <button type="submit" class="button">{t('common.search')}</button>
      </form>
      {any ? (
        <>
          <DataTable
            t={t}
            caption={t('partners.title')}
            basePath="/admin/partners"
            query={query}
            sort={table.sort}
            dir={table.dir}
            rows={table.rows}
            columns={[
              { key: 'kana', label: `${t('partners.orgName')}（${t('field.kana')}）`, sortable: true, cell: (p) => <><a href={`/admin/partners/${p.id}`}>{p.name}</a><br /><span class="kana">{p.kana}</span></> },
              { key: 'type', label: t('field.type'), sortable: true, cell: (p) => t(`partnerType.${p.type}`) },
              { key: 'fields', label: t('field.fields'), cell: (p) => p.fields.join('、') },
              { key: 'areas', label: t('field.areas'), cell: (p) => p.area_unit_ids.map((id) => areaName.get(id) ?? '').join('、') },
            ]}
          />
          <Pager t={t} page={table.page} pages={table.pages} total={table.total} basePath="/admin/partners" query={{ ...query, sort: table.sort, dir: table.dir }} />
        </>
      ) : (
        <p>{t('partners.none')}</p>
      )}
      <Downloads t={t} base="/admin/partners" query={qs} />
    </>
  );
}

export type DetailErrors = { partner?: FieldErrors | null; invite?: FieldErrors | null; site?: FieldErrors | null };

/** The admin's page of one organisation: its details form, history, sites, members and invitation form. */
export function PartnerDetailView(p: { t: Translate; lang: 'ja' | 'en'; csrf: string; d: PartnerDetail; history: PartnerHistory; values: FormBody | null; errors: DetailErrors; municipalities: Municipality[] }) {
  const { t, d, errors } = p;
  const id = d.partner.id;
  return (
    <>
      <ErrorSummary
        t={t}
        errors={errors.partner ?? errors.invite ?? errors.site ?? null}
        labels={errors.partner ? { name: t('partners.orgName') } : errors.site ? { name: t('offer.site') } : {}}
        idPrefix={errors.partner ? '' : errors.invite ? 'invite-' : errors.site ? 'site-' : ''}
      />
      <h2>{t('partners.edit')}</h2>
      <PartnerFormView t={t} csrf={p.csrf} values={p.values ?? partnerValues(d.partner)} errors={errors.partner ?? null} action={`/admin/partners/${id}`} municipalities={p.municipalities} />
      <PartnerOverview t={t} lang={p.lang} d={d} history={p.history} />
      <h2>{t('partners.addSite')}</h2>
      <SiteFormView t={t} csrf={p.csrf} action={`/admin/partners/${id}/sites`} errors={errors.site ?? null} values={{}} />
      <h2>{t('partners.members')}</h2>
      <ul>
        {d.members.map((m) => (
          <li>
            {m.name}（{m.email}）{m.invited ? `・${t('partners.invitedPending')}` : ''}
          </li>
        ))}
      </ul>
      <form method="post" action={`/admin/partners/${id}/members`} novalidate>
        <CsrfField token={p.csrf} />
        <TextField t={t} idPrefix="invite-" name="name" label={t('field.name')} errors={errors.invite ?? null} required maxlength={100} />
        <TextField t={t} idPrefix="invite-" name="kana" label={t('field.kana')} errors={errors.invite ?? null} required maxlength={100} />
        <TextField t={t} idPrefix="invite-" name="email" type="email" label={t('field.email')} errors={errors.invite ?? null} required />
        <button type="submit" class="button button--secondary">{t('partners.invite')}</button>
      </form>
      <p>
        <a href={`/admin/audit?entity=partner&entityId=${id}`}>{t('audit.title')}</a>
      </p>
    </>
  );
}
