import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { fieldMessage, type MessageKey, type Translate } from '../i18n/index.js';
import type { FieldErrors } from '../lib/validation.js';

/** The API's one error shape: {"error":{"code","message","fields"}}. */
export function apiError(c: Context, status: ContentfulStatusCode, code: string, message: string, fields: Record<string, string> = {}) {
  return c.json({ error: { code, message, fields } }, status);
}

/**
 * Each field's problem in the user's language, naming the field. `labels` gives a field another name
 * where the catalogue's general one would mislead (a partner's `name` is its 団体名, not a person's 氏名).
 */
export function wordFields(t: Translate, errors: FieldErrors, labels: Partial<Record<string, MessageKey>> = {}): Record<string, string> {
  return Object.fromEntries(
    Object.entries(errors).map(([f, e]) => {
      const label = labels[f];
      return [f, fieldMessage(t, f, e.key, label ? { ...e.params, field: t(label) } : e.params)];
    }),
  );
}
