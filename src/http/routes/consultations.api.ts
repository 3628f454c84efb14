import { z } from 'zod';
import { ACTIVITY_KINDS, CONSULTATION_KINDS, CONSULTATION_OUTCOMES, CONSULTATION_STATUSES, type ConsultationStatus } from '../../domain/matching.js';
import {
  assignCoordinators,
  closeConsultation,
  type ConsultationRow,
  fileConsultation,
  getConsultation,
  logActivity,
  respondToAssignment,
  suggestions,
  visibleConsultations,
  withdrawConsultation,
} from '../../services/consultation.service.js';
import { toId } from '../forms.js';
import { type ApiOp, jsonBody, query } from '../api.js';

const partOut = z.object({ key: z.string(), points: z.number(), max: z.number(), matched: z.array(z.string()).optional(), count: z.number().int().optional() });
const consultationOut = z.object({
  id: z.number().int(),
  kind: z.enum(CONSULTATION_KINDS),
  title: z.string(),
  status: z.enum(CONSULTATION_STATUSES),
  outcome: z.enum(CONSULTATION_OUTCOMES).nullable(),
  unitId: z.number().int(),
  unitName: z.string(),
  requesterId: z.number().int(),
  requesterName: z.string(),
  fields: z.array(z.string()),
  areaUnitIds: z.array(z.number().int()),
  goal: z.string(),
  desiredFrom: z.string().nullable(),
  desiredTo: z.string().nullable(),
  partnerId: z.number().int().nullable(),
  partnerInMind: z.string(),
  coordinators: z.string().nullable(),
  createdAt: z.string(),
  closedAt: z.string().nullable(),
  feedbackSurveyId: z.number().int().nullable(),
});
const idOut = z.object({ id: z.number().int() });
const statusOut = z.object({ id: z.number().int(), status: z.enum(CONSULTATION_STATUSES) });

const toOut = (r: ConsultationRow) => ({
  id: r.id,
  kind: r.kind,
  title: r.title,
  status: r.status,
  outcome: r.outcome,
  unitId: r.unit_id,
  unitName: r.unit_name,
  requesterId: r.requester_id,
  requesterName: r.requester_name,
  fields: r.fields,
  areaUnitIds: r.area_unit_ids,
  goal: r.goal,
  desiredFrom: r.desired_from,
  desiredTo: r.desired_to,
  partnerId: r.partner_id,
  partnerInMind: r.partner_in_mind,
  coordinators: r.coordinator_names ?? null,
  createdAt: r.created_at.toISOString(),
  closedAt: r.closed_at ? r.closed_at.toISOString() : null,
  feedbackSurveyId: r.feedback_survey_id,
});

const STAFF = ['staff', 'approver', 'coordinator'] as const;

