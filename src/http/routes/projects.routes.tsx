import { formatWareki } from '../../domain/calendar.js';
import { GAP_THRESHOLD, SCORE_MAX, SCORE_MIN } from '../../domain/evaluation.js';
import type { EvaluationCriterion } from '../../db/schema.js';
import type { Translate } from '../../i18n/index.js';
import type { ExportColumn } from '../../lib/table-export.js';
import type { FieldErrors } from '../../lib/validation.js';
import { coordinatorsForChoice, getConsultation } from '../../services/consultation.service.js';
import { listPartners } from '../../services/partner.service.js';
import {
  addCriterion,
  createProject,
  evaluationView,
  getProject,
  listCriteria,
  listProjects,
  myEvaluation,
  saveEvaluation,
  updateCriterion,
  updateProject,
} from '../../services/project.service.js';
import { listUnits } from '../../services/unit.service.js';
import { sendTable } from '../export.js';
import { type FormBody, readForm, submit, toId } from '../forms.js';
import { page } from '../page.js';
import type { Ctx, Router } from '../router.js';
import { CheckboxGroup, type Column, CsrfField, DataTable, Downloads, ErrorSummary, SelectField, TextArea, TextField } from '../views/components.js';

const ALL = ['staff', 'approver', 'coordinator', 'partner'] as const;
const str = (v: FormBody[string] | undefined) => (typeof v === 'string' ? v : '');
const arr = (v: FormBody[string] | undefined) => (Array.isArray(v) ? v : typeof v === 'string' && v ? [v] : []);
const labelOf = (c: EvaluationCriterion, lang: 'ja' | 'en') => (lang === 'en' && c.label_en ? c.label_en : c.label);
const signed = (n: number) => (n > 0 ? `+${n}` : String(n));

type ProjectRow = Awaited<ReturnType<typeof listProjects>>[number];

const periodText = (lang: 'ja' | 'en', from: string, to: string | null) => `${formatWareki(from, lang)}〜${to ? formatWareki(to, lang) : ''}`;

/** The projects table (shared with the partner history pages). */
export function ProjectTable({ t, lang, rows, caption }: { t: Translate; lang: 'ja' | 'en'; rows: ProjectRow[]; caption: string }) {
  if (!rows.length) return <p>{t('projects.none')}</p>;
  const columns: Column<ProjectRow>[] = [
    { key: 'title', label: t('field.title'), cell: (p) => <a href={`/projects/${p.id}`}>{p.title}</a> },
    { key: 'unit', label: t('field.unitId'), cell: (p) => p.unit_name },
    { key: 'partners', label: t('field.partnerIds'), cell: (p) => p.partner_names ?? '' },
    { key: 'period', label: t('projects.period'), cell: (p) => periodText(lang, p.starts_on, p.ends_on) },
    { key: 'coordinator', label: t('field.coordinatorId'), cell: (p) => p.coordinator_name ?? '—' },
    { key: 'evaluations', label: t('projects.evaluations'), cell: (p) => Number(p.evaluations ?? 0) },
  ];
  return <DataTable t={t} caption={caption} columns={columns} rows={rows} basePath="" />;
}

export const projectColumns = (t: Translate): ExportColumn<ProjectRow>[] => [
  { header: t('projects.number'), value: (p) => p.id },
  { header: t('field.title'), value: (p) => p.title },
  { header: t('field.unitId'), value: (p) => p.unit_name },
  { header: t('field.partnerIds'), value: (p) => p.partner_names ?? '' },
  { header: t('field.startsOn'), value: (p) => p.starts_on },
  { header: t('field.endsOn'), value: (p) => p.ends_on ?? '' },
  { header: t('field.objective'), value: (p) => p.purpose },
  { header: t('field.coordinatorId'), value: (p) => p.coordinator_name ?? '' },
  { header: t('projects.evaluations'), value: (p) => Number(p.evaluations ?? 0) },
];

