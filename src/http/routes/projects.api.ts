import { z } from 'zod';
import { createProject, evaluationView, getProject, listCriteria, listProjects, saveEvaluation, updateProject } from '../../services/project.service.js';
import { toId } from '../forms.js';
import { type ApiOp, jsonBody } from '../api.js';

const ALL = ['staff', 'approver', 'coordinator', 'partner'] as const;
const id32 = () => z.number().int().positive().max(2147483647);
const projectBody = z.object({
  title: z.string().max(200),
  unitId: id32(),
  partnerIds: z.array(id32()).min(1).max(20),
  startsOn: z.string().describe('yyyy-mm-dd'),
  endsOn: z.string().optional().describe('yyyy-mm-dd'),
  objective: z.string().max(4000).describe('the purpose of the project'),
  coordinatorId: id32().optional(),
  consultationIds: z.array(id32()).max(20).optional().describe('the consultations it came from'),
});
const projectOut = z.object({
  id: z.number().int(),
  title: z.string(),
  unitId: z.number().int(),
  unitName: z.string(),
  partners: z.string().nullable(),
  startsOn: z.string(),
  endsOn: z.string().nullable(),
  objective: z.string(),
  coordinatorId: z.number().int().nullable(),
  coordinatorName: z.string().nullable(),
  evaluations: z.number().int(),
});
const scoreOut = z.object({ score: z.number().int().nullable(), comment: z.string() });

export function registerProjectsApi(op: ApiOp) {
  op({ method: 'GET', path: '/api/v1/projects', summary: 'Collaboration projects the caller may see (a partner member: their organisation’s only)', access: ALL, response: z.object({ items: z.array(projectOut) }) }, async (c) => {
    const rows = await listProjects(c.get('ctx'), c.get('user')!);
    return c.json({
      items: rows.map((p) => ({
        id: p.id,
        title: p.title,
        unitId: p.unit_id,
        unitName: p.unit_name,
        partners: p.partner_names ?? null,
        startsOn: p.starts_on,
        endsOn: p.ends_on,
        objective: p.purpose,
        coordinatorId: p.coordinator_id,
        coordinatorName: p.coordinator_name,
        evaluations: Number(p.evaluations ?? 0),
      })),
    });
  });
  op({ method: 'POST', path: '/api/v1/projects', summary: 'Record a collaboration project (admins and coordinators)', access: ['coordinator'], body: projectBody, status: 201, response: z.object({ id: z.number().int() }) }, async (c) => {
    const body = await jsonBody(c);
    if (body instanceof Response) return body;
    const p = await createProject(c.get('ctx'), c.get('user')!, body);
    return c.json({ id: p.id }, 201);
  });
  op({ method: 'GET', path: '/api/v1/projects/:id', summary: 'One project with its partners and source consultations (404 unless the caller may see it)', access: ALL }, async (c) => {
    const d = await getProject(c.get('ctx'), c.get('user')!, toId(c.req.param('id')));
    const p = d.project;
    return c.json({
      id: p.id,
      title: p.title,
      unitId: p.unit_id,
      unitName: p.unit_name,
      startsOn: p.starts_on,
      endsOn: p.ends_on,
      objective: p.purpose,
      coordinatorId: p.coordinator_id,
      coordinatorName: p.coordinator_name,
      partners: d.partners.map((x) => ({ id: x.id, name: x.name })),
      consultationIds: d.consultations.map((x) => x.id),
    });
  });
  op({ method: 'PUT', path: '/api/v1/projects/:id', summary: 'Edit a project (admins, its creator or coordinator)', access: ['coordinator'], body: projectBody, response: z.object({ id: z.number().int() }) }, async (c) => {
    const body = await jsonBody(c);
    if (body instanceof Response) return body;
    const p = await updateProject(c.get('ctx'), c.get('user')!, toId(c.req.param('id')), body);
    return c.json({ id: p.id });
  });
  op(
    {
      method: 'GET',
      path: '/api/v1/projects/:id/evaluations',
      summary: 'Both sides’ scores per criterion side by side, with gaps (partner − unit); a partner member sees the unit’s side and their own',
      access: ALL,
      response: z.object({
        criteria: z.array(z.object({ id: z.number().int(), label: z.string(), labelEn: z.string() })),
        rows: z.array(
          z.object({
            criterionId: z.number().int(),
            unit: scoreOut.nullable(),
            partners: z.array(z.object({ partnerId: z.number().int(), score: z.number().int().nullable(), comment: z.string(), gap: z.number().int().nullable(), highlight: z.boolean() })),
            highlight: z.boolean(),
          }),
        ),
        means: z.object({ unit: z.number().nullable(), partners: z.array(z.object({ partnerId: z.number().int(), name: z.string(), mean: z.number().nullable() })) }),
      }),
    },
    async (c) => {
      const v = await evaluationView(c.get('ctx'), c.get('user')!, toId(c.req.param('id')));
      return c.json({
        criteria: v.criteria.map((x) => ({ id: x.id, label: x.label, labelEn: x.label_en })),
        rows: v.rows.map(({ maxGap: _m, ...row }) => row),
        means: { unit: v.unit.mean, partners: v.partners.map((s) => ({ partnerId: s.partner.id, name: s.partner.name, mean: s.mean })) },
      });
    },
  );
  op(
    {
      method: 'PUT',
      path: '/api/v1/projects/:id/evaluations',
      summary: 'Save the caller’s side of the evaluation: every active criterion scored 1–5, with a comment each',
      access: ALL,
      body: z.object({
        side: z.enum(['unit', 'partner']).optional().describe('defaults to the caller’s own side'),
        scores: z.array(z.object({ criterionId: id32(), score: z.number().int().min(1).max(5), comment: z.string().max(1000).optional() })),
      }),
      response: z.object({ evaluationId: z.number().int(), side: z.enum(['unit', 'partner']) }),
    },
    async (c) => {
      const body = await jsonBody(c);
      if (body instanceof Response) return body;
      const r = await saveEvaluation(c.get('ctx'), c.get('user')!, toId(c.req.param('id')), body, c.get('lang'));
      return c.json({ evaluationId: r.evaluationId, side: r.side.side });
    },
  );
  op(
    { method: 'GET', path: '/api/v1/evaluation-criteria', summary: 'The evaluation criteria (admins may edit them)', access: ALL, response: z.object({ items: z.array(z.object({ id: z.number().int(), code: z.string().nullable(), label: z.string(), labelEn: z.string(), active: z.boolean() })) }) },
    async (c) => {
      const rows = await listCriteria(c.get('ctx'));
      return c.json({ items: rows.map((x) => ({ id: x.id, code: x.code, label: x.label, labelEn: x.label_en, active: x.active })) });
    },
  );
}
