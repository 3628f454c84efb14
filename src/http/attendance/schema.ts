import { z } from 'zod';
import { requiredText } from '../../lib/validation.js';
import { attendanceEntrySchema } from '../../services/completion.service.js';

/**
 * The API's schemas for attendance: the service's own entry schema (attendanceEntrySchema), so op
 * refuses what the service would, with one entry per participant, each naming them by person or by
 * application.
 */
const e = attendanceEntrySchema.shape;

export const attendanceBody = z
  .array(
    z
      .object({
        personId: e.personId.describe('the participant; or give applicationId'),
        applicationId: e.applicationId.describe('the participant’s application, instead of personId'),
        status: e.status,
      })
      .refine((x) => x.personId !== undefined || x.applicationId !== undefined, { message: 'error.required', path: ['personId'] }),
  )
  .max(5000);

export const attendanceOut = z.object({ changed: z.number().int().describe('entries that changed (the same status again is not a change)') });

/** A participant's code at the kiosk, as printed on the decision notice (case, hyphens and full-width forms ignored). */
export const checkInBody = z.object({ code: requiredText(20).describe('the participant code, e.g. Y43T-2RBZ') });

/** What the kiosk answers: who was checked in and how, or why not. */
export const checkInOut = z.union([
  z.object({ ok: z.literal(true), name: z.string(), status: z.enum(['present', 'late']) }),
  z.object({ ok: z.literal(false), reason: z.enum(['unknown', 'other_session', 'already', 'wrong_day', 'not_yet']), startsAt: z.string().optional(), opensAt: z.string().optional() }),
]);
