import { formatFiscalYear } from '../../domain/calendar.js';
import { PLAN_KPI_KEYS, PLAN_KPIS } from '../../domain/plan.js';
import { PROGRESS_STATUSES } from '../../domain/values.js';
import type { FieldErrors } from '../../lib/validation.js';
import type { TargetRow } from '../../services/plan.service.js';
import type { FormBody } from '../forms.js';
import { CheckboxGroup, CsrfField, DataTable, ErrorSummary, SelectField, TextArea, TextField } from '../views/components.js';
import { kpiText, rateText } from '../views/plan-target-table.js';
import { str } from './plan-sheet.views.js';
import { ConfirmForm, type ViewReq } from './plan.views.js';
import { figuresText, type Sheet, type SheetMeasure } from './presenter.js';

/** A measure as listed under an item: edit, reorder, take off. */
export function MeasureEditView(
  p: ViewReq & {
    s: Sheet;
    m: SheetMeasure;
    programmes: { id: number; name: string }[];
    siblings: { items: { id: number; number: string; title: string }[] } | null;
    listed: number[];
    errors: FieldErrors | null;
    values: FormBody | null;
  },
) {
  const { t, csrf, s, m, errors, values } = p;
  const arr = (k: string, fallback: string[]) => (values ? (Array.isArray(values[k]) ? (values[k] as string[]) : typeof values[k] === 'string' ? [values[k] as string] : []) : fallback);
  const base = `/admin/plan-items/${s.item.id}/measures/${m.measure.id}`;
  const index = s.measures.indexOf(m);
  return (
    <>
      <ErrorSummary t={t} errors={errors} />
      <form method="post" action={`${base}/edit`} novalidate>
        <CsrfField token={csrf} />
        <TextField t={t} name="title" label={t('field.title')} value={values ? str(values.title) : m.measure.title} errors={errors} required maxlength={200} />
        <TextArea t={t} name="description" label={t('field.description')} value={values ? str(values.description) : m.measure.description} errors={errors} rows={4} />
        <CheckboxGroup t={t} name="programmeIds" label={t('plan.programmes')} values={arr('programmeIds', m.measure.programme_ids.map(String))} errors={errors} options={p.programmes.map((x) => ({ value: String(x.id), label: x.name }))} />
        <CheckboxGroup
          t={t}
          name="alsoItemIds"
          label={t('plan.alsoUnder')}
          values={arr('alsoItemIds', p.listed.map(String))}
          errors={errors}
          options={(p.siblings?.items ?? []).filter((i) => i.id !== m.measure.home_item_id).map((i) => ({ value: String(i.id), label: `${i.number} ${i.title}` }))}
        />
        <button type="submit" class="button">
          {t('common.save')}
        </button>
      </form>
      <section>
        <h2>{t('plan.order')}</h2>
        <form method="post" action={`${base}/move`} class="inline-form">
          <CsrfField token={csrf} />
          <button type="submit" class="button button--secondary" name="direction" value="up" disabled={index === 0}>
            {t('plan.moveUp')}
          </button>{' '}
          <button type="submit" class="button button--secondary" name="direction" value="down" disabled={index === s.measures.length - 1}>
            {t('plan.moveDown')}
          </button>
        </form>
      </section>
      <section>
        <h2>{t('plan.removeMeasure')}</h2>
        <p>{m.repeated ? t('plan.removeRepeated') : t('plan.removeHome')}</p>
        <ConfirmForm t={t} csrf={csrf} action={`${base}/remove`} label={t('plan.removeMeasure')} errors={errors} />
      </section>
    </>
  );
}

