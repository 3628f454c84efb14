import type { Context } from 'hono';
import { z } from 'zod';
import { fieldMessage } from '../i18n/index.js';
import { type FieldErrors, validate } from '../lib/validation.js';
import { apiError, wordFields } from './api-errors.js';
import type { AppEnv } from './env.js';
import { type ApiOperation, openApiDocument } from './openapi.js';

export type { ApiOperation };
import type { Router } from './router.js';

type Schema = z.ZodType | undefined;
type Out<S, Else> = S extends z.ZodType ? z.output<S> : Else;

/** What a handler receives: the request, and its input already validated and typed. */
export interface ApiInput<B extends Schema, Q extends Schema, P extends Schema> {
  body: Out<B, undefined>;
  query: Out<Q, Record<string, never>>;
  params: Out<P, Record<string, number>>;
}

export type ApiHandler<B extends Schema, Q extends Schema, P extends Schema> = (
  c: Context<AppEnv>,
  input: ApiInput<B, Q, P>,
) => Promise<Response> | Response;

export type ApiOp = <B extends Schema = undefined, Q extends Schema = undefined, P extends Schema = undefined>(
  o: ApiOperation<B, Q, P>,
  handler: ApiHandler<B, Q, P>,
) => void;

/** A database id in a path: a positive 32-bit integer. */
export const idParam = z.coerce.number({ message: 'error.choice' }).int({ message: 'error.choice' }).positive({ message: 'error.choice' }).max(2147483647, { message: 'error.choice' });

/**
 * The path's `:name` parameters unless the operation gives its own schema: `:id` and `:…Id` are ids,
 * anything else is text that the handler looks up (a code, a year).
 */
export function defaultParams(path: string): z.ZodObject {
  return z.object(Object.fromEntries([...path.matchAll(/:(\w+)/g)].map((m) => [m[1]!, /(^id|Id)$/.test(m[1]!) ? idParam : z.string()])));
}

/** A lone UTF-16 surrogate ("\ud800" in JSON), or U+FFFD: what invalid UTF-8 bytes were decoded to. */
const BROKEN_TEXT = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]|\ufffd/;

/** The top-level field holding broken text (a lone surrogate or invalid UTF-8), anywhere inside it. */
function brokenField(body: Record<string, unknown>): string | null {
  const broken = (v: unknown): boolean =>
    typeof v === 'string' ? BROKEN_TEXT.test(v) : Array.isArray(v) ? v.some(broken) : v !== null && typeof v === 'object' ? Object.entries(v).some(([k, x]) => BROKEN_TEXT.test(k) || broken(x)) : false;
  for (const [k, v] of Object.entries(body)) if (BROKEN_TEXT.test(k) || broken(v)) return k;
  return null;
}

/**
 * Reads a JSON body; a malformed one is a 400 naming the problem. Text that is not valid Unicode (invalid
 * UTF-8, a lone surrogate) is refused with 422 naming the field, rather than stored with "�" in it
 * (issue 17): nothing is silently changed.
 */
export async function jsonBody(c: Context<AppEnv>, opts: { array?: boolean } = {}): Promise<Record<string, unknown> | Response> {
  let body: unknown;
  try {
    // As text, then parsed: the NUL check has already read the text, and Hono would turn it into JSON
    // through a new Response.
    body = JSON.parse(await c.req.text());
    if (!body || typeof body !== 'object' || Array.isArray(body) !== !!opts.array) throw new Error('not the documented shape');
  } catch {
    return apiError(c, 400, 'bad_request', c.get('t')('error.badRequest'));
  }
  const field = brokenField(body as Record<string, unknown>);
  if (field !== null) {
    const t = c.get('t');
    const message = fieldMessage(t, field, 'error.brokenText');
    return apiError(c, 422, 'validation', message, { [field]: message });
  }
  return body as Record<string, unknown>;
}

function refuse(c: Context<AppEnv>, errors: FieldErrors, labels?: ApiOperation['labels']) {
  const t = c.get('t');
  return apiError(c, 422, 'validation', t('form.errorSummary', { count: Object.keys(errors).length }), wordFields(t, errors, labels));
}

/**
 * The API's registry: every /api/v1 route is added through `op`, which validates the path, query and
 * body against the operation's schemas before the handler runs (422 with `fields`), and records the
 * operation for the OpenAPI document served at /api/v1/openapi.json.
 */
