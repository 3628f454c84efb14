import type { Child } from 'hono/jsx';
import { formatFiscalYear, formatTokyo } from '../../domain/calendar.js';
import type { ApplicationRow } from '../../db/repositories/application.repository.js';
import { fieldMessage, type Lang, type Translate } from '../../i18n/index.js';
import type { FieldErrors } from '../../lib/validation.js';
import type { myApplications } from '../../services/application.service.js';
import type { getAssignment } from '../../services/completion.service.js';
import type { getOffering } from '../../services/offering.service.js';
import { CsrfField, DataTable, ErrorSummary, TextArea } from '../views/components.js';
import { AnswerList, ApproverComment, QuestionFields, SessionTable } from '../views/offering-facts.js';

type MyApplication = Awaited<ReturnType<typeof myApplications>>[number];
type OfferingDetail = NonNullable<Awaited<ReturnType<typeof getOffering>>>;
type Assignment = Awaited<ReturnType<typeof getAssignment>>;

/** The person's own applications, newest first, and their personal calendar feed. */
export function MyTrainings({ t, lang, csrf, apps, feedUrl }: { t: Translate; lang: Lang; csrf: string; apps: readonly MyApplication[]; feedUrl: string | null }) {
  return (
    <>
      {apps.length ? (
        <DataTable
          t={t}
          caption={t('my.title')}
          rows={apps}
          columns={[
            { key: 'fy', label: t('field.fiscalYear'), cell: (a) => formatFiscalYear(a.fiscal_year, lang, 'wareki') },
            { key: 'offering', label: t('approvals.offering'), cell: (a) => <a href={`/trainings/${a.offering_id}`}>{a.offering_title}</a> },
            { key: 'status', label: t('common.status'), cell: (a) => <a href={`/my/applications/${a.id}`}>{t(`status.${a.status}`)}</a> },
            { key: 'applied', label: t('approvals.appliedAt'), cell: (a) => formatTokyo(a.applied_at, lang, 'datetime') },
          ]}
        />
      ) : (
        <p>{t('my.none')}</p>
      )}
      <p>
        <a href="/my/messages">{t('bulk.myMessages')}</a>
      </p>
      <section id="feed">
        <h2>{t('my.feed')}</h2>
        {feedUrl ? (
          <>
            <p>
              <code class="token">{feedUrl}</code>
            </p>
            <p class="small">{t('my.feedNote')}</p>
            <form method="post" action="/my/calendar-feed">
              <CsrfField token={csrf} />
              <input type="hidden" name="renew" value="1" />
              <p>
                <label>
                  <input type="checkbox" name="confirm" value="yes" required /> {t('my.feedRenewConfirm')}
                </label>
              </p>
              <button type="submit" class="button button--secondary">
                {t('my.feedRenew')}
              </button>
            </form>
          </>
        ) : (
          <form method="post" action="/my/calendar-feed">
            <CsrfField token={csrf} />
            <p>{t('my.feedNone')}</p>
            <button type="submit" class="button button--secondary">
              {t('my.feedCreate')}
            </button>
          </form>
        )}
      </section>
    </>
  );
}

/**
 * The application itself: status, answers under their questions (with the form to answer those left to
 * the applicant), the approver's comment with who and when, and 辞退.
 */
export function ApplicationDetail(p: {
  t: Translate;
  lang: Lang;
  csrf: string;
  a: ApplicationRow;
  d: OfferingDetail;
  /** Who applied on the applicant's behalf (代理申込), or null. */
  byOther: string | null;
  /** The applicant is reading and still owes answers: the form to answer them. */
  answering: boolean;
  live: boolean;
  answerErrors: FieldErrors | null;
  answerValues: Record<string, string>;
}) {
  const { t, lang, a, d } = p;
  return (
    <section class="no-print application-detail">
      <h2>{t('applications.detailTitle')}</h2>
      <dl class="meta">
        <dt>{t('approvals.applicant')}</dt>
        <dd>
          {a.person_name}
          {a.unit_name ? `（${a.unit_name}）` : ''}
        </dd>
        <dt>{t('approvals.offering')}</dt>
        <dd>
          <a href={`/trainings/${d.offering.id}`}>{d.offering.title}</a>
        </dd>
        <dt>{t('common.status')}</dt>
        <dd>{t(`status.${a.status}`)}</dd>
        <dt>{t('approvals.appliedAt')}</dt>
        <dd>
          {formatTokyo(a.applied_at, lang, 'datetime')}
          {p.byOther !== null ? `（${t('applications.appliedOnBehalf', { name: p.byOther })}）` : ''}
        </dd>
      </dl>
      <ApproverComment t={t} lang={lang} a={a} />
      <ErrorSummary t={t} errors={p.answerErrors} />
      {d.offering.questions.length || Object.keys(a.answers).length ? (
        <>
          <h3 id="answers">{t('applications.answers')}</h3>
          {p.answering ? (
            <form method="post" action={`/my/applications/${a.id}/answers`} novalidate class="answer-prompt">
              <p class="warning">
                <strong>{t('applications.answerPrompt')}</strong>：{t('applications.answerPromptLead', { by: p.byOther ?? '' })}
              </p>
              <CsrfField token={p.csrf} />
              <QuestionFields t={t} questions={d.offering.questions} errors={p.answerErrors} values={{ ...a.answers, ...p.answerValues }} />
              <button type="submit" class="button">{t('applications.answerSubmit')}</button>
            </form>
          ) : (
            <AnswerList t={t} questions={d.offering.questions} a={a} />
          )}
        </>
      ) : null}
      {p.live ? (
        <form method="get" action={`/applications/${a.id}/cancel`}>
          <button type="submit" class="button button--danger">{t('applications.cancelStart')}</button>
        </form>
      ) : null}
    </section>
  );
}

