/**
 * Means with their 95% intervals over categories (fiscal years, cohorts …): a dot for the mean and
 * a vertical bar from lo to hi, with a zero line, since a change can be negative (the line charts
 * of charts.tsx start at 0). Server-rendered SVG, followed by the same figures as a table, like
 * the other charts; presentation attributes and classes only (no inline styles under the CSP).
 */
import { roundHalfUp } from '../../domain/rounding.js';
import type { Translate } from '../../i18n/index.js';
import { ChartTable, textWidth } from './charts.js';

export interface IntervalPoint {
  label: string;
  /** Axis label on several short lines (e.g. 平成23 / 2011). */
  lines?: string[];
  mean: number | null;
  n: number;
  ci95: [number, number] | null;
}

let seq = 0;

const fmt = (v: number) => `${v > 0 ? '+' : ''}${roundHalfUp(v, 2).toFixed(2)}`;

export function IntervalChart(p: { t: Translate; title: string; categoryHeader: string; points: IntervalPoint[]; headers: { mean: string; n: string; ci: string }; none: string }) {
  const id = `ichart-${(seq = (seq + 1) % 1_000_000)}`;
  const W = 640;
  const top = 12;
  const plotBottom = 212;
  const lines = p.points.map((x) => x.lines ?? [x.label]);
  const widest = Math.max(0, ...lines.map((l) => Math.max(0, ...l.map((s) => textWidth(s, 13)))));
  const left = Math.max(56, Math.ceil(widest / 2) + 4);
  const right = Math.max(24, Math.ceil(widest / 2) + 4);
  const H = plotBottom + 18 + Math.max(1, ...lines.map((l) => l.length)) * 16;
  const values = p.points.flatMap((x) => [x.mean, ...(x.ci95 ?? [])]).filter((v): v is number => v !== null);
  // The scale always holds 0 and at least ±1 (a five-point scale's change runs from −4 to +4).
  const hi = Math.max(1, ...values);
  const lo = Math.min(0, ...values);
  const y = (v: number) => top + ((plotBottom - top) * (hi - v)) / (hi - lo || 1);
  const n = p.points.length;
  const step = n <= 1 ? 0 : (W - left - right) / (n - 1);
  const stride = n <= 1 || step <= 0 ? 1 : Math.max(1, Math.ceil((widest + 6) / step));
  const x = (i: number) => (n <= 1 ? (left + W - right) / 2 : left + i * step);
  return (
    <figure class="chart chart--interval">
      <div class="chart__scroll" tabindex={0} role="region" aria-label={p.title}>
        <svg class="chart__svg" role="img" aria-labelledby={`${id}-t`} aria-describedby={`${id}-d`} viewBox={`0 0 ${W} ${H}`} width="100%" preserveAspectRatio="xMinYMin meet">
          <title id={`${id}-t`}>{p.title}</title>
          <line x1={left} y1={top} x2={left} y2={plotBottom} class="chart__axis" />
          <line x1={left} y1={y(0)} x2={W - right} y2={y(0)} class="chart__axis" />
          {[hi, 0, ...(lo < 0 ? [lo] : [])].map((v) => (
            <text x={left - 6} y={y(v) + 4} text-anchor="end" class="chart__value">
              {v === 0 ? '0' : fmt(v)}
            </text>
          ))}
          {lines.map((ls, i) =>
            (n - 1 - i) % stride === 0 ? (
              <text x={x(i)} y={plotBottom + 8 + 13} text-anchor="middle" class="chart__label chart__category">
                {ls.map((l, k) => (
                  <tspan x={x(i)} dy={k === 0 ? 0 : 16}>
                    {l}
                  </tspan>
                ))}
              </text>
            ) : null,
          )}
          <g class="chart__series chart__series--0">
            {p.points.map((pt, i) => (
              <g>
                {pt.ci95 ? (
                  <>
                    <line x1={x(i)} y1={y(pt.ci95[0])} x2={x(i)} y2={y(pt.ci95[1])} class="chart__line" />
                    <line x1={x(i) - 5} y1={y(pt.ci95[0])} x2={x(i) + 5} y2={y(pt.ci95[0])} class="chart__line" />
                    <line x1={x(i) - 5} y1={y(pt.ci95[1])} x2={x(i) + 5} y2={y(pt.ci95[1])} class="chart__line" />
                  </>
                ) : null}
                {pt.mean === null ? null : <circle cx={x(i)} cy={y(pt.mean)} r="4" class="chart__dot" />}
              </g>
            ))}
          </g>
        </svg>
      </div>
      <ChartTable
        t={p.t}
        id={`${id}-d`}
        title={p.title}
        rows={p.points}
        columns={[
          { key: 'category', label: p.categoryHeader, rowHeader: true, cell: (pt) => pt.label },
          { key: 'n', label: p.headers.n, numeric: true, cell: (pt) => pt.n },
          { key: 'mean', label: p.headers.mean, numeric: true, cell: (pt) => (pt.mean === null ? '—' : fmt(pt.mean)) },
          { key: 'ci', label: p.headers.ci, numeric: true, cell: (pt) => (pt.ci95 ? `${fmt(pt.ci95[0])} ～ ${fmt(pt.ci95[1])}` : pt.mean === null ? '—' : p.none) },
        ]}
      />
    </figure>
  );
}
