/**
 * Charts rendered on the server as SVG, each followed by the same figures as a table: the table
 * is what screen readers and printouts rely on, and what the chart's aria-describedby points to.
 * No inline styles (the CSP forbids them): presentation attributes and classes only.
 */

let seq = 0;
const nextId = (prefix: string) => `${prefix}-${(seq = (seq + 1) % 1_000_000)}`;

export interface Bar {
  label: string;
  value: number;
  /** Shown instead of the value (e.g. "12人（40%）"). */
  text?: string;
}


/** Horizontal bars: one per category, with the value at the end of each bar. */
export function BarChart(p: { title: string; bars: Bar[]; max?: number; valueHeader: string; categoryHeader: string; decimals?: number }) {
  const id = nextId('chart');
  const rowH = 28;
  const labelW = 260;
  const plotW = 360;
  const max = p.max ?? Math.max(1, ...p.bars.map((b) => b.value));
  const h = p.bars.length * rowH + 8;
  const fmt = (b: Bar) => b.text ?? (p.decimals ? b.value.toFixed(p.decimals) : String(b.value));
  return (
    <figure class="chart">
      <svg class="chart__svg" role="img" aria-labelledby={`${id}-t`} aria-describedby={`${id}-d`} viewBox={`0 0 ${labelW + plotW + 90} ${h}`} width="100%" preserveAspectRatio="xMinYMin meet">
        <title id={`${id}-t`}>{p.title}</title>
        {p.bars.map((b, i) => {
          const w = max > 0 ? Math.round((Math.max(0, b.value) / max) * plotW) : 0;
          const y = 4 + i * rowH;
          const label = b.label.length > 22 ? `${b.label.slice(0, 21)}…` : b.label;
          return (
            <g>
              <text x={labelW - 8} y={y + rowH / 2 + 5} text-anchor="end" class="chart__label">
                {label}
              </text>
              <rect x={labelW} y={y + 4} width={w} height={rowH - 8} class="chart__bar" />
              <text x={labelW + w + 6} y={y + rowH / 2 + 5} class="chart__value">
                {fmt(b)}
              </text>
            </g>
          );
        })}
        <line x1={labelW} y1="0" x2={labelW} y2={h} class="chart__axis" />
      </svg>
      <table class="data-table chart__table" id={`${id}-d`}>
        <caption>{p.title}</caption>
        <thead>
          <tr>
            <th scope="col">{p.categoryHeader}</th>
            <th scope="col">{p.valueHeader}</th>
          </tr>
        </thead>
        <tbody>
          {p.bars.map((b) => (
            <tr>
              <th scope="row">{b.label}</th>
              <td class="num">{fmt(b)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}

export interface Series {
  name: string;
  values: (number | null)[];
}

/** Lines over categories (e.g. fiscal years), with a legend; the table has one column per series. */
export function LineChart(p: { title: string; categories: string[]; series: Series[]; categoryHeader: string; decimals?: number }) {
  const id = nextId('chart');
  const W = 640;
  const H = 240;
  const left = 48;
  const bottom = 28;
  const top = 12;
  const right = 16;
  const all = p.series.flatMap((s) => s.values).filter((v): v is number => v !== null);
  const max = Math.max(1, ...all);
  const x = (i: number) => left + (p.categories.length <= 1 ? 0 : (i * (W - left - right)) / (p.categories.length - 1));
  const y = (v: number) => top + (H - top - bottom) * (1 - v / max);
  const fmt = (v: number | null) => (v === null ? '—' : p.decimals ? v.toFixed(p.decimals) : String(v));
  return (
    <figure class="chart">
      <svg class="chart__svg" role="img" aria-labelledby={`${id}-t`} aria-describedby={`${id}-d`} viewBox={`0 0 ${W} ${H + 20 * p.series.length}`} width="100%" preserveAspectRatio="xMinYMin meet">
        <title id={`${id}-t`}>{p.title}</title>
        <line x1={left} y1={H - bottom} x2={W - right} y2={H - bottom} class="chart__axis" />
        <line x1={left} y1={top} x2={left} y2={H - bottom} class="chart__axis" />
        <text x={left - 6} y={top + 4} text-anchor="end" class="chart__value">
          {fmt(max)}
        </text>
        <text x={left - 6} y={H - bottom} text-anchor="end" class="chart__value">
          0
        </text>
        {p.categories.map((c, i) => (
          <text x={x(i)} y={H - 8} text-anchor="middle" class="chart__label">
            {c}
          </text>
        ))}
        {p.series.map((s, k) => {
          const pts = s.values.map((v, i) => (v === null ? null : `${x(i).toFixed(1)},${y(v).toFixed(1)}`)).filter(Boolean);
          return (
            <g class={`chart__series chart__series--${k % 4}`}>
              <polyline points={pts.join(' ')} fill="none" class="chart__line" />
              {s.values.map((v, i) => (v === null ? null : <circle cx={x(i)} cy={y(v)} r="3.5" class="chart__dot" />))}
              <rect x={left} y={H + 6 + 20 * k} width="14" height="4" class="chart__key" />
              <text x={left + 20} y={H + 12 + 20 * k} class="chart__label">
                {s.name}
              </text>
            </g>
          );
        })}
      </svg>
      <table class="data-table chart__table" id={`${id}-d`}>
        <caption>{p.title}</caption>
        <thead>
          <tr>
            <th scope="col">{p.categoryHeader}</th>
            {p.series.map((s) => (
              <th scope="col">{s.name}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {p.categories.map((c, i) => (
            <tr>
              <th scope="row">{c}</th>
              {p.series.map((s) => (
                <td class="num">{fmt(s.values[i] ?? null)}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
