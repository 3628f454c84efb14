import { tokyoDateOf } from '../../domain/calendar.js';
import { PARTNER_TYPES } from '../../domain/values.js';
import type { FieldErrors } from '../../lib/validation.js';
import { addSite, createOffer, createPartner, getPartner, hostRoster, invitePartnerMember, listPartners, memberPartnerId, ownPartner, pagePartners, postHostMessage, updatePartner } from '../../services/partner.service.js';
import { partnerHistory } from '../../services/project.service.js';
import { listSurveys } from '../../services/survey.service.js';
import { listUnits } from '../../services/unit.service.js';
import { sendTable } from '../export.js';
import { type FormBody, formAction, listParams, loadPage, pagesOf, toId } from '../forms.js';
import { page } from '../page.js';
import type { Ctx, Router } from '../router.js';
import { ErrorSummary } from '../views/components.js';
import { HostRosterView, MemberHomeView, type MemberPageOpts } from './partner-member.views.js';
import { type DetailErrors, PartnerDetailView, PartnerFormView, PartnerListView } from './partner.views.js';
import { partnerExportColumns, rosterExportColumns } from './presenter.js';

const municipalitiesOf = (c: Ctx) => listUnits(c.get('ctx'), { kind: 'municipality', activeOnly: true, counts: false });

