import type { Child } from 'hono/jsx';
import { formatFiscalYear, formatTokyo, tokyoDateOf } from '../../domain/calendar.js';
import { type FieldOffer, type Partner } from '../../db/schema.js';
import type { Translate } from '../../i18n/index.js';
import type { FieldErrors } from '../../lib/validation.js';
import { sessionWarnings } from '../../services/offering.service.js';
import { offeringChoiceLabel } from '../../domain/field-offer.js';
import { acceptOffer, addSite, createOffer, createPartner, declineOffer, getPartner, hostRoster, invitePartnerMember, listOffers, listPartners, memberPartnerId, offeringChoices, previewAcceptOffer, previewDeclineOffer, postHostMessage, updatePartner } from '../../services/partner.service.js';
import { listSurveys } from '../../services/survey.service.js';
import { partnerHistory } from '../../services/project.service.js';
import { ProjectTable } from './projects.routes.js';
import { listUnits } from '../../services/unit.service.js';
import { sendTable } from '../export.js';
import { type FormBody, readForm, sortAndPage, submit, toId } from '../forms.js';
import { page } from '../page.js';
import type { Ctx, Router } from '../router.js';
import { CheckboxGroup, CsrfField, DataTable, Downloads, ErrorSummary, Pager, SelectField, TextArea, TextField } from '../views/components.js';
import { toKatakana } from '../../domain/kana.js';
import { PARTNER_TYPES, PARTNER_FIELDS } from '../../domain/values.js';

const num = toId;
const str = (v: FormBody[string] | undefined) => (typeof v === 'string' ? v : '');
const arr = (v: FormBody[string] | undefined) => (Array.isArray(v) ? v : typeof v === 'string' && v ? [v] : []);

