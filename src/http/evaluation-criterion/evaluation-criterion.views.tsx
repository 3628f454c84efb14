import type { EvaluationCriterion } from '../../db/schema.js';
import type { Translate } from '../../i18n/index.js';
import type { FieldErrors } from '../../lib/validation.js';
import { CsrfField, ErrorSummary, TextField } from '../views/components.js';

/** The criteria, each its own small form, and a form to add one. `errorsFor`: whose form was refused. */
export function CriteriaView({ t, csrf, criteria, errors, errorsFor }: { t: Translate; csrf: string; criteria: EvaluationCriterion[]; errors: FieldErrors | null; errorsFor: number | 'new' | null }) {
  return (
    <>
      <ErrorSummary t={t} errors={errors} />
      <p>{t('projects.criteria.intro')}</p>
      {criteria.map((cr) => (
        <form method="post" action={`/admin/evaluation-criteria/${cr.id}`} class="card" novalidate>
          <CsrfField token={csrf} />
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
        <CsrfField token={csrf} />
        <TextField t={t} idPrefix="new-" name="label" label={t('field.label')} errors={errorsFor === 'new' ? errors : null} required maxlength={200} />
        <TextField t={t} idPrefix="new-" name="labelEn" label={t('field.labelEn')} errors={errorsFor === 'new' ? errors : null} maxlength={200} />
        <button type="submit" class="button">
          {t('projects.criteria.add')}
        </button>
      </form>
    </>
  );
}
