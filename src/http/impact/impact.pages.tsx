import { IMPACT_GROUPINGS, type ImpactGrouping } from '../../domain/values.js';
import { impact } from '../../services/survey.service.js';
import { sendTable } from '../export.js';
import { toId } from '../forms.js';
import { page } from '../page.js';
import type { Ctx, Router } from '../router.js';
import { impactExport } from './presenter.js';
import { type ImpactFilters, ImpactView } from './impact.views.js';

const impactFilters = (c: Ctx): ImpactFilters => ({
  fiscalYear: toId(c.req.query('fy')) || undefined,
  offeringId: toId(c.req.query('offering')) || undefined,
  by: (IMPACT_GROUPINGS.find((g) => g === c.req.query('by')) ?? 'cohort') as ImpactGrouping,
});

/** Pre/post change of the self-assessments (admins). */
export function registerImpactPages(r: Router) {
  r.get('/admin/impact', ['admin'], async (c) => {
    const t = c.get('t');
    const f = impactFilters(c);
    const data = await impact(c.get('ctx'), f);
    const qs = new URLSearchParams(Object.entries({ fy: f.fiscalYear ? String(f.fiscalYear) : '', offering: f.offeringId ? String(f.offeringId) : '', by: f.by }).filter(([, v]) => v)).toString();
    return page(c, t('impact.title'), <ImpactView t={t} f={f} data={data} query={qs} />, {
      crumbs: [{ label: t('nav.home'), href: '/' }, { label: t('survey.title'), href: '/admin/surveys' }, { label: t('impact.title') }],
    });
  });
  for (const format of ['csv', 'xlsx'] as const)
    r.get(`/admin/impact.${format}`, ['admin'], async (c) => {
      const t = c.get('t');
      const f = impactFilters(c);
      const { columns, rows } = impactExport(t, f.by, await impact(c.get('ctx'), f));
      return sendTable(c, format, `impact-${f.by}`, t('impact.title'), columns, rows);
    });
}