/** A measure's numeric targets (数値目標): the list, each with its confirmed deletion, and the form for a new one. */
export function TargetsView(p: ViewReq & { s: Sheet; m: SheetMeasure; errors: FieldErrors | null; values: FormBody; deleting: number | null }) {
  const { t, lang, csrf, s, m, errors, values, deleting } = p;
  const base = `/admin/plan-items/${s.item.id}/measures/${m.measure.id}/targets`;
  const rows = s.years.flatMap((y) => (m.targets.get(y) ?? []).map((r) => ({ y, r })));
  const formErrors = deleting !== null ? null : errors;
  return (
    <>
      {deleting !== null ? <ErrorSummary t={t} errors={errors} idPrefix={`t${deleting}-`} /> : null}
      {rows.length ? (
        <DataTable
          t={t}
          caption={t('plan.targets')}
          rows={rows}
          columns={[
            { key: 'fiscalYear', label: t('field.fiscalYear'), cell: ({ y }) => formatFiscalYear(y, lang) },
            { key: 'kpi', label: t('field.kpi'), cell: ({ r }) => t(`plan.kpi.${r.kpi}`) },
            { key: 'target', label: t('plan.target'), numeric: true, cell: ({ r }) => kpiText(t, r.kpi, r.target) },
            { key: 'actual', label: t('plan.actual'), numeric: true, cell: ({ r }) => kpiText(t, r.kpi, r.actual) },
            { key: 'rate', label: t('plan.rate'), numeric: true, cell: ({ r }) => rateText(t, r) },
            {
              key: 'delete',
              label: t('plan.delete'),
              cell: ({ y, r }) => (
                <form method="post" action={`${base}/${r.id}/delete`} novalidate>
                  <CsrfField token={csrf} />
                  <CheckboxGroup
                    t={t}
                    idPrefix={`t${r.id}-`}
                    name="confirm"
                    label={`${formatFiscalYear(y, lang)} ${t(`plan.kpi.${r.kpi}`)}`}
                    values={[]}
                    errors={deleting === r.id ? errors : null}
                    options={[{ value: 'yes', label: t('plan.confirmRemove') }]}
                  />
                  <button type="submit" class="button button--danger">
                    {t('plan.deleteTarget')}
                  </button>
                </form>
              ),
            },
          ]}
        />
      ) : (
        <p>{t('plan.noTargets')}</p>
      )}
      {rows.some(({ r }) => r.verdict === 'in_progress') ? <p class="hint">{t('plan.verdictNote')}</p> : null}
      <section>
        <h2>{t('plan.addTarget')}</h2>
        <p>{t('plan.targetHint')}</p>
        <ErrorSummary t={t} errors={formErrors} />
        <form method="post" action={base} novalidate>
          <CsrfField token={csrf} />
          <SelectField t={t} name="fiscalYear" label={t('field.fiscalYear')} value={str(values.fiscalYear)} errors={formErrors} required blank="—" options={s.years.map((y) => ({ value: y, label: formatFiscalYear(y, lang) }))} />
          <SelectField
            t={t}
            name="kpi"
            label={t('field.kpi')}
            value={str(values.kpi)}
            errors={formErrors}
            required
            blank="—"
            options={PLAN_KPI_KEYS.map((k) => ({ value: k, label: `${t(`plan.kpi.${k}`)}（${t(`plan.kpiScope.${PLAN_KPIS[k].scope}`)}）` }))}
          />
          <TextField t={t} name="target" label={t('field.target')} value={str(values.target)} errors={formErrors} required maxlength={20} hint={t('plan.targetValueHint')} />
          <button type="submit" class="button">
            {t('plan.addTarget')}
          </button>
        </form>
      </section>
    </>
  );
}

