import { z } from 'zod';
import { createProject, evaluationView, getProject, listProjects, saveEvaluation, updateProject } from '../../services/project.service.js';
import { type ApiOp, formatQuery, listQuery, paged, pagedOut, pageOfList, wantsFile } from '../api.js';
import { sendTable } from '../export.js';
import { evaluationColumns, evaluationJson, projectColumns, projectDetailJson, projectJson } from './presenter.js';
import { evaluationBody, evaluationsOut, idOut, projectBody, projectDetailOut, projectOut } from './schema.js';

const ALL = ['staff', 'approver', 'coordinator', 'partner'] as const;

export function registerProjectApi(op: ApiOp) {
  op(
    {
      method: 'GET',
      path: '/api/v1/projects',
      summary: 'Collaboration projects the caller may see (a partner member: their organisation’s only), newest start first; paged by cursor; or as CSV/xlsx (format), as the projects page downloads them',
      access: ALL,
      query: z.object({ ...listQuery('text'), ...formatQuery() }),
      response: pagedOut(projectOut),
      formats: true,
    },
    async (c, { query }) => {
      const rows = await listProjects(c.get('ctx'), c.get('user')!);
      if (wantsFile(query)) return sendTable(c, query.format, 'projects', c.get('t')('projects.title'), projectColumns(c.get('t')), rows);
      // The cursor is (starts on, id), newest first: the list's order.
      const key = (p: (typeof rows)[number]) => ({ key: p.starts_on, id: p.id });
      return paged(c, pageOfList(rows, key, query, 'desc'), query.limit, key, projectJson);
    },
  );
  op({ method: 'POST', path: '/api/v1/projects', summary: 'Record a collaboration project (admins and coordinators)', access: ['coordinator'], body: projectBody, status: 201, response: idOut }, async (c, { body }) => {
    const p = await createProject(c.get('ctx'), c.get('user')!, body);
    return c.json({ id: p.id }, 201);
  });
  op(
    { method: 'GET', path: '/api/v1/projects/:id', summary: 'One project with its partners and source consultations (404 unless the caller may see it)', access: ALL, response: projectDetailOut },
    async (c, { params }) => c.json(projectDetailJson(await getProject(c.get('ctx'), c.get('user')!, params.id))),
  );
  op({ method: 'PUT', path: '/api/v1/projects/:id', summary: 'Edit a project (admins, its creator or coordinator)', access: ['coordinator'], body: projectBody, response: idOut }, async (c, { body, params }) => {
    const p = await updateProject(c.get('ctx'), c.get('user')!, params.id, body);
    return c.json({ id: p.id });
  });
  op(
    {
      method: 'GET',
      path: '/api/v1/projects/:id/evaluations',
      summary: 'Both sides’ scores per criterion side by side, with gaps (partner − unit); a partner member sees the unit’s side and their own; or the comparison as CSV/xlsx (format)',
      access: ALL,
      query: z.object(formatQuery()),
      response: evaluationsOut,
      formats: true,
    },
    async (c, { params, query }) => {
      const v = await evaluationView(c.get('ctx'), c.get('user')!, params.id);
      if (wantsFile(query)) return sendTable(c, query.format, `project-${v.project.id}-evaluation`, c.get('t')('projects.comparison'), evaluationColumns(c.get('t'), v), v.rows);
      return c.json(evaluationJson(v));
    },
  );
  op(
    {
      method: 'PUT',
      path: '/api/v1/projects/:id/evaluations',
      summary: 'Save the caller’s side of the evaluation: every active criterion scored 1–5, with a comment each',
      access: ALL,
      body: evaluationBody,
      response: z.object({ evaluationId: z.number().int(), side: z.enum(['unit', 'partner']) }),
    },
    async (c, { body, params }) => {
      const r = await saveEvaluation(c.get('ctx'), c.get('user')!, params.id, body, c.get('lang'));
      return c.json({ evaluationId: r.evaluationId, side: r.side.side });
    },
  );
}
