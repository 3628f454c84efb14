import { describe, expect, it } from 'vitest';
import { formatPercent, percent, roundHalfUp } from '../../src/domain/rounding.js';

describe('roundHalfUp', () => {
  it.each([
    [1.005, 2, 1.01],
    [2.675, 2, 2.68],
    [0.125, 2, 0.13],
    [3.14159, 2, 3.14],
    [2.5, 0, 3],
    [-2.5, 0, -3],
    [-1.005, 2, -1.01],
    [66.65, 1, 66.7],
    [10, 1, 10],
  ])('%s to %s places is %s', (x, p, want) => {
    expect(roundHalfUp(x, p)).toBe(want);
  });
});

describe('percent', () => {
  it.each([
    [2, 3, 66.7],
    [2, 7, 28.6],
    [1, 3, 33.3],
    [1, 8, 12.5],
    [1, 16, 6.3],
    [3, 3, 100],
    [0, 5, 0],
    [1, 2000, 0.1],
  ])('%s / %s is %s %%', (part, whole, want) => {
    expect(percent(part, whole)).toBe(want);
  });
  it('is null with nothing to divide by', () => {
    expect(percent(1, 0)).toBeNull();
  });
  it('formats with one place, always', () => {
    expect(formatPercent(percent(2, 3))).toBe('66.7%');
    expect(formatPercent(percent(3, 3))).toBe('100.0%');
    expect(formatPercent(null)).toBe('—');
  });
});
