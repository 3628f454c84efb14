import { z } from 'zod';
import { APPLICATION_STATUSES, SELECTION_METHODS } from '../../domain/selection.js';
import { requiredText } from '../../lib/validation.js';
import { cohortMessageInputSchema } from '../../services/cohort-message.service.js';
import { offeringInputSchema } from '../../services/offering.service.js';
import { offeringCopyInputSchema } from '../../services/offering-copy.service.js';
import { query } from '../api.js';
import { sessionOut } from '../session/schema.js';

/**
 * The API's schemas for offerings. The body is the service's own input schema (offeringInputSchema),
 * restricted to the JSON fields (the form's seatsPrefecture, completionMinSessions… are not part of the
 * API), so op refuses with the service's message keys what the service would refuse.
 */
const iso = 'ISO 8601 date-time with offset, e.g. 2026-12-01T10:00:00+09:00';
const s = offeringInputSchema.shape;

export const offeringBody = z.object({
  programmeId: s.programmeId,
  fiscalYear: s.fiscalYear.describe('fiscal year by its starting calendar year (令和8年度 = 2026)'),
  title: s.title,
  capacity: s.capacity,
  selection: s.selection,
  endorsementRequired: z.boolean().optional(),
  applicationOpensAt: s.applicationOpensAt.describe(iso),
  applicationClosesAt: s.applicationClosesAt.describe(iso),
  cancellationDeadline: s.cancellationDeadline.describe(iso),
  promotionCutoff: s.promotionCutoff.describe(iso),
  seats: s.seats,
  waitlist: z.boolean().optional().describe('keep a waiting list when full (default true)'),
  audience: s.audience,
  description: s.description,
  questions: z.array(z.object({ id: z.string().max(20), label: z.string().min(1).max(200), required: z.boolean() })).max(20).optional(),
  priorityRules: z.array(z.enum(['first_time', 'unit_untrained'])).optional(),
  reminderDays: s.reminderDays,
  published: z.boolean().optional(),
  completionRule: s.completionRule.describe('default: attend every session'),
});

export const offeringListQuery = z.object({ fiscalYear: query.fiscalYear('e.g. 2026') });

export const cancelOfferingBody = z.object({ reason: requiredText(1000) });
export const cancelOfferingOut = z.object({ id: z.number().int(), cancelledAt: z.string(), told: z.number().int().describe('applicants mailed') });

export const idOut = z.object({ id: z.number().int() });

export const offeringListItem = z.object({
  id: z.number().int(),
  programmeId: z.number().int(),
  programme: z.string(),
  fiscalYear: z.number().int(),
  title: z.string(),
  selection: z.enum(SELECTION_METHODS),
  capacity: z.number().int(),
  confirmed: z.number().int(),
  applicationOpensAt: z.string(),
  applicationClosesAt: z.string(),
  published: z.boolean(),
  cancelledAt: z.string().nullable(),
});

export const offeringDetail = z.object({
  id: z.number().int(),
  programmeId: z.number().int(),
  fiscalYear: z.number().int(),
  title: z.string(),
  audience: z.string(),
  selection: z.enum(SELECTION_METHODS),
  capacity: z.number().int(),
  seats: z.object({ prefecture: z.number().int().optional(), municipality: z.number().int().optional(), partner: z.number().int().optional() }),
  waitlist: z.boolean(),
  endorsementRequired: z.boolean(),
  applicationOpensAt: z.string(),
  applicationClosesAt: z.string(),
  questions: z.array(z.object({ id: z.string(), label: z.string(), required: z.boolean() })),
  lotterySeed: z.string().nullable(),
  published: z.boolean(),
  cancelledAt: z.string().nullable(),
  cancelledReason: z.string().nullable(),
  sessions: z.array(sessionOut),
});

export const lotteryOut = z.object({ seed: z.string(), confirmed: z.number().int(), waitlisted: z.number().int(), notSelected: z.number().int() });

/** Copying an offering into another fiscal year: offering-copy.service's own rules. */
export const offeringCopyBody = offeringCopyInputSchema.extend({
  fiscalYear: offeringCopyInputSchema.shape.fiscalYear.describe('target fiscal year by its starting calendar year (2027), or as text (令和9年度)'),
});
export const offeringCopyOut = z.object({
  id: z.number().int(),
  sessions: z.array(z.object({ from: z.string(), to: z.string(), moved: z.enum(['weekend', 'holiday']).nullable() })).describe('each session: its date, its copy’s date (Tokyo), and why it moved'),
  surveys: z
    .array(z.object({ kind: z.string(), title: z.string(), opensAt: z.string(), closesAt: z.string(), copied: z.boolean() }))
    .describe('the offering’s own surveys (pre/post self-assessments…): the copy’s window in the new year; copied: false when it would already have closed'),
});

/** A message to a cohort: cohort-message.service's own rules. */
export const cohortMessageBody = cohortMessageInputSchema.extend({
  // In JSON, a list or nothing (the form's single value is the service's concern).
  statuses: z.array(z.enum(APPLICATION_STATUSES)).max(APPLICATION_STATUSES.length).optional().describe('the statuses whose applicants receive it'),
  sessionId: cohortMessageInputSchema.shape.sessionId.describe('instead of statuses: the participants of this session of the offering'),
});
export const cohortMessageOut = z.object({ id: z.number().int(), queued: z.number().int().describe('people the mail was queued for') });
