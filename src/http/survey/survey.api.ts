import { createSurvey, listSurveys, rawAnswers, respond, results, surveyForReader } from '../../services/survey.service.js';
import { apiError } from '../api-errors.js';
import type { ApiOp } from '../api.js';
import { responsesJson, resultsJson, surveyForReaderJson, surveyJson } from './presenter.js';
import { created, responseBody, responseOut, surveyCreateBody, surveyForReaderOut, surveyList, surveyListQuery, surveyResponses, surveyResults } from './schema.js';

export function registerSurveyApi(op: ApiOp) {
  op({ method: 'GET', path: '/api/v1/surveys', summary: 'Surveys with invitation and response counts', access: ['admin'], query: surveyListQuery, response: surveyList }, async (c, { query }) => {
    const rows = await listSurveys(c.get('ctx'), { offeringId: query.offering, kind: query.kind, fiscalYear: query.fy });
    return c.json({ items: rows.map(surveyJson) });
  });
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
  op({ method: 'GET', path: '/api/v1/surveys/:id/results', summary: 'Response rate and a summary per question', access: ['admin'], response: surveyResults }, async (c, { params }) => {
    const r = await results(c.get('ctx'), params.id);
    if (!r) return apiError(c, 404, 'not_found', c.get('t')('error.notFound'));
    return c.json(resultsJson(r, c.get('lang')));
  });
  op({ method: 'GET', path: '/api/v1/surveys/:id/responses', summary: 'Every answer (admins). Named surveys carry the respondent; anonymous ones never do.', access: ['admin'], response: surveyResponses }, async (c, { params }) => {
    const raw = await rawAnswers(c.get('ctx'), params.id);
    if (!raw) return apiError(c, 404, 'not_found', c.get('t')('error.notFound'));
    return c.json(responsesJson(raw));
  });
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
}
