/**
 * The gap indicators' arithmetic (issue 21 §2): the mean of paired changes with a 95% paired-t
 * interval, and shares from 0 to 1. Pure: no I/O, no clock. Why a t interval and not a bootstrap:
 * docs/decisions/0019-gap-indicator-intervals.md.
 */
import { percent, roundHalfUp } from './rounding.js';

/** Two-sided 95% quantiles t(0.975; df) for df = 1 … 30 (standard tables, 3 decimals). */
const T975 = [
  12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064,
  2.06, 2.056, 2.052, 2.048, 2.045, 2.042,
];
const Z975 = 1.959963984540054;

/**
 * t(0.975; df): from the table up to df = 30, beyond by the Cornish–Fisher expansion around the
 * normal quantile (error below 1e-5 for df > 30).
 */
export function t975(df: number): number {
  if (!Number.isInteger(df) || df < 1) throw new RangeError(`degrees of freedom must be a positive integer, got ${df}`);
  if (df <= T975.length) return T975[df - 1];
  const z = Z975;
  const z3 = z ** 3;
  const z5 = z ** 5;
  const z7 = z ** 7;
  return z + (z3 + z) / (4 * df) + (5 * z5 + 16 * z3 + 3 * z) / (96 * df ** 2) + (3 * z7 + 19 * z5 + 17 * z3 - 15 * z) / (384 * df ** 3);
}

export interface MeanInterval {
  /** Mean change, rounded half up to 2 places; null when there is nothing to average. */
  meanChange: number | null;
  n: number;
  /** 95% paired-t interval, bounds rounded half up to 2 places; null when n < 2 (no spread to measure). */
  ci95: [number, number] | null;
}

/** Fewest pairs for which an interval is shown. */
export const MIN_PAIRS_FOR_INTERVAL = 2;

/**
 * Mean of paired changes (post − pre, one per pair) and its 95% paired-t interval:
 * mean ± t(0.975; n−1) · s / √n. With all changes equal the interval has no width.
 * Rounding happens once, on the figures shown, so lo ≤ mean ≤ hi always holds.
 */
export function meanInterval(changes: readonly number[]): MeanInterval {
  const n = changes.length;
  if (n === 0) return { meanChange: null, n, ci95: null };
  const mean = changes.reduce((a, b) => a + b, 0) / n;
  if (n < MIN_PAIRS_FOR_INTERVAL) return { meanChange: roundHalfUp(mean, 2), n, ci95: null };
  const variance = changes.reduce((a, x) => a + (x - mean) ** 2, 0) / (n - 1);
  // Floating-point residue of identical values is no spread.
  const sd = variance < 1e-12 ? 0 : Math.sqrt(variance);
  const half = (t975(n - 1) * sd) / Math.sqrt(n);
  return { meanChange: roundHalfUp(mean, 2), n, ci95: [roundHalfUp(mean - half, 2), roundHalfUp(mean + half, 2)] };
}

export interface PairScore {
  /** One pair: a person in one offering (cohort), who answered both self-assessments. */
  key: string;
  item: string;
  pre: number;
  post: number;
}

/**
 * Each pair's overall change: the mean of its changes over the competencies it answered both
 * times. A pair is one observation, so the interval is not narrowed by counting a person's five
 * competencies as five independent people.
 */
export function pairChanges(scores: readonly PairScore[]): Map<string, number> {
  const sums = new Map<string, { sum: number; k: number }>();
  for (const s of scores) {
    const x = sums.get(s.key) ?? { sum: 0, k: 0 };
    x.sum += s.post - s.pre;
    x.k += 1;
    sums.set(s.key, x);
  }
  return new Map([...sums].map(([key, x]) => [key, x.sum / x.k]));
}

/** part / whole as a share from 0 to 1 (one decimal of a percentage, half up); 0 when whole is 0. */
export function shareOf(part: number, whole: number): number {
  const p = percent(part, whole);
  return p === null ? 0 : roundHalfUp(p / 100, 3);
}

/** The fiscal years of the window that ends with `fy` (the year itself and the `years − 1` before). */
export function windowStart(fy: number, years = 3): number {
  return fy - years + 1;
}
