import { describe, expect, it } from 'vitest';
import { CLASS_COLOURS, classBreaks, classOf, contrastRatio, gridSize, tileProblems } from '../../src/domain/tile-map.js';

describe('classBreaks: 0 on its own, then at most three ranges up to the largest count', () => {
  it.each([
    { values: [], ranges: ['0'] },
    { values: [0, 0, null], ranges: ['0'] },
    { values: [0, 1], ranges: ['0', '1'] },
    { values: [0, 2], ranges: ['0', '1', '2'] },
    { values: [3, 0], ranges: ['0', '1', '2', '3'] },
    { values: [0, 7, 2], ranges: ['0', '1〜3', '4〜6', '7'] },
    { values: [9], ranges: ['0', '1〜3', '4〜6', '7〜9'] },
    { values: [10, null], ranges: ['0', '1〜4', '5〜8', '9〜10'] },
  ])('$values → $ranges', ({ values, ranges }) => {
    const classes = classBreaks(values);
    expect(classes.map((c) => c.range)).toEqual(ranges);
    // Every whole number from 0 to the largest falls in exactly one class, and the largest is the darkest.
    const max = Math.max(0, ...values.filter((v): v is number => v !== null));
    for (let v = 0; v <= max; v++) expect(classes.filter((c) => v >= c.min && v <= c.max)).toHaveLength(1);
    if (max > 0) expect(classOf(classes, max)!.index).toBe(3);
    expect(classOf(classes, 0)!.index).toBe(0);
  });

  it('gives no class to a missing figure', () => {
    expect(classOf(classBreaks([1, 2]), null)).toBeNull();
  });
});

describe('colours: each text colour reads on its fill (≥ 4.5:1)', () => {
  it.each(CLASS_COLOURS.map((c, i) => ({ i, ...c })))('class $i: $text on $fill', ({ fill, text }) => {
    expect(contrastRatio(fill, text)).toBeGreaterThanOrEqual(4.5);
  });
  it('gets the known ratios right', () => {
    expect(contrastRatio('#ffffff', '#000000')).toBeCloseTo(21, 5);
    expect(contrastRatio('#777777', '#777777')).toBe(1);
  });
});

describe('tileProblems: one square per position, one per code', () => {
  it.each([
    { tiles: [], problems: [] },
    { tiles: [{ code: '252018', x: 0, y: 0 }, { code: '252026', x: 1, y: 0 }], problems: [] },
    { tiles: [{ code: '252018', x: 0, y: 0 }, { code: '252026', x: 0, y: 0 }], problems: [{ index: 1, field: 'x', problem: 'positionTaken' }] },
    { tiles: [{ code: '252018', x: 0, y: 0 }, { code: '252018', x: 2, y: 0 }], problems: [{ index: 1, field: 'code', problem: 'duplicateCode' }] },
    {
      tiles: [{ code: '252018', x: 0, y: 0 }, { code: '252026', x: 1, y: 1 }, { code: '252018', x: 1, y: 1 }],
      problems: [
        { index: 2, field: 'code', problem: 'duplicateCode' },
        { index: 2, field: 'x', problem: 'positionTaken' },
      ],
    },
  ])('$tiles.length tiles → $problems.length problems', ({ tiles, problems }) => {
    expect(tileProblems(tiles)).toEqual(problems);
  });

  it('sizes the grid to the furthest square', () => {
    expect(gridSize([])).toEqual({ columns: 1, rows: 1 });
    expect(gridSize([{ x: 5, y: 2 }, { x: 0, y: 5 }])).toEqual({ columns: 6, rows: 6 });
  });
});
