import { fiscalYearOf, formatFiscalYear } from '../../domain/calendar.js';
import { sheetYears } from '../../domain/plan.js';
import { toXlsx } from '../../lib/xlsx.js';
import { listPlans, planWithItems } from '../../services/plan.service.js';
import { defaultPlanId, progressReport } from '../../services/progress-report.service.js';
import { toId } from '../forms.js';
import { page } from '../page.js';
import type { Ctx, Router } from '../router.js';
import { askedFiscalYear } from '../report/fiscal-year.js';
import { reportSheets } from './presenter.js';
import { ProgressReportView } from './progress-report.views.js';

/** ?plan=&fy=&item=: the plan (default the first), the year (default the current one), the item (default all). */
const query = async (c: Ctx) => {
  const planId = await defaultPlanId(c.get('ctx'), toId(c.req.query('plan')));
  const item = toId(c.req.query('item'));
  return { planId, fy: askedFiscalYear(c), itemId: item || undefined };
};

export function registerProgressReportPages(r: Router) {
  r.get('/admin/reports/progress', ['admin'], async (c) => {
    const t = c.get('t');
    const lang = c.get('lang');
    const ctx = c.get('ctx');
    const q = await query(c);
    const crumbs = [{ label: t('nav.home'), href: '/' }, { label: t('report.title'), href: '/admin/reports' }, { label: t('progress.title') }];
    if (q.planId === null) return page(c, t('progress.title'), <p>{t('progress.noPlan')}</p>, { crumbs });
    const [rep, plan, plans] = await Promise.all([progressReport(ctx, q.planId, q.fy, q.itemId), planWithItems(ctx, q.planId), listPlans(ctx)]);
    if (!rep || !plan) return c.notFound();
    const years = sheetYears(plan.plan.first_fiscal_year, plan.plan.last_fiscal_year, fiscalYearOf(ctx.now()));
    if (!years.includes(q.fy)) years.push(q.fy);
    years.sort((a, b) => a - b);
    return page(
      c,
      t('progress.titleOf', { fy: formatFiscalYear(q.fy, lang) }),
      <ProgressReportView t={t} lang={lang} today={ctx.now()} q={{ planId: q.planId, fy: q.fy, itemId: q.itemId }} years={years} rep={rep} plan={plan} plans={plans} />,
      { crumbs },
    );
  });

  r.get('/admin/reports/progress.xlsx', ['admin'], async (c) => {
    const q = await query(c);
    if (q.planId === null) return c.notFound();
    const rep = await progressReport(c.get('ctx'), q.planId, q.fy, q.itemId);
    if (!rep) return c.notFound();
    const body = await toXlsx(reportSheets(c.get('t'), rep, q.fy));
    const name = `progress-report-${q.fy}${q.itemId ? `-item${q.itemId}` : ''}.xlsx`;
    return c.body(new Uint8Array(body), 200, {
      'Content-Type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      'Content-Disposition': `attachment; filename="${name}"`,
      'Cache-Control': 'no-store',
    });
  });
}
