import type { Context } from 'hono';
import { toId } from '../forms.js';
import { z } from 'zod';
import { AFFILIATIONS, ROLES } from '../../db/schema.js';
import { createPerson, getPerson, listPeople } from '../../services/person.service.js';
import { listUnits } from '../../services/unit.service.js';
import { anonymisePerson, exportPersonalData } from '../../services/personal-data.service.js';
import type { AppEnv } from '../env.js';
import { type ApiOperation, openApiDocument } from '../openapi.js';
import type { Router } from '../router.js';
import { apiError } from '../api-errors.js';
import { fieldMessage } from '../../i18n/index.js';

const meSchema = z.object({ id: z.number().int(), email: z.string(), name: z.string(), roles: z.array(z.enum(ROLES)) });
const personBody = z.object({
  name: z.string().max(100),
  kana: z.string().max(100).describe('フリガナ (katakana or hiragana)'),
  email: z.email(),
  unitId: z.number().int().positive().max(2147483647).optional(),
  affiliation: z.enum(AFFILIATIONS),
  staffNumber: z.string().max(20).optional(),
  roles: z.array(z.enum(ROLES)).optional(),
});
const personOut = z.object({
  id: z.number().int(),
  name: z.string(),
  kana: z.string(),
  email: z.string(),
  staffNumber: z.string().nullable(),
  unitId: z.number().int().nullable(),
  unitName: z.string().nullable(),
  affiliation: z.enum(AFFILIATIONS),
  roles: z.array(z.enum(ROLES)),
  active: z.boolean(),
});
const unitOut = z.object({
  id: z.number().int(),
  kind: z.string(),
  parentId: z.number().int().nullable(),
  name: z.string(),
  kana: z.string(),
  code: z.string().nullable(),
  active: z.boolean(),
  peopleCount: z.number().int(),
});

type PersonRow = Awaited<ReturnType<typeof listPeople>>['rows'][number];
const toPerson = (p: PersonRow) => ({
  id: p.id,
  name: p.name,
  kana: p.kana,
  email: p.email,
  staffNumber: p.staff_number,
  unitId: p.unit_id,
  unitName: p.unit_name,
  affiliation: p.affiliation,
  roles: p.roles,
  active: p.active,
});

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
export async function jsonBody(c: Context<AppEnv>): Promise<Record<string, unknown> | Response> {
  let body: unknown;
  try {
    // As text, then parsed: the NUL check has already read the text, and Hono would turn it into JSON
    // through a new Response.
    body = JSON.parse(await c.req.text());
    if (!body || typeof body !== 'object' || Array.isArray(body)) throw new Error('not an object');
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

export type ApiOp = (o: ApiOperation, handler: (c: Context<AppEnv>) => Promise<Response> | Response) => void;

/** Every /api/v1 route is added through `op`, which also records it for the OpenAPI document. */
export function registerApi(r: Router, more: ((op: ApiOp) => void)[] = []) {
  const operations: ApiOperation[] = [];
  const op: ApiOp = (o, handler) => {
    operations.push(o);
    r[o.method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete'](o.path, o.access, handler);
  };

  op({ method: 'GET', path: '/api/v1/me', summary: 'The current user', access: 'user', response: meSchema }, (c) => {
    const u = c.get('user')!;
    return c.json({ id: u.id, email: u.email, name: u.name, roles: u.roles });
  });

  op(
    {
      method: 'GET',
      path: '/api/v1/people',
      summary: 'People, 50音順 by フリガナ',
      access: ['admin'],
      query: { q: 'search words (NFKC, kana-insensitive)', unitId: 'unit id', page: 'page number (100 per page)' },
      response: z.object({ items: z.array(personOut), total: z.number().int(), page: z.number().int() }),
    },
    async (c) => {
      const pageNo = Math.min(100_000, Math.max(1, Math.trunc(Number(c.req.query('page'))) || 1));
      const { rows, total } = await listPeople(c.get('ctx'), {
        q: c.req.query('q')?.slice(0, 100),
        unitId: (toId(c.req.query('unitId')) || undefined),
        limit: 100,
        offset: (pageNo - 1) * 100,
      });
      return c.json({ items: rows.map(toPerson), total, page: pageNo });
    },
  );

  op(
      { method: 'POST', path: '/api/v1/people', summary: 'Create a person', access: ['admin'], body: personBody, status: 201, response: z.object({ id: z.number().int() }) },
      async (c) => {
        const body = await jsonBody(c);
        if (body instanceof Response) return body;
        const p = await createPerson(c.get('ctx'), c.get('user'), body);
        return c.json({ id: p.id }, 201);
      },
  );

  op({ method: 'GET', path: '/api/v1/people/:id', summary: 'One person', access: ['admin'], response: personOut }, async (c) => {
    const p = await getPerson(c.get('ctx'), toId(c.req.param('id')));
    if (!p) return apiError(c, 404, 'not_found', c.get('t')('error.notFound'));
    return c.json(toPerson(p));
  });

  op(
    {
      method: 'GET',
      path: '/api/v1/me/export',
      summary: 'Everything Kyodo holds about the current user (profile, applications, attendance, completions, certificates, history, named survey answers, consultations, tokens, sessions). Anonymous survey answers carry no identity and are not included.',
      access: 'user',
      response: z.object({ format: z.literal('kyodo-personal-data/1'), generatedAt: z.string(), profile: z.object({ id: z.number().int(), name: z.string(), email: z.string() }).loose() }).loose(),
    },
    async (c) => c.json(await exportPersonalData(c.get('ctx'), c.get('user')!.id)),
  );

  op(
    {
      method: 'POST',
      path: '/api/v1/people/:id/anonymise',
      summary: 'Anonymise a person who has left: name, kana, email and staff number replaced, login disabled, sessions and tokens revoked; aggregate figures unchanged. Cannot be undone.',
      access: ['admin'],
      body: z.object({ reason: z.string().min(1).max(500), confirm: z.literal(true) }),
      response: z.object({ id: z.number().int(), name: z.string() }),
    },
    async (c) => {
      const body = await jsonBody(c);
      if (body instanceof Response) return body;
      return c.json(await anonymisePerson(c.get('ctx'), c.get('user')!, toId(c.req.param('id')), body));
    },
  );

  op({ method: 'GET', path: '/api/v1/units', summary: 'The organisation directory in tree order', access: ['admin'], response: z.object({ items: z.array(unitOut) }) }, async (c) => {
    const units = await listUnits(c.get('ctx'));
    return c.json({
      items: units.map((u) => ({ id: u.id, kind: u.kind, parentId: u.parent_id, name: u.name, kana: u.kana, code: u.code, active: u.active, peopleCount: u.people_count })),
    });
  });

  for (const register of more) register(op);

  const doc = { method: 'GET', path: '/api/v1/openapi.json', summary: 'This document', access: 'public' } as const;
  op(doc, (c) => c.json(openApiDocument(operations, '1.0.0')));
}
