import { APPLICATION_STATUSES } from '../../domain/selection.js';
import type { FieldErrors } from '../../lib/validation.js';
import { decide, decisionPreview, listApplications, nominateUnit, nominationPreview, pageApplications } from '../../services/application.service.js';
import { getOffering } from '../../services/offering.service.js';
import { listUnitPicks } from '../../services/unit.service.js';
import { applicationExportColumns } from '../application/presenter.js';
import { sendTable } from '../export.js';
import { type FormBody, listParams, loadPage, pagesOf, readForm, submit, toId } from '../forms.js';
import { page } from '../page.js';
import type { Ctx, Router } from '../router.js';
import { Applicants, DecisionsConfirm, NominateConfirm } from './offering-applications.views.js';
import { proxyApply, proxyNeedsAnswers, proxyState } from './proxy.pages.js';
import { str } from './offering.views.js';

// --- Applicants, decisions, lottery, proxy application, unit nomination ------------------

const num = toId;

export function registerOfferingApplicationPages(r: Router) {
  const crumbs = (c: Ctx, o: { id: number; title: string }, label: string, href = `/admin/offerings/${o.id}`) => [
    { label: c.get('t')('nav.home'), href: '/' },
    { label: c.get('t')('nav.offerings'), href: '/admin/offerings' },
    { label: o.title, href },
    { label },
  ];
  const applicants = async (c: Ctx, id: number, message: string | null = null, errors: FieldErrors | null = null, status: 200 | 409 | 422 = 200, values: FormBody = {}) => {
    const t = c.get('t');
    const ctx = c.get('ctx');
    const d = await getOffering(ctx, id);
    if (!d) return c.notFound();
    const o = d.offering;
    const statusFilter = APPLICATION_STATUSES.find((s) => s === c.req.query('status'));
    const unitId = num(c.req.query('unit')) || undefined;
    // Filtered, sorted and paged in the database (issue 18); counts by status from one grouped query.
    const l = listParams(c, ['appliedAt', 'kana', 'status'] as const, 'appliedAt', 100);
    const [proxy, units] = await Promise.all([proxyState(c, values), listUnitPicks(ctx)]);
    const { rows, total, counts, applied, page: pageNo } = await loadPage(l, (p) => pageApplications(ctx, id, { status: statusFilter, unitId }, { ...l, ...p }, proxy.matches?.map((m) => m.id)));
    const qs = new URLSearchParams(Object.entries({ status: statusFilter, unit: unitId ? String(unitId) : undefined }).filter((e): e is [string, string] => !!e[1])).toString();
    const list = { sort: l.sort, dir: l.dir, page: pageNo, pages: pagesOf(total, l.limit), total };
    return page(
      c,
      `${o.title}：${t('offerings.applications')}`,
      <Applicants t={t} lang={c.get('lang')} csrf={c.get('csrf')} o={o} counts={counts} applied={applied} rows={rows} list={list} units={units} statusFilter={statusFilter} unitId={unitId} qs={qs} errors={errors} values={values} proxy={proxy} />,
      { crumbs: crumbs(c, o, t('offerings.applications')), notice: message, status },
    );
  };
  r.get('/admin/offerings/:id/applications', ['admin'], (c) => applicants(c, num(c.req.param('id')), c.req.query('notice') === 'common.saved' ? c.get('t')('common.saved') : null));
  for (const format of ['csv', 'xlsx'] as const)
    r.get(`/admin/offerings/:id/applications.${format}`, ['admin'], async (c) => {
      const t = c.get('t');
      const rows = await listApplications(c.get('ctx'), num(c.req.param('id')), { status: c.req.query('status') || undefined, unitId: num(c.req.query('unit')) || undefined });
      const questions = (await getOffering(c.get('ctx'), num(c.req.param('id'))))?.offering.questions ?? [];
      return sendTable(c, format, 'applications', t('offerings.applications'), applicationExportColumns(t, questions), rows);
    });
  const action = (path: string, run: (c: Ctx, id: number, body: FormBody) => Promise<string>) =>
    r.post(`/admin/offerings/:id/${path}`, ['admin'], async (c) => {
      const id = num(c.req.param('id'));
      const body = await readForm(c);
      const res = await submit(() => run(c, id, body), (errors, status) => applicants(c, id, null, errors, status === 409 ? 409 : 422, body));
      if (!res.ok) return res.response;
      return applicants(c, id, res.value);
    });

  const decisionsPage = async (c: Ctx, id: number, body: FormBody, errors: FieldErrors | null = null) => {
    const t = c.get('t');
    const ctx = c.get('ctx');
    const d = await getOffering(ctx, id);
    if (!d) return c.notFound();
    const p = await decisionPreview(ctx, c.get('user')!, id, { applicationIds: body.applicationIds, decision: body.decision });
    return page(c, t('applications.decideTitle'), <DecisionsConfirm t={t} csrf={c.get('csrf')} o={d.offering} p={p} errors={errors} />, {
      crumbs: crumbs(c, d.offering, t('applications.decideTitle'), `/admin/offerings/${id}/applications`),
      status: errors ? 422 : 200,
    });
  };
  r.post('/admin/offerings/:id/decisions', ['admin'], async (c) => {
    const id = num(c.req.param('id'));
    const body = await readForm(c);
    const input = { applicationIds: body.applicationIds, decision: body.decision };
    const back = (errors: FieldErrors, status: number) => applicants(c, id, null, errors, status === 409 ? 409 : 422);
    if (body.confirmDecision !== 'yes') {
      // Not yet confirmed: check the choice, then the confirmation page (nothing is written, nobody is mailed).
      const check = await submit(() => decisionPreview(c.get('ctx'), c.get('user')!, id, input), back);
      if (!check.ok) return check.response;
      return decisionsPage(c, id, body, body.confirmStep ? { confirmDecision: { key: 'operations.error.confirm' } } : null);
    }
    const res = await submit(() => decide(c.get('ctx'), c.get('user')!, id, input), back);
    if (!res.ok) return res.response;
    return applicants(c, id, c.get('t')('common.saved'));
  });
  // 代理申込: by the person chosen from the search (proxy.pages.tsx) or by exact email.
  r.post('/admin/offerings/:id/proxy', ['admin'], async (c) => {
    const id = num(c.req.param('id'));
    const body = await readForm(c);
    if (await proxyNeedsAnswers(c, id, body)) return applicants(c, id, null, null, 200, body);
    const res = await submit(() => proxyApply(c, id, body), (errors, status) => applicants(c, id, null, errors, status === 409 ? 409 : 422, body));
    return res.ok ? applicants(c, id, res.value) : res.response;
  });

  const nominatePage = async (c: Ctx, id: number, body: FormBody, errors: FieldErrors | null = null) => {
    const t = c.get('t');
    const ctx = c.get('ctx');
    const d = await getOffering(ctx, id);
    if (!d) return c.notFound();
    const preview = await nominationPreview(ctx, c.get('user')!, id, { unitId: body.unitId });
    const unit = (await listUnitPicks(ctx)).find((u) => u.id === Number(body.unitId));
    return page(c, t('applications.nominateTitle'), <NominateConfirm t={t} csrf={c.get('csrf')} o={d.offering} unitId={str(body.unitId)} unitName={unit?.name ?? ''} preview={preview} errors={errors} />, {
      crumbs: crumbs(c, d.offering, t('applications.nominateTitle'), `/admin/offerings/${id}/applications`),
      status: errors ? 422 : 200,
    });
  };
  r.post('/admin/offerings/:id/nominate', ['admin'], async (c) => {
    const id = num(c.req.param('id'));
    const body = await readForm(c);
    const back = (errors: FieldErrors, status: number) => applicants(c, id, null, errors, status === 409 ? 409 : 422, body);
    const res = await submit(async () => {
      if (body.confirmNominate !== 'yes') return null;
      return nominateUnit(c.get('ctx'), c.get('user')!, id, { unitId: body.unitId });
    }, back);
    if (!res.ok) return res.response;
    if (!res.value) {
      // Not yet confirmed: a unit must be chosen, then the confirmation page (nothing is written).
      const check = await submit(() => nominationPreview(c.get('ctx'), c.get('user')!, id, { unitId: body.unitId }), back);
      if (!check.ok) return check.response;
      return nominatePage(c, id, body, body.confirmStep ? { confirmNominate: { key: 'operations.error.confirm' } } : null);
    }
    return applicants(c, id, c.get('t')('offerings.nominated', res.value));
  });
}
