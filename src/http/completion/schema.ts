import { z } from 'zod';
import { optionalText } from '../../lib/validation.js';
import { completionRuleSchema } from '../../services/completion.service.js';

/** The API's schemas for an offering's completion rule: the service's own rule schema, so op refuses what the service would. */
export const completionRuleBody = completionRuleSchema
  .extend({ confirm: z.boolean().optional().describe('needed when the change withdraws completions or revokes certificates (else 409 confirmation_required with the counts)') })
  .strict();

export const completionRuleOut = z.object({ rule: completionRuleSchema, certificatesRevoked: z.number().int(), completionsLost: z.number().int() });

/** The answer to one participant's completion change: whether they now count as complete. */
export const completionStateOut = z.object({ id: z.number().int(), completed: z.boolean() });

/** Reviewing a participant's assignment (課題): accept it, or return it with a comment. */
export const assignmentReviewBody = z.object({
  decision: z.enum(['accept', 'return'], { message: 'error.choice' }).describe('accept | return'),
  comment: optionalText(2000).describe('shown to the participant; say what to change when returning'),
});

/** Setting or clearing a manual decision on completion; a decision needs its reason. */
export const completionOverrideBody = z.object({
  completed: z.enum(['yes', 'no', 'clear'], { message: 'error.choice' }).describe('yes (complete) | no (not complete) | clear (back to the rule)'),
  reason: optionalText(500).describe('required unless clearing'),
});

/** Handing in an assignment as JSON: its text only (a file goes as multipart/form-data). */
export const assignmentTextBody = z.object({ text: optionalText(20_000).describe('the assignment’s text') });
export const assignmentOut = z.object({ id: z.number().int().describe('the application'), status: z.literal('submitted') });
/** The assignment form's own names for its fields. */
export const assignmentLabels = { text: 'assignment.text', file: 'assignment.file' } as const;