function partnerValues(p: Partner): FormBody {
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

async function PartnerForm({ c, values, errors, action }: { c: Ctx; values: FormBody; errors: FieldErrors | null; action: string }) {
  const t = c.get('t');
  const municipalities = await listUnits(c.get('ctx'), { kind: 'municipality', activeOnly: true });
  return (
    <form method="post" action={action} novalidate>
      <CsrfField token={c.get('csrf')} />
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

function SiteForm({ c, action, errors, values }: { c: Ctx; action: string; errors: FieldErrors | null; values: FormBody }) {
  const t = c.get('t');
  return (
    <form method="post" action={action} novalidate>
      <CsrfField token={c.get('csrf')} />
      <TextField t={t} idPrefix="site-" name="name" label={t('offer.site')} value={str(values.name)} errors={errors} required maxlength={200} />
      <TextField t={t} idPrefix="site-" name="address" label={t('field.address')} value={str(values.address)} errors={errors} required maxlength={300} />
      <TextArea t={t} idPrefix="site-" name="whatToSee" label={t('field.whatToSee')} value={str(values.whatToSee)} errors={errors} maxlength={2000} rows={3} />
      <TextField t={t} idPrefix="site-" name="accessibility" label={t('field.accessibility')} value={str(values.accessibility)} errors={errors} maxlength={1000} />
      <TextField t={t} idPrefix="site-" name="capacity" type="number" label={t('field.capacity')} value={str(values.capacity)} errors={errors} required />
      <button type="submit" class="button">{t('partners.addSite')}</button>
    </form>
  );
}

/** An offer whose scheduled session was deleted says so, with when and why, while it is back under consideration. */
function OfferNote({ t, lang, o }: { t: Translate; lang: 'ja' | 'en'; o: Pick<FieldOffer, 'status' | 'withdrawn_session_starts_at' | 'session_withdrawn_at' | 'session_withdrawn_reason'> }) {
  if (o.status !== 'offered' || !o.session_withdrawn_at) return null;
  return (
    <p class="hint">
      {t('offer.sessionWithdrawn', { when: o.withdrawn_session_starts_at ? formatTokyo(o.withdrawn_session_starts_at, lang, 'datetime') : '—', on: formatTokyo(o.session_withdrawn_at, lang, 'date') })}
      {o.session_withdrawn_reason ? <><br />{t('offer.sessionWithdrawnReason', { reason: o.session_withdrawn_reason })}</> : null}
    </p>
  );
}

type PartnerDetail = NonNullable<Awaited<ReturnType<typeof getPartner>>>;
type PartnerHistory = Awaited<ReturnType<typeof partnerHistory>>;

function PartnerOverview({ t, lang, d, history }: { t: Translate; lang: 'ja' | 'en'; d: PartnerDetail; history?: PartnerHistory }) {
  return (
    <>
      {history ? (
        <>
          <h2>{t('projects.history')}</h2>
          <ProjectTable t={t} lang={lang} rows={history.projects} caption={t('projects.history')} />
          {history.consultations.length ? (
            <>
              <h2>{t('projects.consultationsHistory')}</h2>
              <table class="data-table">
                <caption>{t('projects.consultationsHistory')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('consultations.filedOn')}</th>
                    <th scope="col">{t('field.title')}</th>
                    <th scope="col">{t('field.kind')}</th>
                    <th scope="col">{t('common.status')}</th>
                  </tr>
                </thead>
                <tbody>
                  {history.consultations.map((k) => (
                    <tr>
                      <td>{formatTokyo(k.created_at, lang, 'date')}</td>
                      <td>
                        <a href={`/consultations/${k.id}`}>{k.title}</a>
                      </td>
                      <td>{t(`consultations.kind.${k.kind}`)}</td>
                      <td>
                        {t(`consultations.status.${k.status}`)}
                        {k.outcome ? `（${t(`consultations.outcome.${k.outcome}`)}）` : ''}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          ) : null}
        </>
      ) : null}
      <h2>{t('partners.sites')}</h2>
      <table class="data-table">
        <caption>{t('partners.sites')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('offer.site')}</th>
            <th scope="col">{t('field.address')}</th>
            <th scope="col">{t('field.whatToSee')}</th>
            <th scope="col">{t('field.accessibility')}</th>
            <th scope="col">{t('field.capacity')}</th>
          </tr>
        </thead>
        <tbody>
          {d.sites.map((s) => (
            <tr>
              <td>{s.name}</td>
              <td>{s.address}</td>
              <td>{s.what_to_see}</td>
              <td>{s.accessibility}</td>
              <td>{s.capacity}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>{t('partners.offers')}</h2>
      <table class="data-table">
        <caption>{t('partners.offers')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('field.theme')}</th>
            <th scope="col">{t('offer.site')}</th>
            <th scope="col">{t('common.status')}</th>
          </tr>
        </thead>
        <tbody>
          {d.offers.map((o) => (
            <tr>
              <td>{o.theme}</td>
              <td>{o.site_name}</td>
              <td>
                {t(`offer.status.${o.status}`)}
                {o.decline_reason && o.status === 'declined' ? `（${o.decline_reason}）` : ''}
                <OfferNote t={t} lang={lang} o={o} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>{t('partners.hosted')}</h2>
      <table class="data-table">
        <caption>{t('partners.hosted')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('field.fiscalYear')}</th>
            <th scope="col">{t('trainings.when')}</th>
            <th scope="col">{t('field.title')}</th>
            <th scope="col">{t('partners.roster')}</th>
          </tr>
        </thead>
        <tbody>
          {d.hosted.map((s) => (
            <tr>
              <td>{formatFiscalYear(s.fiscal_year, lang, 'wareki')}</td>
              <td>{formatTokyo(s.starts_at, lang, 'datetime')}</td>
              <td>
                {s.offering_title}：{s.title}
              </td>
              <td>{t('partners.rosterCount', { count: Number(s.confirmed_count ?? 0) })}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

export function registerPartners(r: Router) {
  // --- Admin: directory -------------------------------------------------------------------------
  const filters = (c: Ctx) => ({
    q: c.req.query('q')?.slice(0, 100) || undefined,
    type: PARTNER_TYPES.find((x) => x === c.req.query('type')),
    field: c.req.query('field')?.slice(0, 30) || undefined,
    areaId: num(c.req.query('area')) || undefined,
  });
  r.get('/admin/partners', ['admin'], async (c) => {
    const t = c.get('t');
    const f = filters(c);
    const [rows, municipalities] = await Promise.all([listPartners(c.get('ctx'), f), listUnits(c.get('ctx'), { kind: 'municipality', activeOnly: true })]);
    const areaName = new Map(municipalities.map((u) => [u.id, u.name]));
    const query = { q: f.q, type: f.type, field: f.field, area: f.areaId ? String(f.areaId) : undefined };
    const qs = new URLSearchParams(Object.entries(query).filter((e): e is [string, string] => !!e[1])).toString();
    const table = sortAndPage(c, rows, { kana: (p) => toKatakana(p.kana), type: (p) => PARTNER_TYPES.indexOf(p.type) }, 'kana');
    return page(
      c,
      t('partners.title'),
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
        {rows.length ? (
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
      </>,
      { crumbs: [{ label: t('nav.home'), href: '/' }, { label: t('partners.title') }] },
    );
  });
  for (const format of ['csv', 'xlsx'] as const)
    r.get(`/admin/partners.${format}`, ['admin'], async (c) => {
      const t = c.get('t');
      const [rows, units] = await Promise.all([listPartners(c.get('ctx'), filters(c)), listUnits(c.get('ctx'), { kind: 'municipality' })]);
      const areaName = new Map(units.map((u) => [u.id, u.name]));
      return sendTable(c, format, 'partners', t('partners.title'), [
        { header: '団体名', value: (p: Partner) => p.name },
        { header: 'フリガナ', value: (p: Partner) => p.kana },
        { header: '種別', value: (p: Partner) => t(`partnerType.${p.type}`) },
        { header: '分野', value: (p: Partner) => p.fields.join('、') },
        { header: '活動地域', value: (p: Partner) => p.area_unit_ids.map((id) => areaName.get(id) ?? '').join('、') },
        { header: '担当者', value: (p: Partner) => p.contact_name },
        { header: 'メールアドレス', value: (p: Partner) => p.contact_email },
        { header: '電話番号', value: (p: Partner) => p.contact_phone },
        { header: '説明', value: (p: Partner) => p.description },
      ], rows);
    });

  r.get('/admin/partners/new', ['admin'], async (c) =>
    page(c, c.get('t')('partners.new'), await PartnerForm({ c, values: { type: 'npo' }, errors: null, action: '/admin/partners' }), {
      crumbs: [{ label: c.get('t')('nav.home'), href: '/' }, { label: c.get('t')('partners.title'), href: '/admin/partners' }, { label: c.get('t')('partners.new') }],
    }),
  );
  r.post('/admin/partners', ['admin'], async (c) => {
    const form = await readForm(c);
    const res = await submit(
      () => createPartner(c.get('ctx'), c.get('user'), form),
      async (errors) => page(c, c.get('t')('partners.new'), <><ErrorSummary t={c.get('t')} errors={errors} labels={{ name: c.get('t')('partners.orgName') }} />{await PartnerForm({ c, values: form, errors, action: '/admin/partners' })}</>, { status: 422 }),
    );
    if (!res.ok) return res.response;
    return c.redirect(`/admin/partners/${res.value.id}?notice=common.saved`, 303);
  });

  const adminDetail = async (c: Ctx, id: number, errors: FieldErrors | null = null, values: FormBody | null = null, notice: string | null = null, extraErrors: { invite?: FieldErrors | null; site?: FieldErrors | null } = {}) => {
    const t = c.get('t');
    const d = await getPartner(c.get('ctx'), id);
    if (!d) return c.notFound();
    return page(
      c,
      d.partner.name,
      <>
        <ErrorSummary t={t} errors={errors ?? extraErrors.invite ?? extraErrors.site ?? null} labels={errors ? { name: t('partners.orgName') } : extraErrors.site ? { name: t('offer.site') } : {}} idPrefix={errors ? '' : extraErrors.invite ? 'invite-' : extraErrors.site ? 'site-' : ''} />
        <h2>{t('partners.edit')}</h2>
        {await PartnerForm({ c, values: values ?? partnerValues(d.partner), errors, action: `/admin/partners/${id}` })}
        <PartnerOverview t={t} lang={c.get('lang')} d={d} history={await partnerHistory(c.get('ctx'), id, { consultations: true })} />
        <h2>{t('partners.addSite')}</h2>
        <SiteForm c={c} action={`/admin/partners/${id}/sites`} errors={extraErrors.site ?? null} values={{}} />
        <h2>{t('partners.members')}</h2>
        <ul>
          {d.members.map((m) => (
            <li>
              {m.name}（{m.email}）{m.invited ? `・${t('partners.invitedPending')}` : ''}
            </li>
          ))}
        </ul>
        <form method="post" action={`/admin/partners/${id}/members`} novalidate>
          <CsrfField token={c.get('csrf')} />
          <TextField t={t} idPrefix="invite-" name="name" label={t('field.name')} errors={extraErrors.invite ?? null} required maxlength={100} />
          <TextField t={t} idPrefix="invite-" name="kana" label={t('field.kana')} errors={extraErrors.invite ?? null} required maxlength={100} />
          <TextField t={t} idPrefix="invite-" name="email" type="email" label={t('field.email')} errors={extraErrors.invite ?? null} required />
          <button type="submit" class="button button--secondary">{t('partners.invite')}</button>
        </form>
        <p>
          <a href={`/admin/audit?entity=partner&entityId=${id}`}>{t('audit.title')}</a>
        </p>
      </>,
      { crumbs: [{ label: t('nav.home'), href: '/' }, { label: t('partners.title'), href: '/admin/partners' }, { label: d.partner.name }], notice, status: errors || extraErrors.invite || extraErrors.site ? 422 : 200 },
    );
  };
  const noticeOf = (c: Ctx) => {
    const n = c.req.query('notice');
    return n === 'common.saved' ? c.get('t')('common.saved') : n === 'invited' ? c.get('t')('partners.invited') : null;
  };
  r.get('/admin/partners/:id', ['admin'], (c) => adminDetail(c, num(c.req.param('id')), null, null, noticeOf(c)));
  r.post('/admin/partners/:id', ['admin'], async (c) => {
    const id = num(c.req.param('id'));
    const form = await readForm(c);
    const res = await submit(() => updatePartner(c.get('ctx'), c.get('user')!, id, form), (errors) => adminDetail(c, id, errors, form));
    if (!res.ok) return res.response;
    return c.redirect(`/admin/partners/${id}?notice=common.saved`, 303);
  });
  r.post('/admin/partners/:id/sites', ['admin'], async (c) => {
    const id = num(c.req.param('id'));
    const form = await readForm(c);
    const res = await submit(() => addSite(c.get('ctx'), c.get('user')!, id, form), (errors) => adminDetail(c, id, null, null, null, { site: errors }));
    if (!res.ok) return res.response;
    return c.redirect(`/admin/partners/${id}?notice=common.saved`, 303);
  });
  r.post('/admin/partners/:id/members', ['admin'], async (c) => {
    const id = num(c.req.param('id'));
    const form = await readForm(c);
    const res = await submit(() => invitePartnerMember(c.get('ctx'), c.get('user'), id, form), (errors) => adminDetail(c, id, null, null, null, { invite: errors }));
    if (!res.ok) return res.response;
    return c.redirect(`/admin/partners/${id}?notice=invited`, 303);
  });

  // --- Admin: offers ------------------------------------------------------------------------------
  /** `failed`: the offer whose form was refused, with what was sent, so that its errors show at its own fields. */
  const offersPage = async (c: Ctx, errors: FieldErrors | null = null, notice: string | null = null, failed: { id: number; values: FormBody } | null = null) => {
    const t = c.get('t');
    const lang = c.get('lang');
    const ctx = c.get('ctx');
    const offers = await listOffers(ctx);
    const choices = await offeringChoices(ctx, offers);
    const prefix = (id: number) => `offer${id}-`;
    const errorsOf = (id: number) => (failed?.id === id ? errors : null);
    const label = (x: { title: string; fiscal_year: number }) => offeringChoiceLabel(x.title, x.fiscal_year, lang);
    return page(
      c,
      t('nav.fieldOffers'),
      <>
        <ErrorSummary t={t} errors={errors} idPrefix={failed ? prefix(failed.id) : ''} />
        {offers.length ? null : <p>{t('offer.none')}</p>}
        {offers.map((o) => {
          const choice = choices.get(o.id);
          const mine = errorsOf(o.id);
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
                      <CsrfField token={c.get('csrf')} />
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
                    <CsrfField token={c.get('csrf')} />
                    <TextField t={t} idPrefix={prefix(o.id)} name="reason" label={t('field.reason')} value={str(values.reason)} errors={mine} required maxlength={1000} />
                    <button type="submit" class="button button--small button--secondary">{t('offer.decline')}</button>
                  </form>
                </>
              ) : null}
            </article>
          );
        })}
      </>,
      { crumbs: [{ label: t('nav.home'), href: '/' }, { label: t('partners.title'), href: '/admin/partners' }, { label: t('nav.fieldOffers') }], notice, status: errors ? 422 : 200 },
    );
  };
  const offersNotice = (c: Ctx) => {
    const n = c.req.query('notice');
    return n === 'scheduled' ? c.get('t')('offer.scheduled') : n === 'declined' ? c.get('t')('offer.declined') : null;
  };
  r.get('/admin/field-offers', ['admin'], (c) => offersPage(c, null, offersNotice(c)));

  /** Accepting asks first: what is scheduled, who is mailed, whether it is published, who the roster lists. */
  const acceptConfirm = async (c: Ctx, offerId: number, form: FormBody) => {
    const t = c.get('t');
    const lang = c.get('lang');
    const p = await previewAcceptOffer(c.get('ctx'), offerId, form);
    const warnings = sessionWarnings({ starts_at: p.starts, ends_at: p.endsAt }, lang);
    return page(
      c,
      t('offer.confirmTitle'),
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
            {warnings.length ? <span class="warning">（{warnings.join('、')}）</span> : null}
          </dd>
        </dl>
        <ul>
          <li>{p.membersMailed ? t('offer.confirmMail', { partner: p.partner.name, count: p.membersMailed }) : t('offer.confirmNoMembers', { partner: p.partner.name })}</li>
          <li>{p.published ? t('offer.confirmPublished') : t('offer.confirmUnpublished')}</li>
          <li>{t('offer.confirmRoster', { count: p.rosterCount })}</li>
        </ul>
        <form method="post" action={`/admin/field-offers/${offerId}/accept`}>
          <CsrfField token={c.get('csrf')} />
          <input type="hidden" name="offeringId" value={String(p.offering.id)} />
          <input type="hidden" name="start" value={p.starts.toISOString()} />
          <input type="hidden" name="confirm" value="yes" />
          <p class="actions">
            <button type="submit" class="button">{t('offer.confirmSubmit')}</button> <a class="button button--secondary" href="/admin/field-offers">{t('common.back')}</a>
          </p>
        </form>
      </>,
      { crumbs: [{ label: t('nav.home'), href: '/' }, { label: t('nav.fieldOffers'), href: '/admin/field-offers' }, { label: t('offer.confirmTitle') }] },
    );
  };
  r.post('/admin/field-offers/:id/accept', ['admin'], async (c) => {
    const id = num(c.req.param('id'));
    const form = await readForm(c);
    const failed = { id, values: form };
    if (form.confirm !== 'yes') {
      const res = await submit(() => acceptConfirm(c, id, form), (errors) => offersPage(c, errors, null, failed));
      return res.ok ? res.value : res.response;
    }
    const res = await submit(() => acceptOffer(c.get('ctx'), c.get('user'), id, form), (errors) => offersPage(c, errors, null, failed));
    if (!res.ok) return res.response;
    return c.redirect('/admin/field-offers?notice=scheduled', 303);
  });
  r.post('/admin/field-offers/:id/decline', ['admin'], async (c) => {
    const form = await readForm(c);
    const id = num(c.req.param('id'));
    const failed = (errors: FieldErrors) => offersPage(c, errors, null, { id, values: form });
    // Declining mails the partner and cannot be undone: it asks first.
    if (form.confirm !== 'yes') {
      const res = await submit(async () => {
        const t = c.get('t');
        const p = await previewDeclineOffer(c.get('ctx'), id, form);
        return page(
          c,
          t('offer.declineConfirmTitle'),
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
            <form method="post" action={`/admin/field-offers/${id}/decline`}>
              <CsrfField token={c.get('csrf')} />
              <input type="hidden" name="reason" value={p.reason} />
              <input type="hidden" name="confirm" value="yes" />
              <p class="actions">
                <button type="submit" class="button button--danger">{t('offer.declineSubmit')}</button> <a class="button button--secondary" href="/admin/field-offers">{t('common.back')}</a>
              </p>
            </form>
          </>,
          { crumbs: [{ label: t('nav.home'), href: '/' }, { label: t('nav.fieldOffers'), href: '/admin/field-offers' }, { label: t('offer.declineConfirmTitle') }] },
        );
      }, failed);
      return res.ok ? res.value : res.response;
    }
    const res = await submit(() => declineOffer(c.get('ctx'), c.get('user'), id, form), failed);
    if (!res.ok) return res.response;
    return c.redirect('/admin/field-offers?notice=declined', 303);
  });

  // --- Partner members: their own organisation only -------------------------------------------
  const own = async (c: Ctx) => {
    const id = await memberPartnerId(c.get('ctx'), c.get('user')!);
    return id ? getPartner(c.get('ctx'), id) : null;
  };
  const memberPage = async (c: Ctx, opts: { errors?: FieldErrors | null; values?: FormBody | null; siteErrors?: FieldErrors | null; offerErrors?: FieldErrors | null; offerValues?: FormBody; notice?: string | null } = {}) => {
    const t = c.get('t');
    const lang = c.get('lang');
    const d = await own(c);
    if (!d) return c.notFound();
    const anyErrors = opts.errors ?? opts.siteErrors ?? opts.offerErrors ?? null;
    const tomorrow = tokyoDateOf(new Date(c.get('ctx').now().getTime() + 86_400_000));
    // An offer whose scheduled session was withdrawn is said first, where the member looks.
    const withdrawn = d.offers.filter((o) => o.status === 'offered' && o.session_withdrawn_at);
    const extra: Child = (
      <>
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
      </>
    );
    return page(
      c,
      d.partner.name,
      <>
        <ErrorSummary
          t={t}
          errors={anyErrors}
          labels={opts.errors ? { name: t('partners.orgName') } : opts.siteErrors ? { name: t('offer.site') } : {}}
          idPrefix={opts.errors ? '' : opts.siteErrors ? 'site-' : opts.offerErrors ? 'offer-' : ''}
        />
        {extra}
        <h2>{t('partners.newOffer')}</h2>
        {d.sites.length ? (
          <form method="post" action="/partner/offers" novalidate>
            <CsrfField token={c.get('csrf')} />
            <SelectField t={t} idPrefix="offer-" name="siteId" label={t('offer.site')} value={str(opts.offerValues?.siteId)} errors={opts.offerErrors ?? null} required options={d.sites.map((s) => ({ value: s.id, label: `${s.name}（${t('field.capacity')} ${s.capacity}）` }))} />
            <TextField t={t} idPrefix="offer-" name="theme" label={t('field.theme')} value={str(opts.offerValues?.theme)} errors={opts.offerErrors ?? null} required maxlength={200} />
            <TextArea t={t} idPrefix="offer-" name="candidateStarts" label={t('offer.candidates')} hint={`${t('offer.candidatesHint')}（${tomorrow}T13:30）`} value={str(opts.offerValues?.candidateStarts)} errors={opts.offerErrors ?? null} required rows={3} />
            <TextField t={t} idPrefix="offer-" name="durationMinutes" type="number" label={t('offer.duration')} value={str(opts.offerValues?.durationMinutes) || '120'} errors={opts.offerErrors ?? null} required />
            <TextField t={t} idPrefix="offer-" name="capacity" type="number" label={t('field.capacity')} value={str(opts.offerValues?.capacity)} errors={opts.offerErrors ?? null} required />
            <TextArea t={t} idPrefix="offer-" name="preparation" label={t('offer.preparation')} value={str(opts.offerValues?.preparation)} errors={opts.offerErrors ?? null} maxlength={2000} rows={2} />
            <button type="submit" class="button">{t('partners.newOffer')}</button>
          </form>
        ) : null}
        <h2>{t('partners.addSite')}</h2>
        <SiteForm c={c} action="/partner/sites" errors={opts.siteErrors ?? null} values={{}} />
        <h2>{t('partners.edit')}</h2>
        {await PartnerForm({ c, values: opts.values ?? partnerValues(d.partner), errors: opts.errors ?? null, action: '/partner' })}
        <PartnerOverview t={t} lang={lang} d={d} history={await partnerHistory(c.get('ctx'), d.partner.id, { consultations: false })} />
      </>,
      { crumbs: [{ label: t('nav.home'), href: '/' }, { label: d.partner.name }], notice: opts.notice ?? null, status: anyErrors ? 422 : 200 },
    );
  };
  const memberNotice = (c: Ctx) => {
    const n = c.req.query('notice');
    return n === 'saved' ? c.get('t')('common.saved') : n === 'offered' ? c.get('t')('partners.offered') : null;
  };
  r.get('/partner', ['partner'], (c) => memberPage(c, { notice: memberNotice(c) }));
  r.post('/partner', ['partner'], async (c) => {
    const form = await readForm(c);
    const id = await memberPartnerId(c.get('ctx'), c.get('user')!);
    const res = await submit(() => updatePartner(c.get('ctx'), c.get('user')!, id ?? 0, form), (errors) => memberPage(c, { errors, values: form }));
    if (!res.ok) return res.response;
    return c.redirect('/partner?notice=saved', 303);
  });
  r.post('/partner/sites', ['partner'], async (c) => {
    const form = await readForm(c);
    const id = await memberPartnerId(c.get('ctx'), c.get('user')!);
    const res = await submit(() => addSite(c.get('ctx'), c.get('user')!, id ?? 0, form), (errors) => memberPage(c, { siteErrors: errors }));
    if (!res.ok) return res.response;
    return c.redirect('/partner?notice=saved', 303);
  });
  r.post('/partner/offers', ['partner'], async (c) => {
    const form = await readForm(c);
    const res = await submit(() => createOffer(c.get('ctx'), c.get('user')!, form), (errors) => memberPage(c, { offerErrors: errors, offerValues: form }));
    if (!res.ok) return res.response;
    return c.redirect('/partner?notice=offered', 303);
  });

  const hostPage = async (c: Ctx, id: number, errors: FieldErrors | null = null, notice: string | null = null) => {
    const t = c.get('t');
    const lang = c.get('lang');
    const r0 = await hostRoster(c.get('ctx'), c.get('user')!, id);
    const hostSurveys = await listSurveys(c.get('ctx'), { sessionId: id, kind: 'host' });
    return page(
      c,
      `${t('partners.roster')}：${r0.session.title}`,
      <>
        {hostSurveys.length ? (
          <p>
            {t('partners.surveys')}：<a href={`/surveys/${hostSurveys[0].id}`}>{hostSurveys[0].title}</a>
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
        <table class="data-table">
          <caption>{t('partners.roster')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('field.name')}</th>
              <th scope="col">{t('field.unit')}</th>
            </tr>
          </thead>
          <tbody>
            {r0.participants.map((p) => (
              <tr>
                <td>{p.name}</td>
                <td>{p.unit}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <Downloads t={t} base={`/partner/sessions/${id}/roster`} />
        <h2>{t('partners.message')}</h2>
        <ErrorSummary t={t} errors={errors} />
        <form method="post" action={`/partner/sessions/${id}/messages`} novalidate>
          <CsrfField token={c.get('csrf')} />
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
      </>,
      { crumbs: [{ label: t('nav.home'), href: '/' }, { label: t('nav.myPartner'), href: '/partner' }, { label: r0.session.title }], notice, status: errors ? 422 : 200 },
    );
  };
  r.get('/partner/sessions/:id', ['partner'], (c) => hostPage(c, num(c.req.param('id')), null, c.req.query('notice') === 'sent' ? c.get('t')('partners.messageSent') : null));
  for (const format of ['csv', 'xlsx'] as const)
    r.get(`/partner/sessions/:id/roster.${format}`, ['partner'], async (c) => {
      const t = c.get('t');
      const r0 = await hostRoster(c.get('ctx'), c.get('user')!, num(c.req.param('id')));
      type P = (typeof r0.participants)[number];
      return sendTable(c, format, `roster-${r0.session.id}`, t('partners.roster'), [
        { header: t('field.name'), value: (p: P) => p.name },
        { header: t('field.unit'), value: (p: P) => p.unit },
      ], r0.participants);
    });
  r.post('/partner/sessions/:id/messages', ['partner'], async (c) => {
    const id = num(c.req.param('id'));
    const form = await readForm(c);
    const res = await submit(() => postHostMessage(c.get('ctx'), c.get('user')!, id, form), (errors) => hostPage(c, id, errors));
    if (!res.ok) return res.response;
    return c.redirect(`/partner/sessions/${id}?notice=sent`, 303);
  });
}
