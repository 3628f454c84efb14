import type { FieldErrors } from '../../lib/validation.js';
import { createTemplate, getTemplate, listTemplates, questionsToText, updateTemplate } from '../../services/survey.service.js';
import { type FormBody, formAction, toId } from '../forms.js';
import { page } from '../page.js';
import type { Ctx, Router } from '../router.js';
import { STARTER_QUESTIONS, TemplateForm, TemplateList } from './survey-template.views.js';

const templatePage = (c: Ctx, title: string, action: string, values: FormBody, errors: FieldErrors | null, notice: string | null = null) => {
  const t = c.get('t');
  return page(c, title, <TemplateForm t={t} csrf={c.get('csrf')} action={action} values={values} errors={errors} />, {
    crumbs: [{ label: t('nav.home'), href: '/' }, { label: t('survey.templates'), href: '/admin/survey-templates' }, { label: title }],
    status: errors ? 422 : 200,
    notice,
  });
};

export function registerSurveyTemplatePages(r: Router) {
  r.get('/admin/survey-templates', ['admin'], async (c) => {
    const t = c.get('t');
    const rows = await listTemplates(c.get('ctx'));
    return page(c, t('survey.templates'), <TemplateList t={t} rows={rows} />, {
      crumbs: [{ label: t('nav.home'), href: '/' }, { label: t('survey.title'), href: '/admin/surveys' }, { label: t('survey.templates') }],
    });
  });
  r.get('/admin/survey-templates/new', ['admin'], (c) => templatePage(c, c.get('t')('survey.newTemplate'), '/admin/survey-templates', { purpose: 'general', questions: STARTER_QUESTIONS }, null));
  r.post('/admin/survey-templates', ['admin'], (c) =>
    formAction(c, {
      run: (body) => createTemplate(c.get('ctx'), c.get('user'), body),
      invalid: (body, errors) => templatePage(c, c.get('t')('survey.newTemplate'), '/admin/survey-templates', body, errors),
      done: (x) => `/admin/survey-templates/${x.id}?notice=saved`,
    }),
  );
  r.get('/admin/survey-templates/:id', ['admin'], async (c) => {
    const x = await getTemplate(c.get('ctx'), toId(c.req.param('id')));
    if (!x) return c.notFound();
    return templatePage(c, x.name, `/admin/survey-templates/${x.id}`, { name: x.name, purpose: x.purpose, anonymous: x.anonymous ? 'on' : '', questions: questionsToText(x.questions) }, null, c.req.query('notice') === 'saved' ? c.get('t')('common.saved') : null);
  });
  r.post('/admin/survey-templates/:id', ['admin'], (c) => {
    const id = toId(c.req.param('id'));
    return formAction(c, {
      run: (body) => updateTemplate(c.get('ctx'), c.get('user'), id, body),
      invalid: (body, errors) => templatePage(c, c.get('t')('survey.templates'), `/admin/survey-templates/${id}`, body, errors),
      done: () => `/admin/survey-templates/${id}?notice=saved`,
    });
  });
}
