import { formatFiscalYear, formatTokyo, formatWareki } from '../../domain/calendar.js';
import type { SessionCopyPlan } from '../../domain/offering-copy.js';
import { APPLICATION_STATUSES } from '../../domain/selection.js';
import type { Translate } from '../../i18n/index.js';
import type { FieldErrors } from '../../lib/validation.js';
import { cohortCounts, messagesOfOffering, myMessages, previewCohortMessage, sendCohortMessage } from '../../services/cohort-message.service.js';
import { ServiceError } from '../../services/context.js';
import { getOffering } from '../../services/offering.service.js';
import { copyOffering, previewOfferingCopy } from '../../services/offering-copy.service.js';
import { type FormBody, readForm, submit, toId } from '../forms.js';
import { page } from '../page.js';
import type { Ctx, Router } from '../router.js';
import { CheckboxGroup, CsrfField, ErrorSummary, SelectField, TextArea, TextField } from '../views/components.js';

/** Bulk tasks on an offering (issue 16 §2.1–2.2): copy it into another fiscal year; message a cohort. */
const str = (v: FormBody[string] | undefined) => (typeof v === 'string' ? v : '');
const arr = (v: FormBody[string] | undefined) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : typeof v === 'string' && v ? [v] : []);

function CopyPlanTable({ t, lang, fy, sessions }: { t: Translate; lang: 'ja' | 'en'; fy: number; sessions: (SessionCopyPlan & { title: string })[] }) {
  if (!sessions.length) return <p>{t('bulk.noSessions')}</p>;
  const moved = sessions.filter((s) => s.moved).length;
  return (
    <>
      {moved ? (
        <p class="notice" role="status">
          {t('bulk.movedCount', { count: moved })}
        </p>
      ) : null}
      <div class="table-wrap">
        <table class="data-table data-table--stack">
          <caption>{t('bulk.copyPlanCaption', { fy: formatFiscalYear(fy, lang) })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('bulk.col.session')}</th>
              <th scope="col">{t('bulk.col.to')}</th>
              <th scope="col">{t('bulk.col.note')}</th>
            </tr>
          </thead>
          <tbody>
            {sessions.map((s) => (
              <tr>
                <td data-label={t('bulk.col.session')}>{s.title}</td>
                <td data-label={t('bulk.col.to')}>
                  {formatTokyo(s.startsAt, lang)}–{formatTokyo(s.endsAt, lang, 'time')}
                </td>
                <td data-label={t('bulk.col.note')}>
                  {s.moved
                    ? s.moved.kind === 'holiday'
                      ? t('bulk.moved.holiday', { date: formatWareki(s.sameWeekday, lang), name: s.moved.name ?? '' })
                      : t('bulk.moved.weekend', { date: formatWareki(s.sameWeekday, lang) })
                    : t('bulk.sameWeekday')}
                  <br />
                  <small>
                    {t('bulk.col.from')}：{formatWareki(s.from, lang)}
                  </small>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

export function registerOfferingBulk(r: Router) {
  const crumbs = (c: Ctx, o: { id: number; title: string }, label: string) => [
    { label: c.get('t')('nav.home'), href: '/' },
    { label: c.get('t')('nav.offerings'), href: '/admin/offerings' },
    { label: o.title, href: `/admin/offerings/${o.id}` },
    { label },
  ];

  // Copy: choose the year (GET form), see where each session goes, then copy (POST).
  const copyPage = async (c: Ctx, id: number, fiscalYear: string | undefined, errors: FieldErrors | null = null, status: 200 | 404 | 422 = 200) => {
    const t = c.get('t');
    const lang = c.get('lang');
    const ctx = c.get('ctx');
    const d = await getOffering(ctx, id);
    if (!d) return c.notFound();
    let plan = null as Awaited<ReturnType<typeof previewOfferingCopy>> | null;
    if (fiscalYear !== undefined && !errors) {
      try {
        plan = await previewOfferingCopy(ctx, id, { fiscalYear }, lang);
      } catch (e) {
        if (!(e instanceof ServiceError) || e.status !== 422) throw e;
        errors = e.fields;
        status = 422;
      }
    }
    const value = fiscalYear ?? String(d.offering.fiscal_year + 1);
    return page(
      c,
      t('bulk.copyTitle', { title: d.offering.title }),
      <>
        <p>{t('bulk.copyLead')}</p>
        <ErrorSummary t={t} errors={errors} labels={{ fiscalYear: t('bulk.copyTarget') }} />
        <form method="get" action={`/admin/offerings/${id}/copy`} novalidate>
          <TextField t={t} name="fiscalYear" label={t('bulk.copyTarget')} hint={t('bulk.copyTargetHint')} value={value} errors={errors} required maxlength={20} />
          <button type="submit" class="button button--secondary">
            {t('bulk.copyPreview')}
          </button>
        </form>
        {plan ? (
          <section>
            <CopyPlanTable t={t} lang={lang} fy={plan.fiscalYear} sessions={plan.sessions} />
            <form method="post" action={`/admin/offerings/${id}/copy`}>
              <CsrfField token={c.get('csrf')} />
              <input type="hidden" name="fiscalYear" value={String(plan.fiscalYear)} />
              <button type="submit" class="button">
                {t('bulk.copySubmit', { fy: formatFiscalYear(plan.fiscalYear, lang) })}
              </button>
            </form>
          </section>
        ) : null}
      </>,
      { crumbs: crumbs(c, d.offering, t('bulk.copy')), status },
    );
  };
  r.get('/admin/offerings/:id/copy', ['admin'], (c) => copyPage(c, toId(c.req.param('id')), c.req.query('fiscalYear')));
  r.post('/admin/offerings/:id/copy', ['admin'], async (c) => {
    const id = toId(c.req.param('id'));
    const body = await readForm(c);
    const t = c.get('t');
    const lang = c.get('lang');
    const res = await submit(
      () => copyOffering(c.get('ctx'), c.get('user'), id, { fiscalYear: str(body.fiscalYear) }),
      (errors) => copyPage(c, id, str(body.fiscalYear), errors, 422),
    );
    if (!res.ok) return res.response;
    const { offering, sessions } = res.value;
    const fy = formatFiscalYear(offering.fiscal_year, lang);
    return page(
      c,
      t('bulk.copyTitle', { title: offering.title }),
      <>
        <CopyPlanTable t={t} lang={lang} fy={offering.fiscal_year} sessions={sessions} />
        <p class="actions">
          <a class="button" href={`/admin/offerings/${offering.id}`}>
            {t('bulk.openCopy')}
          </a>
          <a class="button button--secondary" href={`/admin/surveys?offering=${offering.id}#new`}>
            {t('bulk.createSurveys')}
          </a>
        </p>
      </>,
      { crumbs: crumbs(c, offering, t('bulk.copy')), notice: t('bulk.copied', { fy, count: sessions.length, moved: sessions.filter((s) => s.moved).length }) },
    );
  });

  // Message a cohort: write, see how many it reaches, confirm, send.
  const messagePage = async (c: Ctx, id: number, values: FormBody = {}, errors: FieldErrors | null = null, status: 200 | 409 | 422 = 200, notice: string | null = null) => {
    const t = c.get('t');
    const lang = c.get('lang');
    const ctx = c.get('ctx');
    const d = await getOffering(ctx, id);
    if (!d) return c.notFound();
    const [counts, sent] = await Promise.all([cohortCounts(ctx, id), messagesOfOffering(ctx, id)]);
    return page(
      c,
      t('bulk.messageTitle', { title: d.offering.title }),
      <>
        <p>{t('bulk.messageLead')}</p>
        <ErrorSummary t={t} errors={errors} />
        <form method="post" action={`/admin/offerings/${id}/messages`} novalidate>
          <CsrfField token={c.get('csrf')} />
          <CheckboxGroup
            t={t}
            name="statuses"
            label={t('field.statuses')}
            values={arr(values.statuses)}
            errors={errors}
            options={APPLICATION_STATUSES.map((s) => ({ value: s, label: t('bulk.statusOption', { status: t(`status.${s}`), count: counts[s] ?? 0 }) }))}
          />
          <SelectField
            t={t}
            name="sessionId"
            label={t('field.sessionId')}
            hint={t('bulk.sessionHint')}
            value={str(values.sessionId)}
            errors={errors}
            options={[{ value: '', label: t('bulk.sessionNone') }, ...d.sessions.map((s) => ({ value: String(s.id), label: `${s.title}（${formatTokyo(s.starts_at, lang, 'date')}）` }))]}
          />
          <TextField t={t} name="subject" label={t('field.subject')} value={str(values.subject)} errors={errors} required maxlength={200} />
          <TextArea t={t} name="body" label={t('field.body')} value={str(values.body)} errors={errors} required maxlength={10000} rows={8} />
          <button type="submit" class="button">
            {t('bulk.messagePreview')}
          </button>
        </form>
        <section>
          <h2>{t('bulk.messagesSent')}</h2>
          {sent.length ? (
            <div class="table-wrap">
              <table class="data-table data-table--stack">
                <caption>{t('bulk.messagesSent')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('bulk.col.sentAt')}</th>
                    <th scope="col">{t('field.subject')}</th>
                    <th scope="col">{t('bulk.col.recipients')}</th>
                  </tr>
                </thead>
                <tbody>
                  {sent.map((m) => (
                    <tr>
                      <td data-label={t('bulk.col.sentAt')}>{formatTokyo(m.created_at, lang)}</td>
                      <td data-label={t('field.subject')}>{m.subject}</td>
                      <td data-label={t('bulk.col.recipients')}>{m.recipients}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : (
            <p>{t('bulk.noMessages')}</p>
          )}
        </section>
      </>,
      { crumbs: crumbs(c, d.offering, t('bulk.message')), status, notice },
    );
  };
  const confirmPage = async (c: Ctx, id: number, values: FormBody, errors: FieldErrors | null = null) => {
    const t = c.get('t');
    const p = await previewCohortMessage(c.get('ctx'), id, { statuses: arr(values.statuses), sessionId: str(values.sessionId), subject: values.subject, body: values.body });
    return page(
      c,
      t('bulk.messageConfirmTitle'),
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
          <CsrfField token={c.get('csrf')} />
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
      </>,
      { crumbs: crumbs(c, p.offering, t('bulk.message')), status: errors ? 422 : 200 },
    );
  };
  r.get('/admin/offerings/:id/messages', ['admin'], (c) => {
    const sent = c.req.query('sent');
    return messagePage(c, toId(c.req.param('id')), {}, null, 200, sent ? c.get('t')('bulk.messageSent', { count: Math.max(0, Number.parseInt(sent, 10) || 0) }) : null);
  });
  r.post('/admin/offerings/:id/messages', ['admin'], async (c) => {
    const id = toId(c.req.param('id'));
    const body = await readForm(c);
    const steps = arr(body.step);
    const back = (errors: FieldErrors, status: number) => messagePage(c, id, body, errors, status === 409 ? 409 : 422);
    if (steps.includes('edit')) return messagePage(c, id, body);
    const input = { statuses: arr(body.statuses), sessionId: str(body.sessionId), subject: body.subject, body: body.body };
    if (!steps.includes('send')) {
      const check = await submit(() => previewCohortMessage(c.get('ctx'), id, input), back);
      if (!check.ok) return check.response;
      return confirmPage(c, id, body);
    }
    if (body.confirm !== 'on') {
      // Not confirmed: the confirmation page again, asking for the tick (or the form, if the message is wrong).
      const check = await submit(() => previewCohortMessage(c.get('ctx'), id, input), back);
      if (!check.ok) return check.response;
      return confirmPage(c, id, body, { confirm: { key: 'operations.error.confirm' } });
    }
    const res = await submit(() => sendCohortMessage(c.get('ctx'), c.get('user'), id, input), back);
    if (!res.ok) return res.response;
    return c.redirect(`/admin/offerings/${id}/messages?sent=${res.value.queued}`, 303);
  });

  // Each person's copies: the messages the training office sent them.
  r.get('/my/messages', 'user', async (c) => {
    const t = c.get('t');
    const lang = c.get('lang');
    const rows = await myMessages(c.get('ctx'), c.get('user')!.id);
    return page(
      c,
      t('bulk.myMessages'),
      rows.length ? (
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
      ) : (
        <p>{t('bulk.noMessages')}</p>
      ),
      { crumbs: [{ label: t('nav.home'), href: '/' }, { label: t('bulk.myMessages') }] },
    );
  });
}
