import { fiscalYearOf } from './calendar.js';
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
 * on the 5-point scale. A target is a floor: met when the actual reaches it. `cumulative`: the year's
 * figure counts what has happened in it (trainings held, people, organisations, cases), so it cannot
 * fall before the year ends; the others (coordinators whose certification stands today, shares of a
 * directory that changes, a mean) can fall again.
 */
export const PLAN_KPIS = {
  fieldTrainings: { scope: 'measure', unit: 'times', cumulative: true },
  sessions: { scope: 'measure', unit: 'times', cumulative: true },
  participants: { scope: 'measure', unit: 'people', cumulative: true },
  completions: { scope: 'measure', unit: 'people', cumulative: true },
  coordinatorsCertified: { scope: 'measure', unit: 'people', cumulative: true },
  coordinatorsActive: { scope: 'year', unit: 'people', cumulative: false },
  consultationsServed: { scope: 'year', unit: 'cases', cumulative: true },
  hostPartners: { scope: 'year', unit: 'organisations', cumulative: true },
  unitsReachedShare: { scope: 'year', unit: 'percent', cumulative: false },
  municipalitiesReachedShare: { scope: 'year', unit: 'percent', cumulative: false },
  municipalitiesServedShare: { scope: 'year', unit: 'percent', cumulative: false },
  competencyChange: { scope: 'year', unit: 'points', cumulative: false },
} as const satisfies Record<string, { scope: 'measure' | 'year'; unit: 'times' | 'people' | 'cases' | 'organisations' | 'percent' | 'points'; cumulative: boolean }>;
export type PlanKpi = keyof typeof PLAN_KPIS;
export const PLAN_KPI_KEYS = Object.keys(PLAN_KPIS) as PlanKpi[];
export const isPlanKpi = (k: string): k is PlanKpi => Object.hasOwn(PLAN_KPIS, k);

/**
 * 達成率: actual ÷ target as a percentage, rounded half up to one place (every target is a floor:
 * 「3回以上」, 「60%」). No actual yet (a year not begun, a KPI that does not apply) or no target → none.
 */
export function achievementRate(target: number, actual: number | null): number | null {
  if (actual === null || !(target > 0)) return null;
  return percent(actual, target);
}

/**
 * The verdict on a target (達成の判定): 達成 `met`, 未達成 `not_met`, or 年度途中 `in_progress`, the
 * same names in the services, the pages, the exports and the API.
 */
export const TARGET_VERDICTS = ['met', 'not_met', 'in_progress'] as const;
export type TargetVerdict = (typeof TARGET_VERDICTS)[number];

/**
 * The verdict on a target of fiscal year `fiscalYear`, as the progress review states it at `now`.
 * - A year not begun yet, or no actual / no target: no verdict (null).
 * - A year that has ended (judged in Tokyo): met or not met, for good.
 * - The current year: never 未達成, the year is not over. A target reached during the year is 達成 at
 *   once when its KPI is `cumulative` (the field trainings held can only grow: the office reports to the
 *   council that the target has been reached, and that cannot change by the year's end); any other stays
 *   in progress, since its figure can still fall below the target before the year ends.
 */
export function targetVerdict(t: { kpi: PlanKpi; fiscalYear: number; target: number; actual: number | null }, now: Date): TargetVerdict | null {
  const current = fiscalYearOf(now);
  if (t.fiscalYear > current || t.actual === null || !(t.target > 0)) return null;
  const reached = t.actual >= t.target;
  if (t.fiscalYear < current) return reached ? 'met' : 'not_met';
  return reached && PLAN_KPIS[t.kpi].cumulative ? 'met' : 'in_progress';
}

/** 達成率 and the verdict of a target at `now`. */
export function achievement(t: { kpi: PlanKpi; fiscalYear: number; target: number; actual: number | null }, now: Date): { rate: number | null; verdict: TargetVerdict | null } {
  return { rate: achievementRate(t.target, t.actual), verdict: targetVerdict(t, now) };
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
