import { z } from 'zod';
import { completionRuleSchema } from '../../services/completion.service.js';

/** The API's schemas for an offering's completion rule: the service's own rule schema, so op refuses what the service would. */
export const completionRuleBody = completionRuleSchema
  .extend({ confirm: z.boolean().optional().describe('needed when the change withdraws completions or revokes certificates (else 409 confirmation_required with the counts)') })
  .strict();

export const completionRuleOut = z.object({ rule: completionRuleSchema, certificatesRevoked: z.number().int(), completionsLost: z.number().int() });
