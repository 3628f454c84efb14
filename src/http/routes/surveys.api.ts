import { z } from 'zod';
import { QUESTION_TYPES, scalePoints } from '../../domain/survey.js';
import { createSurvey, createTemplate, getSurvey, listSurveys, listTemplates, rawAnswers, respond, results } from '../../services/survey.service.js';
import { apiError } from '../api-errors.js';
import { toId } from '../forms.js';
import { type ApiOp, jsonBody, query } from '../api.js';
import { SURVEY_KINDS, TEMPLATE_PURPOSES } from '../../domain/values.js';

const question = z.object({
  id: z.string(),
  type: z.enum(QUESTION_TYPES),
  label: z.string(),
  labelEn: z.string().optional(),
  required: z.boolean(),
  options: z.array(z.string()).optional(),
  rows: z.array(z.object({ id: z.string(), label: z.string(), labelEn: z.string().optional() })).optional(),
  /** Words of a scale's points for 5, 4, 3, 2, 1 (highest first); the agreement scale when absent. */
  anchors: z.array(z.object({ label: z.string(), labelEn: z.string().optional() })).optional(),
});
const templateOut = z.object({ id: z.number().int(), code: z.string().nullable(), name: z.string(), purpose: z.enum(TEMPLATE_PURPOSES), anonymous: z.boolean(), builtin: z.boolean(), questions: z.array(question) });
const surveyOut = z.object({
  id: z.number().int(),
  kind: z.enum(SURVEY_KINDS),
  title: z.string(),
  anonymous: z.boolean(),
  offeringId: z.number().int().nullable(),
  sessionId: z.number().int().nullable(),
  opensAt: z.string(),
  closesAt: z.string(),
  invited: z.number().int(),
  responded: z.number().int(),
});
const answerValue = z.union([z.number(), z.string(), z.array(z.string()), z.record(z.string(), z.number())]);

