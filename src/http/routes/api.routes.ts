import type { Context } from 'hono';
import { toId } from '../forms.js';
import { z } from 'zod';
import { createPerson, getPerson, listPeople } from '../../services/person.service.js';
import { listUnits } from '../../services/unit.service.js';
import { anonymisePerson, exportPersonalData } from '../../services/personal-data.service.js';
import type { AppEnv } from '../env.js';
import { type ApiOp, jsonBody, query } from '../api.js';
import type { Router } from '../router.js';
import { apiError } from '../api-errors.js';
import { fieldMessage } from '../../i18n/index.js';
import { AFFILIATIONS, ROLES } from '../../domain/values.js';

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

/** The signed-in person, the people directory and the units, over the API. */
export function registerPeopleApi(op: ApiOp) {
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
      query: z.object({ q: query.text('search words (NFKC, kana-insensitive)'), unitId: query.id('unit id'), page: query.page('page number (100 per page)') }),
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

}
