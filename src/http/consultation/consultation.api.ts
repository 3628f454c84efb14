import {
  assignCoordinators,
  closeConsultation,
  fileConsultation,
  getConsultation,
  logActivity,
  respondToAssignment,
  suggestions,
  visibleConsultations,
  withdrawConsultation,
} from '../../services/consultation.service.js';
import type { ApiOp } from '../api.js';
import { consultationDetailJson, consultationJson, suggestionsJson } from './presenter.js';
import {
  activityBody,
  assignBody,
  closeBody,
  closedOut,
  consultationBody,
  consultationDetailOut,
  consultationListOut,
  consultationListQuery,
  declineBody,
  idOut,
  statusOut,
  suggestionsOut,
  withdrawBody,
} from './schema.js';

const STAFF = ['staff', 'approver', 'coordinator'] as const;

export function registerConsultationApi(op: ApiOp) {
  op(
    {
      method: 'GET',
      path: '/api/v1/consultations',
      summary: 'Consultations the caller may see: all for admins and the coordinators’ desk; else those they filed or are assigned to',
      access: STAFF,
      query: consultationListQuery,
      response: consultationListOut,
    },
    async (c, { query }) => {
      const rows = await visibleConsultations(c.get('ctx'), c.get('user')!, query);
      return c.json({ items: rows.map(consultationJson) });
    },
  );
  op(
    {
      method: 'POST',
      path: '/api/v1/consultations',
      summary: 'File a consultation request (橋渡し bridge, 企画・調整 planning, 事業評価の支援・助言 evaluation)',
      access: STAFF,
      body: consultationBody,
      status: 201,
      response: idOut,
    },
    async (c, { body }) => {
      const row = await fileConsultation(c.get('ctx'), c.get('user')!, body);
      return c.json({ id: row.id }, 201);
    },
  );
  op(
    { method: 'GET', path: '/api/v1/consultations/:id', summary: 'One consultation with its assignments and activity log (404 unless the caller may see it)', access: STAFF, response: consultationDetailOut },
    async (c, { params }) => c.json(consultationDetailJson(await getConsultation(c.get('ctx'), c.get('user')!, params.id))),
  );
  op(
    {
      method: 'GET',
      path: '/api/v1/consultations/:id/suggestions',
      summary: 'Ranked coordinators and partner organisations, each with the parts of its score (admins and the coordinators’ desk)',
      access: ['coordinator'],
      response: suggestionsOut,
    },
    async (c, { params }) => c.json(suggestionsJson(await suggestions(c.get('ctx'), c.get('user')!, params.id))),
  );
  op(
    {
      method: 'POST',
      path: '/api/v1/consultations/:id/assignments',
      summary: 'Assign one or more coordinators (admins and the coordinators’ desk; any certified coordinator may be chosen)',
      access: ['coordinator'],
      body: assignBody,
      response: statusOut,
    },
    async (c, { body, params }) => {
      const r = await assignCoordinators(c.get('ctx'), c.get('user')!, params.id, body);
      return c.json({ id: r.id, status: r.status });
    },
  );
  op({ method: 'POST', path: '/api/v1/consultations/:id/accept', summary: 'The assigned coordinator accepts the case', access: ['coordinator'], response: statusOut }, async (c, { params }) => {
    const r = await respondToAssignment(c.get('ctx'), c.get('user')!, params.id, true);
    return c.json({ id: r.id, status: r.status });
  });
  op({ method: 'POST', path: '/api/v1/consultations/:id/decline', summary: 'The assigned coordinator declines the case, with a reason', access: ['coordinator'], body: declineBody, response: statusOut }, async (c, { body, params }) => {
    const r = await respondToAssignment(c.get('ctx'), c.get('user')!, params.id, false, body);
    return c.json({ id: r.id, status: r.status });
  });
  op(
    {
      method: 'POST',
      path: '/api/v1/consultations/:id/activities',
      summary: 'Log a dated activity: time spent, partners contacted, meetings (an accepted coordinator, or an admin)',
      access: ['coordinator'],
      body: activityBody,
      status: 201,
      response: idOut,
    },
    async (c, { body, params }) => {
      const a = await logActivity(c.get('ctx'), c.get('user')!, params.id, body);
      return c.json({ id: a.id }, 201);
    },
  );
  op(
    {
      method: 'POST',
      path: '/api/v1/consultations/:id/close',
      summary: 'Close the case with an outcome; the requester is asked for feedback',
      access: ['coordinator'],
      body: closeBody,
      response: closedOut,
    },
    async (c, { body, params }) => {
      const r = await closeConsultation(c.get('ctx'), c.get('user')!, params.id, body);
      return c.json({ id: r.id, status: r.status, feedbackSurveyId: r.feedback_survey_id });
    },
  );
  op({ method: 'POST', path: '/api/v1/consultations/:id/withdraw', summary: 'The requester (or an admin) withdraws an open case', access: STAFF, body: withdrawBody, response: statusOut }, async (c, { body, params }) => {
    const r = await withdrawConsultation(c.get('ctx'), c.get('user')!, params.id, body);
    return c.json({ id: r.id, status: r.status });
  });
}
