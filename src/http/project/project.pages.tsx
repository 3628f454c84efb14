import type { FieldErrors } from '../../lib/validation.js';
import { coordinatorsForChoice, getConsultation } from '../../services/consultation.service.js';
import { listPartners } from '../../services/partner.service.js';
import { createProject, evaluationView, getProject, listProjects, myEvaluation, saveEvaluation, updateProject } from '../../services/project.service.js';
import { listUnits } from '../../services/unit.service.js';
import { sendTable } from '../export.js';
import { type FormBody, formAction, toId } from '../forms.js';
import { page } from '../page.js';
import type { Ctx, Router } from '../router.js';
import { EvaluationFormView } from './project-evaluation.views.js';
import { ProjectDetailView, ProjectFormView, ProjectListView } from './project.views.js';
import { evaluationColumns, projectColumns } from './presenter.js';

const ALL = ['staff', 'approver', 'coordinator', 'partner'] as const;
type Crumb = { label: string; href?: string };

/** Collaboration projects (協働事業): the list, creating and editing, one project, and one side's evaluation. */
export function registerProjectPages(r: Router) {
  const crumbs = (c: Ctx, ...rest: Crumb[]) => [{ label: c.get('t')('nav.home'), href: '/' }, { label: c.get('t')('projects.title'), href: '/projects' }, ...rest];

  r.get('/projects', ALL, async (c) => {
    const t = c.get('t');
    const user = c.get('user')!;
    const rows = await listProjects(c.get('ctx'), user);
    const mayCreate = user.roles.includes('admin') || user.roles.includes('coordinator');
    return page(c, t('projects.title'), <ProjectListView t={t} lang={c.get('lang')} rows={rows} mayCreate={mayCreate} mayEditCriteria={user.roles.includes('admin')} />, {
      crumbs: [{ label: t('nav.home'), href: '/' }, { label: t('projects.title') }],
      notice: c.req.query('notice') === 'saved' ? t('common.saved') : null,
    });
  });
  for (const format of ['csv', 'xlsx'] as const)
    r.get(`/projects.${format}`, ALL, async (c) => sendTable(c, format, 'projects', c.get('t')('projects.title'), projectColumns(c.get('t')), await listProjects(c.get('ctx'), c.get('user')!)));

  // --- Creating and editing ------------------------------------------------------------------------
  const projectForm = async (c: Ctx, action: string, values: FormBody, errors: FieldErrors | null, title: string, extraCrumb: Crumb[]) => {
    const ctx = c.get('ctx');
    const [units, partners, coordinators] = await Promise.all([listUnits(ctx, { activeOnly: true }), listPartners(ctx), coordinatorsForChoice(ctx)]);
    return page(c, title, <ProjectFormView t={c.get('t')} csrf={c.get('csrf')} action={action} values={values} errors={errors} choices={{ units, partners, coordinators }} />, {
      crumbs: crumbs(c, ...extraCrumb),
      status: errors ? 422 : 200,
    });
  };
  r.get('/projects/new', ['coordinator'], async (c) => {
    const t = c.get('t');
    const user = c.get('user')!;
    const values: FormBody = { coordinatorId: user.roles.includes('coordinator') ? String(user.id) : '' };
    const from = toId(c.req.query('consultation'));
    if (from) {
      const d = await getConsultation(c.get('ctx'), user, from);
      const k = d.consultation;
      Object.assign(values, { title: k.title, unitId: String(k.unit_id), objective: k.goal, consultationIds: [String(k.id)], partnerIds: k.partner_id ? [String(k.partner_id)] : [], startsOn: k.desired_from ?? '', endsOn: k.desired_to ?? '' });
      const accepted = d.assignments.find((a) => a.status === 'accepted');
      if (accepted && !values.coordinatorId) values.coordinatorId = String(accepted.person_id);
    }
    return projectForm(c, '/projects', values, null, t('projects.new'), [{ label: t('projects.new') }]);
  });
  r.post('/projects', ['coordinator'], (c) =>
    formAction(c, {
      run: (form) => createProject(c.get('ctx'), c.get('user')!, form),
      invalid: (form, errors) => projectForm(c, '/projects', form, errors, c.get('t')('projects.new'), [{ label: c.get('t')('projects.new') }]),
      done: (p) => `/projects/${p.id}?notice=created`,
    }),
  );
  r.get('/projects/:id/edit', ['coordinator'], async (c) => {
    const t = c.get('t');
    const d = await getProject(c.get('ctx'), c.get('user')!, toId(c.req.param('id')));
    if (!d.canEdit) return c.notFound();
    const p = d.project;
    const values: FormBody = {
      title: p.title,
      unitId: String(p.unit_id),
      partnerIds: d.partners.map((x) => String(x.id)),
      startsOn: p.starts_on,
      endsOn: p.ends_on ?? '',
      objective: p.purpose,
      coordinatorId: p.coordinator_id ? String(p.coordinator_id) : '',
      consultationIds: d.consultations.map((x) => String(x.id)),
    };
    return projectForm(c, `/projects/${p.id}`, values, null, t('projects.edit'), [{ label: p.title, href: `/projects/${p.id}` }, { label: t('projects.edit') }]);
  });
  r.post('/projects/:id', ['coordinator'], (c) => {
    const id = toId(c.req.param('id'));
    const t = c.get('t');
    return formAction(c, {
      run: (form) => updateProject(c.get('ctx'), c.get('user')!, id, form),
      invalid: (form, errors) => projectForm(c, `/projects/${id}`, form, errors, t('projects.edit'), [{ label: t('projects.edit') }]),
      done: () => `/projects/${id}?notice=saved`,
    });
  });

  // --- One project, with both sides' evaluation side by side ---------------------------------------
  r.get('/projects/:id', ALL, async (c) => {
    const t = c.get('t');
    const user = c.get('user')!;
    const id = toId(c.req.param('id'));
    const d = await getProject(c.get('ctx'), user, id);
    const v = await evaluationView(c.get('ctx'), user, id);
    const n = c.req.query('notice');
    const notice = n === 'created' ? t('projects.created') : n === 'saved' ? t('common.saved') : n === 'evaluated' ? t('projects.evaluated') : null;
    const mayEdit = d.canEdit && user.roles.some((x) => x === 'admin' || x === 'coordinator');
    return page(c, d.project.title, <ProjectDetailView t={t} lang={c.get('lang')} d={d} v={v} mayEdit={mayEdit} />, { crumbs: crumbs(c, { label: d.project.title }), notice });
  });
  for (const format of ['csv', 'xlsx'] as const)
    r.get(`/projects/:id/evaluation.${format}`, ALL, async (c) => {
      const t = c.get('t');
      const v = await evaluationView(c.get('ctx'), c.get('user')!, toId(c.req.param('id')));
      return sendTable(c, format, `project-${v.project.id}-evaluation`, t('projects.comparison'), evaluationColumns(t, v), v.rows);
    });

  // --- One side's evaluation -----------------------------------------------------------------------
  const evaluationForm = async (c: Ctx, id: number, values: FormBody | null, errors: FieldErrors | null) => {
    const t = c.get('t');
    const e = await myEvaluation(c.get('ctx'), c.get('user')!, id, values?.side ?? c.req.query('side'));
    return page(c, t('projects.evaluationOf', { title: e.project.title }), <EvaluationFormView t={t} lang={c.get('lang')} csrf={c.get('csrf')} id={id} e={e} values={values} errors={errors} />, {
      crumbs: crumbs(c, { label: e.project.title, href: `/projects/${id}` }, { label: t('projects.evaluate') }),
      status: errors ? 422 : 200,
    });
  };
  r.get('/projects/:id/evaluation', ALL, (c) => evaluationForm(c, toId(c.req.param('id')), null, null));
  r.post('/projects/:id/evaluation', ALL, (c) => {
    const id = toId(c.req.param('id'));
    return formAction(c, {
      run: (form) => saveEvaluation(c.get('ctx'), c.get('user')!, id, form, c.get('lang')),
      invalid: (form, errors) => evaluationForm(c, id, form, errors),
      done: () => `/projects/${id}?notice=evaluated`,
    });
  });
}