/** Schedule grid: one measure's row, a text and an arrow per year. */
export function GridView({ t, lang, csrf, s, m, errors, values }: ViewReq & { s: Sheet; m: SheetMeasure; errors: FieldErrors | null; values: FormBody | null }) {
  const label = (y: number) => formatFiscalYear(y, lang, 'wareki');
  return (
    <>
      <ErrorSummary t={t} errors={errors} />
      <form method="post" action={`/admin/plan-measures/${m.measure.id}/schedule?item=${s.item.id}`} novalidate>
        <CsrfField token={csrf} />
        <DataTable
          t={t}
          caption={t('plan.section3')}
          rows={s.years}
          columns={[
            { key: 'fiscalYear', label: t('field.fiscalYear'), rowHeader: true, cell: label },
            {
              key: 'text',
              label: t('plan.cellText'),
              cell: (y) => (
                <input
                  type="text"
                  id={`f-cell-${y}`}
                  name={`cell-${y}`}
                  value={values ? str(values[`cell-${y}`]) : (m.cells.get(y)?.text ?? '')}
                  maxlength={100}
                  aria-label={`${label(y)} ${t('plan.cellText')}`}
                  class={errors?.[`cell-${y}`] ? 'input--error' : undefined}
                />
              ),
            },
            {
              key: 'arrow',
              label: t('plan.arrow'),
              cell: (y) => <input type="checkbox" id={`f-arrow-${y}`} name={`arrow-${y}`} value="on" checked={values ? values[`arrow-${y}`] === 'on' : !!m.cells.get(y)?.arrow} aria-label={`${label(y)} ${t('plan.arrow')}`} />,
            },
          ]}
        />
        <button type="submit" class="button">
          {t('common.save')}
        </button>
      </form>
    </>
  );
}

/** Yearly progress: the item as a whole, then each measure with its figures and targets of the year. */
export function ProgressFormView({ t, lang, csrf, s, fy, errors, values }: ViewReq & { s: Sheet; fy: number; errors: FieldErrors | null; values: FormBody | null }) {
  const part = (prefix: string, measureId: number, heading: string, figures: string | null, targets: TargetRow[] = []) => {
    const p = s.progressOf(measureId, fy);
    const val = (k: string) => (values ? str(values[`${prefix}${k}`]) : ((p?.[k as 'results'] as string | null | undefined) ?? ''));
    return (
      <fieldset class="survey-question">
        <legend>{heading}</legend>
        {figures ? (
          <p>
            {t('plan.figures')}：{figures}
          </p>
        ) : null}
        {targets.length ? (
          <ul>
            {targets.map((r) => (
              <li>
                {t(`plan.kpi.${r.kpi}`)}：{t('plan.target')} {kpiText(t, r.kpi, r.target)}／{t('plan.actual')} {kpiText(t, r.kpi, r.actual)}／{t('plan.rate')} {rateText(t, r)}
              </li>
            ))}
          </ul>
        ) : null}
        <SelectField t={t} name={`${prefix}status`} label={t('plan.status')} value={val('status')} errors={errors} blank="—" options={PROGRESS_STATUSES.map((x) => ({ value: x, label: t(`plan.status.${x}`) }))} />
        <SelectField t={t} name={`${prefix}rating`} label={t('plan.rating')} value={val('rating')} errors={errors} blank="—" options={s.ratingLabels.map((x) => ({ value: x, label: x }))} />
        <TextArea t={t} name={`${prefix}results`} label={t('plan.results')} value={val('results')} errors={errors} rows={3} />
        <TextArea t={t} name={`${prefix}changes`} label={t('plan.changes')} value={val('changes')} errors={errors} rows={2} />
        <TextArea t={t} name={`${prefix}further`} label={t('plan.further')} value={val('further')} errors={errors} rows={2} />
      </fieldset>
    );
  };
  // The summary names each field as the form does: the measure, then the field (「ア 評価」).
  const fieldNames = { status: t('plan.status'), rating: t('plan.rating'), results: t('plan.results'), changes: t('plan.changes'), further: t('plan.further') };
  const labels = Object.fromEntries(s.measures.flatMap((m) => Object.entries(fieldNames).map(([k, v]) => [`m${m.measure.id}-${k}`, `${m.label} ${v}`])).concat(Object.entries(fieldNames)));
  return (
    <>
      <ErrorSummary t={t} errors={errors} labels={labels} />
      <form method="post" action={`/admin/plan-items/${s.item.id}/progress/${fy}`} novalidate>
        <CsrfField token={csrf} />
        {part('', 0, t('plan.whole'), null)}
        {s.measures.map((m) => part(`m${m.measure.id}-`, m.measure.id, `${m.label} ${m.measure.title}`, figuresText(t, m.figures.get(fy)), m.targets.get(fy)))}
        <button type="submit" class="button">
          {t('common.save')}
        </button>
      </form>
    </>
  );
}
