import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { FieldErrors } from '../lib/validation.js';
import { ServiceError } from '../services/context.js';
import type { AppEnv } from './env.js';

export type FormBody = Record<string, string | string[] | File>;

/** The submitted form, with repeated names (checkboxes) as arrays. */
export async function readForm(c: Context<AppEnv>): Promise<FormBody> {
  const body = await c.req.parseBody({ all: true });
  const out: FormBody = {};
  for (const [k, v] of Object.entries(body)) {
    if (k === '_csrf') continue;
    if (Array.isArray(v)) out[k] = v.filter((x): x is string => typeof x === 'string');
    else out[k] = v as string | File;
  }
  return out;
}

/**
 * Runs a service call for a form. A refusal with field errors re-renders the form
 * (status 422, or the refusal's own 4xx); anything else propagates.
 */
export async function submit<T>(
  run: () => Promise<T>,
  onInvalid: (errors: FieldErrors, status: ContentfulStatusCode, e: ServiceError) => Response | Promise<Response>,
): Promise<{ ok: true; value: T } | { ok: false; response: Response }> {
  try {
    return { ok: true, value: await run() };
  } catch (e) {
    if (e instanceof ServiceError && e.status !== 404 && e.status !== 403) {
      const fields = Object.keys(e.fields).length ? e.fields : { _: { key: e.messageKey, params: e.params } };
      return { ok: false, response: await onInvalid(fields, e.status, e) };
    }
    throw e;
  }
}

export function pageParams(c: Context, perPage = 50) {
  const page = Math.max(1, Math.min(100_000, Number.parseInt(c.req.query('page') ?? '1', 10) || 1));
  return { page, limit: perPage, offset: (page - 1) * perPage };
}

/** A database id from a path or query: a positive 32-bit integer, else 0 (which matches nothing). */
export function toId(v: string | undefined | null): number {
  const n = Number(v);
  return Number.isInteger(n) && n > 0 && n <= 2147483647 ? n : 0;
}

/**
 * Sorting and paging of a list already in memory (short lists such as partners), from `sort`, `dir`
 * and `page` in the query, for DataTable and Pager. Text sorts with the Japanese collator.
 */
export function sortAndPage<T>(c: Context, rows: readonly T[], keys: Record<string, (row: T) => string | number>, defaultSort: string, perPage = 50) {
  const requested = c.req.query('sort') ?? '';
  // Own keys only: `__proto__`, `valueOf` or `hasOwnProperty` are not columns (issue 17).
  const sort = Object.hasOwn(keys, requested) ? requested : defaultSort;
  const dir: 'asc' | 'desc' = c.req.query('dir') === 'desc' ? 'desc' : 'asc';
  const key = keys[sort];
  const sign = dir === 'desc' ? -1 : 1;
  const sorted = rows
    .map((row, i) => ({ row, i, k: key(row) }))
    .sort((a, b) => sign * (typeof a.k === 'number' && typeof b.k === 'number' ? a.k - b.k : jaCollator.compare(String(a.k), String(b.k))) || a.i - b.i)
    .map((x) => x.row);
  const pages = Math.max(1, Math.ceil(sorted.length / perPage));
  const { page } = pageParams(c, perPage);
  const current = Math.min(page, pages);
  return { sort, dir, page: current, pages, total: sorted.length, rows: sorted.slice((current - 1) * perPage, current * perPage) };
}

const jaCollator = new Intl.Collator('ja', { numeric: true });

/**
 * The one shape of a form post (issue 19): read the form, run the service call, and either redirect
 * (303) to where `done` says or show the form again with the refusal's field errors (422, or the
 * refusal's own 4xx). A 403 or 404 refusal propagates to the status page.
 *
 *   r.post('/admin/programmes', ['admin'], (c) =>
 *     formAction(c, {
 *       run: (body) => createProgramme(c.get('ctx'), c.get('user'), body),
 *       invalid: (body, errors, status) => form(c, null, body, errors, status),
 *       done: (p) => `/admin/programmes?notice=common.saved#programme-${p.id}`,
 *     }));
 */
export async function formAction<T>(
  c: Context<AppEnv>,
  opts: {
    run: (body: FormBody) => Promise<T>;
    invalid: (body: FormBody, errors: FieldErrors, status: ContentfulStatusCode, e: ServiceError) => Response | Promise<Response>;
    done: (value: T, body: FormBody) => string;
  },
): Promise<Response> {
  const body = await readForm(c);
  const res = await submit(() => opts.run(body), (errors, status, e) => opts.invalid(body, errors, status, e));
  return res.ok ? c.redirect(opts.done(res.value, body), 303) : res.response;
}