export function registerApi(r: Router, registers: ((op: ApiOp) => void)[]) {
  const operations: ApiOperation[] = [];
  const op: ApiOp = (o, handler) => {
    const params = (o.params ?? defaultParams(o.path)) as z.ZodType;
    operations.push({ ...(o as ApiOperation), params });
    // A body schema that accepts undefined (`.optional()`) makes the body optional: no text is undefined.
    // Asked once here, not on every request (a refused parse builds an error).
    const optionalBody = !!o.body && o.body.safeParse(undefined).success;
    const arrayBody = o.body instanceof z.ZodArray;
    r[o.method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete'](o.path, o.access, async (c) => {
      const p = validate(params, c.req.param());
      if (!p.ok) return refuse(c, p.errors);
      let query: unknown = {};
      if (o.query) {
        const q = validate(o.query, c.req.query());
        if (!q.ok) return refuse(c, q.errors);
        query = q.data;
      }
      let body: unknown;
      if (o.body) {
        const raw = optionalBody && !(await c.req.text()).trim() ? undefined : await jsonBody(c, { array: arrayBody });
        if (raw instanceof Response) return raw;
        const b = validate(o.body, raw);
        if (!b.ok) return refuse(c, b.errors, o.labels);
        body = b.data;
      }
      return handler(c, { body, query, params: p.data } as never);
    });
  };
  for (const register of registers) register(op);
  op({ method: 'GET', path: '/api/v1/openapi.json', summary: 'This document', access: 'public' }, (c) => c.json(openApiDocument(operations, '1.0.0')));
}

/** Query parameters as the API documents and enforces them (values arrive as text). */
export const query = {
  /** Free search words, at most `max` characters. */
  text: (description: string, max = 100) => z.string().max(max).optional().describe(description),
  /** A record's id. */
  id: (description: string) => idParam.optional().describe(description),
  /** One of a fixed list. */
  oneOf: <const T extends readonly [string, ...string[]]>(values: T, description: string) => z.enum(values, { message: 'error.choice' }).optional().describe(description),
  /** A fiscal year (2000–2100). */
  fiscalYear: (description = 'fiscal year, e.g. 2026') => z.coerce.number({ message: 'error.integer' }).int({ message: 'error.integer' }).min(2000).max(2100).optional().describe(description),
  /** A page number, 1 or more. */
  page: (description = 'page number') => z.coerce.number({ message: 'error.integer' }).int({ message: 'error.integer' }).min(1).max(100_000).optional().describe(description),
};

// --- Lists: cursor paging and exports (issue 20 §2) ---------------------------------------------------

/** A list's sort key: text (フリガナ, a name), a number, or none when the list is ordered by id alone. */
export type CursorKey = string | number | null;
/** Where a page ends: the sort key and id of its last row. The sort is always total: (key, id). */
export interface Cursor {
  key: CursorKey;
  id: number;
}

export const encodeCursor = (c: Cursor) => Buffer.from(JSON.stringify([c.key, c.id]), 'utf8').toString('base64url');

function decodeCursor(s: string): Cursor | null {
  // Canonical base64url only: Buffer would skip stray characters, so an edited cursor must re-encode to itself.
  if (!/^[A-Za-z0-9_-]+$/.test(s)) return null;
  const bytes = Buffer.from(s, 'base64url');
  if (bytes.toString('base64url') !== s) return null;
  const text = bytes.toString('utf8');
  // Bytes that are not UTF-8 (an edited key) would decode to U+FFFD: refused, not read as another key.
  if (!Buffer.from(text, 'utf8').equals(bytes)) return null;
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return null;
  }
  if (!Array.isArray(v) || v.length !== 2) return null;
  const [key, id] = v as unknown[];
  const keyOk = key === null || (typeof key === 'string' && key.length <= 400) || (typeof key === 'number' && Number.isFinite(key));
  if (!keyOk || !Number.isInteger(id) || (id as number) < 1 || (id as number) > 2147483647) return null;
  return { key: key as CursorKey, id: id as number };
}

/** The cursor of `query.cursor`, with the kind of key the list sorts by. */
const cursorField = (kind: 'text' | 'number' | 'none') =>
  z
    .string()
    .max(1000, { message: 'error.invalid' })
    .transform((s, ctx) => {
      const c = decodeCursor(s);
      const fits = c && (kind === 'none' ? c.key === null : kind === 'text' ? typeof c.key === 'string' : typeof c.key === 'number');
      if (!c || !fits) {
        ctx.addIssue({ code: 'custom', message: 'error.invalid' });
        return z.NEVER;
      }
      return c;
    })
    .optional()
    .describe('where to go on from: the `next` link of the previous page carries it (opaque; an edited one is refused with 422)');

/** How many rows a page holds: 1–500, 100 unless asked. */
const limitField = () =>
  z.coerce.number({ message: 'error.integer' }).int({ message: 'error.integer' }).min(1).max(500).default(100).describe('rows a page, 1–500 (default 100)');

