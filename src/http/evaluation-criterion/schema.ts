import { z } from 'zod';
import { optionalText, requiredText } from '../../lib/validation.js';

export const criterionOut = z.object({ id: z.number().int(), code: z.string().nullable(), label: z.string(), labelEn: z.string(), active: z.boolean() });

/** A new criterion: its wording; it is in use from the start. */
export const criterionCreateBody = z.object({
  label: requiredText(200).describe('the criterion as evaluators read it, e.g. 目的の共有'),
  labelEn: optionalText(200).describe('the English wording'),
});
/** A criterion's wording and whether it is in use: the whole of it, as the page's form (evaluations made keep their scores). */
export const criterionUpdateBody = criterionCreateBody.extend({
  active: z.boolean({ message: 'error.required' }).describe('false retires the criterion: new evaluations no longer ask it'),
});
