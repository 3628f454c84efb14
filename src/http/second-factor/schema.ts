import { z } from 'zod';

/** The one field of every second-factor form: a code from the authenticator app, or a recovery code. */
export const codeFormSchema = z.object({ code: z.string().max(40).catch('') });

/** The code typed into a form ('' when absent or not text). */
export function codeOf(form: Record<string, unknown>): { code: string } {
  return codeFormSchema.parse({ code: typeof form.code === 'string' ? form.code : '' });
}
