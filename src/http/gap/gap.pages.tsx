import { formatFiscalYear } from '../../domain/calendar.js';
import { gapTrend } from '../../services/gap.service.js';
import { reportYears } from '../../services/report.service.js';
import { sendTable } from '../export.js';
import { page } from '../page.js';
import type { Router } from '../router.js';
import { askedFiscalYear, yearsWith } from '../report/fiscal-year.js';
import { trendColumns } from '../report/presenter.js';
import { GapsView } from './gap.views.js';
import { gapColumns, gapLines, gapTrendRows } from './presenter.js';

export function registerGapPages(r: Router) {
  r.get('/admin/reports/gaps', ['admin'], async (c) => {
    const t = c.get('t');
    const lang = c.get('lang');
    const fy = askedFiscalYear(c);
    const years = yearsWith(await reportYears(c.get('ctx')), fy);
    const all = await gapTrend(c.get('ctx'), years[0]!, years[years.length - 1]!);
    return page(c, t('gaps.titleOf', { fy: formatFiscalYear(fy, lang) }), <GapsView t={t} lang={lang} fy={fy} years={years} all={all} />, {
      crumbs: [{ label: t('nav.home'), href: '/' }, { label: t('report.title'), href: `/admin/reports?fy=${fy}` }, { label: t('gaps.title') }],
    });
  });

  for (const format of ['csv', 'xlsx'] as const)
    r.get(`/admin/reports/gaps.${format}`, ['admin'], async (c) => {
      const fy = askedFiscalYear(c);
      const [g] = await gapTrend(c.get('ctx'), fy, fy);
      return sendTable(c, format, `gaps-${fy}`, formatFiscalYear(fy, 'ja'), gapColumns(formatFiscalYear(fy, 'ja')), gapLines(c.get('t'), g!));
    });

  // Every line for every year of records, one column per year.
  for (const format of ['csv', 'xlsx'] as const)
    r.get(`/admin/reports/gap-trends.${format}`, ['admin'], async (c) => {
      const t = c.get('t');
      const years = await reportYears(c.get('ctx'));
      const perYear = (await gapTrend(c.get('ctx'), years[0]!, years[years.length - 1]!)).map((g) => gapLines(t, g));
      return sendTable(c, format, 'gap-trends', '3つの課題の指標の推移', trendColumns(years.map((y) => formatFiscalYear(y, 'ja'))), gapTrendRows(perYear));
    });
}