export function registerSurveysApi(op: ApiOp) {
  op({ method: 'GET', path: '/api/v1/survey-templates', summary: 'Survey templates', access: ['admin'], response: z.object({ items: z.array(templateOut) }) }, async (c) => {
    const rows = await listTemplates(c.get('ctx'));
    return c.json({ items: rows.map((x) => ({ id: x.id, code: x.code, name: x.name, purpose: x.purpose, anonymous: x.anonymous, builtin: x.builtin, questions: x.questions })) });
  });
  op(
    {
      method: 'POST',
      path: '/api/v1/survey-templates',
      summary: 'Create a survey template',
      access: ['admin'],
      body: z.object({ name: z.string(), purpose: z.enum(TEMPLATE_PURPOSES), anonymous: z.boolean(), questions: z.array(question) }),
      status: 201,
      response: z.object({ id: z.number().int() }),
    },
    async (c) => {
      const body = await jsonBody(c);
      if (body instanceof Response) return body;
      const x = await createTemplate(c.get('ctx'), c.get('user'), body);
      return c.json({ id: x.id }, 201);
    },
  );
  op({ method: 'GET', path: '/api/v1/surveys', summary: 'Surveys with invitation and response counts', access: ['admin'], query: z.object({ offering: query.id('offering id'), kind: query.oneOf(SURVEY_KINDS, 'survey kind'), fy: query.fiscalYear() }), response: z.object({ items: z.array(surveyOut) }) }, async (c) => {
    const rows = await listSurveys(c.get('ctx'), {
      offeringId: toId(c.req.query('offering')) || undefined,
      kind: SURVEY_KINDS.find((k) => k === c.req.query('kind')),
      fiscalYear: toId(c.req.query('fy')) || undefined,
    });
    return c.json({
      items: rows.map((s) => ({ id: s.id, kind: s.kind, title: s.title, anonymous: s.anonymous, offeringId: s.offering_id, sessionId: s.session_id, opensAt: s.opens_at.toISOString(), closesAt: s.closes_at.toISOString(), invited: Number(s.invited ?? 0), responded: Number(s.responded ?? 0) })),
    });
  });
  op(
    {
      method: 'POST',
      path: '/api/v1/surveys',
      summary: 'Create a survey from a template and invite its audience (pre/post: the offering’s confirmed participants; post_session: those present; host: the host’s members)',
      access: ['admin'],
      body: z.object({ templateId: z.number().int(), kind: z.enum(SURVEY_KINDS), title: z.string().optional(), anonymous: z.boolean().optional(), offeringId: z.number().int().optional(), sessionId: z.number().int().optional(), opensAt: z.string(), closesAt: z.string() }),
      status: 201,
      response: z.object({ id: z.number().int() }),
    },
    async (c) => {
      const body = await jsonBody(c);
      if (body instanceof Response) return body;
      const s = await createSurvey(c.get('ctx'), c.get('user'), body);
      return c.json({ id: s.id }, 201);
    },
  );
  op({ method: 'GET', path: '/api/v1/surveys/:id/results', summary: 'Response rate and a summary per question', access: ['admin'] }, async (c) => {
    const r = await results(c.get('ctx'), toId(c.req.param('id')));
    if (!r) return apiError(c, 404, 'not_found', c.get('t')('error.notFound'));
    return c.json({
      id: r.survey.id,
      title: r.survey.title,
      invited: r.invited,
      responded: r.responded,
      responseRate: r.rate,
      // Anonymous surveys (decision 0018): answers written so far and waiting for their batch; with
      // fewer than minAnswers written, tooFew is true and no per-answer figure is given.
      ...(r.survey.anonymous ? { written: r.written, waiting: r.waiting, minAnswers: r.minAnswers, tooFew: r.tooFew } : {}),
      // counts[0] is the number of 1s; points lists the same counts in the product's one order,
      // highest first, each with its words (5 = そう思う).
      questions: r.summaries.map(({ question: q, summary }) => {
        const points = (counts: number[]) => scalePoints(q, c.get('lang')).map((p) => ({ value: p.value, label: p.words, count: counts[p.value - 1] }));
        if (summary.kind === 'scale') return { id: q.id, type: q.type, label: q.label, ...summary, points: points(summary.counts) };
        if (summary.kind === 'matrix') return { id: q.id, type: q.type, label: q.label, ...summary, rows: summary.rows.map((row) => ({ ...row, points: points(row.counts) })) };
        return { id: q.id, type: q.type, label: q.label, ...summary };
      }),
    });
  });
  op({ method: 'GET', path: '/api/v1/surveys/:id/responses', summary: 'Every answer (admins). Named surveys carry the respondent; anonymous ones never do.', access: ['admin'] }, async (c) => {
    const raw = await rawAnswers(c.get('ctx'), toId(c.req.param('id')));
    if (!raw) return apiError(c, 404, 'not_found', c.get('t')('error.notFound'));
    // An anonymous answer carries neither a person nor a day (decision 0011).
    return c.json({ anonymous: raw.survey.anonymous, ...(raw.survey.anonymous ? { tooFew: !!raw.tooFew } : {}), items: raw.rows.map((r) => (r.respondent ? { respondent: r.respondent, submittedOn: r.submittedOn, answers: r.answers } : { answers: r.answers })) });
  });
  op({ method: 'GET', path: '/api/v1/surveys/:id', summary: 'A survey’s questions, for someone asked to answer it', access: 'user' }, async (c) => {
    const s = await getSurvey(c.get('ctx'), toId(c.req.param('id')));
    const user = c.get('user')!;
    if (!s) return apiError(c, 404, 'not_found', c.get('t')('error.notFound'));
    const invited = await c.get('ctx').db.selectFrom('survey_invitations').select('responded_on').where('survey_id', '=', s.id).where('person_id', '=', user.id).executeTakeFirst();
    if (!invited && !user.roles.includes('admin')) return apiError(c, 404, 'not_found', c.get('t')('error.notFound'));
    return c.json({ id: s.id, title: s.title, anonymous: s.anonymous, opensAt: s.opens_at.toISOString(), closesAt: s.closes_at.toISOString(), answered: !!invited?.responded_on, questions: s.questions });
  });
  op(
    {
      method: 'POST',
      path: '/api/v1/surveys/:id/responses',
      summary: 'Answer a survey (once; again with the same person, or for an anonymous survey with editKey, to change the answers until it closes)',
      access: 'user',
      body: z.object({ answers: z.record(z.string(), answerValue), editKey: z.string().optional() }),
      response: z.object({ editKey: z.string().nullable(), updated: z.boolean() }),
    },
    async (c) => {
      const body = await jsonBody(c);
      if (body instanceof Response) return body;
      const answers = body.answers && typeof body.answers === 'object' && !Array.isArray(body.answers) ? (body.answers as Record<string, unknown>) : {};
      const r = await respond(c.get('ctx'), c.get('user')!, toId(c.req.param('id')), { answers, editKey: typeof body.editKey === 'string' ? body.editKey : null, lang: c.get('lang') });
      return c.json(r);
    },
  );
}
