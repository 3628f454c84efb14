import { formatTokyo } from '../../domain/calendar.js';
import { APPLICATION_STATUSES } from '../../domain/selection.js';
import type { OfferingSession } from '../../db/schema.js';
import type { Translate } from '../../i18n/index.js';
import type { FieldErrors } from '../../lib/validation.js';
import type { messagesOfOffering, myMessages, previewCohortMessage } from '../../services/cohort-message.service.js';
import type { FormBody } from '../forms.js';
import { CheckboxGroup, CsrfField, DataTable, ErrorSummary, SelectField, TextArea, TextField } from '../views/components.js';
import { arr, str } from './offering.views.js';

type Lang = 'ja' | 'en';

/** Message a cohort: write it (then see how many it reaches); the messages sent so far. */
export function CohortMessageForm(p: {
  t: Translate;
  lang: Lang;
  csrf: string;
  id: number;
  sessions: OfferingSession[];
  counts: Partial<Record<string, number>>;
  sent: Awaited<ReturnType<typeof messagesOfOffering>>;
  values: FormBody;
  errors: FieldErrors | null;
}) {
  const { t, lang, values, errors } = p;
  return (
    <>
      <p>{t('bulk.messageLead')}</p>
      <ErrorSummary t={t} errors={errors} />
      <form method="post" action={`/admin/offerings/${p.id}/messages`} novalidate>
        <CsrfField token={p.csrf} />
        <CheckboxGroup
          t={t}
          name="statuses"
          label={t('field.statuses')}
          values={arr(values.statuses)}
          errors={errors}
          options={APPLICATION_STATUSES.map((s) => ({ value: s, label: t('bulk.statusOption', { status: t(`status.${s}`), count: p.counts[s] ?? 0 }) }))}
        />
        <SelectField
          t={t}
          name="sessionId"
          label={t('field.sessionId')}
          hint={t('bulk.sessionHint')}
          value={str(values.sessionId)}
          errors={errors}
          options={[{ value: '', label: t('bulk.sessionNone') }, ...p.sessions.map((s) => ({ value: String(s.id), label: `${s.title}（${formatTokyo(s.starts_at, lang, 'date')}）` }))]}
        />
        <TextField t={t} name="subject" label={t('field.subject')} value={str(values.subject)} errors={errors} required maxlength={200} />
        <TextArea t={t} name="body" label={t('field.body')} value={str(values.body)} errors={errors} required maxlength={10000} rows={8} />
        <button type="submit" class="button">
          {t('bulk.messagePreview')}
        </button>
      </form>
      <section>
        <h2>{t('bulk.messagesSent')}</h2>
        {p.sent.length ? (
          <DataTable
            t={t}
            caption={t('bulk.messagesSent')}
            rows={p.sent}
            columns={[
              { key: 'sentAt', label: t('bulk.col.sentAt'), cell: (m) => formatTokyo(m.created_at, lang) },
              { key: 'subject', label: t('field.subject'), cell: (m) => m.subject },
              { key: 'recipients', label: t('bulk.col.recipients'), numeric: true, cell: (m) => m.recipients },
            ]}
          />
        ) : (
          <p>{t('bulk.noMessages')}</p>
        )}
      </section>
    </>
  );
}

/** How many it reaches, the text, and a required tick before sending. */
export function CohortMessageConfirm({ t, csrf, id, values, p, errors }: { t: Translate; csrf: string; id: number; values: FormBody; p: Awaited<ReturnType<typeof previewCohortMessage>>; errors: FieldErrors | null }) {
  return (
    <>
      <p>{t('bulk.messageConfirmLead', { count: p.count })}</p>
      <ErrorSummary t={t} errors={errors} />
      <dl class="facts">
        <dt>{t('field.subject')}</dt>
        <dd>{p.subject}</dd>
        <dt>{t('field.body')}</dt>
        <dd style="white-space: pre-wrap">{p.body}</dd>
      </dl>
      <form method="post" action={`/admin/offerings/${id}/messages`} novalidate>
        <CsrfField token={csrf} />
        <input type="hidden" name="step" value="send" />
        {arr(values.statuses).map((s) => (
          <input type="hidden" name="statuses" value={s} />
        ))}
        <input type="hidden" name="sessionId" value={str(values.sessionId)} />
        <input type="hidden" name="subject" value={p.subject} />
        <input type="hidden" name="body" value={p.body} />
        <CheckboxGroup t={t} name="confirm" label={t('field.confirm')} values={[]} errors={errors} options={[{ value: 'on', label: t('bulk.messageConfirmLabel', { count: p.count }) }]} />
        <button type="submit" class="button">
          {t('bulk.messageSubmit', { count: p.count })}
        </button>
        <button type="submit" name="step" value="edit" class="button button--secondary">
          {t('bulk.back')}
        </button>
      </form>
    </>
  );
}

/** Each person's copies: the messages the training office sent them. */
export function MyMessages({ t, lang, rows }: { t: Translate; lang: Lang; rows: Awaited<ReturnType<typeof myMessages>> }) {
  if (!rows.length) return <p>{t('bulk.noMessages')}</p>;
  return (
    <>
      {rows.map((m) => (
        <article class="card">
          <h2>{m.subject}</h2>
          <p>
            <small>
              {formatTokyo(m.created_at, lang)}・{t('bulk.col.training')}：{m.offering_title}
            </small>
          </p>
          <p style="white-space: pre-wrap">{m.body}</p>
        </article>
      ))}
    </>
  );
}