export function registerConsultationsApi(op: ApiOp) {
  op(
    {
      method: 'GET',
      path: '/api/v1/consultations',
      summary: 'Consultations the caller may see: all for admins and the coordinators’ desk; else those they filed or are assigned to',
      access: STAFF,
      query: z.object({ status: query.oneOf(CONSULTATION_STATUSES, 'status'), kind: query.oneOf(CONSULTATION_KINDS, 'kind') }),
      response: z.object({ items: z.array(consultationOut) }),
    },
    async (c) => {
      const rows = await visibleConsultations(c.get('ctx'), c.get('user')!, {
        status: CONSULTATION_STATUSES.find((s) => s === c.req.query('status')) as ConsultationStatus | undefined,
        kind: CONSULTATION_KINDS.find((k) => k === c.req.query('kind')),
      });
      return c.json({ items: rows.map(toOut) });
    },
  );
  op(
    {
      method: 'POST',
      path: '/api/v1/consultations',
      summary: 'File a consultation request (橋渡し bridge, 企画・調整 planning, 事業評価の支援・助言 evaluation)',
      access: STAFF,
      body: z.object({
        kind: z.enum(CONSULTATION_KINDS),
        title: z.string().max(200),
        unitId: z.number().int().positive().max(2147483647),
        fields: z.array(z.string().max(30)).optional(),
        areas: z.array(z.number().int()).optional().describe('municipality unit ids'),
        goal: z.string().max(4000).describe('what the requester wants to achieve'),
        desiredFrom: z.string().optional().describe('yyyy-mm-dd'),
        desiredTo: z.string().optional().describe('yyyy-mm-dd'),
        partnerId: z.number().int().optional().describe('a partner organisation already in mind'),
        partnerInMind: z.string().max(500).optional(),
      }),
      status: 201,
      response: idOut,
    },
    async (c) => {
      const body = await jsonBody(c);
      if (body instanceof Response) return body;
      const row = await fileConsultation(c.get('ctx'), c.get('user')!, body);
      return c.json({ id: row.id }, 201);
    },
  );
  op({ method: 'GET', path: '/api/v1/consultations/:id', summary: 'One consultation with its assignments and activity log (404 unless the caller may see it)', access: STAFF }, async (c) => {
    const d = await getConsultation(c.get('ctx'), c.get('user')!, toId(c.req.param('id')));
    return c.json({
      ...toOut(d.consultation),
      outcomeNote: d.consultation.outcome_note,
      assignments: d.assignments.map((a) => ({ personId: a.person_id, name: a.name, status: a.status, declineReason: a.decline_reason, assignedAt: a.assigned_at, respondedAt: a.responded_at })),
      activities: d.activities.map((a) => ({ id: a.id, onDate: a.on_date, minutes: a.minutes, kind: a.kind, note: a.note, partnerIds: a.partner_ids, personId: a.person_id })),
    });
  });
  op(
    {
      method: 'GET',
      path: '/api/v1/consultations/:id/suggestions',
      summary: 'Ranked coordinators and partner organisations, each with the parts of its score (admins and the coordinators’ desk)',
      access: ['coordinator'],
      response: z.object({
        coordinators: z.array(z.object({ personId: z.number().int(), name: z.string(), score: z.number(), eligible: z.boolean(), parts: z.array(partOut) })),
        partners: z.array(z.object({ partnerId: z.number().int(), name: z.string(), score: z.number(), parts: z.array(partOut) })),
      }),
    },
    async (c) => {
      const s = await suggestions(c.get('ctx'), c.get('user')!, toId(c.req.param('id')));
      return c.json({
        coordinators: s.coordinators.map((x) => ({ personId: x.candidate.personId, name: x.candidate.name, score: x.score, eligible: x.eligible, parts: x.parts })),
        partners: s.partners.map((x) => ({ partnerId: x.candidate.partnerId, name: x.candidate.name, score: x.score, parts: x.parts })),
      });
    },
  );
  op(
    {
      method: 'POST',
      path: '/api/v1/consultations/:id/assignments',
      summary: 'Assign one or more coordinators (admins and the coordinators’ desk; any certified coordinator may be chosen)',
      access: ['coordinator'],
      body: z.object({ personIds: z.array(z.number().int().positive().max(2147483647)).min(1).max(10) }),
      response: statusOut,
    },
    async (c) => {
      const body = await jsonBody(c);
      if (body instanceof Response) return body;
      const r = await assignCoordinators(c.get('ctx'), c.get('user')!, toId(c.req.param('id')), body);
      return c.json({ id: r.id, status: r.status });
    },
  );
  op({ method: 'POST', path: '/api/v1/consultations/:id/accept', summary: 'The assigned coordinator accepts the case', access: ['coordinator'], response: statusOut }, async (c) => {
    const r = await respondToAssignment(c.get('ctx'), c.get('user')!, toId(c.req.param('id')), true);
    return c.json({ id: r.id, status: r.status });
  });
  op({ method: 'POST', path: '/api/v1/consultations/:id/decline', summary: 'The assigned coordinator declines the case, with a reason', access: ['coordinator'], body: z.object({ reason: z.string().max(1000) }), response: statusOut }, async (c) => {
    const body = await jsonBody(c);
    if (body instanceof Response) return body;
    const r = await respondToAssignment(c.get('ctx'), c.get('user')!, toId(c.req.param('id')), false, body);
    return c.json({ id: r.id, status: r.status });
  });
  op(
    {
      method: 'POST',
      path: '/api/v1/consultations/:id/activities',
      summary: 'Log a dated activity: time spent, partners contacted, meetings (an accepted coordinator, or an admin)',
      access: ['coordinator'],
      body: z.object({ onDate: z.string().describe('yyyy-mm-dd'), minutes: z.number().int().min(0).max(1440), kind: z.enum(ACTIVITY_KINDS), note: z.string().max(2000), partnerIds: z.array(z.number().int()).optional() }),
      status: 201,
      response: idOut,
    },
    async (c) => {
      const body = await jsonBody(c);
      if (body instanceof Response) return body;
      const a = await logActivity(c.get('ctx'), c.get('user')!, toId(c.req.param('id')), body);
      return c.json({ id: a.id }, 201);
    },
  );
  op(
    {
      method: 'POST',
      path: '/api/v1/consultations/:id/close',
      summary: 'Close the case with an outcome; the requester is asked for feedback',
      access: ['coordinator'],
      body: z.object({ outcome: z.enum(CONSULTATION_OUTCOMES), note: z.string().max(2000).optional() }),
      response: statusOut.extend({ feedbackSurveyId: z.number().int().nullable() }),
    },
    async (c) => {
      const body = await jsonBody(c);
      if (body instanceof Response) return body;
      const r = await closeConsultation(c.get('ctx'), c.get('user')!, toId(c.req.param('id')), body);
      return c.json({ id: r.id, status: r.status, feedbackSurveyId: r.feedback_survey_id });
    },
  );
  op({ method: 'POST', path: '/api/v1/consultations/:id/withdraw', summary: 'The requester (or an admin) withdraws an open case', access: STAFF, body: z.object({ reason: z.string().max(1000).optional() }), response: statusOut }, async (c) => {
    const body = await jsonBody(c);
    if (body instanceof Response) return body;
    const r = await withdrawConsultation(c.get('ctx'), c.get('user')!, toId(c.req.param('id')), body);
    return c.json({ id: r.id, status: r.status });
  });
}
