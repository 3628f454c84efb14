import { describe, expect, it } from 'vitest';
import { hasEnded, lineageOf, offeringYearProblem, openProgrammes, wouldCycle } from '../../src/domain/programme.js';

// The sample lineage: 協働推進セミナー (2) ← NPO・協働研修 (1); フォローアップ (4) ← 養成講座 (3); 5 → 6 → 5 is a (stored) loop.
const P = [
  { id: 1, predecessor_id: null },
  { id: 2, predecessor_id: 1 },
  { id: 3, predecessor_id: null },
  { id: 4, predecessor_id: 3 },
  { id: 7, predecessor_id: 2 },
  { id: 5, predecessor_id: 6 },
  { id: 6, predecessor_id: 5 },
];

describe('lineageOf', () => {
  it.each([
    [1, [1]],
    [2, [2, 1]],
    [7, [7, 2, 1]],
    [4, [4, 3]],
    [5, [5, 6]],
    [99, []],
  ])('programme %s reaches %j', (id, want) => {
    expect(lineageOf(P, id)).toEqual(want);
  });
});

describe('wouldCycle', () => {
  it.each([
    [1, null, false],
    [1, 1, true],
    [1, 2, true], // NPO・協働研修 cannot follow its own successor
    [1, 7, true], // …nor its successor's successor
    [3, 2, false],
    [2, 3, false],
    [7, 1, false],
  ])('programme %s with predecessor %s: %s', (id, pred, want) => {
    expect(wouldCycle(P, id, pred)).toBe(want);
  });
});

describe('offering years', () => {
  const npo = { first_fiscal_year: 1999, last_fiscal_year: 2006 };
  const seminar = { first_fiscal_year: 2007, last_fiscal_year: null };
  const closing = { first_fiscal_year: 2011, last_fiscal_year: 2026 };
  it.each([
    [npo, 2026, 2026, { field: 'programmeId', key: 'error.programmeEnded' }],
    [npo, 2005, 2026, { field: 'programmeId', key: 'error.programmeEnded' }],
    [seminar, 2026, 2026, null],
    [seminar, 2027, 2026, null],
    [seminar, 2006, 2026, { field: 'fiscalYear', key: 'error.fiscalYearOutsideProgramme' }],
    [closing, 2026, 2026, null],
    [closing, 2027, 2026, { field: 'fiscalYear', key: 'error.fiscalYearOutsideProgramme' }],
    [closing, 2027, 2027, { field: 'programmeId', key: 'error.programmeEnded' }],
    [{ first_fiscal_year: null, last_fiscal_year: null }, 1990, 2026, null],
  ])('%j for FY%s in FY%s → %j', (p, fy, now, want) => {
    expect(offeringYearProblem(p, fy, now)).toEqual(want);
  });
  it('lists only programmes that have not ended', () => {
    const all = [
      { id: 1, ...npo },
      { id: 2, ...seminar },
      { id: 3, ...closing },
    ];
    expect(openProgrammes(all, 2026).map((p) => p.id)).toEqual([2, 3]);
    expect(openProgrammes(all, 2027).map((p) => p.id)).toEqual([2]);
    expect(hasEnded(npo, 2006)).toBe(false);
    expect(hasEnded(npo, 2007)).toBe(true);
  });
});
