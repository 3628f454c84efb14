import { z } from 'zod';
import { toId } from '../forms.js';
import { APPLICATION_STATUSES, SELECTION_METHODS } from '../../domain/selection.js';
import { apply, cancel, decide, endorse, getApplication, listApplications, myApplications, runLottery } from '../../services/application.service.js';
import { addSession, createOffering, createProgramme, getOffering, listOfferings, SESSION_FORMATS } from '../../services/offering.service.js';
import { listProgrammes } from '../../services/sample-data.service.js';
import { apiError } from '../api-errors.js';
import { type ApiOp, jsonBody } from './api.routes.js';

const iso = z.string().describe('ISO 8601 date-time with offset, e.g. 2026-12-01T10:00:00+09:00');
const offeringBody = z.object({
  programmeId: z.number().int(),
  fiscalYear: z.number().int().describe('fiscal year by its starting calendar year (令和8年度 = 2026)'),
  title: z.string().max(200),
  capacity: z.number().int().min(1),
  selection: z.enum(SELECTION_METHODS),
  endorsementRequired: z.boolean().optional(),
  applicationOpensAt: iso,
  applicationClosesAt: iso,
  cancellationDeadline: iso.optional(),
  promotionCutoff: iso.optional(),
  seats: z.object({ prefecture: z.number().int().optional(), municipality: z.number().int().optional(), partner: z.number().int().optional() }).optional(),
  waitlist: z.boolean().optional().describe('keep a waiting list when full (default true)'),
  audience: z.string().optional(),
  description: z.string().optional(),
  questions: z.array(z.object({ id: z.string(), label: z.string(), required: z.boolean() })).optional(),
  priorityRules: z.array(z.enum(['first_time', 'unit_untrained'])).optional(),
  reminderDays: z.number().int().optional(),
  published: z.boolean().optional(),
  completionRule: z
    .object({ minSessions: z.number().int().optional(), requiredSessionIds: z.array(z.number().int()).optional(), assignment: z.boolean().optional(), signOff: z.boolean().optional() })
    .optional()
    .describe('default: attend every session'),
});
const sessionBody = z.object({
  title: z.string().max(200),
  format: z.enum(SESSION_FORMATS),
  startsAt: iso,
  endsAt: iso,
  venue: z.string().optional(),
  lecturers: z.string().optional(),
  capacity: z.number().int().optional(),
});
const idOut = z.object({ id: z.number().int() });
const appOut = z.object({ id: z.number().int(), status: z.enum(APPLICATION_STATUSES) });
const appItem = z.object({
  id: z.number().int(),
  personId: z.number().int(),
  name: z.string(),
  status: z.enum(APPLICATION_STATUSES),
  seatGroup: z.string(),
  waitlistPosition: z.number().int().nullable(),
  lotteryRank: z.number().int().nullable(),
  participantCode: z.string().optional(),
});

const num = toId;

