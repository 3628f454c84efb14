/**
 * What an audit entry changed, as a list a person can read: one line per field whose value differs
 * between before and after, nested objects followed down to their fields. Pure.
 */

export interface AuditChange {
  /** Field names from the outside in: ['answers', 'satisfaction'] for a nested answer. */
  path: string[];
  /** undefined where the entry had no before (a creation) or no after (a deletion). */
  before: unknown;
  after: unknown;
}

/**
 * Fields left out of the list: the record's own id (the entry already names the record), the
 * bookkeeping times every row carries, and technical columns that mean nothing to a reader.
 * Secrets are never in the log at all (audit.service.ts leaves them out when writing).
 */
export const UNLISTED_FIELDS: ReadonlySet<string> = new Set(['id', 'created_at', 'updated_at', 'createdAt', 'updatedAt', 'seat_version', 'search_key', 'password_hash', 'token_hash', 'edit_key_hash']);

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
/** Nothing to say: a field created empty, or removed while empty. */
const empty = (v: unknown) => v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0) || (isPlainObject(v) && Object.keys(v).length === 0);

/**
 * The changes between before and after. A creation lists what was set (empty fields left out), a
 * deletion what was there; an update lists only what differs among the fields its after names.
 * Keys keep the order of `after`.
 */
export function auditChanges(before: unknown, after: unknown, path: string[] = []): AuditChange[] {
  if (before === undefined && after === undefined) return [];
  if (!isPlainObject(before) && !isPlainObject(after)) {
    if (same(before, after)) return [];
    if (path.length && (before === undefined || before === null) && empty(after)) return [];
    if (path.length && empty(before) && (after === undefined || after === null)) return [];
    return [{ path, before, after }];
  }
  if ((before !== undefined && before !== null && !isPlainObject(before)) || (after !== undefined && after !== null && !isPlainObject(after))) return [{ path, before, after }];
  const b = (before ?? {}) as Record<string, unknown>;
  const a = (after ?? {}) as Record<string, unknown>;
  // In an update, a field the after does not mention was not changed (entries often record only
  // what they touched after, and the whole row before).
  const update = isPlainObject(before) && isPlainObject(after);
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((k) => !UNLISTED_FIELDS.has(k) && !(update && path.length === 0 && !(k in a)));
  return keys.flatMap((k) => {
    const bv = before === undefined || before === null ? undefined : b[k];
    const av = after === undefined || after === null ? undefined : a[k];
    if (isPlainObject(bv) || isPlainObject(av)) return auditChanges(isPlainObject(bv) ? bv : bv ?? undefined, isPlainObject(av) ? av : av ?? undefined, [...path, k]);
    return auditChanges(bv, av, [...path, k]);
  });
}
