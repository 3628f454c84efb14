import { fiscalYearOf } from '../domain/calendar.js';
import type { AppContext } from './context.js';
import { type GapIndicators, gapTrend } from './gap.service.js';
import { listPlans, planYearReport } from './plan.service.js';

/** At most this many years of the indicators' trend in the document (the gaps page shows them all). */
export const PROGRESS_TREND_YEARS = 12;

export type ProgressReport = NonNullable<Awaited<ReturnType<typeof planYearReport>>> & {
  /** The year's three gap indicators; null for a year not begun yet. */
  gaps: GapIndicators | null;
  /** The indicators from the plan's first year (at most PROGRESS_TREND_YEARS back) to this one, oldest first. */
  trend: GapIndicators[];
  /** The item the document is limited to, or null for the whole plan. */
  itemId: number | null;
};

/**
 * The yearly progress report (進行管理, issue 21 §4): for the whole plan or one item, each item's and
 * measure's 取組状況, targets with actual and 達成率, rating, 課題 and 今後の方向性 (planYearReport),
 * followed by the three gap indicators of the year and their trend since the plan began.
 * Null when the plan does not exist or the item is not in it.
 */
export async function progressReport(ctx: AppContext, planId: number, fiscalYear: number, itemId?: number): Promise<ProgressReport | null> {
  const report = await planYearReport(ctx, planId, fiscalYear, itemId);
  if (!report || (itemId !== undefined && !report.items.length)) return null;
  const current = fiscalYearOf(ctx.now());
  const from = Math.max(report.plan.first_fiscal_year, fiscalYear - PROGRESS_TREND_YEARS + 1);
  const trend = fiscalYear <= current ? await gapTrend(ctx, Math.min(from, fiscalYear), fiscalYear) : [];
  return { ...report, gaps: trend.at(-1) ?? null, trend, itemId: itemId ?? null };
}

/** The plan a report defaults to: the one asked for, else the first (plans are few). */
export async function defaultPlanId(ctx: AppContext, asked: number): Promise<number | null> {
  const plans = await listPlans(ctx);
  return plans.find((p) => p.id === asked)?.id ?? plans[0]?.id ?? null;
}
