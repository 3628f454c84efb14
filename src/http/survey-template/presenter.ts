import type { listTemplates } from '../../services/survey.service.js';

type TemplateRow = Awaited<ReturnType<typeof listTemplates>>[number];

export function templateJson(x: TemplateRow) {
  return { id: x.id, code: x.code, name: x.name, purpose: x.purpose, anonymous: x.anonymous, builtin: x.builtin, questions: x.questions };
}
