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
 * The sorting and paging a list page asks for (`sort`, `dir`, `page` in the query, as DataTable and
 * Pager write them), for a list sorted and paged in the database (issue 18): an unknown `sort` is the
 * default one. Lists are never sorted in memory: every list that can grow with the years is read one
 * page at a time.
 */
export function listParams<K extends string>(c: Context, sorts: readonly K[], defaultSort: K, perPage = 50) {
  const requested = c.req.query('sort') ?? '';
  const sort = (sorts as readonly string[]).includes(requested) ? (requested as K) : defaultSort;
  const dir: 'asc' | 'desc' = c.req.query('dir') === 'desc' ? 'desc' : 'asc';
  return { sort, dir, ...pageParams(c, perPage) };
}

/**
 * Loads the page asked for; a page past the end (an old link, a list that shrank) shows the last page
 * instead of an empty one, with one more read only in that case. A loader may say how many rows its
 * page has (`shown`) without making them; the result is the loader's own object (its rows are not
 * read or copied here).
 */
export async function loadPage<T extends { rows: readonly unknown[]; total: number; shown?: number }>(
  l: { page: number; limit: number; offset: number },
  load: (p: { limit: number; offset: number }) => Promise<T>,
): Promise<T & { page: number }> {
  const first = await load(l);
  if ((first.shown ?? first.rows.length) || !first.total || !l.offset) return Object.assign(first, { page: l.page });
  const last = pagesOf(first.total, l.limit);
  return Object.assign(await load({ limit: l.limit, offset: (last - 1) * l.limit }), { page: last });
}

/** The Pager's figures for one page of `total` rows (at least one page). */
export function pagesOf(total: number, limit: number): number {
  return Math.max(1, Math.ceil(total / limit));
}

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