/** Partner organisations: the admin's directory and pages, and a partner member's own pages (/partner…). */
export function registerPartnerPages(r: Router) {
  // --- Admin: directory -------------------------------------------------------------------------
  const filters = (c: Ctx) => ({
    q: c.req.query('q')?.slice(0, 100) || undefined,
    type: PARTNER_TYPES.find((x) => x === c.req.query('type')),
    field: c.req.query('field')?.slice(0, 30) || undefined,
    areaId: toId(c.req.query('area')) || undefined,
  });
  r.get('/admin/partners', ['admin'], async (c) => {
    const t = c.get('t');
    const f = filters(c);
    // Sorted and paged in the database (issue 18): the directory grows with the years.
    const l = listParams(c, ['kana', 'type'] as const, 'kana');
    const [{ rows, total, page: pageNo }, municipalities] = await Promise.all([loadPage(l, (p) => pagePartners(c.get('ctx'), f, { ...l, ...p })), municipalitiesOf(c)]);
    const query = { q: f.q, type: f.type, field: f.field, area: f.areaId ? String(f.areaId) : undefined };
    const qs = new URLSearchParams(Object.entries(query).filter((e): e is [string, string] => !!e[1])).toString();
    const table = { sort: l.sort, dir: l.dir, page: pageNo, pages: pagesOf(total, l.limit), total, rows };
    return page(c, t('partners.title'), <PartnerListView t={t} f={f} query={query} qs={qs} table={table} municipalities={municipalities} any={total > 0} />, {
      crumbs: [{ label: t('nav.home'), href: '/' }, { label: t('partners.title') }],
    });
  });
  for (const format of ['csv', 'xlsx'] as const)
    r.get(`/admin/partners.${format}`, ['admin'], async (c) => {
      const t = c.get('t');
      const [rows, units] = await Promise.all([listPartners(c.get('ctx'), filters(c)), listUnits(c.get('ctx'), { kind: 'municipality' })]);
      return sendTable(c, format, 'partners', t('partners.title'), partnerExportColumns(t, new Map(units.map((u) => [u.id, u.name]))), rows);
    });

  const newForm = async (c: Ctx, values: FormBody, errors: FieldErrors | null, status: 200 | 422 = 200) => {
    const t = c.get('t');
    return page(
      c,
      t('partners.new'),
      <>
        {errors ? <ErrorSummary t={t} errors={errors} labels={{ name: t('partners.orgName') }} /> : null}
        <PartnerFormView t={t} csrf={c.get('csrf')} values={values} errors={errors} action="/admin/partners" municipalities={await municipalitiesOf(c)} />
      </>,
      { crumbs: [{ label: t('nav.home'), href: '/' }, { label: t('partners.title'), href: '/admin/partners' }, { label: t('partners.new') }], status },
    );
  };
  r.get('/admin/partners/new', ['admin'], (c) => newForm(c, { type: 'npo' }, null));
  r.post('/admin/partners', ['admin'], (c) =>
    formAction(c, {
      run: (form) => createPartner(c.get('ctx'), c.get('user'), form),
      invalid: (form, errors) => newForm(c, form, errors, 422),
      done: (p) => `/admin/partners/${p.id}?notice=common.saved`,
    }),
  );

  // --- Admin: one organisation ------------------------------------------------------------------
  const adminDetail = async (c: Ctx, id: number, errors: DetailErrors = {}, values: FormBody | null = null, notice: string | null = null) => {
    const t = c.get('t');
    const d = await getPartner(c.get('ctx'), id);
    if (!d) return c.notFound();
    const [history, municipalities] = await Promise.all([partnerHistory(c.get('ctx'), id, { consultations: true }), municipalitiesOf(c)]);
    return page(c, d.partner.name, <PartnerDetailView t={t} lang={c.get('lang')} csrf={c.get('csrf')} d={d} history={history} values={values} errors={errors} municipalities={municipalities} />, {
      crumbs: [{ label: t('nav.home'), href: '/' }, { label: t('partners.title'), href: '/admin/partners' }, { label: d.partner.name }],
      notice,
      status: errors.partner || errors.invite || errors.site ? 422 : 200,
    });
  };
  const noticeOf = (c: Ctx) => {
    const n = c.req.query('notice');
    return n === 'common.saved' ? c.get('t')('common.saved') : n === 'invited' ? c.get('t')('partners.invited') : null;
  };
  r.get('/admin/partners/:id', ['admin'], (c) => adminDetail(c, toId(c.req.param('id')), {}, null, noticeOf(c)));
  r.post('/admin/partners/:id', ['admin'], (c) => {
    const id = toId(c.req.param('id'));
    return formAction(c, {
      run: (form) => updatePartner(c.get('ctx'), c.get('user')!, id, form),
      invalid: (form, errors) => adminDetail(c, id, { partner: errors }, form),
      done: () => `/admin/partners/${id}?notice=common.saved`,
    });
  });
  r.post('/admin/partners/:id/sites', ['admin'], (c) => {
    const id = toId(c.req.param('id'));
    return formAction(c, {
      run: (form) => addSite(c.get('ctx'), c.get('user')!, id, form),
      invalid: (_, errors) => adminDetail(c, id, { site: errors }),
      done: () => `/admin/partners/${id}?notice=common.saved`,
    });
  });
  r.post('/admin/partners/:id/members', ['admin'], (c) => {
    const id = toId(c.req.param('id'));
    return formAction(c, {
      run: (form) => invitePartnerMember(c.get('ctx'), c.get('user'), id, form),
      invalid: (_, errors) => adminDetail(c, id, { invite: errors }),
      done: () => `/admin/partners/${id}?notice=invited`,
    });
  });

  // --- Partner members: their own organisation only -------------------------------------------
  const memberPage = async (c: Ctx, opts: MemberPageOpts = {}) => {
    const t = c.get('t');
    const d = await ownPartner(c.get('ctx'), c.get('user')!);
    if (!d) return c.notFound();
    const [history, municipalities] = await Promise.all([partnerHistory(c.get('ctx'), d.partner.id, { consultations: false }), municipalitiesOf(c)]);
    const tomorrow = tokyoDateOf(new Date(c.get('ctx').now().getTime() + 86_400_000));
    const anyErrors = opts.errors ?? opts.siteErrors ?? opts.offerErrors ?? null;
    return page(c, d.partner.name, <MemberHomeView t={t} lang={c.get('lang')} csrf={c.get('csrf')} d={d} history={history} municipalities={municipalities} tomorrow={tomorrow} opts={opts} />, {
      crumbs: [{ label: t('nav.home'), href: '/' }, { label: d.partner.name }],
      notice: opts.notice ?? null,
      status: anyErrors ? 422 : 200,
    });
  };
  const memberNotice = (c: Ctx) => {
    const n = c.req.query('notice');
    return n === 'saved' ? c.get('t')('common.saved') : n === 'offered' ? c.get('t')('partners.offered') : null;
  };
  const ownId = async (c: Ctx) => (await memberPartnerId(c.get('ctx'), c.get('user')!)) ?? 0;
  r.get('/partner', ['partner'], (c) => memberPage(c, { notice: memberNotice(c) }));
  r.post('/partner', ['partner'], (c) =>
    formAction(c, {
      run: async (form) => updatePartner(c.get('ctx'), c.get('user')!, await ownId(c), form),
      invalid: (form, errors) => memberPage(c, { errors, values: form }),
      done: () => '/partner?notice=saved',
    }),
  );
  r.post('/partner/sites', ['partner'], (c) =>
    formAction(c, {
      run: async (form) => addSite(c.get('ctx'), c.get('user')!, await ownId(c), form),
      invalid: (_, errors) => memberPage(c, { siteErrors: errors }),
      done: () => '/partner?notice=saved',
    }),
  );
  r.post('/partner/offers', ['partner'], (c) =>
    formAction(c, {
      run: (form) => createOffer(c.get('ctx'), c.get('user')!, form),
      invalid: (form, errors) => memberPage(c, { offerErrors: errors, offerValues: form }),
      done: () => '/partner?notice=offered',
    }),
  );

  // --- Host side: the organisation's own field sessions -----------------------------------------
  const hostPage = async (c: Ctx, id: number, errors: FieldErrors | null = null, notice: string | null = null) => {
    const t = c.get('t');
    const r0 = await hostRoster(c.get('ctx'), c.get('user')!, id);
    const hostSurveys = await listSurveys(c.get('ctx'), { sessionId: id, kind: 'host' });
    return page(c, `${t('partners.roster')}：${r0.session.title}`, <HostRosterView t={t} lang={c.get('lang')} csrf={c.get('csrf')} id={id} r0={r0} survey={hostSurveys[0] ?? null} errors={errors} />, {
      crumbs: [{ label: t('nav.home'), href: '/' }, { label: t('nav.myPartner'), href: '/partner' }, { label: r0.session.title }],
      notice,
      status: errors ? 422 : 200,
    });
  };
  r.get('/partner/sessions/:id', ['partner'], (c) => hostPage(c, toId(c.req.param('id')), null, c.req.query('notice') === 'sent' ? c.get('t')('partners.messageSent') : null));
  for (const format of ['csv', 'xlsx'] as const)
    r.get(`/partner/sessions/:id/roster.${format}`, ['partner'], async (c) => {
      const r0 = await hostRoster(c.get('ctx'), c.get('user')!, toId(c.req.param('id')));
      return sendTable(c, format, `roster-${r0.session.id}`, c.get('t')('partners.roster'), rosterExportColumns(c.get('t')), r0.participants);
    });
  r.post('/partner/sessions/:id/messages', ['partner'], (c) => {
    const id = toId(c.req.param('id'));
    return formAction(c, {
      run: (form) => postHostMessage(c.get('ctx'), c.get('user')!, id, form),
      invalid: (_, errors) => hostPage(c, id, errors),
      done: () => `/partner/sessions/${id}?notice=sent`,
    });
  });
}
