import { z } from 'zod';
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
