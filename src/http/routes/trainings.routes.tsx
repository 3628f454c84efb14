import QRCode from 'qrcode';
import { fiscalYearOf, formatFiscalYear, formatTokyo, parseFiscalYear, tokyoDateOf } from '../../domain/calendar.js';
import type { Offering, OfferingQuestion, OfferingSession } from '../../db/schema.js';
import { answerSheet, hasDecisionNotice, owesAnswers } from '../../domain/application-policy.js';
import type { ApplicationRow } from '../../db/repositories/application.repository.js';
import type { Translate } from '../../i18n/index.js';
import type { FieldErrors } from '../../lib/validation.js';
import { answerQuestions, apply, cancel, cancellationPreview, getApplication, listApplications, myApplications } from '../../services/application.service.js';
import { calendarToken, personalFeed, sessionIcs } from '../../services/calendar-feed.service.js';
import { ServiceError } from '../../services/context.js';
import { cancellationDeadline, getOffering, listOfferings, sessionsOfOfferings, sessionWarnings } from '../../services/offering.service.js';
import { readForm, submit, toId } from '../forms.js';
import { page } from '../page.js';
import type { Ctx, Router } from '../router.js';
import { CheckboxGroup, CsrfField, ErrorSummary, SelectField, TextArea, TextField } from '../views/components.js';
import { fieldMessage } from '../../i18n/index.js';
import { certificatesForPerson, getAssignment, submitAssignment } from '../../services/completion.service.js';
import { getPerson } from '../../services/person.service.js';
import { SESSION_FORMATS } from '../../domain/values.js';
import { listProgrammes } from '../../services/offering.service.js';
import { AnswerList, answersOf, ApproverComment, OfferingFacts, QuestionFields, SessionTable } from '../views/offering-facts.js';

const num = toId;

