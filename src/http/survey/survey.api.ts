import { createSurvey, listSurveys, pendingReminders, rawAnswers, remind, respond, results, surveyForReader } from '../../services/survey.service.js';
import { apiError } from '../api-errors.js';
import { z } from 'zod';
import { type ApiOp, formatQuery, listQuery, paged, pagedOut, pageOfList, query, wantsFile } from '../api.js';
import { sendTable } from '../export.js';
import { answersExport, commentsExport, responsesJson, resultsExport, resultsJson, surveyForReaderJson, surveyJson } from './presenter.js';
import { created, remindBody, remindOut, responseBody, responseOut, surveyCreateBody, surveyForReaderOut, surveyList, surveyListQuery, surveyResponses, surveyResults } from './schema.js';

const formats = z.object(formatQuery());

export function registerSurveyApi(op: ApiOp) {
  op(
    {
      method: 'GET',
      path: '/api/v1/surveys',
      summary: 'Surveys with invitation and response counts, latest closing first; paged by cursor',
      access: ['admin'],
      query: surveyListQuery.extend(listQuery('number')),
      response: surveyList.extend({ next: pagedOut(surveyList.shape.items.element).shape.next }),
    },
    async (c, { query }) => {
      const rows = await listSurveys(c.get('ctx'), { offeringId: query.offering, kind: query.kind, fiscalYear: query.fy });
      // The cursor is (closes at, id), latest first: the list's order.
      const key = (s: (typeof rows)[number]) => ({ key: s.closes_at.getTime(), id: s.id });
      return paged(c, pageOfList(rows, key, query, 'desc'), query.limit, key, surveyJson);
    },
  );
  op(
    {
      method: 'POST',
      path: '/api/v1/surveys',
      summary: 'Create a survey from a template and invite its audience (pre/post: the offering’s confirmed participants; post_session: those present; host: the host’s members)',
      access: ['admin'],
      body: surveyCreateBody,
      status: 201,
      response: created,
    },
    async (c, { body }) => {
      const s = await createSurvey(c.get('ctx'), c.get('user'), body);
      return c.json({ id: s.id }, 201);
    },
  );
  op(
    { method: 'GET', path: '/api/v1/surveys/:id/results', summary: 'Response rate and a summary per question; or the figures as CSV/xlsx (format), as the results page downloads them', access: ['admin'], query: formats, response: surveyResults, formats: true },
    async (c, { params, query }) => {
      const r = await results(c.get('ctx'), params.id);
      if (!r) return apiError(c, 404, 'not_found', c.get('t')('error.notFound'));
      if (wantsFile(query)) {
        const { columns, rows } = resultsExport(c.get('t'), c.get('lang'), r);
        return sendTable(c, query.format, `survey-${r.survey.id}-results`, c.get('t')('survey.results'), columns, rows);
      }
      return c.json(resultsJson(r, c.get('lang')));
    },
  );
  op(
    {
      method: 'GET',
      path: '/api/v1/surveys/:id/responses',
      summary: 'Every answer (admins). Named surveys carry the respondent; anonymous ones never do. As CSV/xlsx (format): one row an answer (answers), or the free-text answers only (part=comments), as the results page downloads them',
      access: ['admin'],
      query: formats.extend({ part: query.oneOf(['answers', 'comments'], 'CSV/xlsx only: every answer (default), or the free-text answers') }),
      response: surveyResponses,
      formats: true,
    },
    async (c, { params, query }) => {
      const raw = await rawAnswers(c.get('ctx'), params.id);
      if (!raw) return apiError(c, 404, 'not_found', c.get('t')('error.notFound'));
      if (wantsFile(query)) {
        if (query.part === 'comments') {
          const { columns, rows } = commentsExport(raw);
          return sendTable(c, query.format, `survey-${raw.survey.id}-comments`, '自由記述', columns, rows);
        }
        const { columns, rows } = answersExport(c.get('t'), raw);
        return sendTable(c, query.format, `survey-${raw.survey.id}-answers`, '回答', columns, rows);
      }
      return c.json(responsesJson(raw));
    },
  );
  op({ method: 'GET', path: '/api/v1/surveys/:id', summary: 'A survey’s questions, for someone asked to answer it', access: 'user', response: surveyForReaderOut }, async (c, { params }) => {
    const v = await surveyForReader(c.get('ctx'), c.get('user')!, params.id);
    if (!v) return apiError(c, 404, 'not_found', c.get('t')('error.notFound'));
    return c.json(surveyForReaderJson(v));
  });
  op(
    {
      method: 'POST',
      path: '/api/v1/surveys/:id/responses',
      summary: 'Answer a survey (once; again with the same person, or for an anonymous survey with editKey, to change the answers until it closes)',
      access: 'user',
      body: responseBody,
      response: responseOut,
    },
    async (c, { body, params }) => c.json(await respond(c.get('ctx'), c.get('user')!, params.id, { answers: body.answers, editKey: body.editKey ?? null, lang: c.get('lang') })),
  );
  op(
    {
      method: 'POST',
      path: '/api/v1/surveys/:id/reminders',
      summary:
        'Remind everyone who has not answered an open survey: a mail to each. Mails people, so it asks first: without confirm true nothing is sent and the answer is 409 confirmation_required with pending (how many would be mailed). A closed survey is 409 closed.',
      access: ['admin'],
      body: remindBody,
      response: remindOut,
    },
    async (c, { params, body }) => {
      if (body?.confirm !== true) {
        const pending = await pendingReminders(c.get('ctx'), params.id);
        const t = c.get('t');
        return c.json({ error: { code: 'confirmation_required', message: t('survey.remindAsk', { count: pending }), fields: {}, pending } }, 409);
      }
      return c.json({ id: params.id, reminded: await remind(c.get('ctx'), c.get('user'), params.id) });
    },
  );
}