export function registerOfferingsApi(op: ApiOp) {
  op({ method: 'GET', path: '/api/v1/programmes', summary: 'Programmes with lineage', access: 'user' }, async (c) => {
    const items = await listProgrammes(c.get('ctx'));
    return c.json({
      items: items.map((p) => ({ id: p.id, name: p.name, nameEn: p.name_en, predecessorId: p.predecessor_id, firstFiscalYear: p.first_fiscal_year, lastFiscalYear: p.last_fiscal_year })),
    });
  });
  op({ method: 'POST', path: '/api/v1/programmes', summary: 'Create a programme', access: ['admin'], body: z.object({ name: z.string(), nameEn: z.string().optional(), description: z.string().optional(), predecessorId: z.number().int().optional() }), status: 201, response: idOut }, async (c) => {
    const body = await jsonBody(c);
    if (body instanceof Response) return body;
    const p = await createProgramme(c.get('ctx'), c.get('user'), body);
    return c.json({ id: p.id }, 201);
  });

  op({ method: 'GET', path: '/api/v1/offerings', summary: 'Offerings of a fiscal year', access: 'user', query: { fiscalYear: 'e.g. 2026' } }, async (c) => {
    const admin = c.get('user')!.roles.includes('admin');
    const rows = await listOfferings(c.get('ctx'), { fiscalYear: (toId(c.req.query('fiscalYear')) || undefined), publishedOnly: !admin });
    return c.json({
      items: rows.map((o) => ({
        id: o.id,
        programmeId: o.programme_id,
        programme: o.programme_name,
        fiscalYear: o.fiscal_year,
        title: o.title,
        selection: o.selection,
        capacity: o.capacity,
        confirmed: o.confirmed_count,
        applicationOpensAt: o.application_opens_at,
        applicationClosesAt: o.application_closes_at,
      })),
    });
  });
  op({ method: 'POST', path: '/api/v1/offerings', summary: 'Create an offering (a programme in one fiscal year)', access: ['admin'], body: offeringBody, status: 201, response: idOut }, async (c) => {
    const body = await jsonBody(c);
    if (body instanceof Response) return body;
    const o = await createOffering(c.get('ctx'), c.get('user'), body);
    return c.json({ id: o.id }, 201);
  });
  op({ method: 'GET', path: '/api/v1/offerings/:id', summary: 'One offering with its sessions', access: 'user' }, async (c) => {
    const d = await getOffering(c.get('ctx'), num(c.req.param('id')));
    if (!d || (!d.offering.published && !c.get('user')!.roles.includes('admin'))) return apiError(c, 404, 'not_found', c.get('t')('error.offeringNotFound'));
    const o = d.offering;
    return c.json({
      id: o.id,
      programmeId: o.programme_id,
      fiscalYear: o.fiscal_year,
      title: o.title,
      audience: o.audience,
      selection: o.selection,
      capacity: o.capacity,
      seats: o.seats,
      waitlist: o.waitlist,
      endorsementRequired: o.endorsement_required,
      applicationOpensAt: o.application_opens_at,
      applicationClosesAt: o.application_closes_at,
      questions: o.questions,
      lotterySeed: o.lottery_seed,
      sessions: d.sessions.map((s) => ({ id: s.id, title: s.title, format: s.format, startsAt: s.starts_at, endsAt: s.ends_at, venue: s.venue, lecturers: s.lecturers })),
    });
  });
  op({ method: 'POST', path: '/api/v1/offerings/:id/sessions', summary: 'Add a session (回)', access: ['admin'], body: sessionBody, status: 201, response: idOut }, async (c) => {
    const body = await jsonBody(c);
    if (body instanceof Response) return body;
    const s = await addSession(c.get('ctx'), c.get('user'), num(c.req.param('id')), body);
    return c.json({ id: s.id }, 201);
  });

  op(
    {
      method: 'POST',
      path: '/api/v1/offerings/:id/applications',
      summary: 'Apply for the caller; an admin may pass personId (代理申込)',
      access: 'user',
      body: z.object({ personId: z.number().int().optional(), answers: z.record(z.string(), z.string()).optional() }),
      status: 201,
      response: appOut,
    },
    async (c) => {
      const body = await jsonBody(c);
      if (body instanceof Response) return body;
      const personId = body.personId === undefined ? undefined : Number(body.personId);
      if (personId !== undefined && !Number.isInteger(personId)) return apiError(c, 422, 'validation', c.get('t')('error.invalid', { field: 'personId' }), { personId: c.get('t')('error.invalid', { field: 'personId' }) });
      const a = await apply(c.get('ctx'), c.get('user')!, num(c.req.param('id')), { personId, answers: (body.answers as Record<string, unknown>) ?? {} });
      return c.json({ id: a.id, status: a.status }, 201);
    },
  );
  op(
    {
      method: 'GET',
      path: '/api/v1/offerings/:id/applications',
      summary: 'Applications of an offering, with waitlist positions',
      access: ['admin'],
      query: { status: 'filter by status' },
      response: z.object({ items: z.array(appItem) }),
    },
    async (c) => {
      const rows = await listApplications(c.get('ctx'), num(c.req.param('id')), { status: c.req.query('status') || undefined });
      return c.json({
        items: rows.map((a) => ({
          id: a.id,
          personId: a.person_id,
          name: a.person_name,
          status: a.status,
          seatGroup: a.seat_group,
          waitlistPosition: a.waitlist_position,
          lotteryRank: a.lottery_rank,
          participantCode: a.participant_code,
        })),
      });
    },
  );
  op({ method: 'GET', path: '/api/v1/applications/:id', summary: 'One application (own, or any for an admin)', access: 'user', response: appOut }, async (c) => {
    const a = await getApplication(c.get('ctx'), num(c.req.param('id')));
    const u = c.get('user')!;
    if (!a || (a.person_id !== u.id && !u.roles.includes('admin'))) return apiError(c, 404, 'not_found', c.get('t')('error.notFound'));
    return c.json({ id: a.id, status: a.status, offeringId: a.offering_id, participantCode: a.participant_code });
  });
  op({ method: 'GET', path: '/api/v1/me/applications', summary: 'My applications', access: 'user' }, async (c) => {
    const rows = await myApplications(c.get('ctx'), c.get('user')!.id);
    return c.json({ items: rows.map((a) => ({ id: a.id, offeringId: a.offering_id, title: a.offering_title, fiscalYear: a.fiscal_year, status: a.status })) });
  });
  op({ method: 'POST', path: '/api/v1/applications/:id/cancel', summary: 'Cancel (辞退) an application', access: 'user', body: z.object({ reason: z.string().optional() }), response: appOut }, async (c) => {
    const body = await jsonBody(c).catch(() => ({}));
    const a = await cancel(c.get('ctx'), c.get('user')!, num(c.req.param('id')), body instanceof Response ? {} : body);
    return c.json({ id: a.id, status: a.status });
  });
  op(
    {
      method: 'POST',
      path: '/api/v1/applications/:id/endorse',
      summary: 'Endorse or return an application (unit approver)',
      access: ['approver'],
      body: z.object({ decision: z.enum(['endorse', 'return']), comment: z.string().optional() }),
      response: appOut,
    },
    async (c) => {
      const body = await jsonBody(c);
      if (body instanceof Response) return body;
      const a = await endorse(c.get('ctx'), c.get('user')!, num(c.req.param('id')), body);
      return c.json({ id: a.id, status: a.status });
    },
  );
  op(
    {
      method: 'POST',
      path: '/api/v1/offerings/:id/decisions',
      summary: 'Review decisions in bulk (選考), all or nothing',
      access: ['admin'],
      body: z.object({ applicationIds: z.array(z.number().int()), decision: z.enum(['confirmed', 'waitlisted', 'not_selected']) }),
      response: z.object({ items: z.array(appOut) }),
    },
    async (c) => {
      const body = await jsonBody(c);
      if (body instanceof Response) return body;
      const rows = await decide(c.get('ctx'), c.get('user')!, num(c.req.param('id')), body);
      return c.json({ items: rows.map((a) => ({ id: a.id, status: a.status })) });
    },
  );
  op(
    {
      method: 'POST',
      path: '/api/v1/offerings/:id/lottery',
      summary: 'Draw the lottery (uniform, reproducible from the recorded seed)',
      access: ['admin'],
      body: z.object({ seed: z.string().optional() }),
      response: z.object({ seed: z.string(), confirmed: z.number().int(), waitlisted: z.number().int(), notSelected: z.number().int() }),
    },
    async (c) => {
      const body = await jsonBody(c).catch(() => ({}));
      const r = await runLottery(c.get('ctx'), c.get('user')!, num(c.req.param('id')), body instanceof Response ? {} : body);
      return c.json(r);
    },
  );
}
