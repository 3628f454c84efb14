/**
 * Charts rendered on the server as SVG, each followed by the same figures as a table: the table
 * is what screen readers and printouts rely on, and what the chart's aria-describedby points to.
 * No inline styles (the CSP forbids them): presentation attributes and classes only.
 */

import { raw } from 'hono/html';
import { roundHalfUp } from '../../domain/rounding.js';
import { type Translate, translator } from '../../i18n/index.js';
import { type Column, DataTable, escapeHtml as esc } from './components.js';

// The drawings are written as strings: the same markup JSX gives (attributes in the order written,
// escaped by Hono's own function, every element closed), without a JSX node per tick, label and dot
// (most of a dashboard's rendering time). Numbers are written as JSX writes them (String).

let seq = 0;
const nextId = (prefix: string) => `${prefix}-${(seq = (seq + 1) % 1_000_000)}`;

export interface Bar {
  label: string;
  value: number;
  /** Shown instead of the value (e.g. "12人（40%）"). */
  text?: string;
}


/**
 * The figures under a chart: a DataTable (no stacking: it is read as a grid), inside the element the
 * drawing's aria-describedby points to.
 */
export function ChartTable<T>(p: { t: Translate; id: string; title: string; columns: Column<T>[]; rows: readonly T[] }) {
  return (
    <div id={p.id}>
      <DataTable t={p.t} caption={p.title} class="chart__table" stack={false} columns={p.columns} rows={p.rows} />
    </div>
  );
}

/**
 * Horizontal bars: one per category, with the value at the end of each bar. `t`: the page's language
 * (what an empty table says); without it, Japanese.
 */
export function BarChart(p: { t?: Translate; title: string; bars: Bar[]; max?: number; valueHeader: string; categoryHeader: string; decimals?: number }) {
  const id = nextId('chart');
  const rowH = 28;
  const labelW = 260;
  const plotW = 360;
  const max = p.max ?? Math.max(1, ...p.bars.map((b) => b.value));
  const h = p.bars.length * rowH + 8;
  const fmt = (b: Bar) => b.text ?? (p.decimals ? roundHalfUp(b.value, p.decimals).toFixed(p.decimals) : String(b.value));
  let svg = `<svg class="chart__svg" role="img" aria-labelledby="${id}-t" aria-describedby="${id}-d" viewBox="0 0 ${labelW + plotW + 90} ${h}" width="100%" preserveAspectRatio="xMinYMin meet"><title id="${id}-t">${esc(p.title)}</title>`;
  p.bars.forEach((b, i) => {
    const w = max > 0 ? Math.round((Math.max(0, b.value) / max) * plotW) : 0;
    const y = 4 + i * rowH;
    const label = b.label.length > 22 ? `${b.label.slice(0, 21)}…` : b.label;
    svg += `<g><text x="${labelW - 8}" y="${y + rowH / 2 + 5}" text-anchor="end" class="chart__label">${esc(label)}</text>`;
    svg += `<rect x="${labelW}" y="${y + 4}" width="${w}" height="${rowH - 8}" class="chart__bar"></rect>`;
    svg += `<text x="${labelW + w + 6}" y="${y + rowH / 2 + 5}" class="chart__value">${esc(fmt(b))}</text></g>`;
  });
  svg += `<line x1="${labelW}" y1="0" x2="${labelW}" y2="${h}" class="chart__axis"></line></svg>`;
  return (
    <figure class="chart">
      {raw(svg)}
      <ChartTable
        t={p.t ?? translator('ja')}
        id={`${id}-d`}
        title={p.title}
        rows={p.bars}
        columns={[
          { key: 'category', label: p.categoryHeader, rowHeader: true, cell: (b) => b.label },
          { key: 'value', label: p.valueHeader, numeric: true, cell: fmt },
        ]}
      />
    </figure>
  );
}

export interface Series {
  name: string;
  values: (number | null)[];
}

/** Estimated width of a label in user units: CJK and other wide characters 1em, the rest about 0.6em. */
export function textWidth(text: string, fontSize: number): number {
  let em = 0;
  for (const ch of text) em += /[\u3000-\u9fff\uff00-\uffef]/.test(ch) ? 1 : ch === ' ' ? 0.3 : 0.62;
  return em * fontSize;
}

/**
 * Which category labels to draw so that none overlaps its neighbour: every one if they fit, else
 * every k-th (always the last, the most recent year), the others keeping only their tick.
 */
export function labelStride(count: number, step: number, widest: number, gap = 6): number {
  if (count <= 1 || step <= 0) return 1;
  return Math.max(1, Math.ceil((widest + gap) / step));
}

const LABEL_FONT = 13;
const LABEL_LINE = 16;

/**
 * Lines over categories (e.g. fiscal years), with a legend; the table has one column per series.
 * `categoryLines` splits each axis label into lines (e.g. 平成23 / 2011) so that ten or twenty
 * years stay readable; where even that does not fit, every other (or third) label is drawn.
 */
