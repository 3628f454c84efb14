import { fiscalYearOf, formatFiscalYear } from '../../domain/calendar.js';
import { GRID_MAX } from '../../domain/tile-map.js';
import { type Translate, fieldMessage } from '../../i18n/index.js';
import type { FieldErrors } from '../../lib/validation.js';
import { listTiles, type MunicipalityMap, municipalityMap, saveTiles } from '../../services/municipality-map.service.js';
import { reportYears } from '../../services/report.service.js';
import { sendTable } from '../export.js';
import { type FormBody, readForm, submit, toId } from '../forms.js';
import { noticeFrom, page } from '../page.js';
import type { Ctx, Router } from '../router.js';
import { CsrfField, Downloads, ErrorSummary, SelectField } from '../views/components.js';
import { TileMap } from '../views/tile-map.js';
import { isMapIndicator, MAP_INDICATOR_GROUP, MAP_INDICATORS, type MapIndicator } from '../../domain/values.js';

/** The tile map's figures as a table for download: code, name, position, figure. */
const exportColumns = (t: Translate, m: MunicipalityMap) => [
  { header: t('map.col.code'), value: (x: MunicipalityMap['tiles'][number]) => x.code },
  { header: t('map.col.name'), value: (x: MunicipalityMap['tiles'][number]) => x.name },
  { header: t('map.col.x'), value: (x: MunicipalityMap['tiles'][number]) => x.x },
  { header: t('map.col.y'), value: (x: MunicipalityMap['tiles'][number]) => x.y },
  { header: `${t(`map.indicator.${m.indicator}`)}（${formatFiscalYear(m.fiscalYear, 'ja')}）`, value: (x: MunicipalityMap['tiles'][number]) => x.value ?? '' },
];

