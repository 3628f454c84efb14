import { z } from 'zod';
import { SCORE_MAX, SCORE_MIN } from '../../domain/evaluation.js';
import { intField, optionalText, requiredId } from '../../lib/validation.js';
import { periodOrder, projectFields } from '../../services/project.service.js';

/** A project as created or edited: the service's own fields and rule, with the API's descriptions. */
export const projectBody = projectFields
  .extend({
    startsOn: projectFields.shape.startsOn.describe('yyyy-mm-dd'),
    endsOn: projectFields.shape.endsOn.describe('yyyy-mm-dd, on or after startsOn'),
    objective: projectFields.shape.objective.describe('the purpose of the project'),
    partnerIds: projectFields.shape.partnerIds.describe('1–20 partner organisations'),
    coordinatorId: projectFields.shape.coordinatorId.describe('a certified coordinator'),
    consultationIds: projectFields.shape.consultationIds.optional().describe('the consultations it came from'),
  })
  .superRefine(periodOrder);

/** One side's evaluation: every active criterion scored 1–5, with a comment each. */
export const evaluationBody = z.object({
  side: z.enum(['unit', 'partner'], { message: 'error.choice' }).optional().describe('defaults to the caller’s own side'),
  scores: z
    .array(z.object({ criterionId: requiredId(), score: intField(SCORE_MIN, SCORE_MAX).describe(`${SCORE_MIN}–${SCORE_MAX}`), comment: optionalText(1000) }))
    .max(100)
    .describe('one entry per active criterion'),
});

export const projectOut = z.object({
  id: z.number().int(),
  title: z.string(),
  unitId: z.number().int(),
  unitName: z.string(),
  partners: z.string().nullable(),
  startsOn: z.string(),
  endsOn: z.string().nullable(),
  objective: z.string(),
  coordinatorId: z.number().int().nullable(),
  coordinatorName: z.string().nullable(),
  evaluations: z.number().int(),
});

export const projectDetailOut = projectOut.omit({ partners: true, evaluations: true }).extend({
  partners: z.array(z.object({ id: z.number().int(), name: z.string() })),
  consultationIds: z.array(z.number().int()).describe('the unit’s side only; empty for a partner member'),
});

const scoreOut = z.object({ score: z.number().int().nullable(), comment: z.string() });

export const evaluationsOut = z.object({
  criteria: z.array(z.object({ id: z.number().int(), label: z.string(), labelEn: z.string() })),
  rows: z.array(
    z.object({
      criterionId: z.number().int(),
      unit: scoreOut.nullable(),
      partners: z.array(z.object({ partnerId: z.number().int(), score: z.number().int().nullable(), comment: z.string(), gap: z.number().int().nullable(), highlight: z.boolean() })),
      highlight: z.boolean(),
    }),
  ),
  means: z.object({ unit: z.number().nullable(), partners: z.array(z.object({ partnerId: z.number().int(), name: z.string(), mean: z.number().nullable() })) }),
});

export const idOut = z.object({ id: z.number().int() });
