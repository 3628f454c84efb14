import { formatWareki } from '../../domain/calendar.js';
import { GAP_THRESHOLD } from '../../domain/evaluation.js';
import type { EvaluationCriterion } from '../../db/schema.js';
import type { Translate } from '../../i18n/index.js';
import type { FieldErrors } from '../../lib/validation.js';
import type { evaluationView, getProject } from '../../services/project.service.js';
import type { FormBody } from '../forms.js';
import { CheckboxGroup, type Column, CsrfField, DataTable, Downloads, ErrorSummary, SelectField, TextArea, TextField } from '../views/components.js';
import { periodText, type ProjectRow, ProjectTable } from '../views/project-table.js';

export const str = (v: FormBody[string] | undefined) => (typeof v === 'string' ? v : '');
const arr = (v: FormBody[string] | undefined) => (Array.isArray(v) ? v : typeof v === 'string' && v ? [v] : []);
export const labelOf = (c: EvaluationCriterion, lang: 'ja' | 'en') => (lang === 'en' && c.label_en ? c.label_en : c.label);
const signed = (n: number) => (n > 0 ? `+${n}` : String(n));

type ProjectDetail = Awaited<ReturnType<typeof getProject>>;
type EvaluationView = Awaited<ReturnType<typeof evaluationView>>;

export function ProjectListView({ t, lang, rows, mayCreate, mayEditCriteria }: { t: Translate; lang: 'ja' | 'en'; rows: ProjectRow[]; mayCreate: boolean; mayEditCriteria: boolean }) {
  return (
    <>
      <p>{t('projects.intro')}</p>
      {mayCreate ? (
        <p class="actions">
          <a class="button" href="/projects/new">
            {t('projects.new')}
          </a>
          {mayEditCriteria ? (
            <a class="button button--secondary" href="/admin/evaluation-criteria">
              {t('projects.criteria.title')}
            </a>
          ) : null}
        </p>
      ) : null}
      <ProjectTable t={t} lang={lang} rows={rows} caption={t('projects.title')} />
      <Downloads t={t} base="/projects" />
    </>
  );
}

export type ProjectChoices = { units: { id: number; name: string; kind: string }[]; partners: { id: number; name: string }[]; coordinators: { id: number; name: string; unit_name: string | null }[] };

export function ProjectFormView({ t, csrf, action, values, errors, choices }: { t: Translate; csrf: string; action: string; values: FormBody; errors: FieldErrors | null; choices: ProjectChoices }) {
  return (
    <>
      <ErrorSummary t={t} errors={errors} />
      <form method="post" action={action} novalidate>
        <CsrfField token={csrf} />
        {arr(values.consultationIds).map((id) => (
          <input type="hidden" name="consultationIds" value={id} />
        ))}
        <TextField t={t} name="title" label={t('field.title')} value={str(values.title)} errors={errors} required maxlength={200} />
        <SelectField t={t} name="unitId" label={t('field.unitId')} value={str(values.unitId)} errors={errors} required blank="—" options={choices.units.filter((u) => u.kind !== 'department').map((u) => ({ value: u.id, label: u.name }))} />
        <CheckboxGroup t={t} name="partnerIds" label={`${t('field.partnerIds')}（${t('common.required')}）`} values={arr(values.partnerIds)} errors={errors} options={choices.partners.map((p) => ({ value: String(p.id), label: p.name }))} />
        <TextField t={t} name="startsOn" type="date" label={t('field.startsOn')} value={str(values.startsOn)} errors={errors} required />
        <TextField t={t} name="endsOn" type="date" label={t('field.endsOn')} value={str(values.endsOn)} errors={errors} />
        <TextArea t={t} name="objective" label={t('field.objective')} value={str(values.objective)} errors={errors} required maxlength={4000} rows={4} />
        <SelectField t={t} name="coordinatorId" label={t('field.coordinatorId')} value={str(values.coordinatorId)} errors={errors} blank="—" options={choices.coordinators.map((p) => ({ value: p.id, label: `${p.name}（${p.unit_name ?? ''}）` }))} />
        {errors?.consultationIds ? <p class="field-error">{t(errors.consultationIds.key, { field: t('field.consultationIds'), ...errors.consultationIds.params })}</p> : null}
        <button type="submit" class="button">
          {t('common.save')}
        </button>
      </form>
    </>
  );
}

type Row = EvaluationView['rows'][number];

/** Both sides' scores per criterion side by side; a large gap is marked. */
function ComparisonTable({ t, lang, v, unitLabel }: { t: Translate; lang: 'ja' | 'en'; v: EvaluationView; unitLabel: string }) {
  const columns: Column<Row>[] = [
    { key: 'criterion', label: t('projects.criterion'), rowHeader: true, cell: (row) => labelOf(v.criteria.find((x) => x.id === row.criterionId)!, lang) },
    {
      key: 'unit',
      label: unitLabel,
      cell: (row) => (
        <>
          {row.unit ? <strong>{row.unit.score}</strong> : '—'}
          {row.unit?.comment ? <p class="small">{row.unit.comment}</p> : null}
        </>
      ),
    },
    ...v.partners.map(
      (s, i): Column<Row> => ({
        key: `partner-${s.partner.id}`,
        label: s.partner.name,
        cell: (row) => (
          <>
            {row.partners[i].score !== null ? <strong>{row.partners[i].score}</strong> : '—'}
            {row.partners[i].comment ? <p class="small">{row.partners[i].comment}</p> : null}
          </>
        ),
      }),
    ),
    {
      key: 'gap',
      label: t('projects.gap'),
      cell: (row) => (
        <>
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
        </>
      ),
    },
  ];
  const foot = (
    <tr>
      <th scope="row">{t('projects.mean')}</th>
      <td>{v.unit.mean ?? '—'}</td>
      {v.partners.map((s) => (
        <td>{s.mean ?? '—'}</td>
      ))}
      <td></td>
    </tr>
  );
  return <DataTable t={t} caption={t('projects.comparison')} columns={columns} rows={v.rows} foot={foot} stack={false} />;
}

/** One project: its facts, purpose, both sides' evaluation side by side, and who submitted them. */
export function ProjectDetailView({ t, lang, d, v, mayEdit }: { t: Translate; lang: 'ja' | 'en'; d: ProjectDetail; v: EvaluationView; mayEdit: boolean }) {
  const p = d.project;
  const unitLabel = t('projects.unitSide', { unit: p.unit_name });
  const submitted = (side: string, e: { submitted_by_name: string | null; updated_at: Date } | null) =>
    e ? t('projects.submittedBy', { side, name: e.submitted_by_name ?? '', date: formatWareki(e.updated_at.toISOString().slice(0, 10), lang) }) : t('projects.notYet', { side });
  return (
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
        {mayEdit ? (
          <a class="button button--secondary" href={`/projects/${p.id}/edit`}>
            {t('projects.edit')}
          </a>
        ) : null}
      </p>
      <h2>{t('projects.comparison')}</h2>
      <p class="hint">{t('projects.comparisonHint', { gap: GAP_THRESHOLD })}</p>
      <ComparisonTable t={t} lang={lang} v={v} unitLabel={unitLabel} />
      <p class="small">{submitted(unitLabel, v.unit.evaluation)}</p>
      {v.partners.map((s) => (
        <p class="small">{submitted(s.partner.name, s.evaluation)}</p>
      ))}
      <Downloads t={t} base={`/projects/${p.id}/evaluation`} />
      {d.relation.admin ? (
        <p>
          <a href={`/admin/audit?entity=project&entityId=${p.id}`}>{t('audit.title')}</a>
        </p>
      ) : null}
    </>
  );
}
