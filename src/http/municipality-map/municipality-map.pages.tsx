import { isMapIndicator, type MapIndicator } from '../../domain/values.js';
import type { FieldErrors } from '../../lib/validation.js';
import { listTiles, municipalityMap, saveTiles } from '../../services/municipality-map.service.js';
import { reportYears } from '../../services/report.service.js';
import { sendTable } from '../export.js';
import { type FormBody, formAction } from '../forms.js';
import { noticeFrom, page } from '../page.js';
import type { Ctx, Router } from '../router.js';
import { askedFiscalYear, yearsWith } from '../report/fiscal-year.js';
import { MapView, PositionsView } from './municipality-map.views.js';
import { exportColumns, exportRows, positionRows } from './presenter.js';

const indicatorOf = (c: Ctx): MapIndicator => {
  const asked = c.req.query('indicator');
  return isMapIndicator(asked) ? asked : 'participants';
};

export function registerMunicipalityMapPages(r: Router) {
  r.get('/admin/reports/map', ['admin'], async (c) => {
    const t = c.get('t');
    const fy = askedFiscalYear(c);
    const indicator = indicatorOf(c);
    const [m, years] = await Promise.all([municipalityMap(c.get('ctx'), fy, indicator), reportYears(c.get('ctx'))]);
    return page(c, t('map.title'), <MapView t={t} lang={c.get('lang')} fy={fy} indicator={indicator} years={yearsWith(years, fy)} m={m} />, {
      crumbs: [{ label: t('nav.home'), href: '/' }, { label: t('report.title'), href: `/admin/reports?fy=${fy}` }, { label: t('map.title') }],
    });
  });

  for (const format of ['csv', 'xlsx'] as const)
    r.get(`/admin/reports/map.${format}`, ['admin'], async (c) => {
      const t = c.get('t');
      const m = await municipalityMap(c.get('ctx'), askedFiscalYear(c), indicatorOf(c));
      return sendTable(c, format, `municipality-map-${m.indicator}-${m.fiscalYear}`, t('map.title'), exportColumns(t, m), exportRows(m));
    });

  // --- Positions (admin) --------------------------------------------------------------------
  const positionsPage = async (c: Ctx, values: FormBody | null, errors: FieldErrors | null, status: 200 | 422 = 200) => {
    const t = c.get('t');
    const tiles = await listTiles(c.get('ctx'));
    const title = t('map.positions.title');
    return page(c, title, <PositionsView t={t} csrf={c.get('csrf')} title={title} rows={positionRows(tiles, values)} tiles={tiles} errors={errors} />, {
      crumbs: [{ label: t('nav.home'), href: '/' }, { label: t('report.title'), href: '/admin/reports' }, { label: t('map.title'), href: '/admin/reports/map' }, { label: title }],
      status,
      notice: noticeFrom(c),
    });
  };
  r.get('/admin/reports/map/positions', ['admin'], (c) => positionsPage(c, null, null));
  r.post('/admin/reports/map/positions', ['admin'], (c) =>
    formAction(c, {
      run: (body) => saveTiles(c.get('ctx'), c.get('user'), body),
      invalid: (body, errors) => positionsPage(c, body, errors, 422),
      done: () => '/admin/reports/map/positions?notice=common.saved',
    }),
  );
}
