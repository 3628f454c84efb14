import { describe, expect, it } from 'vitest';
import { meanInterval, pairChanges, shareOf, t975, windowStart } from '../../src/domain/gap.js';

describe('t975 (two-sided 95% Student t quantile)', () => {
  it.each([
    [1, 12.706],
    [2, 4.303],
    [9, 2.262],
    [30, 2.042],
  ])('df %s is %s (table)', (df, want) => {
    expect(t975(df)).toBe(want);
  });
  it.each([
    [31, 2.0395],
    [40, 2.0211],
    [60, 2.0003],
    [120, 1.9799],
    [1000, 1.9623],
  ])('df %s is %s to 4 places (expansion)', (df, want) => {
    expect(t975(df)).toBeCloseTo(want, 4);
  });
  it('refuses zero or fractional degrees of freedom', () => {
    expect(() => t975(0)).toThrow(RangeError);
    expect(() => t975(1.5)).toThrow(RangeError);
  });
});

describe('meanInterval (paired t)', () => {
  it.each<[string, number[], number | null, [number, number] | null]>([
    ['n = 0: nothing to show', [], null, null],
    ['n = 1: a mean but no interval', [2], 2, null],
    // mean 1.5, s = 0.7071, t(1) = 12.706: half-width 6.353
    ['n = 2: the widest interval', [1, 2], 1.5, [-4.85, 7.85]],
    ['all changes equal: no width', [1, 1, 1, 1], 1, [1, 1]],
    ['all zero', [0, 0, 0], 0, [0, 0]],
    // mean 0.6, s² = 5.2 / 4 = 1.3, s = 1.1402, t(4) = 2.776: half-width 2.776 · 1.1402 / √5 = 1.4155
    ['n = 5', [1, 0, 1, 2, -1], 0.6, [-0.82, 2.02]],
    // mean 1, s² = 6 / 9, s = 0.8165, t(9) = 2.262: half-width 2.262 · 0.8165 / √10 = 0.5841
    ['n = 10', [0, 1, 2, 1, 0, 2, 1, 0, 2, 1], 1, [0.42, 1.58]],
    ['fractional changes (per-pair means)', [0.2, 0.4, 0.6], 0.4, [-0.1, 0.9]],
  ])('%s', (_label, changes, mean, ci) => {
    const r = meanInterval(changes);
    expect(r.n).toBe(changes.length);
    expect(r.meanChange).toBe(mean);
    expect(r.ci95).toEqual(ci);
  });
  it('keeps lo ≤ mean ≤ hi after rounding, for declines too', () => {
    for (const changes of [[-1, -2, -1], [0.333, 0.334, 0.335], [4, -4, 4, -4, 0]]) {
      const r = meanInterval(changes);
      expect(r.ci95![0]).toBeLessThanOrEqual(r.meanChange!);
      expect(r.meanChange!).toBeLessThanOrEqual(r.ci95![1]);
    }
  });
  it('narrows as n grows with the same spread', () => {
    const small = meanInterval([0, 2, 0, 2]);
    const large = meanInterval(Array.from({ length: 40 }, (_, i) => (i % 2 ? 2 : 0)));
    expect(large.ci95![1] - large.ci95![0]).toBeLessThan(small.ci95![1] - small.ci95![0]);
  });
});

describe('pairChanges', () => {
  it('gives one change per pair: the mean over the competencies it answered twice', () => {
    const m = pairChanges([
      { key: 'p1', item: 'roles', pre: 2, post: 4 },
      { key: 'p1', item: 'sites', pre: 3, post: 3 },
      { key: 'p2', item: 'roles', pre: 4, post: 3 },
    ]);
    expect([...m]).toEqual([
      ['p1', 1],
      ['p2', -1],
    ]);
  });
  it('is empty with no scores', () => {
    expect(pairChanges([]).size).toBe(0);
  });
});

describe('shareOf (0 to 1)', () => {
  it.each([
    [2, 3, 0.667],
    [1, 8, 0.125],
    [19, 19, 1],
    [0, 19, 0],
    [1, 0, 0],
  ])('%s of %s is %s', (part, whole, want) => {
    expect(shareOf(part, whole)).toBe(want);
  });
});

describe('windowStart', () => {
  it('spans three fiscal years by default', () => {
    expect(windowStart(2026)).toBe(2024);
    expect(windowStart(2026, 1)).toBe(2026);
  });
});
