/**
 * The 市町 tile map (タイルマップ): one square per 市町 on a grid, rendered on the server as SVG and
 * followed by the same figures as a table (what screen readers and printouts rely on). Each square
 * carries its name and figure in text and the legend gives each class's range in words, so nothing
 * depends on colour alone. No inline styles (the CSP forbids them): presentation attributes only.
 */

import { classOf, gridSize, type MapClass } from '../../domain/tile-map.js';
import type { Translate } from '../../i18n/index.js';
import { ChartTable } from './charts.js';

let seq = 0;
const nextId = () => `tilemap-${(seq = (seq + 1) % 1_000_000)}`;

export interface Tile {
  code: string;
  name: string;
  x: number;
  y: number;
  /** null: nothing to count (drawn dashed, with the no-data words). */
  value: number | null;
}

const SIZE = 76;
const GAP = 4;

export function TileMap(p: {
  t: Translate;
  title: string;
  tiles: Tile[];
  classes: MapClass[];
  /** Appended to figures: 「人」, 「回」 (or ' people'). */
  unit: string;
  municipalityHeader: string;
  valueHeader: string;
  classHeader: string;
  legendTitle: string;
  noData: string;
  noDataShort: string;
  /** A layout preview: every square plain, the figure replaced by this text (e.g. its position); no legend or classes. */
  layoutText?: (t: Tile) => string;
}) {
  const id = nextId();
  const { columns, rows } = gridSize(p.tiles);
  const w = columns * (SIZE + GAP) + GAP;
  const h = rows * (SIZE + GAP) + GAP;
  const plain = p.layoutText;
  const fmtTile = (t: Tile) => (plain ? plain(t) : t.value === null ? p.noDataShort : `${t.value}${p.unit}`);
  const sorted = [...p.tiles].sort((a, b) => a.code.localeCompare(b.code));
  const hasNoData = !plain && p.tiles.some((t) => t.value === null);
  return (
    <figure class="chart tile-map">
      <svg class="tile-map__svg" role="img" aria-labelledby={`${id}-t`} aria-describedby={`${id}-d`} viewBox={`0 0 ${w} ${h}`} width="100%" preserveAspectRatio="xMinYMin meet">
        <title id={`${id}-t`}>{p.title}</title>
        {p.tiles.map((t) => {
          const c = plain ? null : classOf(p.classes, t.value);
          const x = GAP + t.x * (SIZE + GAP);
          const y = GAP + t.y * (SIZE + GAP);
          const name = t.name.length > 6 ? `${t.name.slice(0, 5)}…` : t.name;
          return (
            <g class="tile-map__tile" data-code={t.code}>
              <title>{`${t.name}：${fmtTile(t)}`}</title>
              <rect x={x} y={y} width={SIZE} height={SIZE} rx="4" fill={c?.fill ?? '#ffffff'} stroke="#666666" stroke-width="1" stroke-dasharray={c || plain ? undefined : '4 3'} />
              <text x={x + SIZE / 2} y={y + 28} text-anchor="middle" font-size="12" fill={c?.text ?? '#1a1a1a'}>
                {name}
              </text>
              <text x={x + SIZE / 2} y={y + 54} text-anchor="middle" font-size={plain || t.value === null ? '11' : '16'} font-weight="bold" fill={c?.text ?? '#1a1a1a'}>
                {plain ? plain(t) : t.value === null ? p.noDataShort : String(t.value)}
              </text>
            </g>
          );
        })}
      </svg>
      {plain ? null : (
      <figcaption>
        <p class="tile-map__legend-title">{p.legendTitle}</p>
        <ul class="tile-map__legend">
          {p.classes.map((c) => (
            <li>
              <svg width="18" height="18" viewBox="0 0 18 18" aria-hidden="true" focusable="false">
                <rect x="1" y="1" width="16" height="16" fill={c.fill} stroke="#666666" />
              </svg>{' '}
              {`${c.range}${p.unit}`}
            </li>
          ))}
          {hasNoData ? (
            <li>
              <svg width="18" height="18" viewBox="0 0 18 18" aria-hidden="true" focusable="false">
                <rect x="1" y="1" width="16" height="16" fill="#ffffff" stroke="#666666" stroke-dasharray="3 2" />
              </svg>{' '}
              {p.noData}
            </li>
          ) : null}
        </ul>
      </figcaption>
      )}
      <ChartTable
        t={p.t}
        id={`${id}-d`}
        title={p.title}
        rows={sorted}
        columns={[
          { key: 'municipality', label: p.municipalityHeader, rowHeader: true, cell: (t) => t.name },
          { key: 'value', label: p.valueHeader, numeric: true, cell: fmtTile },
          ...(plain
            ? []
            : [
                {
                  key: 'class',
                  label: p.classHeader,
                  cell: (t: Tile) => {
                    const c = classOf(p.classes, t.value);
                    return c ? `${c.range}${p.unit}` : p.noData;
                  },
                },
              ]),
        ]}
      />
    </figure>
  );
}
