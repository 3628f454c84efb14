import { z } from 'zod';
import { APPLICATION_STATUSES } from '../../domain/selection.js';
import { optionalText } from '../../lib/validation.js';
import { idParam, query } from '../api.js';

/** The API's schemas for applications, with the rules application.service applies. */
const answers = z.record(z.string(), z.string().max(2000)).describe('question id → answer');

export const applyBody = z.object({
  personId: idParam.optional().describe('an admin applying for someone else (代理申込)'),
  answers: answers.optional(),
  answersPending: z.boolean().optional().describe('with personId only: the applicant answers the required questions later (they are mailed)'),
});
export const answersBody = z.object({ answers });
/** Optional: withdrawing may come without a body. */
export const cancelApplicationBody = z.object({ reason: optionalText(500) }).optional();
export const endorseBody = z.object({ decision: z.enum(['endorse', 'return']), comment: optionalText(1000) });
export const decisionsBody = z.object({
  applicationIds: z.array(z.number().int().positive().max(2147483647)).min(1),
  decision: z.enum(['confirmed', 'waitlisted', 'not_selected']),
});
export const applicationListQuery = z.object({ status: query.oneOf(APPLICATION_STATUSES, 'filter by status') });

export const appOut = z.object({ id: z.number().int(), status: z.enum(APPLICATION_STATUSES) });
const answersOut = z.array(z.object({ questionId: z.string(), question: z.string(), answer: z.string() })).describe('answers under the text of each question');
export const appItem = z.object({
  id: z.number().int(),
  personId: z.number().int(),
  name: z.string(),
  status: z.enum(APPLICATION_STATUSES),
  seatGroup: z.string(),
  waitlistPosition: z.number().int().nullable(),
  lotteryRank: z.number().int().nullable(),
  participantCode: z.string().optional(),
  answers: answersOut,
  answersPending: z.boolean().describe('taken for the applicant with the required answers left to them'),
});
export const appDetail = appOut.extend({
  offeringId: z.number().int(),
  participantCode: z.string(),
  answers: answersOut,
  answersPending: z.boolean(),
  endorsement: z.object({ by: z.string().nullable(), at: z.string(), comment: z.string().nullable() }).nullable().describe('the approver’s 推薦・承認 or 差戻し, with their comment'),
});
export const myApplicationItem = z.object({ id: z.number().int(), offeringId: z.number().int(), title: z.string(), fiscalYear: z.number().int(), status: z.enum(APPLICATION_STATUSES), answersPending: z.boolean() });
