import { z } from 'zod';
import { mayViewApplication } from '../../domain/policies/application.js';
import { answerQuestions, apply, cancel, decide, endorse, getApplication, listApplications, myApplications } from '../../services/application.service.js';
import { getOffering } from '../../services/offering.service.js';
import { apiError } from '../api-errors.js';
import type { ApiOp } from '../api.js';
import { applicationDetailJson, applicationItemJson, myApplicationJson } from './presenter.js';
import { answersBody, appDetail, appItem, applicationListQuery, applyBody, appOut, cancelApplicationBody, decisionsBody, endorseBody, myApplicationItem } from './schema.js';

/** Applications: applying (for oneself, or 代理申込), the office's list and decisions, one's own, 辞退, 推薦・承認. */
export function registerApplicationApi(op: ApiOp) {
  const questionsOf = async (c: Parameters<Parameters<ApiOp>[1]>[0], offeringId: number) => (await getOffering(c.get('ctx'), offeringId))?.offering.questions ?? [];
  op(
    {
      method: 'POST',
      path: '/api/v1/offerings/:id/applications',
      summary: 'Apply for the caller; an admin may pass personId (代理申込) with the answers, or answersPending: true to leave the required answers to the applicant',
      access: 'user',
      body: applyBody,
      status: 201,
      response: appOut,
    },
    async (c, { body, params }) => {
      const a = await apply(c.get('ctx'), c.get('user')!, params.id, { personId: body.personId, answers: body.answers ?? {}, answersPending: body.answersPending });
      return c.json({ id: a.id, status: a.status }, 201);
    },
  );
  op(
    {
      method: 'GET',
      path: '/api/v1/offerings/:id/applications',
      summary: 'Applications of an offering, with waitlist positions',
      access: ['admin'],
      query: applicationListQuery,
      response: z.object({ items: z.array(appItem) }),
    },
    async (c, { query, params }) => {
      const rows = await listApplications(c.get('ctx'), params.id, { status: query.status });
      const questions = await questionsOf(c, params.id);
      return c.json({ items: rows.map((a) => applicationItemJson(a, questions)) });
    },
  );
  op({ method: 'GET', path: '/api/v1/applications/:id', summary: 'One application (own, or any for an admin)', access: 'user', response: appDetail }, async (c, { params }) => {
    const a = await getApplication(c.get('ctx'), params.id);
    if (!a || !mayViewApplication(c.get('user'), a)) return apiError(c, 404, 'not_found', c.get('t')('error.notFound'));
    return c.json(applicationDetailJson(a, await questionsOf(c, a.offering_id)));
  });
  op(
    {
      method: 'PUT',
      path: '/api/v1/applications/:id/answers',
      summary: 'Answer the questions of one’s own application taken with answers pending (代理申込・所属推薦)',
      access: 'user',
      body: answersBody,
      response: appOut,
    },
    async (c, { body, params }) => {
      const a = await answerQuestions(c.get('ctx'), c.get('user')!, params.id, { answers: body.answers });
      return c.json({ id: a.id, status: a.status });
    },
  );
  op({ method: 'GET', path: '/api/v1/me/applications', summary: 'My applications', access: 'user', response: z.object({ items: z.array(myApplicationItem) }) }, async (c) => {
    const rows = await myApplications(c.get('ctx'), c.get('user')!.id);
    return c.json({ items: rows.map(myApplicationJson) });
  });
  op({ method: 'POST', path: '/api/v1/applications/:id/cancel', summary: 'Cancel (辞退) an application', access: 'user', body: cancelApplicationBody, response: appOut }, async (c, { body, params }) => {
    const a = await cancel(c.get('ctx'), c.get('user')!, params.id, body ?? {});
    return c.json({ id: a.id, status: a.status });
  });
  op(
    { method: 'POST', path: '/api/v1/applications/:id/endorse', summary: 'Endorse or return an application (unit approver)', access: ['approver'], body: endorseBody, response: appOut },
    async (c, { body, params }) => {
      const a = await endorse(c.get('ctx'), c.get('user')!, params.id, body);
      return c.json({ id: a.id, status: a.status });
    },
  );
  op(
    { method: 'POST', path: '/api/v1/offerings/:id/decisions', summary: 'Review decisions in bulk (選考), all or nothing', access: ['admin'], body: decisionsBody, response: z.object({ items: z.array(appOut) }) },
    async (c, { body, params }) => {
      const rows = await decide(c.get('ctx'), c.get('user')!, params.id, body);
      return c.json({ items: rows.map((a) => ({ id: a.id, status: a.status })) });
    },
  );
}
