import { z } from 'zod';
import { ACTIVITY_KINDS, CONSULTATION_KINDS, CONSULTATION_OUTCOMES, CONSULTATION_STATUSES } from '../../domain/matching.js';
import { activitySchema, assignSchema, closeSchema, consultationInputSchema, declineSchema, withdrawSchema } from '../../services/consultation.service.js';
import { query } from '../api.js';

// --- Input: the service's own schemas (the same rules and message keys), with the API's descriptions ---

export const consultationListQuery = z.object({ status: query.oneOf(CONSULTATION_STATUSES, 'status'), kind: query.oneOf(CONSULTATION_KINDS, 'kind') });

export const consultationBody = consultationInputSchema.safeExtend({
  kind: consultationInputSchema.shape.kind.describe('bridge (橋渡し), planning (企画・調整) or evaluation (事業評価の支援・助言)'),
  areas: consultationInputSchema.shape.areas.describe('municipality unit ids'),
  goal: consultationInputSchema.shape.goal.describe('what the requester wants to achieve'),
  desiredFrom: consultationInputSchema.shape.desiredFrom.describe('yyyy-mm-dd'),
  desiredTo: consultationInputSchema.shape.desiredTo.describe('yyyy-mm-dd, not before desiredFrom'),
  partnerId: consultationInputSchema.shape.partnerId.describe('a partner organisation already in mind'),
});

export const assignBody = assignSchema.safeExtend({ personIds: assignSchema.shape.personIds.describe('people with a standing coordinator certification') });
export const declineBody = declineSchema;
export const activityBody = activitySchema.safeExtend({
  onDate: activitySchema.shape.onDate.describe('yyyy-mm-dd, today or earlier'),
  minutes: activitySchema.shape.minutes.describe('time spent, in whole minutes from 0 to 1440'),
  partnerIds: activitySchema.shape.partnerIds.describe('partner organisations contacted'),
});
export const closeBody = closeSchema;
export const withdrawBody = withdrawSchema;

// --- Output -------------------------------------------------------------------------------------------

export const partOut = z.object({ key: z.string(), points: z.number(), max: z.number(), matched: z.array(z.string()).optional(), count: z.number().int().optional() });

export const consultationOut = z.object({
  id: z.number().int(),
  kind: z.enum(CONSULTATION_KINDS),
  title: z.string(),
  status: z.enum(CONSULTATION_STATUSES),
  outcome: z.enum(CONSULTATION_OUTCOMES).nullable(),
  unitId: z.number().int(),
  unitName: z.string(),
  requesterId: z.number().int(),
  requesterName: z.string(),
  fields: z.array(z.string()),
  areaUnitIds: z.array(z.number().int()),
  goal: z.string(),
  desiredFrom: z.string().nullable(),
  desiredTo: z.string().nullable(),
  partnerId: z.number().int().nullable(),
  partnerInMind: z.string(),
  coordinators: z.string().nullable(),
  createdAt: z.string(),
  closedAt: z.string().nullable(),
  feedbackSurveyId: z.number().int().nullable(),
});

export const consultationListOut = z.object({ items: z.array(consultationOut) });

export const consultationDetailOut = consultationOut.extend({
  outcomeNote: z.string(),
  assignments: z.array(
    z.object({ personId: z.number().int(), name: z.string(), status: z.enum(['offered', 'accepted', 'declined']), declineReason: z.string().nullable(), assignedAt: z.string(), respondedAt: z.string().nullable() }),
  ),
  activities: z.array(z.object({ id: z.number().int(), onDate: z.string(), minutes: z.number().int(), kind: z.enum(ACTIVITY_KINDS), note: z.string(), partnerIds: z.array(z.number().int()), personId: z.number().int() })),
});

export const suggestionsOut = z.object({
  coordinators: z.array(z.object({ personId: z.number().int(), name: z.string(), score: z.number(), eligible: z.boolean(), parts: z.array(partOut) })),
  partners: z.array(z.object({ partnerId: z.number().int(), name: z.string(), score: z.number(), parts: z.array(partOut) })),
});

export const idOut = z.object({ id: z.number().int() });
export const statusOut = z.object({ id: z.number().int(), status: z.enum(CONSULTATION_STATUSES) });
export const closedOut = statusOut.extend({ feedbackSurveyId: z.number().int().nullable() });
