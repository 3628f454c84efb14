import { SCORE_MAX, SCORE_MIN } from '../../domain/evaluation.js';
import type { Translate } from '../../i18n/index.js';
import type { FieldErrors } from '../../lib/validation.js';
import type { myEvaluation } from '../../services/project.service.js';
import type { FormBody } from '../forms.js';
import { CsrfField, ErrorSummary } from '../views/components.js';
import { labelOf, str } from './project.views.js';

type MyEvaluation = Awaited<ReturnType<typeof myEvaluation>>;

/** One side's evaluation: each active criterion scored on the 1–5 scale, with a comment each. */
export function EvaluationFormView({ t, lang, csrf, id, e, values, errors }: { t: Translate; lang: 'ja' | 'en'; csrf: string; id: number; e: MyEvaluation; values: FormBody | null; errors: FieldErrors | null }) {
  const sideLabel = e.side.side === 'partner' ? (e.partnerName ?? '') : t('projects.unitSide', { unit: e.project.unit_name });
  const val = (key: string) => (values ? str(values[key]) : key.startsWith('score_') ? String(e.scores[Number(key.slice(6))]?.score ?? '') : (e.scores[Number(key.slice(8))]?.comment ?? ''));
  return (
    <>
      <ErrorSummary t={t} errors={errors} />
      <p>{t('projects.evaluationIntro', { side: sideLabel })}</p>
      {e.submitted ? <p class="notice">{t('projects.alreadySubmitted')}</p> : null}
      <form method="post" action={`/projects/${id}/evaluation`} novalidate>
        <CsrfField token={csrf} />
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
    </>
  );
}