/**
 * The 受講決定通知 (only once the seat is confirmed): the sessions, the participant code with its QR
 * code, then the certificate once issued and the assignment (課題) when the offering asks for one.
 */
export function DecisionNotice(p: {
  t: Translate;
  lang: Lang;
  csrf: string;
  a: ApplicationRow;
  d: OfferingDetail;
  /** The QR code of the participant code, as SVG. */
  qr: string;
  date: Date;
  prefecture: string;
  certificateNumber: string | null;
  assignment: Assignment;
  errors: FieldErrors | null;
  children?: Child;
}) {
  const { t, lang, a, d, assignment, errors } = p;
  return (
    <>
      <article class="notice-sheet">
        <p class="right">{formatTokyo(p.date, lang, 'date')}</p>
        <p>
          {a.person_name} {lang === 'ja' ? '様' : ''}
          {a.unit_name ? `（${a.unit_name}）` : ''}
        </p>
        <p>{t('notice.lead')}</p>
        <h2>{d.offering.title}</h2>
        <SessionTable t={t} lang={lang} sessions={d.sessions} />
        <div class="participant-code">
          <div>
            <p>{t('notice.code')}</p>
            <p class="code">{a.participant_code}</p>
            <p class="small">{t('notice.codeNote')}</p>
          </div>
          <div class="qr" role="img" aria-label={`${t('notice.code')} ${a.participant_code}`} dangerouslySetInnerHTML={{ __html: p.qr }}></div>
        </div>
        <p class="right">{t('notice.issuer', { prefecture: p.prefecture })}</p>
        <p class="actions">
          <a class="button" href={`/my/applications/${a.id}/notice`}>{t('paper.noticeLink')}</a> <a class="button button--secondary" href={`/my/applications/${a.id}/notice.pdf`} type="application/pdf">{t('paper.noticePdf')}</a>
          <a class="button button--secondary" href="/my/trainings">{t('common.back')}</a>
        </p>
      </article>
      {p.certificateNumber ? (
        <section class="no-print">
          <h2>{t('certificate.title')}</h2>
          <p>
            <a class="button" href={`/certificates/${p.certificateNumber}`}>{p.certificateNumber}</a>
          </p>
        </section>
      ) : null}
      {d.offering.completion_rule.assignment ? (
        <section class="no-print">
          <h2>{t('assignment.title')}</h2>
          <p>
            {t('common.status')}：{assignment ? t(`assignment.${assignment.status}`) : t('assignment.none')}
            {assignment?.review_comment ? `（${assignment.review_comment}）` : ''}
          </p>
          {assignment?.status !== 'accepted' ? (
            <form method="post" action={`/my/applications/${a.id}/assignment`} enctype="multipart/form-data" novalidate>
              <CsrfField token={p.csrf} />
              <ErrorSummary t={t} errors={errors} />
              <TextArea t={t} name="text" label={t('assignment.text')} value={assignment?.text ?? ''} errors={errors} maxlength={20000} rows={8} />
              <div class={`field${errors?.file ? ' field--error' : ''}`}>
                <label for="f-file">
                  {t('assignment.file')}
                  <span class="badge">{t('common.optional')}</span>
                </label>
                {errors?.file ? <p class="field-error" id="f-file-error">{fieldMessage(t, 'file', errors.file.key, errors.file.params)}</p> : null}
                <input type="file" id="f-file" name="file" accept=".pdf,.docx,.xlsx,.pptx,.txt,.png,.jpg,.jpeg" aria-invalid={errors?.file ? 'true' : undefined} aria-describedby={errors?.file ? 'f-file-error' : undefined} />
              </div>
              <button type="submit" class="button">{t('assignment.submit')}</button>
            </form>
          ) : null}
        </section>
      ) : null}
      {p.children}
    </>
  );
}
