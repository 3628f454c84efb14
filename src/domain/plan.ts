import { percent } from './rounding.js';

/** The plan's conventions: measure labels, the years a sheet shows. Pure. */

const IROHA = 'アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワ';

/** ア, イ, ウ … for the measures of an item, in order (then ア2, イ2 … past the 44th). */
export function measureLabel(index: number): string {
  const n = IROHA.length;
  return `${IROHA[index % n]}${index >= n ? Math.floor(index / n) + 1 : ''}`;
}

/** The years a plan-item sheet shows: the plan period, then each later year up to the current one. */
export function sheetYears(first: number, last: number, current: number): number[] {
  const end = Math.max(last, Math.min(current, first + 30));
  return Array.from({ length: end - first + 1 }, (_, i) => first + i);
}

/**
 * The KPIs a numeric target (数値目標) can be tied to, each computed by Kyodo from records. `measure`
 * KPIs count the programmes that carry the measure out (report.service programmeYearFigures;
 * coordinatorsCertified applies to a measure carried out by the coordinator course); `year` KPIs are the
 * year's gap indicators (gap.service gapIndicators). Shares are percentages (0–100), changes are points
 * on the 5-point scale. A target is a floor: met when the actual reaches it.
 */
export const PLAN_KPIS = {
  fieldTrainings: { scope: 'measure', unit: 'times' },
  sessions: { scope: 'measure', unit: 'times' },
  participants: { scope: 'measure', unit: 'people' },
  completions: { scope: 'measure', unit: 'people' },
  coordinatorsCertified: { scope: 'measure', unit: 'people' },
  coordinatorsActive: { scope: 'year', unit: 'people' },
  consultationsServed: { scope: 'year', unit: 'cases' },
  hostPartners: { scope: 'year', unit: 'organisations' },
  unitsReachedShare: { scope: 'year', unit: 'percent' },
  municipalitiesReachedShare: { scope: 'year', unit: 'percent' },
  municipalitiesServedShare: { scope: 'year', unit: 'percent' },
  competencyChange: { scope: 'year', unit: 'points' },
} as const satisfies Record<string, { scope: 'measure' | 'year'; unit: 'times' | 'people' | 'cases' | 'organisations' | 'percent' | 'points' }>;
export type PlanKpi = keyof typeof PLAN_KPIS;
export const PLAN_KPI_KEYS = Object.keys(PLAN_KPIS) as PlanKpi[];
export const isPlanKpi = (k: string): k is PlanKpi => Object.hasOwn(PLAN_KPIS, k);

/**
 * 達成率: actual ÷ target as a percentage, rounded half up to one place (every target is a floor:
 * 「3回以上」, 「60%」), and whether the target is met. No actual yet → neither.
 */
export function achievement(target: number, actual: number | null): { rate: number | null; met: boolean | null } {
  if (actual === null || !(target > 0)) return { rate: null, met: null };
  return { rate: percent(actual, target), met: actual >= target };
}

/** The default rating scale of yearly progress, and the limits of a plan's own labels. */
export const DEFAULT_RATING_LABELS = ['A', 'B', 'C'];
export const RATING_LABELS_MAX = 10;
export const RATING_LABEL_LENGTH = 20;

/**
 * A plan's rating labels as typed (「A、B、C」, 'S,A,B,C', 「順調 概ね順調 遅れ」): split on commas, 読点
 * and spaces, in order, without repeats. Null when there are none, too many or one is too long.
 */
export function parseRatingLabels(text: string): string[] | null {
  const labels = [...new Set(text.normalize('NFKC').split(/[、,，\s]+/u).map((s) => s.trim()).filter(Boolean))];
  if (!labels.length || labels.length > RATING_LABELS_MAX || labels.some((l) => l.length > RATING_LABEL_LENGTH)) return null;
  return labels;
}
