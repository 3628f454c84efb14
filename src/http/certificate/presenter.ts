import type { z } from 'zod';
import { formatCode } from '../../domain/certificate-code.js';
import type { certificatesForPerson } from '../../services/completion.service.js';
import type { certificateItem } from './schema.js';

type Row = Awaited<ReturnType<typeof certificatesForPerson>>[number];

/** A certificate row → the API's item; the verification URL carries the unguessable code, never the number. */
export function certificateJson(r: Row, baseUrl: string): z.infer<typeof certificateItem> {
  return {
    number: r.number,
    title: r.title,
    programme: r.programme_name,
    completedOn: r.completed_on,
    validUntil: r.valid_until,
    revoked: !!r.revoked_at,
    verificationUrl: `${baseUrl}/verify/${formatCode(r.verification_code)}`,
  };
}