export function registerProjects(r: Router) {
  const crumbs = (t: Translate, ...rest: { label: string; href?: string }[]) => [{ label: t('nav.home'), href: '/' }, { label: t('projects.title'), href: '/projects' }, ...rest];

  r.get('/projects', ALL, async (c) => {
    const t = c.get('t');
    const user = c.get('user')!;
    const rows = await listProjects(c.get('ctx'), user);
    return page(
      c,
      t('projects.title'),
      <>
        <p>{t('projects.intro')}</p>
        {user.roles.includes('admin') || user.roles.includes('coordinator') ? (
          <p class="actions">
            <a class="button" href="/projects/new">
              {t('projects.new')}
            </a>
            {user.roles.includes('admin') ? (
              <a class="button button--secondary" href="/admin/evaluation-criteria">
                {t('projects.criteria.title')}
              </a>
            ) : null}
          </p>
        ) : null}
        <ProjectTable t={t} lang={c.get('lang')} rows={rows} caption={t('projects.title')} />
        <Downloads t={t} base="/projects" />
      </>,
      { crumbs: [{ label: t('nav.home'), href: '/' }, { label: t('projects.title') }], notice: c.req.query('notice') === 'saved' ? t('common.saved') : null },
    );
  });
  for (const format of ['csv', 'xlsx'] as const)
    r.get(`/projects.${format}`, ALL, async (c) => sendTable(c, format, 'projects', c.get('t')('projects.title'), projectColumns(c.get('t')), await listProjects(c.get('ctx'), c.get('user')!)));

  // --- Creating and editing ------------------------------------------------------------------------
  const projectForm = async (c: Ctx, action: string, values: FormBody, errors: FieldErrors | null, title: string, extraCrumb: { label: string; href?: string }[]) => {
    const t = c.get('t');
    const ctx = c.get('ctx');
    const [units, partners, coordinators] = await Promise.all([listUnits(ctx, { activeOnly: true }), listPartners(ctx), coordinatorsForChoice(ctx)]);
    return page(
      c,
      title,
      <>
        <ErrorSummary t={t} errors={errors} />
        <form method="post" action={action} novalidate>
          <CsrfField token={c.get('csrf')} />
          {arr(values.consultationIds).map((id) => (
            <input type="hidden" name="consultationIds" value={id} />
          ))}
          <TextField t={t} name="title" label={t('field.title')} value={str(values.title)} errors={errors} required maxlength={200} />
          <SelectField t={t} name="unitId" label={t('field.unitId')} value={str(values.unitId)} errors={errors} required blank="—" options={units.filter((u) => u.kind !== 'department').map((u) => ({ value: u.id, label: u.name }))} />
          <CheckboxGroup t={t} name="partnerIds" label={`${t('field.partnerIds')}（${t('common.required')}）`} values={arr(values.partnerIds)} errors={errors} options={partners.map((p) => ({ value: String(p.id), label: p.name }))} />
          <TextField t={t} name="startsOn" type="date" label={t('field.startsOn')} value={str(values.startsOn)} errors={errors} required />
          <TextField t={t} name="endsOn" type="date" label={t('field.endsOn')} value={str(values.endsOn)} errors={errors} />
          <TextArea t={t} name="objective" label={t('field.objective')} value={str(values.objective)} errors={errors} required maxlength={4000} rows={4} />
          <SelectField t={t} name="coordinatorId" label={t('field.coordinatorId')} value={str(values.coordinatorId)} errors={errors} blank="—" options={coordinators.map((p) => ({ value: p.id, label: `${p.name}（${p.unit_name ?? ''}）` }))} />
          {errors?.consultationIds ? <p class="field-error">{t(errors.consultationIds.key, { field: t('field.consultationIds'), ...errors.consultationIds.params })}</p> : null}
          <button type="submit" class="button">
            {t('common.save')}
          </button>
        </form>
      </>,
      { crumbs: crumbs(t, ...extraCrumb), status: errors ? 422 : 200 },
    );
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
  r.post('/projects', ['coordinator'], async (c) => {
    const form = await readForm(c);
    const res = await submit(() => createProject(c.get('ctx'), c.get('user')!, form), (errors) => projectForm(c, '/projects', form, errors, c.get('t')('projects.new'), [{ label: c.get('t')('projects.new') }]));
    if (!res.ok) return res.response;
    return c.redirect(`/projects/${res.value.id}?notice=created`, 303);
  });
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
  r.post('/projects/:id', ['coordinator'], async (c) => {
    const id = toId(c.req.param('id'));
    const form = await readForm(c);
    const t = c.get('t');
    const res = await submit(() => updateProject(c.get('ctx'), c.get('user')!, id, form), (errors) => projectForm(c, `/projects/${id}`, form, errors, t('projects.edit'), [{ label: t('projects.edit') }]));
    if (!res.ok) return res.response;
    return c.redirect(`/projects/${id}?notice=saved`, 303);
  });

  // --- One project, with both sides' evaluation side by side ---------------------------------------
  r.get('/projects/:id', ALL, async (c) => {
    const t = c.get('t');
    const lang = c.get('lang');
    const user = c.get('user')!;
    const id = toId(c.req.param('id'));
    const d = await getProject(c.get('ctx'), user, id);
    const v = await evaluationView(c.get('ctx'), user, id);
    const p = d.project;
    const n = c.req.query('notice');
    const notice = n === 'created' ? t('projects.created') : n === 'saved' ? t('common.saved') : n === 'evaluated' ? t('projects.evaluated') : null;
    const unitLabel = t('projects.unitSide', { unit: p.unit_name });
    return page(
      c,
      p.title,
      <>
        <dl class="meta">
          <dt>{t('field.unitId')}</dt>
          <dd>{p.unit_name}</dd>
          <dt>{t('field.partnerIds')}</dt>
          <dd>{d.partners.map((x) => x.name).join('、')}</dd>
          <dt>{t('projects.period')}</dt>
          <dd>{periodText(lang, p.starts_on, p.ends_on)}</dd>
          <dt>{t('field.coordinatorId')}</dt>
          <dd>{p.coordinator_name ?? '—'}</dd>
          {d.relation.unitSide ? (
            <>
              <dt>{t('field.consultationIds')}</dt>
              <dd>
                {d.consultations.length
                  ? d.consultations.map((k, i) => (
                      <>
                        {i ? '、' : ''}
                        <a href={`/consultations/${k.id}`}>{k.title}</a>
                      </>
                    ))
                  : '—'}
              </dd>
            </>
          ) : null}
        </dl>
        <h2>{t('field.objective')}</h2>
        <p class="mail-body">{p.purpose}</p>
        <p class="actions">
          <a class="button" href={`/projects/${p.id}/evaluation`}>
            {t('projects.evaluate')}
          </a>
          {d.canEdit && user.roles.some((x) => x === 'admin' || x === 'coordinator') ? (
            <a class="button button--secondary" href={`/projects/${p.id}/edit`}>
              {t('projects.edit')}
            </a>
          ) : null}
        </p>
        <h2>{t('projects.comparison')}</h2>
        <p class="hint">{t('projects.comparisonHint', { gap: GAP_THRESHOLD })}</p>
        <div class="table-wrap">
          <table class="data-table">
            <caption>{t('projects.comparison')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('projects.criterion')}</th>
                <th scope="col">{unitLabel}</th>
                {v.partners.map((s) => (
                  <th scope="col">{s.partner.name}</th>
                ))}
                <th scope="col">{t('projects.gap')}</th>
              </tr>
            </thead>
            <tbody>
              {v.rows.map((row) => {
                const criterion = v.criteria.find((x) => x.id === row.criterionId)!;
                return (
                  <tr>
                    <th scope="row">{labelOf(criterion, lang)}</th>
                    <td>
                      {row.unit ? <strong>{row.unit.score}</strong> : '—'}
                      {row.unit?.comment ? <p class="small">{row.unit.comment}</p> : null}
                    </td>
                    {row.partners.map((x) => (
                      <td>
                        {x.score !== null ? <strong>{x.score}</strong> : '—'}
                        {x.comment ? <p class="small">{x.comment}</p> : null}
                      </td>
                    ))}
                    <td>
                      {row.partners.map((x) =>
                        x.gap === null ? null : x.highlight ? (
                          <p>
                            <mark>{t('projects.gapLarge', { gap: signed(x.gap) })}</mark>
                          </p>
                        ) : (
                          <p>{signed(x.gap)}</p>
                        ),
                      )}
                      {row.maxGap === null ? '—' : null}
                    </td>
                  </tr>
                );
              })}
              <tr>
                <th scope="row">{t('projects.mean')}</th>
                <td>{v.unit.mean ?? '—'}</td>
                {v.partners.map((s) => (
                  <td>{s.mean ?? '—'}</td>
                ))}
                <td></td>
              </tr>
            </tbody>
          </table>
        </div>
        <p class="small">
          {v.unit.evaluation ? t('projects.submittedBy', { side: unitLabel, name: v.unit.evaluation.submitted_by_name ?? '', date: formatWareki(v.unit.evaluation.updated_at.toISOString().slice(0, 10), lang) }) : t('projects.notYet', { side: unitLabel })}
        </p>
        {v.partners.map((s) => (
          <p class="small">{s.evaluation ? t('projects.submittedBy', { side: s.partner.name, name: s.evaluation.submitted_by_name ?? '', date: formatWareki(s.evaluation.updated_at.toISOString().slice(0, 10), lang) }) : t('projects.notYet', { side: s.partner.name })}</p>
        ))}
        <Downloads t={t} base={`/projects/${p.id}/evaluation`} />
        {d.relation.admin ? (
          <p>
            <a href={`/admin/audit?entity=project&entityId=${p.id}`}>{t('audit.title')}</a>
          </p>
        ) : null}
      </>,
      { crumbs: crumbs(t, { label: p.title }), notice },
    );
  });
  for (const format of ['csv', 'xlsx'] as const)
    r.get(`/projects/:id/evaluation.${format}`, ALL, async (c) => {
      const t = c.get('t');
      const v = await evaluationView(c.get('ctx'), c.get('user')!, toId(c.req.param('id')));
      type Row = (typeof v.rows)[number];
      const unitLabel = t('projects.unitSide', { unit: v.project.unit_name });
      const columns: ExportColumn<Row>[] = [
        { header: t('projects.criterion'), value: (row) => v.criteria.find((x) => x.id === row.criterionId)?.label ?? '' },
        { header: `${unitLabel} ${t('projects.score')}`, value: (row) => row.unit?.score ?? '' },
        { header: `${unitLabel} ${t('projects.comment')}`, value: (row) => row.unit?.comment ?? '' },
        ...v.partners.flatMap((s, i): ExportColumn<Row>[] => [
          { header: `${s.partner.name} ${t('projects.score')}`, value: (row) => row.partners[i].score ?? '' },
          { header: `${s.partner.name} ${t('projects.comment')}`, value: (row) => row.partners[i].comment },
          { header: `${s.partner.name} ${t('projects.gap')}`, value: (row) => row.partners[i].gap ?? '' },
        ]),
        { header: t('projects.highlight'), value: (row) => (row.highlight ? t('projects.gapFlag') : '') },
      ];
      return sendTable(c, format, `project-${v.project.id}-evaluation`, t('projects.comparison'), columns, v.rows);
    });

  // --- One side's evaluation -----------------------------------------------------------------------
  const evaluationForm = async (c: Ctx, id: number, values: FormBody | null, errors: FieldErrors | null) => {
    const t = c.get('t');
    const lang = c.get('lang');
    const e = await myEvaluation(c.get('ctx'), c.get('user')!, id, values?.side ?? c.req.query('side'));
    const sideLabel = e.side.side === 'partner' ? (e.partnerName ?? '') : t('projects.unitSide', { unit: e.project.unit_name });
    const val = (key: string) => (values ? str(values[key]) : key.startsWith('score_') ? String(e.scores[Number(key.slice(6))]?.score ?? '') : (e.scores[Number(key.slice(8))]?.comment ?? ''));
    return page(
      c,
      t('projects.evaluationOf', { title: e.project.title }),
      <>
        <ErrorSummary t={t} errors={errors} />
        <p>{t('projects.evaluationIntro', { side: sideLabel })}</p>
        {e.submitted ? <p class="notice">{t('projects.alreadySubmitted')}</p> : null}
        <form method="post" action={`/projects/${id}/evaluation`} novalidate>
          <CsrfField token={c.get('csrf')} />
          <input type="hidden" name="side" value={e.side.side} />
          {e.criteria.map((cr) => {
            const name = `score_${cr.id}`;
            const error = errors?.[name];
            const commentName = `comment_${cr.id}`;
            return (
              <fieldset class={`field${error ? ' field--error' : ''}`} id={`f-${name}`} aria-describedby={error ? `f-${name}-error` : undefined}>
                <legend>
                  {labelOf(cr, lang)}
                  <span class="badge badge--required">{t('common.required')}</span>
                </legend>
                {error ? (
                  <p class="field-error" id={`f-${name}-error`}>
                    {t(error.key, error.params)}
                  </p>
                ) : null}
                <p class="hint">{t('projects.scaleHint')}</p>
                {Array.from({ length: SCORE_MAX - SCORE_MIN + 1 }, (_, i) => SCORE_MAX - i).map((n) => (
                  <label class="check">
                    <input type="radio" name={name} value={String(n)} checked={val(name) === String(n)} /> {t(`projects.scale.${n}` as never)}
                  </label>
                ))}
                <label for={`f-${commentName}`}>{t('projects.commentOn', { criterion: labelOf(cr, lang) })}</label>
                {errors?.[commentName] ? (
                  <p class="field-error" id={`f-${commentName}-error`}>
                    {t(errors[commentName].key, errors[commentName].params)}
                  </p>
                ) : null}
                <textarea id={`f-${commentName}`} name={commentName} rows={2} maxlength={1000}>
                  {val(commentName)}
                </textarea>
              </fieldset>
            );
          })}
          <button type="submit" class="button">
            {t('projects.evaluationSubmit')}
          </button>
        </form>
      </>,
      { crumbs: crumbs(t, { label: e.project.title, href: `/projects/${id}` }, { label: t('projects.evaluate') }), status: errors ? 422 : 200 },
    );
  };
  r.get('/projects/:id/evaluation', ALL, (c) => evaluationForm(c, toId(c.req.param('id')), null, null));
  r.post('/projects/:id/evaluation', ALL, async (c) => {
    const id = toId(c.req.param('id'));
    const form = await readForm(c);
    const res = await submit(() => saveEvaluation(c.get('ctx'), c.get('user')!, id, form, c.get('lang')), (errors) => evaluationForm(c, id, form, errors));
    if (!res.ok) return res.response;
    return c.redirect(`/projects/${id}?notice=evaluated`, 303);
  });

  // --- Criteria (admins) ---------------------------------------------------------------------------
  const criteriaPage = async (c: Ctx, errors: FieldErrors | null = null, errorsFor: number | 'new' | null = null, notice: string | null = null) => {
    const t = c.get('t');
    const criteria = await listCriteria(c.get('ctx'));
    return page(
      c,
      t('projects.criteria.title'),
      <>
        <ErrorSummary t={t} errors={errors} />
        <p>{t('projects.criteria.intro')}</p>
        {criteria.map((cr) => (
          <form method="post" action={`/admin/evaluation-criteria/${cr.id}`} class="card" novalidate>
            <CsrfField token={c.get('csrf')} />
            <TextField t={t} idPrefix={`c${cr.id}-`} name="label" label={t('field.label')} value={cr.label} errors={errorsFor === cr.id ? errors : null} required maxlength={200} />
            <TextField t={t} idPrefix={`c${cr.id}-`} name="labelEn" label={t('field.labelEn')} value={cr.label_en} errors={errorsFor === cr.id ? errors : null} maxlength={200} />
            <div class="field">
              <label class="check">
                <input type="checkbox" name="active" value="on" checked={cr.active} /> {t('projects.criteria.active')}
              </label>
            </div>
            <button type="submit" class="button button--small">
              {t('common.save')}
            </button>
          </form>
        ))}
        <h2>{t('projects.criteria.add')}</h2>
        <form method="post" action="/admin/evaluation-criteria" novalidate>
          <CsrfField token={c.get('csrf')} />
          <TextField t={t} idPrefix="new-" name="label" label={t('field.label')} errors={errorsFor === 'new' ? errors : null} required maxlength={200} />
          <TextField t={t} idPrefix="new-" name="labelEn" label={t('field.labelEn')} errors={errorsFor === 'new' ? errors : null} maxlength={200} />
          <button type="submit" class="button">
            {t('projects.criteria.add')}
          </button>
        </form>
      </>,
      { crumbs: crumbs(t, { label: t('projects.criteria.title') }), notice, status: errors ? 422 : 200 },
    );
  };
  r.get('/admin/evaluation-criteria', ['admin'], (c) => criteriaPage(c, null, null, c.req.query('notice') === 'saved' ? c.get('t')('common.saved') : null));
  r.post('/admin/evaluation-criteria', ['admin'], async (c) => {
    const form = await readForm(c);
    const res = await submit(() => addCriterion(c.get('ctx'), c.get('user'), form), (errors) => criteriaPage(c, errors, 'new'));
    if (!res.ok) return res.response;
    return c.redirect('/admin/evaluation-criteria?notice=saved', 303);
  });
  r.post('/admin/evaluation-criteria/:id', ['admin'], async (c) => {
    const id = toId(c.req.param('id'));
    const form = await readForm(c);
    const res = await submit(() => updateCriterion(c.get('ctx'), c.get('user'), id, form), (errors) => criteriaPage(c, errors, id));
    if (!res.ok) return res.response;
    return c.redirect('/admin/evaluation-criteria?notice=saved', 303);
  });
}
