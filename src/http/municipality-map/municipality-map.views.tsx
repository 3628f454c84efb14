import { formatFiscalYear } from '../../domain/calendar.js';
import { GRID_MAX } from '../../domain/tile-map.js';
import { MAP_INDICATOR_GROUP, MAP_INDICATORS, type MapIndicator } from '../../domain/values.js';
import { fieldMessage, type Lang, type Translate } from '../../i18n/index.js';
import type { FieldErrors } from '../../lib/validation.js';
import type { listTiles, MunicipalityMap } from '../../services/municipality-map.service.js';
import { CsrfField, DataTable, Downloads, ErrorSummary, SelectField } from '../views/components.js';
import { type Tile, TileMap } from '../views/tile-map.js';
import type { PositionRow } from './presenter.js';

/** The words around a tile map (headers, legend, no-data texts). */
const mapTexts = (t: Translate) => ({
  municipalityHeader: t('map.municipality'),
  classHeader: t('map.class'),
  legendTitle: t('map.legend'),
  noData: t('map.noData'),
  noDataShort: t('map.noDataShort'),
});

export function MapView({ t, lang, fy, indicator, years, m }: { t: Translate; lang: Lang; fy: number; indicator: MapIndicator; years: number[]; m: MunicipalityMap }) {
  const title = t('map.titleOf', { indicator: t(`map.indicator.${indicator}`), fy: formatFiscalYear(fy, lang) });
  return (
    <>
      <form method="get" action="/admin/reports/map" class="filters" role="search">
        <SelectField t={t} plain name="fy" label={t('field.fiscalYear')} value={fy} options={years.map((y) => ({ value: y, label: formatFiscalYear(y, lang) }))} />
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
      <TileMap t={t} title={title} tiles={m.tiles} classes={m.classes} unit={t(`map.unit.${indicator}`)} valueHeader={t('map.value')} {...mapTexts(t)} />
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
    </>
  );
}

type Field = 'code' | 'name' | 'x' | 'y';

/** The positions form: one row per 市町 with code, name, column and row, and a box to take it off. */
export function PositionsView(p: { t: Translate; csrf: string; title: string; rows: PositionRow[]; tiles: Awaited<ReturnType<typeof listTiles>>; errors: FieldErrors | null }) {
  const { t, rows, errors } = p;
  const fields: [Field, string, number][] = [
    ['code', t('map.col.code'), 6],
    ['name', t('map.col.name'), 50],
    ['x', t('map.col.x'), 2],
    ['y', t('map.col.y'), 2],
  ];
  const rowName = (i: number) => rows[i]?.name || t('map.newRow');
  const labels: Record<string, string> = {};
  rows.forEach((_, i) => {
    for (const [f, label] of fields) labels[`${f}_${i}`] = t('map.rowField', { row: i + 1, name: rowName(i), column: label });
  });
  const lines = rows.map((row, i) => ({ row, i }));
  const input = (f: Field, max: number) => ({ row, i }: (typeof lines)[number]) => {
    const name = `${f}_${i}`;
    const error = errors?.[name];
    return (
      <div class={error ? 'field--error' : undefined}>
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
      </div>
    );
  };
  return (
    <>
      <p>{t('map.positions.lead', { max: GRID_MAX })}</p>
      <ErrorSummary t={t} errors={errors} labels={labels} />
      <form method="post" action="/admin/reports/map/positions" novalidate>
        <CsrfField token={p.csrf} />
        <DataTable
          t={t}
          caption={p.title}
          class="tile-positions"
          rows={lines}
          columns={[
            { key: 'row', label: '#', rowHeader: true, cell: ({ i }) => i + 1 },
            ...fields.map(([f, label, max]) => ({ key: f, label, cell: input(f, max) })),
            {
              key: 'remove',
              label: t('map.col.remove'),
              cell: ({ row, i }) => (
                <>
                  <input type="checkbox" id={`f-remove_${i}`} name={`remove_${i}`} checked={row.remove} />{' '}
                  <label for={`f-remove_${i}`}>
                    <span class="visually-hidden">{rowName(i)}：</span>
                    {t('map.col.remove')}
                  </label>
                </>
              ),
            },
          ]}
        />
        <button type="submit" class="button">
          {t('common.save')}
        </button>
      </form>
      <h2>{t('map.positions.preview')}</h2>
      <TileMap
        t={t}
        title={t('map.positions.preview')}
        tiles={p.tiles.map((x): Tile => ({ ...x, value: null }))}
        classes={[]}
        unit=""
        valueHeader={t('map.position')}
        {...mapTexts(t)}
        layoutText={(x) => `${x.x}, ${x.y}`}
      />
    </>
  );
}
