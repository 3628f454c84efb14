import type { Child } from 'hono/jsx';
import { formatFiscalYear, formatTokyo, tokyoDateOf } from '../../domain/calendar.js';
import { PARTNER_TYPES, type Partner } from '../../db/schema.js';
import type { Translate } from '../../i18n/index.js';
import type { FieldErrors } from '../../lib/validation.js';
import { listOfferings } from '../../services/offering.service.js';
import {
  acceptOffer,
  addSite,
  createOffer,
  createPartner,
  declineOffer,
  getPartner,
  hostRoster,
  invitePartnerMember,
  listOffers,
  listPartners,
  memberPartnerId,
  PARTNER_FIELDS,
  postHostMessage,
  updatePartner,
} from '../../services/partner.service.js';
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
      <TextField t={t} name="name" label={t('field.name')} value={str(values.name)} errors={errors} required maxlength={200} />
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
                {o.decline_reason ? `（${o.decline_reason}）` : ''}
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
                { key: 'kana', label: `${t('field.name')}（${t('field.kana')}）`, sortable: true, cell: (p) => <><a href={`/admin/partners/${p.id}`}>{p.name}</a><br /><span class="kana">{p.kana}</span></> },
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
      async (errors) => page(c, c.get('t')('partners.new'), <><ErrorSummary t={c.get('t')} errors={errors} />{await PartnerForm({ c, values: form, errors, action: '/admin/partners' })}</>, { status: 422 }),
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
        <ErrorSummary t={t} errors={errors ?? extraErrors.invite ?? extraErrors.site ?? null} />
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
  const offersPage = async (c: Ctx, errors: FieldErrors | null = null, notice: string | null = null) => {
    const t = c.get('t');
    const lang = c.get('lang');
    const ctx = c.get('ctx');
    const [offers, offerings] = await Promise.all([listOffers(ctx), listOfferings(ctx, {})]);
    return page(
      c,
      t('nav.fieldOffers'),
      <>
        <ErrorSummary t={t} errors={errors} />
        {offers.map((o) => (
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
              <dt>{t('field.capacity')}</dt>
              <dd>{o.capacity}</dd>
              <dt>{t('offer.duration')}</dt>
              <dd>{o.duration_minutes}</dd>
              <dt>{t('offer.preparation')}</dt>
              <dd>{o.preparation || '—'}</dd>
              <dt>{t('common.status')}</dt>
              <dd>{t(`offer.status.${o.status}`)}</dd>
            </dl>
            {o.status === 'offered' ? (
              <>
                <form method="post" action={`/admin/field-offers/${o.id}/accept`} class="stack">
                  <CsrfField token={c.get('csrf')} />
                  <label for={`off-${o.id}`}>{t('field.offeringId')}</label>
                  <select id={`off-${o.id}`} name="offeringId">
                    {offerings.map((x) => (
                      <option value={String(x.id)}>
                        {x.title}（{formatFiscalYear(x.fiscal_year, lang, 'wareki')}）
                      </option>
                    ))}
                  </select>
                  <label for={`st-${o.id}`}>{t('field.start')}</label>
                  <select id={`st-${o.id}`} name="start">
                    {o.candidate_starts.map((s) => (
                      <option value={s}>{formatTokyo(new Date(s), lang, 'datetime')}</option>
                    ))}
                  </select>
                  <button type="submit" class="button button--small">{t('offer.accept')}</button>
                </form>
                <form method="post" action={`/admin/field-offers/${o.id}/decline`} class="stack">
                  <CsrfField token={c.get('csrf')} />
                  <label for={`dr-${o.id}`}>{t('field.reason')}</label>
                  <input id={`dr-${o.id}`} name="reason" type="text" maxlength={1000} />
                  <button type="submit" class="button button--small button--secondary">{t('offer.decline')}</button>
                </form>
              </>
            ) : null}
          </article>
        ))}
      </>,
      { crumbs: [{ label: t('nav.home'), href: '/' }, { label: t('partners.title'), href: '/admin/partners' }, { label: t('nav.fieldOffers') }], notice, status: errors ? 422 : 200 },
    );
  };
  r.get('/admin/field-offers', ['admin'], (c) => offersPage(c, null, c.req.query('notice') === 'scheduled' ? c.get('t')('offer.scheduled') : c.req.query('notice') === 'declined' ? c.get('t')('offer.declined') : null));
  r.post('/admin/field-offers/:id/accept', ['admin'], async (c) => {
    const form = await readForm(c);
    const res = await submit(() => acceptOffer(c.get('ctx'), c.get('user'), num(c.req.param('id')), form), (errors) => offersPage(c, errors));
    if (!res.ok) return res.response;
    return c.redirect('/admin/field-offers?notice=scheduled', 303);
  });
  r.post('/admin/field-offers/:id/decline', ['admin'], async (c) => {
    const form = await readForm(c);
    const res = await submit(() => declineOffer(c.get('ctx'), c.get('user'), num(c.req.param('id')), form), (errors) => offersPage(c, errors));
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
    const extra: Child = (
      <>
        <h2>{t('partners.hosted')}</h2>
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
      </>
    );
    return page(
      c,
      d.partner.name,
      <>
        <ErrorSummary t={t} errors={anyErrors} />
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
