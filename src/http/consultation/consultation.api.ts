import { z } from 'zod';
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
  workspace,
} from '../../services/consultation.service.js';
import { type ApiOp, formatQuery, listQuery, paged, pagedOut, pageOfList, wantsFile } from '../api.js';
import { sendTable } from '../export.js';
import { activityColumns, caseColumns, consultationColumns, consultationDetailJson, consultationJson, suggestionColumns, suggestionRows, suggestionsJson } from './presenter.js';
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
      summary: 'Consultations the caller may see, newest first: all for admins and the coordinators’ desk; else those they filed or are assigned to; paged by cursor; or as CSV/xlsx (format), with the columns of the consultation pages’ downloads',
      access: STAFF,
      query: consultationListQuery.extend({ ...listQuery('number'), ...formatQuery() }),
      response: consultationListOut.extend({ next: pagedOut(consultationListOut.shape.items.element).shape.next }),
      formats: true,
    },
    async (c, { query }) => {
      const rows = await visibleConsultations(c.get('ctx'), c.get('user')!, { status: query.status, kind: query.kind });
      if (wantsFile(query)) return sendTable(c, query.format, 'consultations', c.get('t')('consultations.mine'), consultationColumns(c.get('t')), rows);
      // The cursor is (filed at, id), newest first: the list's order.
      const key = (r: (typeof rows)[number]) => ({ key: r.created_at.getTime(), id: r.id });
      return paged(c, pageOfList(rows, key, query, 'desc'), query.limit, key, consultationJson);
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
    {
      method: 'GET',
      path: '/api/v1/consultations/:id',
      summary: 'One consultation with its assignments and activity log (404 unless the caller may see it); or its activity log as CSV/xlsx (format), as the case page downloads it',
      access: STAFF,
      query: z.object(formatQuery()),
      response: consultationDetailOut,
      formats: true,
    },
    async (c, { params, query }) => {
      const d = await getConsultation(c.get('ctx'), c.get('user')!, params.id);
      if (wantsFile(query)) return sendTable(c, query.format, `consultation-${d.consultation.id}-log`, c.get('t')('consultations.log'), activityColumns(c.get('t')), d.activities);
      return c.json(consultationDetailJson(d));
    },
  );
  op(
    {
      method: 'GET',
      path: '/api/v1/consultations/:id/suggestions',
      summary: 'Ranked coordinators and partner organisations, each with the parts of its score (admins and the coordinators’ desk); or as CSV/xlsx (format), as the case page downloads them',
      access: ['coordinator'],
      query: z.object(formatQuery()),
      response: suggestionsOut,
      formats: true,
    },
    async (c, { params, query }) => {
      const s = await suggestions(c.get('ctx'), c.get('user')!, params.id);
      if (wantsFile(query)) return sendTable(c, query.format, `consultation-${s.consultation.id}-suggestions`, c.get('t')('consultations.suggestions'), suggestionColumns(c.get('t')), suggestionRows(c.get('t'), s));
      return c.json(suggestionsJson(s));
    },
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
  const caseOut = z.object({
    id: z.number().int(),
    title: z.string(),
    kind: z.string(),
    unit: z.string(),
    status: z.string(),
    outcome: z.string().nullable(),
    assignment: z.string().describe('offered or accepted (declined cases are not listed)'),
    assignedAt: z.string(),
    closedAt: z.string().nullable(),
    minutes: z.number().int().describe('minutes this coordinator logged on the case'),
  });
  op(
    {
      method: 'GET',
      path: '/api/v1/me/cases',
      summary: 'My cases as a coordinator (the workspace): open ones and my history, with the minutes I logged and my practice since certification; or every case as CSV/xlsx (format), as the workspace downloads them',
      access: ['coordinator'],
      query: z.object(formatQuery()),
      response: z.object({ open: z.array(caseOut), history: z.array(caseOut), practice: z.object({ cases: z.number().int(), minutes: z.number().int() }), since: z.string().nullable() }),
      formats: true,
    },
    async (c, { query }) => {
      const w = await workspace(c.get('ctx'), c.get('user')!);
      if (wantsFile(query)) return sendTable(c, query.format, 'my-cases', c.get('t')('consultations.workspace.title'), caseColumns(c.get('t')), [...w.open, ...w.history]);
      const json = (x: (typeof w.open)[number]) => ({
        id: x.id,
        title: x.title,
        kind: x.kind,
        unit: x.unit_name,
        status: x.status,
        outcome: x.outcome,
        assignment: x.assignment_status,
        assignedAt: x.assigned_at.toISOString(),
        closedAt: x.closed_at ? x.closed_at.toISOString() : null,
        minutes: x.minutes,
      });
      return c.json({ open: w.open.map(json), history: w.history.map(json), practice: w.practice, since: w.since });
    },
  );
}
