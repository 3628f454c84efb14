import type { Context } from 'hono';
import { z } from 'zod';
import { fieldMessage, type Translate } from '../../i18n/index.js';
import { ServiceError } from '../../services/context.js';
import { createProgramme, listProgrammes, updateProgramme } from '../../services/offering.service.js';
import { apiError } from '../api-errors.js';
import type { ApiOp } from '../api.js';
import type { AppEnv } from '../env.js';
import { programmeJson } from './presenter.js';
import { programmeBody, programmeLabels, programmeOut } from './schema.js';

/** A programme's fields whose catalogue label means something else elsewhere (field.name is 氏名; the years are a plan's). */
const PROGRAMME_LABELS = { name: 'field.programmeName', kind: 'field.programmeKind', firstFiscalYear: 'programmes.firstYear', lastFiscalYear: 'programmes.lastYear' } as const;

/** Runs a programme call, wording its field errors with the programme's own labels. */
async function withProgrammeLabels(c: Context<AppEnv>, run: () => Promise<Response>): Promise<Response> {
  try {
    return await run();
  } catch (e) {
    if (!(e instanceof ServiceError) || !Object.keys(e.fields).length) throw e;
    const t: Translate = c.get('t');
    const fields = Object.fromEntries(
      Object.entries(e.fields).map(([f, x]) => {
        const label = PROGRAMME_LABELS[f as keyof typeof PROGRAMME_LABELS];
        return [f, label ? t(x.key, { field: t(label), ...x.params }) : fieldMessage(t, f, x.key, x.params)];
      }),
    );
    return apiError(c, e.status, e.code, t(e.messageKey, e.params), fields);
  }
}

/** Programmes (研修事業) with their lineage: list, create, edit. */
export function registerProgrammeApi(op: ApiOp) {
  op({ method: 'GET', path: '/api/v1/programmes', summary: 'Programmes with lineage', access: 'user', response: z.object({ items: z.array(programmeOut) }) }, async (c) => {
    const items = await listProgrammes(c.get('ctx'));
    return c.json({ items: items.map(programmeJson) });
  });
  op({ method: 'POST', path: '/api/v1/programmes', summary: 'Create a programme', access: ['admin'], body: programmeBody, labels: programmeLabels, status: 201, response: z.object({ id: z.number().int() }) }, async (c, { body }) =>
    withProgrammeLabels(c, async () => {
      const p = await createProgramme(c.get('ctx'), c.get('user'), body);
      return c.json({ id: p.id }, 201);
    }),
  );
  op(
    {
      method: 'PUT',
      path: '/api/v1/programmes/:id',
      summary: 'Edit a programme: names, owner, years (lastFiscalYear closes it), predecessor (no loops). Fields left out keep their value; null clears one.',
      access: ['admin'],
      body: programmeBody,
      labels: programmeLabels,
      response: programmeOut,
    },
    async (c, { body, params }) =>
      withProgrammeLabels(c, async () => {
        const p = await updateProgramme(c.get('ctx'), c.get('user'), params.id, body);
        return c.json(programmeJson(p));
      }),
  );
}
