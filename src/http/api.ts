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
        // A body schema that accepts undefined (`.optional()`) makes the body optional: no text is undefined.
        const optional = o.body.safeParse(undefined).success;
        const raw = optional && !(await c.req.text()).trim() ? undefined : await jsonBody(c, { array: o.body instanceof z.ZodArray });
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
