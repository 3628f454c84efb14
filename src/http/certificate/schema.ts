import { z } from 'zod';
import { requiredText } from '../../lib/validation.js';

/** The API's schemas for certificates (修了証). */

/** A person's certificate, as its holder (or an admin) reads it. */
export const certificateItem = z.object({
  number: z.string(),
  title: z.string(),
  programme: z.string(),
  completedOn: z.string(),
  validUntil: z.string().nullable(),
  revoked: z.boolean(),
  verificationUrl: z.string().describe('the public page that verifies it (by its verification code)'),
});
export const certificateList = z.object({ items: z.array(certificateItem) });

/** The public verification: number, name, programme, date and validity only. */
export const verifiedCertificate = z.object({
  number: z.string(),
  code: z.string().describe('the verification code, as printed'),
  name: z.string(),
  programme: z.string(),
  completedOn: z.string(),
  validUntil: z.string().nullable(),
  status: z.enum(['valid', 'expired', 'revoked']),
});

/** Revoking a certificate: the reason is kept with it. */
export const revokeBody = z.object({ reason: requiredText(500).describe('why the certificate is revoked (kept in the record and the audit log)') });
