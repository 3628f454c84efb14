import { formatTokyo } from '../../domain/calendar.js';
import { type Answers, fieldName, scalePoints, type SurveyQuestion } from '../../domain/survey.js';
import type { Lang, Translate } from '../../i18n/index.js';
import type { FieldErrors } from '../../lib/validation.js';
import type { mySurveys, respondentView } from '../../services/survey.service.js';
import type { FormBody } from '../forms.js';
import { CsrfField, DataTable, ErrorSummary } from '../views/components.js';
import { qLabel } from './presenter.js';

const str = (v: FormBody[string] | undefined) => (typeof v === 'string' ? v : '');
type MySurvey = Awaited<ReturnType<typeof mySurveys>>[number];
type RespondentView = Awaited<ReturnType<typeof respondentView>>;

/** The surveys a person is asked to answer, with where each stands. */
export function MySurveys({ t, lang, rows, now }: { t: Translate; lang: Lang; rows: MySurvey[]; now: Date }) {
  if (!rows.length) return <p>{t('survey.noneForYou')}</p>;
  const open = (s: MySurvey) => s.opens_at <= now && now < s.closes_at;
  return (
    <DataTable
      t={t}
      caption={t('survey.mine')}
      rows={rows}
      columns={[
        { key: 'title', label: t('field.title'), cell: (s) => (open(s) ? <a href={`/surveys/${s.id}`}>{s.title}</a> : s.title) },
        { key: 'closes', label: t('survey.closes'), cell: (s) => formatTokyo(s.closes_at, lang, 'datetime') },
        { key: 'status', label: t('common.status'), cell: (s) => (s.responded_on ? t('survey.answered') : open(s) ? t('survey.notAnswered') : s.opens_at > now ? t('survey.notYetOpen') : t('survey.closed')) },
      ]}
    />
  );
}

/**
 * One question of the answer form. A matrix is a grid of radio buttons: a form control, not a data
 * table, so it is built here (its headings carry each point's number and words on two lines).
 */
