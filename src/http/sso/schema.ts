import { z } from 'zod';

/** GET /login/sso: where to go after signing in (a same-site path; anything else falls back to /). */
export const ssoStartQuery = z.object({ next: z.string().max(2000).optional() });

/** GET /login/sso/callback: the provider's authorization response (RFC 6749 §4.1.2, RFC 9207 `iss`). */
export const ssoCallbackQuery = z.object({
  state: z.string().min(1).max(200),
  code: z.string().max(4000).optional(),
  iss: z.string().max(2000).optional(),
  error: z.string().max(200).optional(),
  error_description: z.string().max(2000).optional(),
});
