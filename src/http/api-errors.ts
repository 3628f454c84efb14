import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { fieldMessage, type Translate } from '../i18n/index.js';
import type { FieldErrors } from '../lib/validation.js';

/** The API's one error shape: {"error":{"code","message","fields"}}. */
export function apiError(c: Context, status: ContentfulStatusCode, code: string, message: string, fields: Record<string, string> = {}) {
  return c.json({ error: { code, message, fields } }, status);
}

export function wordFields(t: Translate, errors: FieldErrors): Record<string, string> {
  return Object.fromEntries(Object.entries(errors).map(([f, e]) => [f, fieldMessage(t, f, e.key, e.params)]));
}