function QuestionField({ t, lang, q, value, errors, disabled }: { t: Translate; lang: Lang; q: SurveyQuestion; value: Answers[string] | undefined; errors: FieldErrors | null; disabled: boolean }) {
  const name = fieldName(q);
  const err = errors?.[name] ?? (q.rows ?? []).map((r) => errors?.[fieldName(q, r.id)]).find(Boolean);
  const badge = <span class={q.required ? 'badge badge--required' : 'badge'}>{t(q.required ? 'common.required' : 'common.optional')}</span>;
  const errorText = err ? (
    <p class="field-error" id={`f-${name}-error`}>
      {t(err.key, { ...(err.params ?? {}), field: String(err.params?.field ?? qLabel(q, lang)) })}
    </p>
  ) : null;
  const described = err ? `f-${name}-error` : undefined;
  const points = scalePoints(q, lang);
  if (q.type === 'text')
    return (
      <div class={`field survey-question${err ? ' field--error' : ''}`}>
        <label for={`f-${name}`}>
          {qLabel(q, lang)}
          {badge}
        </label>
        {errorText}
        <textarea id={`f-${name}`} name={name} rows={4} maxlength={4000} aria-describedby={described} disabled={disabled}>
          {typeof value === 'string' ? value : ''}
        </textarea>
      </div>
    );
  if (q.type === 'matrix') {
    const m = (value && typeof value === 'object' && !Array.isArray(value) ? value : {}) as Record<string, number>;
    return (
      <fieldset class={`survey-question${err ? ' field--error' : ''}`} aria-describedby={described}>
        <legend>
          {qLabel(q, lang)}
          {badge}
        </legend>
        {errorText}
        <table class="data-table matrix">
          <thead>
            <tr>
              <th scope="col">{t('survey.statement')}</th>
              {points.map((p) => (
                <th scope="col">
                  <span class="scale-value">
                    {p.value}
                    <span class="visually-hidden">{lang === 'en' ? ': ' : '：'}</span>
                  </span>
                  <span class="scale-words">{p.words}</span>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {(q.rows ?? []).map((r) => (
              <tr class={errors?.[fieldName(q, r.id)] ? 'field--error' : ''}>
                <th scope="row" id={`f-${fieldName(q, r.id)}-label`}>
                  {qLabel(r, lang)}
                </th>
                {points.map((p, i) => (
                  <td>
                    <input
                      type="radio"
                      id={i === 0 ? `f-${fieldName(q, r.id)}` : undefined}
                      name={fieldName(q, r.id)}
                      value={String(p.value)}
                      checked={m[r.id] === p.value}
                      disabled={disabled}
                      aria-label={`${qLabel(r, lang)} ${p.text}`}
                    />
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </fieldset>
    );
  }
  // A scale shows every point with its words, highest first (5：そう思う), and sends the number they mean.
  const choices = q.type === 'scale5' ? points.map((p) => ({ value: String(p.value), text: p.text })) : (q.options ?? []).map((o) => ({ value: o, text: o }));
  const chosen = Array.isArray(value) ? value.map(String) : value === undefined ? [] : [String(value)];
  return (
    <fieldset class={`survey-question${err ? ' field--error' : ''}`} aria-describedby={described}>
      <legend>
        {qLabel(q, lang)}
        {badge}
      </legend>
      {errorText}
      <div class={q.type === 'scale5' ? 'scale-options' : 'stack'}>
        {choices.map((o, i) => (
          <label>
            <input type={q.type === 'multiple' ? 'checkbox' : 'radio'} id={i === 0 ? `f-${name}` : undefined} name={name} value={o.value} checked={chosen.includes(o.value)} disabled={disabled} /> {o.text}
          </label>
        ))}
      </div>
    </fieldset>
  );
}

/** The answers a refused form had, to show them again as typed. */
export function formAnswers(questions: SurveyQuestion[], form: FormBody): Answers {
  const out: Answers = {};
  for (const q of questions) {
    if (q.type === 'matrix') {
      const m: Record<string, number> = {};
      for (const r of q.rows ?? []) {
        const v = Number(str(form[fieldName(q, r.id)]));
        if (v) m[r.id] = v;
      }
      out[q.id] = m;
    } else {
      const v = form[fieldName(q)];
      if (Array.isArray(v)) out[q.id] = v;
      else if (typeof v === 'string') out[q.id] = q.type === 'scale5' ? Number(v) : v;
    }
  }
  return out;
}

/** A survey as its respondent sees it: the questions, their answers, and whether they may still change them. */
export function AnswerForm({ t, lang, csrf, v, answers, errors }: { t: Translate; lang: Lang; csrf: string; v: RespondentView; answers: Answers; errors: FieldErrors | null }) {
  const s = v.survey;
  const editable = v.open && v.canEdit;
  return (
    <>
      <ErrorSummary t={t} errors={errors} />
      <p>{t(s.anonymous ? 'survey.anonymousNote' : 'survey.namedNote')}</p>
      <p>{t('survey.closesAt', { when: formatTokyo(s.closes_at, lang, 'datetime') })}</p>
      {v.answered ? <p role="status">{v.canEdit ? t('survey.youAnsweredEditable') : t('survey.youAnsweredAnonymous')}</p> : null}
      {!v.open ? <p role="status">{t('error.surveyClosed')}</p> : null}
      {v.open && !v.canEdit ? null : (
        <form method="post" action={`/surveys/${s.id}`} novalidate>
          <CsrfField token={csrf} />
          {s.questions.map((q) => (
            <QuestionField t={t} lang={lang} q={q} value={answers[q.id]} errors={errors} disabled={!editable} />
          ))}
          {editable ? (
            <button type="submit" class="button">
              {v.answered ? t('survey.update') : t('survey.submit')}
            </button>
          ) : null}
        </form>
      )}
    </>
  );
}