/** The query of a cursor-paged list: `cursor` (from the previous page's `next`) and `limit`. */
export const listQuery = (kind: 'text' | 'number' | 'none' = 'none') => ({ cursor: cursorField(kind), limit: limitField() });

/** The query of a list that can also be downloaded: `format` (json, csv, xlsx), `encoding` and `unencodable` for CSV. */
export const formatQuery = () => ({
  format: z.enum(['json', 'csv', 'xlsx'], { message: 'error.choice' }).optional().describe('json (default, paged), or csv / xlsx: the whole list as the page downloads it (the same columns), not paged'),
  encoding: z.enum(['utf-8', 'shift_jis'], { message: 'error.choice' }).optional().describe('CSV only: UTF-8 with BOM (default) or Shift_JIS (CP932)'),
  unencodable: z.enum(['refuse', 'geta'], { message: 'error.choice' }).optional().describe('Shift_JIS only: a character it cannot hold is refused with 422 naming it (default), or written as 〓 (geta)'),
});

/** Is a download asked for (`format=csv|xlsx`)? */
export const wantsFile = <Q extends { format?: 'json' | 'csv' | 'xlsx' }>(q: Q): q is Q & { format: 'csv' | 'xlsx' } => q.format === 'csv' || q.format === 'xlsx';

/** The response of a cursor-paged list, as the OpenAPI document describes it. */
export const pagedOut = <T extends z.ZodType>(item: T, extra: z.ZodRawShape = {}) =>
  z.object({ items: z.array(item), ...extra, next: z.string().nullable().describe('the URL of the next page, or null on the last; also sent as Link: <…>; rel="next"') });

/**
 * One page of a list: `rows` as read with `limit + 1` (the extra row only says that there is more), sent
 * as `{ items, …extra, next }` with `next` the URL of the following page (this request with the last
 * row's key as its cursor) and a `Link: <…>; rel="next"` header, or `next: null` on the last page.
 */
export function paged<R>(c: Context<AppEnv>, rows: readonly R[], limit: number, keyOf: (r: R) => Cursor, toJson: (r: R) => unknown, extra: Record<string, unknown> = {}) {
  const items = rows.slice(0, limit);
  let next: string | null = null;
  if (rows.length > limit && items.length) {
    const url = new URL(c.req.url);
    const q = new URLSearchParams(url.search);
    q.delete('page');
    q.set('cursor', encodeCursor(keyOf(items[items.length - 1]!)));
    next = `${c.get('ctx').config.baseUrl}${url.pathname}?${q}`;
    c.header('Link', `<${next}>; rel="next"`);
  }
  return c.json({ items: items.map(toJson), ...extra, next });
}

/** Compares two sort keys as the database does with COLLATE "C" (text by code point), nulls last. */
function compareKeys(a: CursorKey, b: CursorKey): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const [x, y] = [String(a), String(b)];
  for (let i = 0, j = 0; i < x.length && j < y.length; ) {
    const [p, q] = [x.codePointAt(i)!, y.codePointAt(j)!];
    if (p !== q) return p - q;
    i += p > 0xffff ? 2 : 1;
    j += q > 0xffff ? 2 : 1;
  }
  return [...x].length - [...y].length;
}

/**
 * A page of a list the service has already read whole (a list bounded by what one caller may see): sorted
 * by (key, id), `dir` applied to both, and the rows after the cursor, `limit + 1` of them for `paged`.
 */
export function pageOfList<R>(rows: readonly R[], keyOf: (r: R) => Cursor, page: { cursor?: Cursor; limit: number }, dir: 'asc' | 'desc' = 'asc'): R[] {
  const sign = dir === 'asc' ? 1 : -1;
  const cmp = (a: Cursor, b: Cursor) => sign * (compareKeys(a.key, b.key) || a.id - b.id);
  const sorted = [...rows].sort((a, b) => cmp(keyOf(a), keyOf(b)));
  const after = page.cursor ? sorted.filter((r) => cmp(keyOf(r), page.cursor!) > 0) : sorted;
  return after.slice(0, page.limit + 1);
}

/** The URL of another page of an offset-paged list (`page`, deprecated): for its `next`. */
export function nextPageUrl(c: Context<AppEnv>, pageNo: number): string {
  const url = new URL(c.req.url);
  const q = new URLSearchParams(url.search);
  q.set('page', String(pageNo));
  const next = `${c.get('ctx').config.baseUrl}${url.pathname}?${q}`;
  c.header('Link', `<${next}>; rel="next"`);
  return next;
}
