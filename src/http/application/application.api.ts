import { z } from 'zod';
import { mayViewApplication } from '../../domain/policies/application.js';
import { answerQuestions, apply, cancel, decide, endorse, getApplication, listApplications, myApplications } from '../../services/application.service.js';
import { getOffering } from '../../services/offering.service.js';
import { apiError } from '../api-errors.js';
import { type ApiOp, formatQuery, listQuery, paged, pagedOut, pageOfList, query, wantsFile } from '../api.js';
import { sendTable } from '../export.js';
import { applicationDetailJson, applicationExportColumns, applicationItemJson, myApplicationJson } from './presenter.js';
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
      summary: 'Applications of an offering in the order they came (applied, then id), with waitlist positions; paged by cursor; or all of them as CSV/xlsx (format), as the applicants page downloads them',
      access: ['admin'],
      query: applicationListQuery.extend({ unit: query.id('the applicants’ unit'), ...listQuery('number'), ...formatQuery() }),
      response: pagedOut(appItem),
      formats: true,
    },
    async (c, { query: q, params }) => {
      const rows = await listApplications(c.get('ctx'), params.id, { status: q.status, unitId: q.unit });
      const questions = await questionsOf(c, params.id);
      if (wantsFile(q)) return sendTable(c, q.format, 'applications', c.get('t')('offerings.applications'), applicationExportColumns(c.get('t'), questions), rows);
      // Bounded by the offering, so read whole; the cursor is (applied at, id), the list's order.
      const key = (a: (typeof rows)[number]) => ({ key: a.applied_at.getTime(), id: a.id });
      return paged(c, pageOfList(rows, key, q), q.limit, key, (a) => applicationItemJson(a, questions));
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
  op(
    { method: 'GET', path: '/api/v1/me/applications', summary: 'My applications, newest first; paged by cursor', access: 'user', query: z.object(listQuery('none')), response: pagedOut(myApplicationItem) },
    async (c, { query: q }) => {
      const rows = await myApplications(c.get('ctx'), c.get('user')!.id);
      const key = (a: (typeof rows)[number]) => ({ key: null, id: a.id });
      return paged(c, pageOfList(rows, key, q, 'desc'), q.limit, key, myApplicationJson);
    },
  );
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