export function registerMap(r: Router) {
  const fyOf = (c: Ctx) => {
    const asked = toId(c.req.query('fy'));
    return asked >= 1950 && asked <= 2100 ? asked : fiscalYearOf(c.get('ctx').now());
  };
  const indicatorOf = (c: Ctx): MapIndicator => {
    const asked = c.req.query('indicator');
    return isMapIndicator(asked) ? asked : 'participants';
  };

  r.get('/admin/reports/map', ['admin'], async (c) => {
    const t = c.get('t');
    const lang = c.get('lang');
    const fy = fyOf(c);
    const indicator = indicatorOf(c);
    const [m, years] = await Promise.all([municipalityMap(c.get('ctx'), fy, indicator), reportYears(c.get('ctx'))]);
    const fyLabel = formatFiscalYear(fy, lang);
    const title = t('map.titleOf', { indicator: t(`map.indicator.${indicator}`), fy: fyLabel });
    const yearOptions = (years.includes(fy) ? years : [...years, fy].sort((a, b) => a - b)).map((y) => ({ value: y, label: formatFiscalYear(y, lang) }));
    return page(
      c,
      t('map.title'),
      <>
        <form method="get" action="/admin/reports/map" class="filters" role="search">
          <SelectField t={t} plain name="fy" label={t('field.fiscalYear')} value={fy} options={yearOptions} />
          <SelectField
            t={t}
            plain
            name="indicator"
            label={t('map.indicator')}
            value={indicator}
            options={[]}
            groups={(['opportunity', 'talent'] as const).map((g) => ({
              label: t(`map.group.${g}`),
              options: MAP_INDICATORS.filter((i) => MAP_INDICATOR_GROUP[i] === g).map((i) => ({ value: i, label: t(`map.indicator.${i}`) })),
            }))}
          />
          <button type="submit" class="button">
            {t('common.show')}
          </button>
        </form>
        <p>{t('map.lead')}</p>
        <h2>{title}</h2>
        <p>{t(`map.define.${indicator}`)}</p>
        <TileMap
          title={title}
          tiles={m.tiles}
          classes={m.classes}
          unit={t(`map.unit.${indicator}`)}
          municipalityHeader={t('map.municipality')}
          valueHeader={t('map.value')}
          classHeader={t('map.class')}
          legendTitle={t('map.legend')}
          noData={t('map.noData')}
          noDataShort={t('map.noDataShort')}
        />
        <Downloads t={t} base="/admin/reports/map" query={`fy=${fy}&indicator=${indicator}`} />
        {m.unplaced.length ? (
          <section>
            <h2>{t('map.unplaced')}</h2>
            <p>{t('map.unplacedLead')}</p>
            <ul>
              {m.unplaced.map((u) => (
                <li>
                  {u.name}（{u.code}）：{u.value}
                  {t(`map.unit.${indicator}`)}
                </li>
              ))}
            </ul>
          </section>
        ) : null}
        <p class="actions">
          <a class="button button--secondary" href="/admin/reports/map/positions">
            {t('map.editPositions')}
          </a>
        </p>
      </>,
      { crumbs: [{ label: t('nav.home'), href: '/' }, { label: t('report.title'), href: `/admin/reports?fy=${fy}` }, { label: t('map.title') }] },
    );
  });

  for (const format of ['csv', 'xlsx'] as const)
    r.get(`/admin/reports/map.${format}`, ['admin'], async (c) => {
      const t = c.get('t');
      const m = await municipalityMap(c.get('ctx'), fyOf(c), indicatorOf(c));
      return sendTable(c, format, `municipality-map-${m.indicator}-${m.fiscalYear}`, t('map.title'), exportColumns(t, m), [...m.tiles].sort((a, b) => a.code.localeCompare(b.code)));
    });

  // --- Positions (admin) --------------------------------------------------------------------
  const positionsPage = async (c: Ctx, values: FormBody | null, errors: FieldErrors | null, status: 200 | 422 = 200) => {
    const t = c.get('t');
    const tiles = await listTiles(c.get('ctx'));
    const rows: { code: string; name: string; x: string; y: string; remove: boolean }[] = values
      ? [...new Set(Object.keys(values).flatMap((k) => /^(?:code|name|x|y)_(\d{1,3})$/.exec(k)?.[1] ?? []))]
          .map(Number)
          .sort((a, b) => a - b)
          .map((i) => ({ code: String(values[`code_${i}`] ?? ''), name: String(values[`name_${i}`] ?? ''), x: String(values[`x_${i}`] ?? ''), y: String(values[`y_${i}`] ?? ''), remove: values[`remove_${i}`] === 'on' }))
      : tiles.map((x) => ({ code: x.code, name: x.name, x: String(x.x), y: String(x.y), remove: false }));
    // Always one empty row at the end, for a new 市町.
    const last = rows[rows.length - 1];
    if (!last || [last.code, last.name, last.x, last.y].some((v) => v.trim() !== '')) rows.push({ code: '', name: '', x: '', y: '', remove: false });
    const columns = [
      ['code', t('map.col.code'), 6],
      ['name', t('map.col.name'), 50],
      ['x', t('map.col.x'), 2],
      ['y', t('map.col.y'), 2],
    ] as const;
    const rowName = (i: number) => rows[i]?.name || t('map.newRow');
    const labels: Record<string, string> = {};
    rows.forEach((_, i) => {
      for (const [f, label] of columns) labels[`${f}_${i}`] = t('map.rowField', { row: i + 1, name: rowName(i), column: label });
    });
    const title = t('map.positions.title');
    return page(
      c,
      title,
      <>
        <p>{t('map.positions.lead', { max: GRID_MAX })}</p>
        <ErrorSummary t={t} errors={errors} labels={labels} />
        <form method="post" action="/admin/reports/map/positions" novalidate>
          <CsrfField token={c.get('csrf')} />
          <table class="data-table tile-positions">
            <caption>{title}</caption>
            <thead>
              <tr>
                <th scope="col">#</th>
                {columns.map(([, label]) => (
                  <th scope="col">{label}</th>
                ))}
                <th scope="col">{t('map.col.remove')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row, i) => (
                <tr>
                  <th scope="row">{i + 1}</th>
                  {columns.map(([f, , max]) => {
                    const name = `${f}_${i}`;
                    const error = errors?.[name];
                    return (
                      <td class={error ? 'field--error' : undefined}>
                        <label class="visually-hidden" for={`f-${name}`}>
                          {labels[name]}
                        </label>
                        <input
                          id={`f-${name}`}
                          name={name}
                          value={row[f]}
                          maxlength={max}
                          size={f === 'name' ? 12 : f === 'code' ? 7 : 3}
                          inputmode={f === 'name' ? undefined : 'numeric'}
                          aria-invalid={error ? 'true' : undefined}
                          aria-describedby={error ? `f-${name}-error` : undefined}
                        />
                        {error ? (
                          <p class="field-error" id={`f-${name}-error`}>
                            {fieldMessage(t, name, error.key, { ...error.params, field: labels[name] })}
                          </p>
                        ) : null}
                      </td>
                    );
                  })}
                  <td>
                    <input type="checkbox" id={`f-remove_${i}`} name={`remove_${i}`} checked={row.remove} />{' '}
                    <label for={`f-remove_${i}`}>
                      <span class="visually-hidden">{rowName(i)}：</span>
                      {t('map.col.remove')}
                    </label>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <button type="submit" class="button">
            {t('common.save')}
          </button>
        </form>
        <h2>{t('map.positions.preview')}</h2>
        <TileMap
          title={t('map.positions.preview')}
          tiles={tiles.map((x) => ({ ...x, value: null }))}
          classes={[]}
          unit=""
          municipalityHeader={t('map.municipality')}
          valueHeader={t('map.position')}
          classHeader={t('map.class')}
          legendTitle={t('map.legend')}
          noData={t('map.noData')}
          noDataShort={t('map.noDataShort')}
          layoutText={(x) => `${x.x}, ${x.y}`}
        />
      </>,
      {
        crumbs: [{ label: t('nav.home'), href: '/' }, { label: t('report.title'), href: '/admin/reports' }, { label: t('map.title'), href: '/admin/reports/map' }, { label: title }],
        status,
        notice: noticeFrom(c),
      },
    );
  };
  r.get('/admin/reports/map/positions', ['admin'], (c) => positionsPage(c, null, null));
  r.post('/admin/reports/map/positions', ['admin'], async (c) => {
    const body = await readForm(c);
    const res = await submit(() => saveTiles(c.get('ctx'), c.get('user'), body), (errors) => positionsPage(c, body, errors, 422));
    if (!res.ok) return res.response;
    return c.redirect('/admin/reports/map/positions?notice=common.saved', 303);
  });
}
