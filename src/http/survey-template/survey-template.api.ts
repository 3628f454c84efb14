import { createTemplate, listTemplates, updateTemplate } from '../../services/survey.service.js';
import type { ApiOp } from '../api.js';
import { templateJson } from './presenter.js';
import { created, templateCreateBody, templateList, templateOut } from './schema.js';

export function registerSurveyTemplateApi(op: ApiOp) {
  op({ method: 'GET', path: '/api/v1/survey-templates', summary: 'Survey templates', access: ['admin'], response: templateList }, async (c) => {
    const rows = await listTemplates(c.get('ctx'));
    return c.json({ items: rows.map(templateJson) });
  });
  op({ method: 'POST', path: '/api/v1/survey-templates', summary: 'Create a survey template', access: ['admin'], body: templateCreateBody, labels: { name: 'field.templateName', questions: 'field.surveyQuestions' }, status: 201, response: created }, async (c, { body }) => {
    const x = await createTemplate(c.get('ctx'), c.get('user'), body);
    return c.json({ id: x.id }, 201);
  });
  op(
    {
      method: 'PUT',
      path: '/api/v1/survey-templates/:id',
      summary: 'Change a survey template (the whole of it, as on creation). Surveys already made from it keep the questions they were made with.',
      access: ['admin'],
      body: templateCreateBody,
      labels: { name: 'field.templateName', questions: 'field.surveyQuestions' },
      response: templateOut,
    },
    async (c, { params, body }) => c.json(templateJson(await updateTemplate(c.get('ctx'), c.get('user'), params.id, body))),
  );
}
