import { formatFiscalYear } from '../../domain/calendar.js';
import type { Lang, Translate } from '../../i18n/index.js';
import type { FieldErrors } from '../../lib/validation.js';
import type { planWithItems } from '../../services/plan.service.js';
import type { FormBody } from '../forms.js';
import { CheckboxGroup, CsrfField, ErrorSummary, TextArea, TextField } from '../views/components.js';
import { str } from './plan-sheet.views.js';

/** What every plan view needs from the request. */
export interface ViewReq {
  t: Translate;
  lang: Lang;
  csrf: string;
}

type PlanWithItems = NonNullable<Awaited<ReturnType<typeof planWithItems>>>;

/** A deletion form that works without JavaScript: a checkbox to confirm, then the button. */
export function ConfirmForm({ t, csrf, action, label, errors }: { t: Translate; csrf: string; action: string; label: string; errors: FieldErrors | null }) {
  return (
    <form method="post" action={action} novalidate>
      <CsrfField token={csrf} />
      <CheckboxGroup t={t} name="confirm" label={t('field.confirm')} values={[]} errors={errors} options={[{ value: 'yes', label: t('plan.confirmRemove') }]} />
      <button type="submit" class="button button--danger">
        {label}
      </button>
    </form>
  );
}

/** A plan's title, period and rating labels (new plan and edit). */
function PlanFields({ t, values, errors }: { t: Translate; values: FormBody; errors: FieldErrors | null }) {
  return (
    <>
      <TextField t={t} name="title" label={t('field.title')} value={str(values.title)} errors={errors} required maxlength={200} />
      <TextField t={t} name="firstFiscalYear" label={t('field.firstFiscalYear')} value={str(values.firstFiscalYear)} errors={errors} required maxlength={20} hint={t('plan.yearHint')} />
      <TextField t={t} name="lastFiscalYear" label={t('field.lastFiscalYear')} value={str(values.lastFiscalYear)} errors={errors} required maxlength={20} hint={t('plan.yearHint')} />
      <TextField t={t} name="ratingLabels" label={t('field.ratingLabels')} value={str(values.ratingLabels)} errors={errors} maxlength={300} hint={t('plan.ratingLabelsHint')} />
    </>
  );
}

function ItemLinks({ items }: { items: PlanWithItems['items'] }) {
  return (
    <ul class="link-list">
      {items.map((i) => (
        <li>
          <a href={`/admin/plan-items/${i.id}`}>
            {i.number} {i.title}
          </a>
        </li>
      ))}
    </ul>
  );
}

export function PlansView({ t, lang, csrf, plans, errors, values }: ViewReq & { plans: PlanWithItems[]; errors: FieldErrors | null; values: FormBody }) {
  return (
    <>
      {plans.length ? (
        plans.map((w) => (
          <section>
            <h2>
              <a href={`/admin/plans/${w.plan.id}`}>{w.plan.title}</a>（{formatFiscalYear(w.plan.first_fiscal_year, lang, 'wareki')}〜{formatFiscalYear(w.plan.last_fiscal_year, lang, 'wareki')}）
            </h2>
            <ItemLinks items={w.items} />
          </section>
        ))
      ) : (
        <p>{t('plan.none')}</p>
      )}
      <section class="no-print">
        <h2>{t('plan.newPlan')}</h2>
        <ErrorSummary t={t} errors={errors} />
        <form method="post" action="/admin/plans" novalidate>
          <CsrfField token={csrf} />
          <PlanFields t={t} values={values} errors={errors} />
          <button type="submit" class="button">
            {t('plan.addPlan')}
          </button>
        </form>
      </section>
    </>
  );
}

/** An item's number, title, owning units and the texts of sections 1 and 2 (new item and edit). */
export function ItemForm({ t, csrf, action, values, errors }: { t: Translate; csrf: string; action: string; values: FormBody; errors: FieldErrors | null }) {
  return (
    <form method="post" action={action} novalidate>
      <CsrfField token={csrf} />
      <TextField t={t} name="number" label={t('plan.number')} value={str(values.number)} errors={errors} required maxlength={20} hint="(16)" />
      <TextField t={t} name="title" label={t('field.title')} value={str(values.title)} errors={errors} required maxlength={200} />
      <TextField t={t} name="owningUnits" label={t('plan.owningUnits')} value={str(values.owningUnits)} errors={errors} maxlength={500} />
      <TextArea t={t} name="situation" label={t('plan.section1')} value={str(values.situation)} errors={errors} rows={8} />
      <TextArea t={t} name="approach" label={t('plan.approach')} value={str(values.approach)} errors={errors} rows={4} />
      <TextArea t={t} name="direction" label={t('plan.directionField')} value={str(values.direction)} errors={errors} rows={3} />
      <button type="submit" class="button">
        {t('common.save')}
      </button>
    </form>
  );
}

export function PlanView({ t, csrf, w, errors, values }: ViewReq & { w: PlanWithItems; errors: FieldErrors | null; values: FormBody }) {
  const id = w.plan.id;
  return (
    <>
      <ItemLinks items={w.items} />
      <h2>{t('plan.newItem')}</h2>
      <ErrorSummary t={t} errors={errors} />
      <ItemForm t={t} csrf={csrf} action={`/admin/plans/${id}/items`} values={values} errors={errors} />
      <p>
        <a href={`/admin/plans/${id}/edit`}>{t('plan.editPlan')}</a>
      </p>
    </>
  );
}

export function PlanEditView({ t, csrf, id, values, errors }: ViewReq & { id: number; values: FormBody; errors: FieldErrors | null }) {
  return (
    <>
      <ErrorSummary t={t} errors={errors} />
      <form method="post" action={`/admin/plans/${id}/edit`} novalidate>
        <CsrfField token={csrf} />
        <PlanFields t={t} values={values} errors={errors} />
        <button type="submit" class="button">
          {t('common.save')}
        </button>
      </form>
    </>
  );
}

export function ItemEditView({ t, csrf, id, values, errors }: ViewReq & { id: number; values: FormBody; errors: FieldErrors | null }) {
  return (
    <>
      <ErrorSummary t={t} errors={errors} />
      <ItemForm t={t} csrf={csrf} action={`/admin/plan-items/${id}/edit`} values={values} errors={errors} />
      <section>
        <h2>{t('plan.deleteItem')}</h2>
        <p>{t('plan.deleteItemHint')}</p>
        <ConfirmForm t={t} csrf={csrf} action={`/admin/plan-items/${id}/delete`} label={t('plan.deleteItem')} errors={errors} />
      </section>
    </>
  );
}
