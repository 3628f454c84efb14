import { z } from 'zod';
import { toId } from '../forms.js';
import { APPLICATION_STATUSES, SELECTION_METHODS } from '../../domain/selection.js';
import { answerQuestions, apply, cancel, decide, endorse, getApplication, listApplications, myApplications, runLottery } from '../../services/application.service.js';
import { answerSheet, owesAnswers } from '../../domain/application-policy.js';
import { addSession, cancelOffering, createOffering, createProgramme, deleteOffering, getOffering, listOfferings, updateProgramme } from '../../services/offering.service.js';
import { fieldMessage, type Translate } from '../../i18n/index.js';
import { ServiceError } from '../../services/context.js';
import type { Context } from 'hono';
import type { AppEnv } from '../env.js';
import { apiError } from '../api-errors.js';
import { type ApiOp, jsonBody, query } from '../api.js';
import { PROGRAMME_KINDS, SESSION_FORMATS } from '../../domain/values.js';
import { listProgrammes } from '../../services/offering.service.js';

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
  confirm: z.boolean().optional().describe('needed when the new session withdraws completions (else 409 confirmation_required with the counts)'),
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
  answers: z.array(z.object({ questionId: z.string(), question: z.string(), answer: z.string() })).describe('answers under the text of each question'),
  answersPending: z.boolean().describe('taken for the applicant with the required answers left to them'),
});
/** An application's answers, each under its question's text. */
const answersJson = (questions: Parameters<typeof answerSheet>[0], answers: Record<string, string>) => answerSheet(questions, answers).map((l) => ({ questionId: l.id, question: l.question, answer: l.answer }));

const num = toId;

const fiscalYearIn = z.union([z.number().int(), z.string(), z.null()]).optional().describe('fiscal year by its starting calendar year (2011), or as text (H23, 平成23年度)');
const programmeBody = z.object({
  name: z.string().max(200),
  nameEn: z.string().max(200).optional(),
  kana: z.string().max(200).optional(),
  description: z.string().max(4000).optional(),
  kind: z.enum(PROGRAMME_KINDS).optional(),
  owningUnitId: z.number().int().nullable().optional(),
  predecessorId: z.number().int().nullable().optional().describe('the programme this one continues (its lineage); a loop is refused'),
  firstFiscalYear: fiscalYearIn.describe('default: the current fiscal year'),
  lastFiscalYear: fiscalYearIn.describe('set to close the programme: no new offering after it'),
});
const programmeOut = z.object({
  id: z.number().int(),
  name: z.string(),
  nameEn: z.string(),
  kind: z.enum(PROGRAMME_KINDS),
  owningUnitId: z.number().int().nullable(),
  predecessorId: z.number().int().nullable(),
  firstFiscalYear: z.number().int().nullable(),
  lastFiscalYear: z.number().int().nullable(),
});

function programmeJson(p: { id: number; name: string; name_en: string; kind: (typeof PROGRAMME_KINDS)[number]; owning_unit_id: number | null; predecessor_id: number | null; first_fiscal_year: number | null; last_fiscal_year: number | null }) {
  return {
    id: p.id,
    name: p.name,
    nameEn: p.name_en,
    kind: p.kind,
    owningUnitId: p.owning_unit_id,
    predecessorId: p.predecessor_id,
    firstFiscalYear: p.first_fiscal_year,
    lastFiscalYear: p.last_fiscal_year,
  };
}

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

