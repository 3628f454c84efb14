import { z } from 'zod';

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
