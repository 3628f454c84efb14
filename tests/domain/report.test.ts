import { describe, expect, it } from 'vitest';
import { share } from '../../src/domain/report.js';
import { sideMean } from '../../src/domain/evaluation.js';

describe('shares are percentages rounded half up to one place, never truncated', () => {
  it.each([
    [2, 3, 66.7],
    [2, 7, 28.6],
    [1, 3, 33.3],
    [1, 8, 12.5],
    [1, 16, 6.3],
    [3, 3, 100],
    [0, 5, 0],
    [1, 0, null],
  ])('%i of %i: %s', (part, whole, expected) => expect(share(part, whole)).toBe(expected));
});

describe('means are rounded half up to two places', () => {
  const criteria = [{ id: 1 }, { id: 2 }, { id: 3 }];
  it.each([
    [{ 1: { score: 5 }, 2: { score: 4 }, 3: { score: 4 } }, 4.33],
    [{ 1: { score: 5 }, 2: { score: 5 }, 3: { score: 4 } }, 4.67],
    [{ 1: { score: 1 }, 2: { score: 2 } }, 1.5],
  ])('%j: %s', (scores, mean) => expect(sideMean(criteria, scores as never)).toBe(mean));
});
