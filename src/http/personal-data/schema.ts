import { z } from 'zod';
import { requiredText } from '../../lib/validation.js';

/** GET /api/v1/me/export: the export's own format, described loosely (its sections grow). */
export const personalDataExportSchema = z
  .object({ format: z.literal('kyodo-personal-data/1'), generatedAt: z.string(), profile: z.object({ id: z.number().int(), name: z.string(), email: z.string() }).loose() })
  .loose();

/**
 * POST /api/v1/people/:id/anonymise. The service's rules (services/personal-data.service.ts
 * anonymiseSchema), with the confirmation as JSON's `true` only.
 */
export const anonymiseBody = z.object({
  reason: requiredText(500).describe('why the person is anonymised (kept in the audit log)'),
  confirm: z.literal(true, { message: 'operations.error.confirm' }).describe('must be true: anonymising cannot be undone'),
});

export const anonymiseResult = z.object({ id: z.number().int(), name: z.string() });
