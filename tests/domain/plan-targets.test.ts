import { describe, expect, it } from 'vitest';
import { achievement, isPlanKpi, PLAN_KPI_KEYS, PLAN_KPIS, parseRatingLabels } from '../../src/domain/plan.js';
import { en } from '../../src/i18n/en.js';
import { ja } from '../../src/i18n/ja.js';

describe('achievement (達成率): actual ÷ target, one decimal, half up; met when actual ≥ target', () => {
  it.each([
    // target, actual, rate, met
    [3, 3, 100, true],
    [3, 2, 66.7, false],
    [3, 4, 133.3, true],
    [3, 0, 0, false],
    [20, 7, 35, false],
    [60, 59.95, 99.9, false], // 99.9166… → 99.9
    [8, 1, 12.5, false],
    [0.5, 0.45, 90, false],
    [0.5, 0.5, 100, true],
    [40, 0.02, 0.1, false], // 0.05 → 0.1 (half up, not to even)
  ])('target %s, actual %s → %s %%, met %s', (target, actual, rate, met) => {
    expect(achievement(target, actual)).toEqual({ rate, met });
  });

  it('has neither a rate nor a verdict without an actual (a year not begun, a KPI that does not apply)', () => {
    expect(achievement(3, null)).toEqual({ rate: null, met: null });
  });

  it('never divides by a zero target', () => {
    expect(achievement(0, 5)).toEqual({ rate: null, met: null });
  });
});

describe('parseRatingLabels: the plan’s own rating scale', () => {
  it.each([
    ['A、B、C', ['A', 'B', 'C']],
    ['S,A,B,C', ['S', 'A', 'B', 'C']],
    ['Ａ，Ｂ，Ｃ', ['A', 'B', 'C']], // full width, NFKC
    ['順調　概ね順調　遅れ', ['順調', '概ね順調', '遅れ']],
    ['A、A、B', ['A', 'B']],
    [' A , B ', ['A', 'B']],
  ])('%j → %j', (text, labels) => {
    expect(parseRatingLabels(text)).toEqual(labels);
  });

  it.each([[''], ['、、'], ['1,2,3,4,5,6,7,8,9,10,11'], ['あ'.repeat(21)]])('%j is refused', (text) => {
    expect(parseRatingLabels(text)).toBeNull();
  });
});

describe('the KPIs a target can be tied to', () => {
  it('include the issue’s examples: 現地研修の回数, コーディネーター養成人数, 研修を受けた所属の割合', () => {
    expect(PLAN_KPIS.fieldTrainings).toEqual({ scope: 'measure', unit: 'times' });
    expect(PLAN_KPIS.coordinatorsCertified).toEqual({ scope: 'measure', unit: 'people' });
    expect(PLAN_KPIS.unitsReachedShare).toEqual({ scope: 'year', unit: 'percent' });
    expect(isPlanKpi('fieldTrainings')).toBe(true);
    expect(isPlanKpi('toString')).toBe(false);
    expect(isPlanKpi('bogus')).toBe(false);
  });

  it('each has a name and its unit in Japanese and English', () => {
    for (const k of PLAN_KPI_KEYS) {
      expect(ja[`plan.kpi.${k}`], k).toBeTruthy();
      expect(en[`plan.kpi.${k}`], k).toBeTruthy();
      expect(ja[`plan.unit.${PLAN_KPIS[k].unit}`], k).toContain('{n}');
    }
  });
});
