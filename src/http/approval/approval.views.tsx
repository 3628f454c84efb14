import { formatTokyo } from '../../domain/calendar.js';
import { answerSheet } from '../../domain/application-policy.js';
import type { Lang, Translate } from '../../i18n/index.js';
import type { FieldErrors } from '../../lib/validation.js';
import type { endorsementQueue } from '../../services/application.service.js';
import { CsrfField, DataTable, ErrorSummary } from '../views/components.js';

type Pending = Awaited<ReturnType<typeof endorsementQueue>>[number];

/** Who applied: name, フリガナ, 所属 and 所属区分, the mail address, and whether someone applied for them. */
function Applicant({ t, a }: { t: Translate; a: Pending }) {
  const affiliation = t(`affiliation.${a.affiliation}`);
  return (
    <>
      <span class="approval-applicant__name">{a.person_name}</span>
      {a.person_kana ? (
        <span class="kana approval-applicant__line" lang="ja">
          {a.person_kana}
        </span>
      ) : null}
      <span class="approval-applicant__line">{a.unit_name ? t('approvals.unit', { unit: a.unit_name, affiliation }) : t('approvals.noUnit', { affiliation })}</span>
      <span class="approval-applicant__line">
        <a href={`mailto:${a.person_email}`}>{a.person_email}</a>
      </span>
      {a.applied_by !== null && a.applied_by !== a.person_id ? <span class="badge approval-applicant__badge">{t('approvals.onBehalf')}</span> : null}
    </>
  );
}

/** The answers the applicant gave on application (the motivation and the like), or that there are none. */
function Answers({ t, a }: { t: Translate; a: Pending }) {
  if (!a.offering_questions.length && !Object.keys(a.answers).length) return <span class="small">{t('approvals.noQuestions')}</span>;
  return (
    <dl class="approval-answers">
      {answerSheet(a.offering_questions, a.answers).map((l) => (
        <>
          <dt>{l.question}</dt>
          <dd>{l.answer || (a.answers_pending ? t('applications.answersPending') : t('applications.noAnswer'))}</dd>
        </>
      ))}
    </dl>
  );
}

/**
 * The applications waiting for the approver's 推薦・承認: who applied (with their 所属), the training,
 * their answers and the form to endorse or return it. On a phone each application is a card.
 */
export function ApprovalQueue({ t, lang, csrf, queue, errors }: { t: Translate; lang: Lang; csrf: string; queue: readonly Pending[]; errors: FieldErrors | null }) {
  return (
    <>
      <ErrorSummary t={t} errors={errors} />
      {queue.length ? (
        <DataTable
          t={t}
          caption={t('approvals.title')}
          captionHidden
          class="approvals"
          rows={queue}
          rowId={(a) => `application-${a.id}`}
          columns={[
            { key: 'applicant', label: t('approvals.applicant'), rowHeader: true, class: 'approval-applicant', cell: (a) => <Applicant t={t} a={a} /> },
            { key: 'offering', label: t('approvals.offering'), cell: (a) => <a href={`/trainings/${a.offering_id}`}>{a.offering_title}</a> },
            { key: 'answers', label: t('applications.answers'), class: 'approval-answers-cell', cell: (a) => <Answers t={t} a={a} /> },
            { key: 'applied', label: t('approvals.appliedAt'), cell: (a) => formatTokyo(a.applied_at, lang, 'datetime') },
            {
              key: 'actions',
              label: t('common.actions'),
              cell: (a) => (
                <form method="post" action={`/approvals/${a.id}`} aria-label={t('approvals.rowLabel', { name: a.person_name, title: a.offering_title })}>
                  <CsrfField token={csrf} />
                  <label for={`comment-${a.id}`}>{t('approvals.comment')}</label>
                  <textarea id={`comment-${a.id}`} name="comment" rows={2} maxlength={1000}></textarea>
                  <div class="actions">
                    <button type="submit" name="decision" value="endorse" class="button button--small">
                      {t('approvals.endorse')}
                    </button>
                    <button type="submit" name="decision" value="return" class="button button--small button--secondary">
                      {t('approvals.return')}
                    </button>
                  </div>
                </form>
              ),
            },
          ]}
        />
      ) : (
        <p>{t('approvals.none')}</p>
      )}
    </>
  );
}
