import { formatTokyo } from '../../domain/calendar.js';
import type { Offering, OfferingQuestion, OfferingSession } from '../../db/schema.js';
import type { ApplicationRow } from '../../db/repositories/application.repository.js';
import type { Translate } from '../../i18n/index.js';
import type { FieldErrors } from '../../lib/validation.js';
import { CheckboxGroup, DataTable, SelectField, TextArea, TextField } from './components.js';
import { fieldMessage } from '../../i18n/index.js';
import { answerSheet } from '../../domain/application-policy.js';
import { sessionWarnings } from '../../services/offering.service.js';

/*
 * An offering as participants and the training office both see it: its facts, its sessions, the
 * application questions and their answers, the approver's comment. Used by the catalogue, the
 * offering admin pages and the approvals.
 */
/** The sessions of an offering; on a narrow screen each session stacks into a card with its headings (data-label). */
export function SessionTable({ t, lang, sessions, warnings }: { t: Translate; lang: 'ja' | 'en'; sessions: OfferingSession[]; warnings?: boolean }) {
  return (
    <DataTable
      t={t}
      caption={t('trainings.sessions')}
      rows={sessions}
      columns={[
        {
          key: 'title',
          label: t('field.title'),
          cell: (s) => (
            <>
              {s.title}
              <br />
              <a class="small" href={`/trainings/sessions/${s.id}.ics`}>
                {t('trainings.ics')}
              </a>
            </>
          ),
        },
        {
          key: 'when',
          label: t('trainings.when'),
          cell: (s) => (
            <>
              <time datetime={s.starts_at.toISOString()}>{formatTokyo(s.starts_at, lang, 'datetime')}</time>〜{formatTokyo(s.ends_at, lang, 'time')}
              {warnings
                ? sessionWarnings(s, lang).map((w) => (
                    <p class="warning">{w.kind === 'holiday' ? t('trainings.warnHoliday', { date: w.date, name: w.name ?? '' }) : t('trainings.warnWeekend', { date: w.date })}</p>
                  ))
                : null}
            </>
          ),
        },
        { key: 'format', label: t('trainings.format'), cell: (s) => t(`format.${s.format}`) },
        { key: 'venue', label: t('trainings.venue'), cell: (s) => s.venue },
        { key: 'lecturers', label: t('trainings.lecturers'), cell: (s) => s.lecturers },
      ]}
    />
  );
}

export function OfferingFacts({ t, lang, o }: { t: Translate; lang: 'ja' | 'en'; o: Offering }) {
  const seats = Object.entries(o.seats).filter(([, n]) => n !== undefined);
  return (
    <dl class="meta">
      {o.audience ? (
        <>
          <dt>{t('trainings.audience')}</dt>
          <dd>{o.audience}</dd>
        </>
      ) : null}
      <dt>{t('trainings.window')}</dt>
      <dd>
        {formatTokyo(o.application_opens_at, lang, 'datetime')}〜{formatTokyo(o.application_closes_at, lang, 'datetime')}
      </dd>
      <dt>{t('trainings.capacity')}</dt>
      <dd>{o.capacity}</dd>
      {seats.length ? (
        <>
          <dt>{t('trainings.seats')}</dt>
          <dd>{seats.map(([g, n]) => `${t(`seatGroup.${g as 'partner'}`)} ${n}`).join('、')}</dd>
        </>
      ) : null}
      <dt>{t('trainings.selection')}</dt>
      <dd>{t(`selection.${o.selection}`)}</dd>
      <dt>{t('trainings.endorsement')}</dt>
      <dd>{o.endorsement_required ? t('trainings.endorsementRequired') : t('common.none')}</dd>
    </dl>
  );
}


/** The approver's comment on an application (差戻し or 推薦・承認), with who and when. */
export function ApproverComment({ t, lang, a }: { t: Translate; lang: 'ja' | 'en'; a: Pick<ApplicationRow, 'status' | 'endorse_comment' | 'endorser_name' | 'endorsed_at' | 'endorsed_by'> }) {
  if (!a.endorsed_at || a.endorsed_by === null) return null;
  const returned = a.status === 'returned';
  if (!returned && !a.endorse_comment) return null;
  const params = { name: a.endorser_name ?? '', at: formatTokyo(a.endorsed_at, lang, 'datetime') };
  return (
    <section class="approver-comment">
      <h3>{t(returned ? 'applications.returnedTitle' : 'applications.endorsedTitle')}</h3>
      <blockquote>
        <p>{a.endorse_comment || t('applications.noComment')}</p>
      </blockquote>
      <p class="small">{t(returned ? 'applications.returnedBy' : 'applications.endorsedBy', params)}</p>
      {returned ? <p>{t('applications.returnedNext')}</p> : null}
    </section>
  );
}

/** The answers to the offering's questions, each under the question's text. */
export function AnswerList({ t, questions, a }: { t: Translate; questions: readonly OfferingQuestion[]; a: Pick<ApplicationRow, 'answers' | 'answers_pending'> }) {
  const lines = answerSheet(questions, a.answers);
  if (!lines.length) return null;
  return (
    <dl class="meta answers">
      {lines.map((l) => (
        <>
          <dt>{l.question}</dt>
          <dd>{l.answer || (a.answers_pending ? t('applications.answersPending') : t('applications.noAnswer'))}</dd>
        </>
      ))}
    </dl>
  );
}

/** Text fields for the offering's questions, named answers.<id> (ids f-<prefix>answers.<id>). */
export function QuestionFields({ t, questions, errors, values = {}, prefix = '' }: { t: Translate; questions: readonly OfferingQuestion[]; errors?: FieldErrors | null; values?: Record<string, string>; prefix?: string }) {
  return (
    <>
      {questions.map((q) => {
        const name = `answers.${q.id}`;
        const error = errors?.[name];
        const id = `f-${prefix}${name}`;
        return (
          <div class={`field${error ? ' field--error' : ''}`}>
            <label for={id}>
              {q.label}
              <span class={q.required ? 'badge badge--required' : 'badge'}>{t(q.required ? 'common.required' : 'common.optional')}</span>
            </label>
            {error ? (
              <p class="field-error" id={`${id}-error`}>
                {fieldMessage(t, name, error.key, error.params)}
              </p>
            ) : null}
            <textarea id={id} name={name} rows={3} maxlength={2000} aria-required={q.required ? 'true' : undefined} aria-invalid={error ? 'true' : undefined} aria-describedby={error ? `${id}-error` : undefined}>
              {values[q.id] ?? ''}
            </textarea>
          </div>
        );
      })}
    </>
  );
}

/** The answers.<id> fields of a submitted form. */
export const answersOf = (form: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(form).filter(([k]) => k.startsWith('answers.')).map(([k, v]) => [k.slice(8), String(v)]));
