import { formatFiscalYear } from '../../domain/calendar.js';
import { exportTable } from '../../lib/table-export.js';
import { coverage, fiscalYearKpis, implementationTable, openDataEvents, publicSchedule, reportYears, reportYearsWithKpis } from '../../services/report.service.js';
import { sendTable } from '../export.js';
import { fragmentCache } from '../fragment-cache.js';
import { page } from '../page.js';
import type { Router } from '../router.js';
import { askedFiscalYear } from './fiscal-year.js';
import { covColumns, eventColumns, implColumns, kpiColumns, kpiLines, kpiTrendRows, trendColumns } from './presenter.js';
import { CoverageView, DashboardView, ImplementationView, ScheduleView } from './report.views.js';

export function registerReportPages(r: Router) {
  // The dashboard's body is a function of its figures, the year asked and the language alone: kept
  // under exactly those, it is drawn again only when one of them changes (the figures are read on
  // every view, so a change is seen at once).
  const dashboards = fragmentCache(16);
  r.get('/admin/reports', ['admin'], async (c) => {
    const t = c.get('t');
    const lang = c.get('lang');
    const fy = askedFiscalYear(c);
    const recorded = await reportYearsWithKpis(c.get('ctx'));
    const { years, fingerprint } = recorded;
    // A year outside the years of records is computed for this view alone: its figures go into the key.
    const other = years.includes(fy) ? null : await fiscalYearKpis(c.get('ctx'), fy);
    const key = `${lang}|${fy}|${fingerprint}${other ? `|${JSON.stringify(other)}` : ''}`;
    const body = dashboards(key, () => {
      const all = recorded.kpis;
      return <DashboardView t={t} lang={lang} fy={fy} years={years} k={other ?? all.find((x) => x.fiscalYear === fy)!} all={all} />;
    });
    return page(c, t('report.title'), body, { crumbs: [{ label: t('nav.home'), href: '/' }, { label: t('report.title') }] });
  });
  for (const format of ['csv', 'xlsx'] as const)
    r.get(`/admin/reports/kpis.${format}`, ['admin'], async (c) => {
      const fy = askedFiscalYear(c);
      const lines = kpiLines(c.get('t'), await fiscalYearKpis(c.get('ctx'), fy));
      return sendTable(c, format, `kpi-${fy}`, formatFiscalYear(fy, 'ja'), kpiColumns(formatFiscalYear(fy, 'ja')), lines);
    });

  // Every KPI line for every year of records, one column per year (the dashboard's trends as a table).
  for (const format of ['csv', 'xlsx'] as const)
    r.get(`/admin/reports/trends.${format}`, ['admin'], async (c) => {
      const t = c.get('t');
      const { years, kpis } = await reportYearsWithKpis(c.get('ctx'));
      const perYear = kpis.map((k) => kpiLines(t, k));
      return sendTable(c, format, 'kpi-trends', '年度ごとの推移', trendColumns(years.map((y) => formatFiscalYear(y, 'ja'))), kpiTrendRows(perYear));
    });

  // --- Yearly implementation table -------------------------------------------------------------
  r.get('/admin/reports/implementation', ['admin'], async (c) => {
    const t = c.get('t');
    const lang = c.get('lang');
    const fy = askedFiscalYear(c);
    const [rows, years] = await Promise.all([implementationTable(c.get('ctx'), fy), reportYears(c.get('ctx'))]);
    const title = t('report.implementationOf', { fy: formatFiscalYear(fy, lang) });
    return page(c, title, <ImplementationView t={t} lang={lang} fy={fy} years={years} title={title} rows={rows} />, {
      crumbs: [{ label: t('nav.home'), href: '/' }, { label: t('report.title'), href: '/admin/reports' }, { label: title }],
    });
  });
  for (const format of ['csv', 'xlsx'] as const)
    r.get(`/admin/reports/implementation.${format}`, ['admin'], async (c) => {
      const fy = askedFiscalYear(c);
      return sendTable(c, format, `implementation-${fy}`, `${formatFiscalYear(fy, 'ja', 'wareki')}実施状況`, implColumns(c.get('t')), await implementationTable(c.get('ctx'), fy));
    });

  // --- Coverage and where to recruit next ----------------------------------------------------------
  r.get('/admin/reports/coverage', ['admin'], async (c) => {
    const t = c.get('t');
    const rows = await coverage(c.get('ctx'));
    return page(c, t('report.coverage'), <CoverageView t={t} rows={rows} headers={covColumns(t).map((col) => col.header)} />, {
      crumbs: [{ label: t('nav.home'), href: '/' }, { label: t('report.title'), href: '/admin/reports' }, { label: t('report.coverage') }],
    });
  });
  for (const format of ['csv', 'xlsx'] as const) {
    r.get(`/admin/reports/coverage.${format}`, ['admin'], async (c) => sendTable(c, format, 'coverage', '研修の広がり', covColumns(c.get('t')), await coverage(c.get('ctx'))));
    r.get(`/admin/reports/nominations.${format}`, ['admin'], async (c) =>
      sendTable(
        c,
        format,
        'nominations',
        '推薦を働きかける所属',
        covColumns(c.get('t')),
        (await coverage(c.get('ctx'))).filter((x) => x.reasons.length),
      ),
    );
  }

  // --- Public: schedule and open data (no login, no personal data) ------------------------------
  r.get('/schedule', 'public', async (c) => {
    const t = c.get('t');
    const rows = await publicSchedule(c.get('ctx'));
    return page(c, t('schedule.title'), <ScheduleView t={t} lang={c.get('lang')} prefecture={c.get('ctx').config.prefectureName} rows={rows} />, {
      crumbs: [{ label: t('nav.home'), href: '/' }, { label: t('schedule.title') }],
    });
  });
  r.get('/opendata/events.csv', 'public', async (c) => {
    const rows = await openDataEvents(c.get('ctx'));
    const out = await exportTable(c.req.query('encoding') === 'shift_jis' ? 'csv-sjis' : 'csv', 'イベント一覧', eventColumns(), rows);
    return c.body(out.body as Uint8Array<ArrayBuffer>, 200, { 'Content-Type': out.contentType, 'Content-Disposition': 'inline; filename="events.csv"', 'Access-Control-Allow-Origin': '*' });
  });
  r.get('/opendata/events.json', 'public', async (c) => {
    c.header('Access-Control-Allow-Origin', '*');
    return c.json(await openDataEvents(c.get('ctx')));
  });
}