export function LineChart(p: { t: Translate; title: string; categories: string[]; categoryLines?: string[][]; series: Series[]; categoryHeader: string; decimals?: number }) {
  const id = nextId('chart');
  const W = 640;
  const top = 12;
  const plotBottom = 212;
  const lines = p.categoryLines ?? p.categories.map((c) => [c]);
  const widest = Math.max(0, ...lines.map((l) => Math.max(0, ...l.map((x) => textWidth(x, LABEL_FONT)))));
  // The first and last labels are centred on their tick and kept inside the drawing.
  const left = Math.max(48, Math.ceil(widest / 2) + 4);
  const right = Math.max(24, Math.ceil(widest / 2) + 4);
  const lineCount = Math.max(1, ...lines.map((l) => l.length));
  const labelsBottom = plotBottom + 10 + lineCount * LABEL_LINE;
  const H = labelsBottom + 8;
  const all = p.series.flatMap((s) => s.values).filter((v): v is number => v !== null);
  const max = Math.max(1, ...all);
  const n = p.categories.length;
  const step = n <= 1 ? W : (W - left - right) / (n - 1);
  const stride = labelStride(n, step, widest);
  const shown = (i: number) => (n - 1 - i) % stride === 0;
  // Positions to a tenth of a unit of the 640-wide drawing (finer is invisible): the dots sit exactly on
  // the line's vertices, and the page carries no 16-digit coordinates.
  const tenth = (v: number) => Math.round(v * 10) / 10;
  const xs = Array.from({ length: n }, (_, i) => tenth(left + (n <= 1 ? 0 : i * step)));
  const x = (i: number) => xs[i]!;
  const y = (v: number) => tenth(top + (plotBottom - top) * (1 - v / max));
  const fmt = (v: number | null) => (v === null ? '—' : p.decimals ? roundHalfUp(v, p.decimals).toFixed(p.decimals) : String(v));
  let svg = `<svg class="chart__svg" role="img" aria-labelledby="${id}-t" aria-describedby="${id}-d" viewBox="0 0 ${W} ${H + 20 * p.series.length}" width="100%" preserveAspectRatio="xMinYMin meet"><title id="${id}-t">${esc(p.title)}</title>`;
  svg += `<line x1="${left}" y1="${plotBottom}" x2="${W - right}" y2="${plotBottom}" class="chart__axis"></line><line x1="${left}" y1="${top}" x2="${left}" y2="${plotBottom}" class="chart__axis"></line>`;
  svg += `<text x="${left - 6}" y="${top + 4}" text-anchor="end" class="chart__value">${esc(fmt(max))}</text><text x="${left - 6}" y="${plotBottom}" text-anchor="end" class="chart__value">0</text>`;
  for (let i = 0; i < n; i++) svg += `<line x1="${x(i)}" y1="${plotBottom}" x2="${x(i)}" y2="${plotBottom + (shown(i) ? 5 : 3)}" class="chart__axis"></line>`;
  lines.forEach((ls, i) => {
    if (!shown(i)) return;
    svg += `<text x="${x(i)}" y="${plotBottom + 8 + LABEL_FONT}" text-anchor="middle" class="chart__label chart__category">`;
    ls.forEach((l, k) => (svg += `<tspan x="${x(i)}" dy="${k === 0 ? 0 : LABEL_LINE}">${esc(l)}</tspan>`));
    svg += '</text>';
  });
  p.series.forEach((s, k) => {
    const pts = s.values.map((v, i) => (v === null ? null : `${x(i).toFixed(1)},${y(v).toFixed(1)}`)).filter(Boolean);
    svg += `<g class="chart__series chart__series--${k % 4}"><polyline points="${pts.join(' ')}" fill="none" class="chart__line"></polyline>`;
    s.values.forEach((v, i) => {
      if (v !== null) svg += `<circle cx="${x(i)}" cy="${y(v)}" r="3.5" class="chart__dot"></circle>`;
    });
    svg += `<rect x="${left}" y="${H + 6 + 20 * k}" width="14" height="4" class="chart__key"></rect><text x="${left + 20}" y="${H + 12 + 20 * k}" class="chart__label">${esc(s.name)}</text></g>`;
  });
  svg += '</svg>';
  return (
    <figure class="chart chart--line" data-label-stride={stride}>
      {/* On a phone the drawing keeps a readable size and scrolls sideways (the table below has every figure). */}
      <div class="chart__scroll" tabindex={0} role="region" aria-label={p.title}>
        {raw(svg)}
      </div>
      <ChartTable
        t={p.t}
        id={`${id}-d`}
        title={p.title}
        rows={p.categories.map((c, i) => ({ c, i }))}
        columns={[
          { key: 'category', label: p.categoryHeader, rowHeader: true, cell: (r) => r.c },
          ...p.series.map((s, k) => ({ key: `s${k}`, label: s.name, numeric: true, cell: (r: { i: number }) => fmt(s.values[r.i] ?? null) })),
        ]}
      />
    </figure>
  );
}
