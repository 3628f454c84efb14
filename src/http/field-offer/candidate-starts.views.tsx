import type { Translate } from '../../i18n/index.js';
import type { FieldErrors } from '../../lib/validation.js';
import type { FormBody } from '../forms.js';

/** How many candidate rows the offer form shows (the service takes up to 10, as the API does). */
export const CANDIDATE_ROWS = 3;

const many = (v: FormBody[string] | undefined) => (Array.isArray(v) ? v : typeof v === 'string' ? [v] : []);

/**
 * The offer form's candidate dates (issue 16 §2.5): each candidate is a date input and a time input
 * (Tokyo time), not '2027-01-20T13:30' typed by hand. Rows left empty are ignored; the first is
 * required. The whole group is the field `candidateStarts` for errors and the error summary's link.
 */
export function CandidateStartsFields(p: { t: Translate; idPrefix?: string; values?: FormBody | null; errors: FieldErrors | null; min?: string }) {
  const { t } = p;
  const id = `f-${p.idPrefix ?? ''}candidateStarts`;
  const error = p.errors?.candidateStarts;
  const dates = many(p.values?.candidateDate);
  const times = many(p.values?.candidateTime);
  return (
    <fieldset class={`field${error ? ' field--error' : ''}`} id={id} aria-describedby={[`${id}-hint`, error ? `${id}-error` : ''].filter(Boolean).join(' ')}>
      <legend>
        {t('offer.candidates')}
        <span class="badge badge--required">{t('common.required')}</span>
      </legend>
      <p class="hint" id={`${id}-hint`}>
        {t('offer.candidatesRowsHint', { count: CANDIDATE_ROWS })}
      </p>
      {error ? (
        <p class="field-error" id={`${id}-error`}>
          {t(error.key as Parameters<Translate>[0], { field: t('offer.candidates'), ...error.params })}
        </p>
      ) : null}
      {Array.from({ length: CANDIDATE_ROWS }, (_, i) => (
        <div class="filters">
          <div class="field">
            <label for={`${id}-date-${i + 1}`}>{t('offer.candidateDate', { n: i + 1 })}</label>
            <input id={`${id}-date-${i + 1}`} name="candidateDate" type="date" value={dates[i] ?? ''} min={p.min} required={i === 0} aria-invalid={error ? 'true' : undefined} />
          </div>
          <div class="field">
            <label for={`${id}-time-${i + 1}`}>{t('offer.candidateTime', { n: i + 1 })}</label>
            <input id={`${id}-time-${i + 1}`} name="candidateTime" type="time" value={times[i] ?? ''} required={i === 0} aria-invalid={error ? 'true' : undefined} />
          </div>
        </div>
      ))}
    </fieldset>
  );
}