export function registerTrainings(r: Router) {
  r.get('/trainings', 'user', async (c) => {
    const t = c.get('t');
    const lang = c.get('lang');
    const ctx = c.get('ctx');
    const fy = parseFiscalYear(c.req.query('fy') ?? '') ?? fiscalYearOf(ctx.now());
    const programmeId = num(c.req.query('programme')) || undefined;
    const format = SESSION_FORMATS.find((f) => f === c.req.query('format'));
    const month = num(c.req.query('month')) || undefined;
    const [offerings, programmes] = await Promise.all([listOfferings(ctx, { fiscalYear: fy, programmeId, publishedOnly: true }), listProgrammes(ctx)]);
    const sessions = await sessionsOfOfferings(ctx, offerings.map((o) => o.id));
    const shown = offerings.filter((o) => {
      const own = sessions.filter((s) => s.offering_id === o.id);
      if (format && !own.some((s) => s.format === format)) return false;
      if (month && !own.some((s) => Number(tokyoDateOf(s.starts_at).slice(5, 7)) === month)) return false;
      return true;
    });
    const now = ctx.now();
    return page(
      c,
      t('trainings.title', { fy: formatFiscalYear(fy, lang) }),
      <>
        <form method="get" action="/trainings" class="filters" role="search">
          <SelectField t={t} plain name="fy" label={t('field.fiscalYear')} value={fy} options={[fy - 1, fy, fy + 1].map((y) => ({ value: y, label: formatFiscalYear(y, lang) }))} />
          <SelectField t={t} plain name="programme" label={t('field.programme')} value={programmeId} blank="—" options={programmes.map((p) => ({ value: p.id, label: lang === 'en' ? p.name_en : p.name }))} />
          <SelectField t={t} plain name="format" label={t('trainings.format')} value={format} blank="—" options={SESSION_FORMATS.map((f) => ({ value: f, label: t(`format.${f}`) }))} />
          <SelectField t={t} plain name="month" label={t('trainings.month')} value={month} blank="—" options={[4, 5, 6, 7, 8, 9, 10, 11, 12, 1, 2, 3].map((m) => ({ value: m, label: lang === 'en' ? String(m) : `${m}月` }))} />
          <button type="submit" class="button">{t('trainings.filter')}</button>
        </form>
        {shown.length ? (
          <ul class="card-list">
            {shown.map((o) => {
              const own = sessions.filter((s) => s.offering_id === o.id);
              const open = now >= o.application_opens_at && now < o.application_closes_at;
              return (
                <li class="card">
                  <h2>
                    <a href={`/trainings/${o.id}`}>{o.title}</a>
                  </h2>
                  <p class="small">{lang === 'en' ? o.programme_name_en : o.programme_name}</p>
                  <p>
                    {own.length ? `${formatTokyo(own[0].starts_at, lang, 'date')}${own.length > 1 ? `〜${formatTokyo(own[own.length - 1].starts_at, lang, 'date')}` : ''}・` : ''}
                    {[...new Set(own.map((s) => t(`format.${s.format}`)))].join('・')}
                  </p>
                  <p>
                    {t('trainings.window')}：{formatTokyo(o.application_closes_at, lang, 'datetime')}まで {open ? '' : `（${t('trainings.closedNote')}）`}
                  </p>
                </li>
              );
            })}
          </ul>
        ) : (
          <p>{t('trainings.none')}</p>
        )}
      </>,
      { crumbs: [{ label: t('nav.home'), href: '/' }, { label: t('nav.trainings') }] },
    );
  });

  const detail = async (c: Ctx, offeringId: number, errors: FieldErrors | null = null, status: 200 | 409 | 422 = 200, notice: string | null = null) => {
    const t = c.get('t');
    const lang = c.get('lang');
    const ctx = c.get('ctx');
    const user = c.get('user')!;
    const d = await getOffering(ctx, offeringId);
    if (!d || (!d.offering.published && !user.roles.includes('admin'))) return c.notFound();
    const o = d.offering;
    const mine = (await listApplications(ctx, o.id)).filter((a) => a.person_id === user.id).pop();
    const live = mine && ['applied', 'endorsed', 'confirmed', 'waitlisted'].includes(mine.status);
    const now = ctx.now();
    const open = now >= o.application_opens_at && now < o.application_closes_at;
    const deadline = cancellationDeadline(o, d.sessions);
    return page(
      c,
      o.title,
      <>
        <p class="small">{lang === 'en' ? d.programme.name_en : d.programme.name}</p>
        {o.description ? <p>{o.description}</p> : null}
        <OfferingFacts t={t} lang={lang} o={o} />
        <SessionTable t={t} lang={lang} sessions={d.sessions} warnings={user.roles.includes('admin')} />
        <ErrorSummary t={t} errors={errors} />
        {mine ? (
          <section class="my-status">
            <h2>
              {t('trainings.yourStatus', { status: t(`status.${mine.status}`) })}
              {mine.waitlist_position ? `（${t('trainings.waitlistPosition', { position: mine.waitlist_position })}）` : ''}
            </h2>
            {owesAnswers(mine) ? (
              <p class="warning">
                <strong>{t('applications.answerPrompt')}</strong>：{t('applications.answerPromptShort')} <a href={`/my/applications/${mine.id}#answers`}>{t('applications.answerPrompt')}</a>
              </p>
            ) : null}
            <p>
              {/* The decision notice exists only once the seat is confirmed; before that, the application's own page. */}
              <a href={`/my/applications/${mine.id}`}>{hasDecisionNotice(mine.status) ? t('notice.title') : t('applications.detailLink')}</a>
            </p>
            <ApproverComment t={t} lang={lang} a={mine} />
            {live ? (
              <form method="get" action={`/applications/${mine.id}/cancel`}>
                {deadline ? <p>{t('trainings.cancelDeadline', { deadline: formatTokyo(deadline, lang, 'datetime') })}</p> : null}
                <button type="submit" class="button button--danger">{t('applications.cancelStart')}</button>
              </form>
            ) : null}
          </section>
        ) : null}
        {!live && (open || user.roles.includes('admin')) ? (
          <form method="post" action={`/trainings/${o.id}/apply`} novalidate>
            <CsrfField token={c.get('csrf')} />
            {/* After 差し戻し the earlier answers are offered again, to be revised. */}
            <QuestionFields t={t} questions={o.questions} errors={errors} values={mine?.status === 'returned' ? mine.answers : {}} />
            <button type="submit" class="button">{t('trainings.apply')}</button>
          </form>
        ) : !live ? (
          <p>{t('trainings.closedNote')}</p>
        ) : null}
      </>,
      { crumbs: [{ label: t('nav.home'), href: '/' }, { label: t('nav.trainings'), href: '/trainings' }, { label: o.title }], status, notice },
    );
  };
  r.get('/trainings/:id', 'user', (c) => detail(c, num(c.req.param('id')), null, 200, c.req.query('notice') === 'applied' ? c.get('t')('trainings.applied') : c.req.query('notice') === 'cancelled' ? c.get('t')('trainings.cancelled') : null));
  r.post('/trainings/:id/apply', 'user', async (c) => {
    const form = await readForm(c);
    const answers = answersOf(form);
    const id = num(c.req.param('id'));
    const res = await submit(() => apply(c.get('ctx'), c.get('user')!, id, { answers }), (errors, status) => detail(c, id, errors, status === 409 ? 409 : 422));
    if (!res.ok) return res.response;
    return c.redirect(`/trainings/${id}?notice=applied`, 303);
  });
  // 辞退 cannot be undone: a confirmation page says what it will do (the seat passes to the next person
  // waiting, the place on the waiting list is lost, who is mailed) and the POST needs its checkbox.
  const cancelPage = async (c: Ctx, id: number, values: { reason?: string } = {}, errors: FieldErrors | null = null) => {
    const t = c.get('t');
    const lang = c.get('lang');
    const user = c.get('user')!;
    const p = await cancellationPreview(c.get('ctx'), user, id);
    if (!p) return c.notFound();
    const { app: a, offering: o, effect } = p;
    const back = a.person_id === user.id ? `/trainings/${o.id}` : `/my/applications/${a.id}`;
    const params = { offering: o.title, status: t(`status.${a.status}`), name: a.person_name };
    return page(
      c,
      t('applications.cancelTitle'),
      <>
        {!p.live ? (
          <p>{t('error.cannotChange', { status: t(`status.${a.status}`) })}</p>
        ) : (
          <>
            <p>{t(a.person_id === user.id ? 'applications.cancelLead' : 'applications.cancelLeadOther', params)}</p>
            <ul>
              <li>
                <strong>{t('applications.cancelIrreversible')}</strong>
              </li>
              {effect.promotesNext ? <li>{t('applications.cancelPromotes', { waiting: p.waiting })}</li> : a.status === 'confirmed' ? <li>{t('applications.cancelFreesSeat')}</li> : null}
              {effect.losesWaitlistPlace && p.position ? <li>{t('applications.cancelLosesPlace', { position: p.position })}</li> : null}
              <li>{t('applications.cancelMail', { name: a.person_name })}</li>
            </ul>
            <ErrorSummary t={t} errors={errors} />
            <form method="post" action={`/applications/${a.id}/cancel`} novalidate>
              <CsrfField token={c.get('csrf')} />
              <TextField t={t} name="reason" label={t('trainings.cancelReason')} value={values.reason ?? ''} errors={errors} maxlength={500} />
              <CheckboxGroup t={t} name="confirmCancel" label={t('field.confirmCancel')} values={[]} errors={errors} options={[{ value: 'yes', label: t('applications.cancelConfirmLabel') }]} />
              <div class="actions">
                <button type="submit" class="button button--danger">{t('applications.cancelConfirm')}</button>{' '}
                <a class="button button--secondary" href={back}>{t('applications.cancelBack')}</a>
              </div>
            </form>
          </>
        )}
      </>,
      {
        crumbs: [{ label: t('nav.home'), href: '/' }, { label: t('nav.trainings'), href: '/trainings' }, { label: o.title, href: `/trainings/${o.id}` }, { label: t('applications.cancelTitle') }],
        status: errors ? 422 : 200,
      },
    );
  };
  r.get('/applications/:id/cancel', 'user', (c) => cancelPage(c, num(c.req.param('id'))));
  r.post('/applications/:id/cancel', 'user', async (c) => {
    const form = await readForm(c);
    const id = num(c.req.param('id'));
    const reason = typeof form.reason === 'string' ? form.reason : '';
    if (form.confirmCancel !== 'yes') {
      // Not confirmed: the confirmation page again (nothing changes); 404 for someone else's application.
      const p = await cancellationPreview(c.get('ctx'), c.get('user')!, id);
      if (!p) return c.notFound();
      return cancelPage(c, id, { reason }, { confirmCancel: { key: 'operations.error.confirm' } });
    }
    try {
      const a = await cancel(c.get('ctx'), c.get('user')!, id, { reason: form.reason });
      return c.redirect(a.person_id === c.get('user')!.id ? `/trainings/${a.offering_id}?notice=cancelled` : `/my/applications/${a.id}?notice=cancelled`, 303);
    } catch (e) {
      if (e instanceof ServiceError && e.status === 409) {
        const app = await getApplication(c.get('ctx'), id);
        return detail(c, app?.offering_id ?? 0, { _: { key: e.messageKey, params: e.params } }, 409);
      }
      throw e;
    }
  });

  r.get('/my/trainings', 'user', async (c) => {
    const t = c.get('t');
    const lang = c.get('lang');
    const ctx = c.get('ctx');
    const user = c.get('user')!;
    const [apps, token] = await Promise.all([myApplications(ctx, user.id), calendarToken(ctx, user.id)]);
    return page(
      c,
      t('my.title'),
      <>
        {apps.length ? (
          <table class="data-table data-table--stack">
            <caption>{t('my.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('field.fiscalYear')}</th>
                <th scope="col">{t('approvals.offering')}</th>
                <th scope="col">{t('common.status')}</th>
                <th scope="col">{t('approvals.appliedAt')}</th>
              </tr>
            </thead>
            <tbody>
              {apps.map((a) => (
                <tr>
                  <td data-label={t('field.fiscalYear')}>{formatFiscalYear(a.fiscal_year, lang, 'wareki')}</td>
                  <td data-label={t('approvals.offering')}>
                    <a href={`/trainings/${a.offering_id}`}>{a.offering_title}</a>
                  </td>
                  <td data-label={t('common.status')}>
                    <a href={`/my/applications/${a.id}`}>{t(`status.${a.status}`)}</a>
                  </td>
                  <td data-label={t('approvals.appliedAt')}>{formatTokyo(a.applied_at, lang, 'datetime')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <p>{t('my.none')}</p>
        )}
        <p>
          <a href="/my/messages">{t('bulk.myMessages')}</a>
        </p>
        <section>
          <h2>{t('my.feed')}</h2>
          <p>
            <code class="token">{`${ctx.config.baseUrl}/calendar/${token}.ics`}</code>
          </p>
          <p class="small">{t('my.feedNote')}</p>
        </section>
      </>,
      { crumbs: [{ label: t('nav.home'), href: '/' }, { label: t('my.title') }] },
    );
  });

  /**
   * The application's page: the 受講決定通知 when (and only when) the seat is confirmed, then the
   * application itself: status, answers under their questions (with the form to answer those left to
   * the applicant), the approver's comment with who and when, and 辞退.
   */
  const noticePage = async (c: Ctx, id: number, errors: FieldErrors | null = null, answerErrors: FieldErrors | null = null, answerValues: Record<string, string> = {}) => {
    const t = c.get('t');
    const lang = c.get('lang');
    const ctx = c.get('ctx');
    const user = c.get('user')!;
    const a = await getApplication(ctx, id);
    if (!a || (a.person_id !== user.id && !user.roles.includes('admin'))) return c.notFound();
    const d = (await getOffering(ctx, a.offering_id))!;
    const own = a.person_id === user.id;
    const byOther = a.applied_by !== null && a.applied_by !== a.person_id ? ((await getPerson(ctx, a.applied_by))?.name ?? '') : null;
    const live = ['applied', 'endorsed', 'confirmed', 'waitlisted'].includes(a.status);
    const crumbs = own
      ? [{ label: t('nav.home'), href: '/' }, { label: t('my.title'), href: '/my/trainings' }]
      : [{ label: t('nav.home'), href: '/' }, { label: t('nav.offerings'), href: '/admin/offerings' }, { label: d.offering.title, href: `/admin/offerings/${d.offering.id}/applications` }];
    const noticeParam = c.req.query('notice');
    const notice = noticeParam === 'submitted' ? t('assignment.done') : noticeParam === 'answered' ? t('applications.answered') : noticeParam === 'cancelled' ? t('trainings.cancelled') : null;
    const application = (
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
            {byOther !== null ? `（${t('applications.appliedOnBehalf', { name: byOther })}）` : ''}
          </dd>
        </dl>
        <ApproverComment t={t} lang={lang} a={a} />
        <ErrorSummary t={t} errors={answerErrors} />
        {d.offering.questions.length || Object.keys(a.answers).length ? (
          <>
            <h3 id="answers">{t('applications.answers')}</h3>
            {own && owesAnswers(a) ? (
              <form method="post" action={`/my/applications/${a.id}/answers`} novalidate class="answer-prompt">
                <p class="warning">
                  <strong>{t('applications.answerPrompt')}</strong>：{t('applications.answerPromptLead', { by: byOther ?? '' })}
                </p>
                <CsrfField token={c.get('csrf')} />
                <QuestionFields t={t} questions={d.offering.questions} errors={answerErrors} values={{ ...a.answers, ...answerValues }} />
                <button type="submit" class="button">{t('applications.answerSubmit')}</button>
              </form>
            ) : (
              <AnswerList t={t} questions={d.offering.questions} a={a} />
            )}
          </>
        ) : null}
        {live ? (
          <form method="get" action={`/applications/${a.id}/cancel`}>
            <button type="submit" class="button button--danger">{t('applications.cancelStart')}</button>
          </form>
        ) : null}
      </section>
    );
    if (!hasDecisionNotice(a.status))
      return page(
        c,
        t('applications.detailTitle'),
        <>
          <p>{t('applications.noNotice', { status: t(`status.${a.status}`) })}</p>
          {application}
        </>,
        { crumbs: [...crumbs, { label: t('applications.detailTitle') }], notice, status: answerErrors ? 422 : 200 },
      );
    const qr = await QRCode.toString(a.participant_code, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' });
    const [assignment, certificates] = await Promise.all([getAssignment(ctx, a.id), certificatesForPerson(ctx, a.person_id)]);
    const certificate = certificates.find((x) => x.application_id === a.id && !x.revoked_at);
    return page(
      c,
      t('notice.title'),
      <>
      <article class="notice-sheet">
        <p class="right">{formatTokyo(a.decided_at ?? ctx.now(), lang, 'date')}</p>
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
          <div class="qr" role="img" aria-label={`${t('notice.code')} ${a.participant_code}`} dangerouslySetInnerHTML={{ __html: qr }}></div>
        </div>
        <p class="right">{t('notice.issuer', { prefecture: ctx.config.prefectureName })}</p>
        <p class="actions">
          <a class="button button--secondary" href="/my/trainings">{t('common.back')}</a>
        </p>
      </article>
      {certificate ? (
        <section class="no-print">
          <h2>{t('certificate.title')}</h2>
          <p>
            <a class="button" href={`/certificates/${certificate.number}`}>{certificate.number}</a>
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
              <CsrfField token={c.get('csrf')} />
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
      {application}
      </>,
      { crumbs: [...crumbs, { label: t('notice.title') }], notice, status: errors || answerErrors ? 422 : 200 },
    );
  };
  r.get('/my/applications/:id', 'user', (c) => noticePage(c, num(c.req.param('id'))));
  r.post('/my/applications/:id/answers', 'user', async (c) => {
    const id = num(c.req.param('id'));
    const answers = answersOf(await readForm(c));
    const res = await submit(
      () => answerQuestions(c.get('ctx'), c.get('user')!, id, { answers }),
      (errors) => noticePage(c, id, null, errors, answers),
    );
    if (!res.ok) return res.response;
    return c.redirect(`/my/applications/${id}?notice=answered`, 303);
  });

  r.post('/my/applications/:id/assignment', 'user', async (c) => {
    const id = num(c.req.param('id'));
    const form = await readForm(c);
    const file = form.file instanceof File && form.file.size > 0 ? { name: form.file.name, bytes: new Uint8Array(await form.file.arrayBuffer()) } : null;
    try {
      await submitAssignment(c.get('ctx'), c.get('user')!, id, { text: form.text, file });
    } catch (e) {
      if (e instanceof ServiceError && e.status === 422) {
        return noticePage(c, id, e.fields);
      }
      throw e;
    }
    return c.redirect(`/my/applications/${id}?notice=submitted`, 303);
  });

  r.get('/trainings/sessions/:file', 'user', async (c) => {
    const m = /^(\d+)\.ics$/.exec(c.req.param('file') ?? '');
    const ics = m ? await sessionIcs(c.get('ctx'), Number(m[1]), { publishedOnly: !c.get('user')!.roles.includes('admin') }) : null;
    if (!ics) return c.notFound();
    return c.body(ics, 200, { 'Content-Type': 'text/calendar; charset=utf-8', 'Content-Disposition': `attachment; filename="kyodo-session-${m![1]}.ics"` });
  });

  // The personal feed is read by calendar clients, which cannot log in: the secret token is the credential.
  r.get('/calendar/:file', 'public', async (c) => {
    const m = /^([\w-]{20,})\.ics$/.exec(c.req.param('file') ?? '');
    const ics = m ? await personalFeed(c.get('ctx'), m[1]) : null;
    if (!ics) return c.notFound();
    return c.body(ics, 200, { 'Content-Type': 'text/calendar; charset=utf-8', 'Cache-Control': 'private, max-age=300' });
  });
}
