import { describe, expect, it } from 'vitest';
import { achievement, achievementRate, isPlanKpi, PLAN_KPI_KEYS, PLAN_KPIS, parseRatingLabels, TARGET_VERDICTS, targetVerdict } from '../../src/domain/plan.js';
import { en } from '../../src/i18n/en.js';
import { ja } from '../../src/i18n/ja.js';

describe('achievementRate (達成率): actual ÷ target, one decimal, half up', () => {
  it.each([
    // target, actual, rate
    [3, 3, 100],
    [3, 2, 66.7],
    [3, 4, 133.3],
    [3, 0, 0],
    [20, 7, 35],
    [60, 59.95, 99.9], // 99.9166… → 99.9
    [8, 1, 12.5],
    [0.5, 0.45, 90],
    [0.5, 0.5, 100],
    [40, 0.02, 0.1], // 0.05 → 0.1 (half up, not to even)
  ])('target %s, actual %s → %s %%', (target, actual, rate) => {
    expect(achievementRate(target, actual)).toBe(rate);
  });

  it('has no rate without an actual (a year not begun, a KPI that does not apply)', () => {
    expect(achievementRate(3, null)).toBeNull();
  });

  it('never divides by a zero target', () => {
    expect(achievementRate(0, 5)).toBeNull();
  });
});

describe('targetVerdict (達成の判定): 未達成 only once the fiscal year has ended', () => {
  // 2026-12-01 in Tokyo: the middle of 令和8年度 (April 2026 – March 2027).
  const midYear = new Date('2026-12-01T01:00:00Z');
  it.each([
    // what, kpi, fiscal year, target, actual, now, verdict
    ['past year, reached', 'fieldTrainings', 2025, 3, 3, midYear, 'met'],
    ['past year, exceeded', 'participants', 2012, 30, 31, midYear, 'met'],
    ['past year, not reached', 'participants', 2012, 30, 28, midYear, 'not_met'],
    ['past year, a share not reached', 'unitsReachedShare', 2025, 60, 59.9, midYear, 'not_met'],
    ['past year, a stock reached', 'coordinatorsActive', 2025, 20, 21, midYear, 'met'],
    ['current year, below target', 'fieldTrainings', 2026, 3, 2, midYear, 'in_progress'],
    ['current year, nothing yet', 'hostPartners', 2026, 3, 0, midYear, 'in_progress'],
    ['current year, a count already at target', 'fieldTrainings', 2026, 3, 3, midYear, 'met'],
    ['current year, a count past target', 'hostPartners', 2026, 2, 3, midYear, 'met'],
    ['current year, a stock at target (can still fall)', 'coordinatorsActive', 2026, 20, 20, midYear, 'in_progress'],
    ['current year, a share past target (can still fall)', 'unitsReachedShare', 2026, 60, 75, midYear, 'in_progress'],
    ['current year, a mean change past target (can still fall)', 'competencyChange', 2026, 0.5, 0.8, midYear, 'in_progress'],
    ['current year, its first day', 'fieldTrainings', 2026, 3, 0, new Date('2026-03-31T15:00:00Z'), 'in_progress'],
    ['current year, its last minute (Tokyo)', 'fieldTrainings', 2026, 3, 2, new Date('2027-03-31T14:59:00Z'), 'in_progress'],
    ['the year has just ended (1 April, 00:00 Tokyo)', 'fieldTrainings', 2026, 3, 2, new Date('2027-03-31T15:00:00Z'), 'not_met'],
    ['the year has ended, reached', 'coordinatorsActive', 2026, 20, 20, new Date('2027-04-10T01:00:00Z'), 'met'],
    ['future year', 'fieldTrainings', 2027, 3, 0, midYear, null],
    ['future year, even with a figure', 'fieldTrainings', 2027, 3, 5, midYear, null],
  ] as const)('%s → %s', (_what, kpi, fiscalYear, target, actual, now, verdict) => {
    expect(targetVerdict({ kpi, fiscalYear, target, actual }, now)).toBe(verdict);
  });

  it('gives no verdict without an actual or a target', () => {
    expect(targetVerdict({ kpi: 'fieldTrainings', fiscalYear: 2025, target: 3, actual: null }, midYear)).toBeNull();
    expect(targetVerdict({ kpi: 'fieldTrainings', fiscalYear: 2025, target: 0, actual: 3 }, midYear)).toBeNull();
  });

  it('achievement gives the rate as it stands and the verdict: the figures do not change, only the judgement', () => {
    const t = { kpi: 'fieldTrainings', fiscalYear: 2026, target: 3, actual: 2 } as const;
    expect(achievement(t, midYear)).toEqual({ rate: 66.7, verdict: 'in_progress' });
    expect(achievement(t, new Date('2027-04-01T00:00:00Z'))).toEqual({ rate: 66.7, verdict: 'not_met' });
    expect(achievement({ ...t, fiscalYear: 2027, actual: null }, midYear)).toEqual({ rate: null, verdict: null });
  });

  it('each verdict has words in Japanese and English', () => {
    for (const v of TARGET_VERDICTS) {
      expect(ja[`plan.verdict.${v}`], v).toBeTruthy();
      expect(en[`plan.verdict.${v}`], v).toBeTruthy();
    }
    expect(ja['plan.verdict.in_progress']).not.toContain('未達成');
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
    expect(PLAN_KPIS.fieldTrainings).toEqual({ scope: 'measure', unit: 'times', cumulative: true });
    expect(PLAN_KPIS.coordinatorsCertified).toEqual({ scope: 'measure', unit: 'people', cumulative: true });
    expect(PLAN_KPIS.unitsReachedShare).toEqual({ scope: 'year', unit: 'percent', cumulative: false });
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
