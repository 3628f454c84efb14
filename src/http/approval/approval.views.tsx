import { formatTokyo } from '../../domain/calendar.js';
import { answerSheet } from '../../domain/application-policy.js';
import type { Lang, Translate } from '../../i18n/index.js';
import type { FieldErrors } from '../../lib/validation.js';
import type { endorsementQueue } from '../../services/application.service.js';
import { CsrfField, DataTable, ErrorSummary } from '../views/components.js';

type Pending = Awaited<ReturnType<typeof endorsementQueue>>[number];

/** The applications waiting for the approver's 推薦・承認, each with its answers and the form to endorse or return it. */
export function ApprovalQueue({ t, lang, csrf, queue, errors }: { t: Translate; lang: Lang; csrf: string; queue: readonly Pending[]; errors: FieldErrors | null }) {
  return (
    <>
      <ErrorSummary t={t} errors={errors} />
      {queue.length ? (
        <DataTable
          t={t}
          caption={t('approvals.title')}
          rows={queue}
          stack={false}
          columns={[
            {
              key: 'applicant',
              label: t('approvals.applicant'),
              cell: (a) => (
                <>
                  {a.person_name}
                  <br />
                  <span class="kana">{a.unit_name ?? ''}</span>
                </>
              ),
            },
            {
              key: 'offering',
              label: t('approvals.offering'),
              cell: (a) => (
                <>
                  <a href={`/trainings/${a.offering_id}`}>{a.offering_title}</a>
                  {a.offering_questions.length || Object.keys(a.answers).length ? (
                    <dl class="small">
                      {answerSheet(a.offering_questions, a.answers).map((l) => (
                        <>
                          <dt>{l.question}</dt>
                          <dd>{l.answer || (a.answers_pending ? t('applications.answersPending') : t('applications.noAnswer'))}</dd>
                        </>
                      ))}
                    </dl>
                  ) : null}
                </>
              ),
            },
            { key: 'applied', label: t('approvals.appliedAt'), cell: (a) => formatTokyo(a.applied_at, lang, 'datetime') },
            {
              key: 'actions',
              label: t('common.actions'),
              cell: (a) => (
                <form method="post" action={`/approvals/${a.id}`}>
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