export function registerOfferingsApi(op: ApiOp) {
  op({ method: 'GET', path: '/api/v1/programmes', summary: 'Programmes with lineage', access: 'user' }, async (c) => {
    const items = await listProgrammes(c.get('ctx'));
    return c.json({ items: items.map(programmeJson) });
  });
  op({ method: 'POST', path: '/api/v1/programmes', summary: 'Create a programme', access: ['admin'], body: programmeBody, status: 201, response: idOut }, async (c) => {
    const body = await jsonBody(c);
    if (body instanceof Response) return body;
    return withProgrammeLabels(c, async () => {
      const p = await createProgramme(c.get('ctx'), c.get('user'), body);
      return c.json({ id: p.id }, 201);
    });
  });
  op(
    {
      method: 'PUT',
      path: '/api/v1/programmes/:id',
      summary: 'Edit a programme: names, owner, years (lastFiscalYear closes it), predecessor (no loops). Fields left out keep their value; null clears one.',
      access: ['admin'],
      body: programmeBody,
      response: programmeOut,
    },
    async (c) => {
      const body = await jsonBody(c);
      if (body instanceof Response) return body;
      return withProgrammeLabels(c, async () => {
        const p = await updateProgramme(c.get('ctx'), c.get('user'), num(c.req.param('id')), body);
        return c.json(programmeJson(p));
      });
    },
  );

  op({ method: 'GET', path: '/api/v1/offerings', summary: 'Offerings of a fiscal year', access: 'user', query: z.object({ fiscalYear: query.fiscalYear('e.g. 2026') }) }, async (c) => {
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
        published: o.published,
        cancelledAt: o.cancelled_at,
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
      published: o.published,
      cancelledAt: o.cancelled_at,
      cancelledReason: o.cancelled_reason,
      sessions: d.sessions.map((s) => ({ id: s.id, title: s.title, format: s.format, startsAt: s.starts_at, endsAt: s.ends_at, venue: s.venue, lecturers: s.lecturers })),
    });
  });
  op(
    {
      method: 'POST',
      path: '/api/v1/offerings/:id/cancel',
      summary: 'Cancel (中止) an offering: every live application is withdrawn and its applicant mailed with the reason; the offering leaves the public schedule, the open data and the calendars',
      access: ['admin'],
      body: z.object({ reason: z.string().max(1000) }),
      response: z.object({ id: z.number().int(), cancelledAt: z.string(), told: z.number().int().describe('applicants mailed') }),
    },
    async (c) => {
      const body = await jsonBody(c);
      if (body instanceof Response) return body;
      const r = await cancelOffering(c.get('ctx'), c.get('user'), num(c.req.param('id')), body);
      return c.json({ id: r.offering.id, cancelledAt: r.offering.cancelled_at, told: r.told });
    },
  );
  op(
    { method: 'DELETE', path: '/api/v1/offerings/:id', summary: 'Delete an offering nobody applied to (one with applications is refused: cancel it instead)', access: ['admin'], status: 204 },
    async (c) => {
      await deleteOffering(c.get('ctx'), c.get('user'), num(c.req.param('id')));
      return c.body(null, 204);
    },
  );
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
      summary: 'Apply for the caller; an admin may pass personId (代理申込) with the answers, or answersPending: true to leave the required answers to the applicant',
      access: 'user',
      body: z.object({
        personId: z.number().int().optional(),
        answers: z.record(z.string(), z.string()).optional().describe('question id → answer'),
        answersPending: z.boolean().optional().describe('with personId only: the applicant answers the required questions later (they are mailed)'),
      }),
      status: 201,
      response: appOut,
    },
    async (c) => {
      const body = await jsonBody(c);
      if (body instanceof Response) return body;
      const personId = body.personId === undefined ? undefined : Number(body.personId);
      if (personId !== undefined && !Number.isInteger(personId)) return apiError(c, 422, 'validation', c.get('t')('error.invalid', { field: 'personId' }), { personId: c.get('t')('error.invalid', { field: 'personId' }) });
      const a = await apply(c.get('ctx'), c.get('user')!, num(c.req.param('id')), { personId, answers: (body.answers as Record<string, unknown>) ?? {}, answersPending: body.answersPending });
      return c.json({ id: a.id, status: a.status }, 201);
    },
  );
  op(
    {
      method: 'GET',
      path: '/api/v1/offerings/:id/applications',
      summary: 'Applications of an offering, with waitlist positions',
      access: ['admin'],
      query: z.object({ status: query.oneOf(APPLICATION_STATUSES, 'filter by status') }),
      response: z.object({ items: z.array(appItem) }),
    },
    async (c) => {
      const rows = await listApplications(c.get('ctx'), num(c.req.param('id')), { status: c.req.query('status') || undefined });
      const questions = (await getOffering(c.get('ctx'), num(c.req.param('id'))))?.offering.questions ?? [];
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
          answers: answersJson(questions, a.answers),
          answersPending: a.answers_pending,
        })),
      });
    },
  );
  const appDetail = appOut.extend({
    offeringId: z.number().int(),
    participantCode: z.string(),
    answers: appItem.shape.answers,
    answersPending: z.boolean(),
    endorsement: z.object({ by: z.string().nullable(), at: z.string(), comment: z.string().nullable() }).nullable().describe('the approver’s 推薦・承認 or 差戻し, with their comment'),
  });
  op({ method: 'GET', path: '/api/v1/applications/:id', summary: 'One application (own, or any for an admin)', access: 'user', response: appDetail }, async (c) => {
    const a = await getApplication(c.get('ctx'), num(c.req.param('id')));
    const u = c.get('user')!;
    if (!a || (a.person_id !== u.id && !u.roles.includes('admin'))) return apiError(c, 404, 'not_found', c.get('t')('error.notFound'));
    const questions = (await getOffering(c.get('ctx'), a.offering_id))?.offering.questions ?? [];
    return c.json({
      id: a.id,
      status: a.status,
      offeringId: a.offering_id,
      participantCode: a.participant_code,
      answers: answersJson(questions, a.answers),
      answersPending: a.answers_pending,
      // The approver's decision with their comment (差戻し or 推薦・承認), as the applicant's page shows it.
      endorsement: a.endorsed_at ? { by: a.endorser_name, at: a.endorsed_at, comment: a.endorse_comment } : null,
    });
  });
  op(
    {
      method: 'PUT',
      path: '/api/v1/applications/:id/answers',
      summary: 'Answer the questions of one’s own application taken with answers pending (代理申込・所属推薦)',
      access: 'user',
      body: z.object({ answers: z.record(z.string(), z.string()).describe('question id → answer') }),
      response: appOut,
    },
    async (c) => {
      const body = await jsonBody(c);
      if (body instanceof Response) return body;
      const a = await answerQuestions(c.get('ctx'), c.get('user')!, num(c.req.param('id')), { answers: body.answers });
      return c.json({ id: a.id, status: a.status });
    },
  );
  op({ method: 'GET', path: '/api/v1/me/applications', summary: 'My applications', access: 'user' }, async (c) => {
    const rows = await myApplications(c.get('ctx'), c.get('user')!.id);
    return c.json({ items: rows.map((a) => ({ id: a.id, offeringId: a.offering_id, title: a.offering_title, fiscalYear: a.fiscal_year, status: a.status, answersPending: owesAnswers(a) })) });
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
      summary: 'Draw the lottery (uniform; the seed is drawn by the server, recorded and returned, so the draw is reproducible but cannot be chosen)',
      access: ['admin'],
      response: z.object({ seed: z.string(), confirmed: z.number().int(), waitlisted: z.number().int(), notSelected: z.number().int() }),
    },
    async (c) => {
      // A seed sent by the client is refused, not ignored: whoever sends one expects it to be used.
      const text = await c.req.text();
      let sent: unknown = null;
      try {
        sent = text.trim() ? JSON.parse(text) : null;
      } catch {
        sent = null;
      }
      if (sent && typeof sent === 'object' && 'seed' in sent) {
        const message = c.get('t')('error.seedByServer');
        return apiError(c, 422, 'validation', message, { seed: message });
      }
      const r = await runLottery(c.get('ctx'), c.get('user')!, num(c.req.param('id')));
      return c.json(r);
    },
  );
}
