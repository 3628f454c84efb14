import type { FieldErrors } from '../../lib/validation.js';
import { addCriterion, listCriteria, updateCriterion } from '../../services/project.service.js';
import { formAction, toId } from '../forms.js';
import { page } from '../page.js';
import type { Ctx, Router } from '../router.js';
import { CriteriaView } from './evaluation-criterion.views.js';

/** The criteria projects are evaluated by (admins): reworded or retired; evaluations made keep their scores. */
export function registerEvaluationCriterionPages(r: Router) {
  const criteriaPage = async (c: Ctx, errors: FieldErrors | null = null, errorsFor: number | 'new' | null = null, notice: string | null = null) => {
    const t = c.get('t');
    const criteria = await listCriteria(c.get('ctx'));
    return page(c, t('projects.criteria.title'), <CriteriaView t={t} csrf={c.get('csrf')} criteria={criteria} errors={errors} errorsFor={errorsFor} />, {
      crumbs: [{ label: t('nav.home'), href: '/' }, { label: t('projects.title'), href: '/projects' }, { label: t('projects.criteria.title') }],
      notice,
      status: errors ? 422 : 200,
    });
  };
  r.get('/admin/evaluation-criteria', ['admin'], (c) => criteriaPage(c, null, null, c.req.query('notice') === 'saved' ? c.get('t')('common.saved') : null));
  r.post('/admin/evaluation-criteria', ['admin'], (c) =>
    formAction(c, {
      run: (form) => addCriterion(c.get('ctx'), c.get('user'), form),
      invalid: (_, errors) => criteriaPage(c, errors, 'new'),
      done: () => '/admin/evaluation-criteria?notice=saved',
    }),
  );
  r.post('/admin/evaluation-criteria/:id', ['admin'], (c) => {
    const id = toId(c.req.param('id'));
    return formAction(c, {
      run: (form) => updateCriterion(c.get('ctx'), c.get('user'), id, form),
      invalid: (_, errors) => criteriaPage(c, errors, id),
      done: () => '/admin/evaluation-criteria?notice=saved',
    });
  });
}
