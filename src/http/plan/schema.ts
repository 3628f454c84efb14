import { z } from 'zod';
import { PLAN_KPIS, TARGET_VERDICTS } from '../../domain/plan.js';
import { PROGRESS_STATUSES } from '../../domain/values.js';
import { optionalText } from '../../lib/validation.js';
import { itemSchema, measureSchema, planSchema, targetSchema } from '../../services/plan.service.js';

/**
 * The plan (実施計画) over the API: the services' own input rules for plans, items, measures and
 * targets; the schedule grid and the yearly progress as JSON shapes that the handlers hand to the
 * same services the sheet's forms use.
 */
export const planBody = planSchema.extend({
  title: planSchema.shape.title.describe('the plan’s title, e.g. 行政経営改革実施計画'),
  firstFiscalYear: planSchema.shape.firstFiscalYear.describe('first fiscal year: 2011, H23 or 平成23年度'),
  lastFiscalYear: planSchema.shape.lastFiscalYear.describe('last fiscal year (at most 10 years after the first)'),
  ratingLabels: planSchema.shape.ratingLabels.describe('the rating scale, e.g. 「A、B、C」 (default A/B/C)'),
});
export const planItemBody = itemSchema.extend({ number: itemSchema.shape.number.describe('the item’s number in the plan, e.g. (16); unique in the plan') });
export const planMeasureBody = measureSchema.extend({
  programmeIds: measureSchema.shape.programmeIds.optional().describe('the programmes (研修事業) that carry the measure out; their figures feed the sheet'),
  alsoItemIds: measureSchema.shape.alsoItemIds.optional().describe('other items of the plan to list the measure under as well (【再掲】)'),
});
export const planTargetBody = targetSchema.extend({
  kpi: targetSchema.shape.kpi.describe(`one of ${Object.keys(PLAN_KPIS).join(', ')}`),
  target: targetSchema.shape.target.describe('more than zero, at most two decimals; a share at most 100'),
});

export const planScheduleBody = z.object({
  cells: z
    .array(z.object({ fiscalYear: z.number().int(), text: z.string().max(200).describe('e.g. 継続実施'), arrow: z.boolean().optional().describe('the continuation arrow (→)') }))
    .max(20)
    .describe('one cell per fiscal year of the sheet; a year left out is emptied'),
});

const progressEntry = z.object({
  status: z.enum(PROGRESS_STATUSES, { message: 'error.choice' }).optional(),
  rating: z.string().max(20).optional().describe('one of the plan’s rating labels'),
  results: optionalText(10_000),
  changes: optionalText(10_000),
  further: optionalText(10_000),
});
export const planProgressBody = z.object({
  item: progressEntry.optional().describe('the item as a whole'),
  measures: z.array(progressEntry.extend({ measureId: z.number().int().positive() })).max(50).optional(),
});

export const idOut = z.object({ id: z.number().int() });
const planOut = z.object({ id: z.number().int(), title: z.string(), firstFiscalYear: z.number().int(), lastFiscalYear: z.number().int(), ratingLabels: z.array(z.string()) });
const itemOut = z.object({ id: z.number().int(), planId: z.number().int(), number: z.string(), title: z.string(), owningUnits: z.string(), situation: z.string(), approach: z.string(), direction: z.string() });
export const planList = z.object({ items: z.array(planOut) });
export const planWithItemsOut = planOut.extend({ items: z.array(itemOut) });
const progressOut = z.object({ status: z.enum(PROGRESS_STATUSES).nullable(), rating: z.string().nullable(), results: z.string(), changes: z.string(), further: z.string() });
export const planSheetOut = itemOut.extend({
  plan: planOut,
  years: z.array(z.number().int()),
  progress: z.array(progressOut.extend({ fiscalYear: z.number().int() })),
  measures: z.array(
    z.object({
      id: z.number().int(),
      label: z.string().describe('ア, イ, … in the item’s order'),
      repeated: z.boolean().describe('listed here from another item (【再掲】)'),
      title: z.string(),
      description: z.string(),
      programmeIds: z.array(z.number().int()),
      schedule: z.array(z.object({ fiscalYear: z.number().int(), text: z.string(), arrow: z.boolean() })),
      figures: z.array(z.object({ fiscalYear: z.number().int() }).loose()).describe('the figures computed from records for each year begun'),
      targets: z.array(
        z.object({
          id: z.number().int(),
          fiscalYear: z.number().int(),
          kpi: z.string(),
          target: z.number(),
          actual: z.number().nullable(),
          rate: z.number().nullable(),
          verdict: z
            .enum(TARGET_VERDICTS)
            .nullable()
            .describe('met | not_met (only once the fiscal year has ended) | in_progress (during the year; a target on a count already reached is met); null for a year not begun'),
          met: z.boolean().nullable().describe('true when the verdict is met, false when not_met, null otherwise (in progress or not begun)'),
        }),
      ),
      progress: z.array(progressOut.extend({ fiscalYear: z.number().int() })),
    }),
  ),
});

/** Moving a measure one place among an item's measures. */
export const measureMoveBody = z.object({ direction: z.enum(['up', 'down'], { message: 'error.choice' }).describe('up | down') });
export const measureMoveOut = z.object({ id: z.number().int(), order: z.array(z.number().int()).describe('the item’s measures (ids) in their new order') });
export const deletedOut = z.object({ id: z.number().int(), deleted: z.literal(true) });
