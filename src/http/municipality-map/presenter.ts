import { formatFiscalYear } from '../../domain/calendar.js';
import type { Translate } from '../../i18n/index.js';
import type { listTiles, MunicipalityMap } from '../../services/municipality-map.service.js';
import type { FormBody } from '../forms.js';

type MapTile = MunicipalityMap['tiles'][number];

/** The tile map's figures as a table for download: code, name, position, figure. */
export const exportColumns = (t: Translate, m: MunicipalityMap) => [
  { header: t('map.col.code'), value: (x: MapTile) => x.code },
  { header: t('map.col.name'), value: (x: MapTile) => x.name },
  { header: t('map.col.x'), value: (x: MapTile) => x.x },
  { header: t('map.col.y'), value: (x: MapTile) => x.y },
  { header: `${t(`map.indicator.${m.indicator}`)}（${formatFiscalYear(m.fiscalYear, 'ja')}）`, value: (x: MapTile) => x.value ?? '' },
];

/** The download's rows: by 団体コード. */
export const exportRows = (m: MunicipalityMap) => [...m.tiles].sort((a, b) => a.code.localeCompare(b.code));

/** One row of the positions form, as typed. */
export interface PositionRow {
  code: string;
  name: string;
  x: string;
  y: string;
  remove: boolean;
}

/**
 * The rows of the positions form: as submitted (after a refusal) or as stored, and always one empty
 * row at the end, for a new 市町.
 */
export function positionRows(tiles: Awaited<ReturnType<typeof listTiles>>, values: FormBody | null): PositionRow[] {
  const rows: PositionRow[] = values
    ? [...new Set(Object.keys(values).flatMap((k) => /^(?:code|name|x|y)_(\d{1,3})$/.exec(k)?.[1] ?? []))]
        .map(Number)
        .sort((a, b) => a - b)
        .map((i) => ({ code: String(values[`code_${i}`] ?? ''), name: String(values[`name_${i}`] ?? ''), x: String(values[`x_${i}`] ?? ''), y: String(values[`y_${i}`] ?? ''), remove: values[`remove_${i}`] === 'on' }))
    : tiles.map((x) => ({ code: x.code, name: x.name, x: String(x.x), y: String(x.y), remove: false }));
  // Always one empty row at the end, for a new 市町.
  const last = rows[rows.length - 1];
  if (!last || [last.code, last.name, last.x, last.y].some((v) => v.trim() !== '')) rows.push({ code: '', name: '', x: '', y: '', remove: false });
  return rows;
}
