import type { Child } from 'hono/jsx';
import { fiscalYearOf, formatFiscalYear, formatTokyo, parseFiscalYear, tokyoDateOf } from '../../domain/calendar.js';
import { APPLICATION_STATUSES, SELECTION_METHODS } from '../../domain/selection.js';
import type { Offering } from '../../db/schema.js';
import type { FieldErrors } from '../../lib/validation.js';
import { apply, decide, decisionPreview, listApplications, lotteryPreview, nominateUnit, nominationPreview, runLottery } from '../../services/application.service.js';
import { answerSheet } from '../../domain/application-policy.js';
import { addSession, cancellationPreview, cancelOffering, createOffering, deleteOffering, getOffering, listOfferings, openProgrammesNow, PRIORITY_RULES, updateOffering } from '../../services/offering.service.js';
import { listPeople } from '../../services/person.service.js';
import { listUnits } from '../../services/unit.service.js';
import { invalid } from '../../services/context.js';
import { sendTable } from '../export.js';
import { type FormBody, readForm, submit, toId } from '../forms.js';
import { addSessionConfirmPage } from './sessions.routes.js';
import { page } from '../page.js';
import type { Ctx, Router } from '../router.js';
import { CheckboxGroup, CsrfField, Downloads, ErrorSummary, SelectField, TextArea, TextField } from '../views/components.js';
import { answersOf, OfferingFacts, QuestionFields, SessionTable } from '../views/offering-facts.js';
import { SESSION_FORMATS } from '../../domain/values.js';

const num = toId;
/** A Date as the value of a datetime-local input, in Tokyo time. */
const local = (d: Date | null | undefined) => (d ? `${tokyoDateOf(d)}T${formatTokyo(d, 'ja', 'time')}` : '');

function offeringValues(o: Offering): FormBody {
  return {
    programmeId: String(o.programme_id),
    fiscalYear: String(o.fiscal_year),
    title: o.title,
    audience: o.audience,
    description: o.description,
    selection: o.selection,
    capacity: String(o.capacity),
    seatsPrefecture: o.seats.prefecture?.toString() ?? '',
    seatsMunicipality: o.seats.municipality?.toString() ?? '',
    seatsPartner: o.seats.partner?.toString() ?? '',
    ...(o.waitlist ? { waitlist: 'on' } : {}),
    ...(o.endorsement_required ? { endorsementRequired: 'on' } : {}),
    ...(o.published ? { published: 'on' } : {}),
    applicationOpensAt: local(o.application_opens_at),
    applicationClosesAt: local(o.application_closes_at),
    cancellationDeadline: local(o.cancellation_deadline),
    promotionCutoff: local(o.promotion_cutoff),
    questions: o.questions.map((q) => `${q.required ? '*' : ''}${q.label}`).join('\n'),
    priorityRules: o.priority_rules,
    reminderDays: String(o.reminder_days),
    completionMinSessions: o.completion_rule.minSessions?.toString() ?? '',
    completionRequiredSessions: (o.completion_rule.requiredSessionIds ?? []).map(String),
    ...(o.completion_rule.assignment ? { completionAssignment: 'on' } : {}),
    ...(o.completion_rule.signOff ? { completionSignOff: 'on' } : {}),
  };
}

const str = (v: FormBody[string] | undefined) => (typeof v === 'string' ? v : '');
const arr = (v: FormBody[string] | undefined) => (Array.isArray(v) ? v : typeof v === 'string' && v ? [v] : []);

export function registerOfferings(r: Router) {
  registerOfferingLifecycle(r);
  r.get('/admin/offerings', ['admin'], async (c) => {
    const t = c.get('t');
    const lang = c.get('lang');
    const ctx = c.get('ctx');
    const fy = parseFiscalYear(c.req.query('fy') ?? '') ?? fiscalYearOf(ctx.now());
    const rows = await listOfferings(ctx, { fiscalYear: fy });
    return page(
      c,
      t('offerings.title', { fy: formatFiscalYear(fy, lang) }),
      <>
        <p class="actions">
          <a class="button" href={`/admin/offerings/new?fy=${fy}`}>{t('offerings.new')}</a>
        </p>
        <form method="get" action="/admin/offerings" class="filters">
          <SelectField t={t} plain name="fy" label={t('field.fiscalYear')} value={fy} options={Array.from({ length: 8 }, (_, i) => fy - 5 + i).map((y) => ({ value: y, label: formatFiscalYear(y, lang) }))} />
          <button type="submit" class="button">{t('trainings.filter')}</button>
        </form>
        <table class="data-table">
          <caption>{t('offerings.title', { fy: formatFiscalYear(fy, lang) })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('field.title')}</th>
              <th scope="col">{t('field.programme')}</th>
              <th scope="col">{t('trainings.window')}</th>
              <th scope="col">{t('field.selection')}</th>
              <th scope="col">{t('trainings.capacity')}</th>
              <th scope="col">{t('offerings.state')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((o) => (
              <tr>
                <td>
                  <a href={`/admin/offerings/${o.id}`}>{o.title}</a> ・ <a href={`/admin/offerings/${o.id}/applications`}>{t('offerings.applications')}</a>
                </td>
                <td>{lang === 'en' ? o.programme_name_en : o.programme_name}</td>
                <td>
                  {formatTokyo(o.application_opens_at, lang, 'date')}〜{formatTokyo(o.application_closes_at, lang, 'date')}
                </td>
                <td>{t(`selection.${o.selection}`)}</td>
                <td>
                  {o.confirmed_count} / {o.capacity}
                </td>
                <td>{o.cancelled_at ? <strong>{t('offerings.stateCancelled')}</strong> : o.published ? t('offerings.statePublished') : t('offerings.stateUnpublished')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </>,
      { crumbs: [{ label: t('nav.home'), href: '/' }, { label: t('nav.offerings') }], notice: c.req.query('notice') === 'offerings.deleted' ? t('offerings.deleted') : null },
    );
  });

  const form = async (c: Ctx, values: FormBody, errors: FieldErrors | null, id: number | null, status: 200 | 422 = 200, extra: Child = null, notice: string | null = null) => {
    const sessions = id ? ((await getOffering(c.get('ctx'), id))?.sessions ?? []) : [];
    const t = c.get('t');
    const lang = c.get('lang');
    // Only programmes still running can take a new offering (NPO・協働研修 ended in 平成18年度); an
    // existing offering keeps showing its own programme. No default unless exactly one is running.
    const open = await openProgrammesNow(c.get('ctx'));
    const current = id ? (await getOffering(c.get('ctx'), id))?.programme : undefined;
    const programmes = current && !open.some((p) => p.id === current.id) ? [current, ...open] : open;
    const programmeValue = str(values.programmeId) || (!id && open.length === 1 ? String(open[0].id) : '');
    // A refused year (outside 1990–2100) must not become the centre of the year list: no wareki for it.
    const asked = num(str(values.fiscalYear));
    const fy = asked >= 1990 && asked <= 2100 ? asked : fiscalYearOf(c.get('ctx').now());
    const title = id ? t('offerings.edit') : t('offerings.new');
    return page(
      c,
      title,
      <>
        <ErrorSummary t={t} errors={errors} />
        <form method="post" action={id ? `/admin/offerings/${id}` : '/admin/offerings'} novalidate>
          <CsrfField token={c.get('csrf')} />
          <SelectField t={t} name="programmeId" label={t('field.programmeId')} hint={t('offerings.programmeHint')} value={programmeValue} errors={errors} required blank={t('offerings.programmeBlank')} options={programmes.map((p) => ({ value: p.id, label: lang === 'en' ? p.name_en : p.name }))} />
          <SelectField t={t} name="fiscalYear" label={t('field.fiscalYear')} value={fy} errors={errors} required options={Array.from({ length: 6 }, (_, i) => fy - 2 + i).map((y) => ({ value: y, label: formatFiscalYear(y, lang) }))} />
          <TextField t={t} name="title" label={t('field.title')} value={str(values.title)} errors={errors} required maxlength={200} />
          <TextField t={t} name="audience" label={t('field.audience')} value={str(values.audience)} errors={errors} maxlength={500} />
          <TextArea t={t} name="description" label={t('field.description')} value={str(values.description)} errors={errors} maxlength={4000} />
          <SelectField t={t} name="selection" label={t('field.selection')} value={str(values.selection) || 'first_come'} errors={errors} required options={SELECTION_METHODS.map((m) => ({ value: m, label: t(`selection.${m}`) }))} />
          <TextField t={t} name="capacity" type="number" label={t('field.capacity')} value={str(values.capacity)} errors={errors} required />
          <fieldset class="field" id="f-seats">
            <legend>{t('field.seats')}</legend>
            <TextField t={t} name="seatsPrefecture" type="number" label={t('field.seatsPrefecture')} value={str(values.seatsPrefecture)} errors={errors} />
            <TextField t={t} name="seatsMunicipality" type="number" label={t('field.seatsMunicipality')} value={str(values.seatsMunicipality)} errors={errors} />
            <TextField t={t} name="seatsPartner" type="number" label={t('field.seatsPartner')} value={str(values.seatsPartner)} errors={errors} />
          </fieldset>
          <CheckboxGroup t={t} name="waitlist" label={t('field.waitlist')} values={values.waitlist ? ['on'] : []} options={[{ value: 'on', label: t('offerings.waitlistOn') }]} />
          <CheckboxGroup t={t} name="endorsementRequired" label={t('field.endorsementRequired')} values={values.endorsementRequired ? ['on'] : []} options={[{ value: 'on', label: t('offerings.endorsementOn') }]} />
          <TextField t={t} name="applicationOpensAt" type="datetime-local" label={t('field.applicationOpensAt')} value={str(values.applicationOpensAt)} errors={errors} required />
          <TextField t={t} name="applicationClosesAt" type="datetime-local" label={t('field.applicationClosesAt')} value={str(values.applicationClosesAt)} errors={errors} required />
          <TextField t={t} name="cancellationDeadline" type="datetime-local" label={t('field.cancellationDeadline')} value={str(values.cancellationDeadline)} errors={errors} />
          <TextField t={t} name="promotionCutoff" type="datetime-local" label={t('field.promotionCutoff')} value={str(values.promotionCutoff)} errors={errors} />
          <TextArea t={t} name="questions" label={t('field.questions')} hint={t('offerings.questionsHint')} value={str(values.questions)} errors={errors} />
          <CheckboxGroup t={t} name="priorityRules" label={t('field.priorityRules')} values={arr(values.priorityRules)} errors={errors} options={PRIORITY_RULES.map((p) => ({ value: p, label: t(`priority.${p}`) }))} />
          <TextField t={t} name="reminderDays" type="number" label={t('field.reminderDays')} value={str(values.reminderDays) || '3'} errors={errors} />
          <fieldset class="field" id="f-completionRule">
            <legend>{t('completion.rule')}</legend>
            <p class="hint">{t('offerings.completionHint')}</p>
            <TextField t={t} name="completionMinSessions" type="number" label={t('field.completionMinSessions')} value={str(values.completionMinSessions)} errors={errors} />
            {sessions.length ? (
              <CheckboxGroup t={t} name="completionRequiredSessions" label={t('field.completionRequiredSessions')} values={arr(values.completionRequiredSessions)} errors={errors} options={sessions.map((s) => ({ value: String(s.id), label: s.title }))} />
            ) : null}
            <CheckboxGroup t={t} name="completionAssignment" label={t('completion.assignment')} values={values.completionAssignment ? ['on'] : []} options={[{ value: 'on', label: t('offerings.completionAssignmentOn') }]} />
            <CheckboxGroup t={t} name="completionSignOff" label={t('completion.signOff')} values={values.completionSignOff ? ['on'] : []} options={[{ value: 'on', label: t('offerings.completionSignOffOn') }]} />
          </fieldset>
          <CheckboxGroup t={t} name="published" label={t('field.published')} values={values.published ? ['on'] : []} options={[{ value: 'on', label: t('offerings.publishedOn') }]} />
          <button type="submit" class="button">{id ? t('common.save') : t('common.create')}</button>
        </form>
        {extra}
      </>,
      { crumbs: [{ label: t('nav.home'), href: '/' }, { label: t('nav.offerings'), href: '/admin/offerings' }, { label: title }], status, notice },
    );
  };

  r.get('/admin/offerings/new', ['admin'], (c) => form(c, { fiscalYear: c.req.query('fy') ?? '', waitlist: 'on', published: 'on' }, null, null));
  r.post('/admin/offerings', ['admin'], async (c) => {
    const body = await readForm(c);
    const res = await submit(() => createOffering(c.get('ctx'), c.get('user'), body, { form: true }), (errors) => form(c, body, errors, null, 422));
    if (!res.ok) return res.response;
    return c.redirect(`/admin/offerings/${res.value.id}?notice=common.saved`, 303);
  });

  const edit = async (c: Ctx, id: number, sessionErrors: FieldErrors | null = null, sessionValues: FormBody = {}) => {
    const t = c.get('t');
    const lang = c.get('lang');
    const d = await getOffering(c.get('ctx'), id);
    if (!d) return c.notFound();
    const extra = (
      <section>
        <h2>{t('offerings.sessions')}</h2>
        {d.sessions.length ? <SessionTable t={t} lang={lang} sessions={d.sessions} warnings /> : <p>{t('offerings.noSessions')}</p>}
        {d.sessions.length ? (
          // Changing or deleting a session asks first, on its own page (links: no JavaScript needed).
          <ul class="link-list">
            {d.sessions.map((s) => (
              <li>
                {s.title}：<a href={`/admin/offerings/${id}/sessions/${s.id}/edit`}>{t('sessions.edit')}<span class="visually-hidden">（{s.title}）</span></a>
                {' ・ '}
                <a href={`/admin/offerings/${id}/sessions/${s.id}/delete`}>{t('sessions.delete')}<span class="visually-hidden">（{s.title}）</span></a>
              </li>
            ))}
          </ul>
        ) : null}
        <h3>{t('offerings.addSession')}</h3>
        <ErrorSummary t={t} errors={sessionErrors} idPrefix="session-" />
        <form method="post" action={`/admin/offerings/${id}/sessions`} novalidate>
          <CsrfField token={c.get('csrf')} />
          <TextField t={t} idPrefix="session-" name="title" label={t('field.title')} value={str(sessionValues.title)} errors={sessionErrors} required maxlength={200} />
          <SelectField t={t} idPrefix="session-" name="format" label={t('field.format')} value={str(sessionValues.format) || 'lecture'} errors={sessionErrors} required options={SESSION_FORMATS.map((f) => ({ value: f, label: t(`format.${f}`) }))} />
          <TextField t={t} idPrefix="session-" name="startsAt" type="datetime-local" label={t('field.startsAt')} value={str(sessionValues.startsAt)} errors={sessionErrors} required />
          <TextField t={t} idPrefix="session-" name="endsAt" type="datetime-local" label={t('field.endsAt')} value={str(sessionValues.endsAt)} errors={sessionErrors} required />
          <TextField t={t} idPrefix="session-" name="venue" label={t('field.venue')} value={str(sessionValues.venue)} errors={sessionErrors} maxlength={300} />
          <TextField t={t} idPrefix="session-" name="lecturers" label={t('field.lecturers')} value={str(sessionValues.lecturers)} errors={sessionErrors} maxlength={500} />
          <button type="submit" class="button">{t('offerings.addSession')}</button>
        </form>
        <p class="actions">
          <a class="button button--secondary" href={`/admin/offerings/${id}/applications`}>{t('offerings.applications')}</a>
          <a class="button button--secondary" href={`/admin/offerings/${id}/completion`}>{t('completion.completed')}</a>
          <a class="button button--secondary" href={`/admin/surveys?offering=${id}#new`}>{t('survey.title')}</a>
          <a class="button button--secondary" href={`/admin/offerings/${id}/messages`}>{t('bulk.message')}</a>
          <a class="button button--secondary" href={`/admin/offerings/${id}/copy`}>{t('bulk.copy')}</a>
          {d.sessions.map((s) => (
            <a class="button button--secondary" href={`/admin/sessions/${s.id}/attendance`}>
              {t('field.attendance')}：{s.title}
            </a>
          ))}
        </p>
        <OfferingEnd t={t} lang={lang} o={d.offering} />
      </section>
    );
    const notice = c.req.query('notice');
    return form(
      c,
      offeringValues(d.offering),
      null,
      id,
      sessionErrors ? 422 : 200,
      extra,
      notice === 'common.saved' ? t('common.saved') : notice === 'sessions.deleted' || notice === 'sessions.updated' ? t(notice) : notice === 'offerings.cancelled' ? t('offerings.cancelled', { count: Math.max(0, Number.parseInt(c.req.query('count') ?? '0', 10) || 0) }) : null,
    );
  };
  r.get('/admin/offerings/:id', ['admin'], (c) => edit(c, num(c.req.param('id'))));
  r.post('/admin/offerings/:id', ['admin'], async (c) => {
    const id = num(c.req.param('id'));
    const body = await readForm(c);
    const res = await submit(() => updateOffering(c.get('ctx'), c.get('user'), id, body, { form: true }), (errors) => form(c, body, errors, id, 422));
    if (!res.ok) return res.response;
    return c.redirect(`/admin/offerings/${id}?notice=common.saved`, 303);
  });
  r.post('/admin/offerings/:id/sessions', ['admin'], async (c) => {
    const id = num(c.req.param('id'));
    const body = await readForm(c);
    // A session that would withdraw completions (and revoke certificates) asks first, with the counts.
    const res = await submit(
      () => addSession(c.get('ctx'), c.get('user'), id, body),
      (errors, _status, e) => (e.code === 'confirmation_required' ? addSessionConfirmPage(c, id, body, { certificatesRevoked: Number(e.params.certificates ?? 0), completionsLost: Number(e.params.completions ?? 0) }) : edit(c, id, errors, body)),
    );
    if (!res.ok) return res.response;
    return c.redirect(`/admin/offerings/${id}?notice=common.saved`, 303);
  });
  // Changing and deleting a session: sessions.routes.tsx.

  // --- Applicants, decisions, lottery, proxy application, unit nomination ------------------
  const applicants = async (c: Ctx, id: number, message: string | null = null, errors: FieldErrors | null = null, status: 200 | 409 | 422 = 200, values: FormBody = {}) => {
    const t = c.get('t');
    const lang = c.get('lang');
    const ctx = c.get('ctx');
    const d = await getOffering(ctx, id);
    if (!d) return c.notFound();
    const o = d.offering;
    const statusFilter = APPLICATION_STATUSES.find((s) => s === c.req.query('status'));
    const unitId = num(c.req.query('unit')) || undefined;
    const [all, units] = await Promise.all([listApplications(ctx, id), listUnits(ctx, { activeOnly: true })]);
    const rows = all.filter((a) => (!statusFilter || a.status === statusFilter) && (!unitId || a.person_unit_id === unitId));
    const count = (s: string) => all.filter((a) => a.status === s).length;
    const qs = new URLSearchParams(Object.entries({ status: statusFilter, unit: unitId ? String(unitId) : undefined }).filter((e): e is [string, string] => !!e[1])).toString();
    return page(
      c,
      `${o.title}：${t('offerings.applications')}`,
      <>
        <OfferingFacts t={t} lang={lang} o={o} />
        <p role="status">
          {t('offerings.counts', { confirmed: count('confirmed'), capacity: o.capacity, waitlisted: count('waitlisted'), pending: count('applied') + count('endorsed') })}
        </p>
        <ErrorSummary t={t} errors={errors} />
        <form method="get" action={`/admin/offerings/${id}/applications`} class="filters">
          <SelectField t={t} plain name="status" label={t('common.status')} value={statusFilter} blank="—" options={APPLICATION_STATUSES.map((s) => ({ value: s, label: t(`status.${s}`) }))} />
          <SelectField t={t} plain name="unit" label={t('field.unit')} value={unitId} blank="—" options={units.map((u) => ({ value: u.id, label: `${'　'.repeat(u.depth)}${u.name}` }))} />
          <button type="submit" class="button">{t('trainings.filter')}</button>
        </form>
        <form method="post" action={`/admin/offerings/${id}/decisions`}>
          <CsrfField token={c.get('csrf')} />
          <div class="table-wrap">
            <table class="data-table">
              <caption>{t('offerings.applications')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('offerings.select')}</th>
                  <th scope="col">{t('field.name')}</th>
                  <th scope="col">{t('field.unit')}</th>
                  <th scope="col">{t('field.affiliation')}</th>
                  <th scope="col">{t('common.status')}</th>
                  <th scope="col">{t('approvals.appliedAt')}</th>
                  {o.questions.map((q) => (
                    <th scope="col">{q.label}</th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {rows.map((a) => (
                  <tr>
                    <td>
                      <input type="checkbox" name="applicationIds" value={String(a.id)} id={`app-${a.id}`} aria-label={`${t('offerings.select')}：${a.person_name}`} />
                    </td>
                    <td>
                      <label for={`app-${a.id}`}>{a.person_name}</label>
                      <br />
                      <span class="kana">{a.person_kana}</span>
                      <br />
                      <a class="small" href={`/my/applications/${a.id}`} aria-label={`${t('applications.detail')}：${a.person_name}`}>
                        {t('applications.detail')}
                      </a>
                    </td>
                    <td>{a.unit_name ?? ''}</td>
                    <td>{t(`seatGroup.${a.seat_group}`)}</td>
                    <td>
                      {t(`status.${a.status}`)}
                      {a.waitlist_position ? ` (${a.waitlist_position})` : ''}
                      {a.lottery_rank ? ` #${a.lottery_rank}` : ''}
                      {a.status === 'cancelled' && a.cancel_reason ? (
                        <>
                          <br />
                          <span class="small">{`${t('trainings.cancelReason')}：${a.cancel_reason}`}</span>
                        </>
                      ) : null}
                    </td>
                    <td>{formatTokyo(a.applied_at, lang, 'datetime')}</td>
                    {answerSheet(o.questions, a.answers)
                      .slice(0, o.questions.length)
                      .map((l) => (
                        <td class="answer">{l.answer || (a.answers_pending ? t('applications.answersPending') : '')}</td>
                      ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <div class="filters">
            <SelectField t={t} name="decision" label={t('offerings.decide')} value="confirmed" required options={(['confirmed', 'waitlisted', 'not_selected'] as const).map((s) => ({ value: s, label: t(`status.${s}`) }))} />
            <button type="submit" class="button">{t('offerings.decideSubmit')}</button>
          </div>
        </form>
        <Downloads t={t} base={`/admin/offerings/${id}/applications`} query={qs} />
        {o.selection === 'lottery' ? (
          <section>
            <h2>{t('offerings.lottery')}</h2>
            {o.lottery_seed ? (
              <p>{t('offerings.lotteryDone', { seed: o.lottery_seed, at: o.lottery_at ? formatTokyo(o.lottery_at, lang, 'datetime') : '' })}</p>
            ) : (
              // Drawing asks first (how many applicants, how many seats) on its own page.
              <form method="get" action={`/admin/offerings/${id}/lottery`}>
                <button type="submit" class="button">
                  {t('offerings.lotteryGo')}
                </button>
              </form>
            )}
          </section>
        ) : null}
        <section>
          <h2>{t('offerings.proxy')}</h2>
          <form method="post" action={`/admin/offerings/${id}/proxy`} novalidate>
            <CsrfField token={c.get('csrf')} />
            <TextField t={t} name="email" type="email" label={t('field.email')} errors={errors} required value={str(values.email)} />
            {o.questions.length ? (
              <>
                <p class="hint">{t('applications.proxyQuestionsHint')}</p>
                <QuestionFields t={t} questions={o.questions} errors={errors} values={answersOf(values)} />
                <CheckboxGroup t={t} name="answersPending" label={t('field.answersPending')} values={values.answersPending ? ['on'] : []} errors={errors} options={[{ value: 'on', label: t('applications.answersPendingOption') }]} />
              </>
            ) : null}
            <button type="submit" class="button button--secondary">{t('offerings.proxySubmit')}</button>
          </form>
          <h2>{t('offerings.nominate')}</h2>
          <form method="post" action={`/admin/offerings/${id}/nominate`}>
            <CsrfField token={c.get('csrf')} />
            <SelectField t={t} name="unitId" label={t('field.unit')} errors={errors} required options={units.map((u) => ({ value: u.id, label: `${'　'.repeat(u.depth)}${u.name}` }))} />
            <button type="submit" class="button button--secondary">{t('offerings.nominateSubmit')}</button>
          </form>
        </section>
      </>,
      {
        crumbs: [{ label: t('nav.home'), href: '/' }, { label: t('nav.offerings'), href: '/admin/offerings' }, { label: o.title, href: `/admin/offerings/${id}` }, { label: t('offerings.applications') }],
        notice: message,
        status,
      },
    );
  };
  r.get('/admin/offerings/:id/applications', ['admin'], (c) => applicants(c, num(c.req.param('id')), c.req.query('notice') === 'common.saved' ? c.get('t')('common.saved') : null));
  for (const format of ['csv', 'xlsx'] as const)
    r.get(`/admin/offerings/:id/applications.${format}`, ['admin'], async (c) => {
      const t = c.get('t');
      const rows = await listApplications(c.get('ctx'), num(c.req.param('id')), { status: c.req.query('status') || undefined, unitId: num(c.req.query('unit')) || undefined });
      const questions = (await getOffering(c.get('ctx'), num(c.req.param('id'))))?.offering.questions ?? [];
      type Row = (typeof rows)[number];
      return sendTable(c, format, 'applications', t('offerings.applications'), [
        { header: t('field.name'), value: (a: Row) => a.person_name },
        { header: t('field.kana'), value: (a: Row) => a.person_kana },
        { header: t('field.email'), value: (a: Row) => a.person_email },
        { header: t('field.unit'), value: (a: Row) => a.unit_name },
        { header: t('field.affiliation'), value: (a: Row) => t(`seatGroup.${a.seat_group}`) },
        { header: t('common.status'), value: (a: Row) => t(`status.${a.status}`) },
        { header: t('trainings.waitlistPosition', { position: '' }).trim(), value: (a: Row) => a.waitlist_position },
        { header: t('notice.code'), value: (a: Row) => a.participant_code },
        { header: t('approvals.appliedAt'), value: (a: Row) => formatTokyo(a.applied_at, 'ja', 'datetime') },
        { header: t('trainings.cancelReason'), value: (a: Row) => (a.status === 'cancelled' ? a.cancel_reason : null) },
        // The answers, one column per question headed by its text (review-based selection reads them).
        ...(questions.length ? [{ header: t('applications.answersStatus'), value: (a: Row) => (a.answers_pending ? t('applications.answersPending') : t('applications.answersDone')) }] : []),
        ...questions.map((q) => ({ header: q.label, value: (a: Row) => a.answers[q.id] ?? '' })),
      ], rows);
    });
  const action = (path: string, run: (c: Ctx, id: number, body: FormBody) => Promise<string>) =>
    r.post(`/admin/offerings/:id/${path}`, ['admin'], async (c) => {
      const id = num(c.req.param('id'));
      const body = await readForm(c);
      const res = await submit(() => run(c, id, body), (errors, status) => applicants(c, id, null, errors, status === 409 ? 409 : 422, body));
      if (!res.ok) return res.response;
      return applicants(c, id, res.value);
    });
  // 選考 decisions mail each person decided on: a confirmation page lists them and says how many first.
  const decisionsPage = async (c: Ctx, id: number, body: FormBody, errors: FieldErrors | null = null) => {
    const t = c.get('t');
    const ctx = c.get('ctx');
    const d = await getOffering(ctx, id);
    if (!d) return c.notFound();
    const p = await decisionPreview(ctx, c.get('user')!, id, { applicationIds: body.applicationIds, decision: body.decision });
    const to = t(`status.${p.decision}`);
    return page(
      c,
      t('applications.decideTitle'),
      <>
        <p>{t('applications.decideLead', { count: p.changing, status: to, offering: d.offering.title })}</p>
        <div class="table-wrap">
          <table class="data-table">
            <caption>{t('applications.decideCaption', { count: p.rows.length })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('field.name')}</th>
                <th scope="col">{t('field.unit')}</th>
                <th scope="col">{t('applications.decideFrom')}</th>
                <th scope="col">{t('applications.decideTo')}</th>
              </tr>
            </thead>
            <tbody>
              {p.rows.map((a) => (
                <tr>
                  <td>{a.person_name}</td>
                  <td>{a.unit_name ?? ''}</td>
                  <td>{t(`status.${a.status}`)}</td>
                  <td>{a.status === p.decision ? t('applications.decideUnchanged') : to}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <ErrorSummary t={t} errors={errors} />
        <form method="post" action={`/admin/offerings/${id}/decisions`} novalidate>
          <CsrfField token={c.get('csrf')} />
          {p.rows.map((a) => (
            <input type="hidden" name="applicationIds" value={String(a.id)} />
          ))}
          <input type="hidden" name="decision" value={p.decision} />
          <input type="hidden" name="confirmStep" value="1" />
          <CheckboxGroup t={t} name="confirmDecision" label={t('field.confirmDecision')} values={[]} errors={errors} options={[{ value: 'yes', label: t('applications.decideConfirmLabel', { count: p.changing, status: to }) }]} />
          <div class="actions">
            <button type="submit" class="button">{t('applications.decideConfirm', { count: p.changing, status: to })}</button>{' '}
            <a class="button button--secondary" href={`/admin/offerings/${id}/applications`}>{t('common.back')}</a>
          </div>
        </form>
      </>,
      {
        crumbs: [{ label: t('nav.home'), href: '/' }, { label: t('nav.offerings'), href: '/admin/offerings' }, { label: d.offering.title, href: `/admin/offerings/${id}/applications` }, { label: t('applications.decideTitle') }],
        status: errors ? 422 : 200,
      },
    );
  };
  r.post('/admin/offerings/:id/decisions', ['admin'], async (c) => {
    const id = num(c.req.param('id'));
    const body = await readForm(c);
    const input = { applicationIds: body.applicationIds, decision: body.decision };
    const back = (errors: FieldErrors, status: number) => applicants(c, id, null, errors, status === 409 ? 409 : 422);
    if (body.confirmDecision !== 'yes') {
      // Not yet confirmed: check the choice, then the confirmation page (nothing is written, nobody is mailed).
      const check = await submit(() => decisionPreview(c.get('ctx'), c.get('user')!, id, input), back);
      if (!check.ok) return check.response;
      return decisionsPage(c, id, body, body.confirmStep ? { confirmDecision: { key: 'operations.error.confirm' } } : null);
    }
    const res = await submit(() => decide(c.get('ctx'), c.get('user')!, id, input), back);
    if (!res.ok) return res.response;
    return applicants(c, id, c.get('t')('common.saved'));
  });
  action('proxy', async (c, id, body) => {
    const ctx = c.get('ctx');
    const person = (await listPeople(ctx, { q: str(body.email), limit: 2 })).rows.find((p) => p.email.toLowerCase() === str(body.email).trim().toLowerCase());
    if (!person) throw invalid({ email: { key: 'error.personNotFound' } });
    // The admin answers the questions for the applicant, or leaves them to the applicant (answers pending).
    await apply(ctx, c.get('user')!, id, { personId: person.id, answers: answersOf(body), answersPending: body.answersPending === 'on' });
    return c.get('t')('common.saved');
  });
  // 所属推薦 applies for (and mails) a whole unit: a confirmation page says how many first.
  const nominatePage = async (c: Ctx, id: number, body: FormBody, errors: FieldErrors | null = null) => {
    const t = c.get('t');
    const ctx = c.get('ctx');
    const d = await getOffering(ctx, id);
    if (!d) return c.notFound();
    const preview = await nominationPreview(ctx, c.get('user')!, id, { unitId: body.unitId });
    const unit = (await listUnits(ctx, { activeOnly: true })).find((u) => u.id === Number(body.unitId));
    const unitName = unit?.name ?? '';
    return page(
      c,
      t('applications.nominateTitle'),
      <>
        {preview.count ? (
          <>
            <p>{t('applications.nominateLead', { unit: unitName, count: preview.count, offering: d.offering.title })}</p>
            <ul>
              {preview.skipped ? <li>{t('applications.nominateSkipped', { skipped: preview.skipped })}</li> : null}
              {preview.answersPending ? <li>{t('applications.nominatePending')}</li> : null}
            </ul>
            <ErrorSummary t={t} errors={errors} />
            <form method="post" action={`/admin/offerings/${id}/nominate`} novalidate>
              <CsrfField token={c.get('csrf')} />
              <input type="hidden" name="unitId" value={str(body.unitId)} />
              <input type="hidden" name="confirmStep" value="1" />
              <CheckboxGroup t={t} name="confirmNominate" label={t('field.confirmNominate')} values={[]} errors={errors} options={[{ value: 'yes', label: t('applications.nominateConfirmLabel', { count: preview.count }) }]} />
              <div class="actions">
                <button type="submit" class="button">{t('applications.nominateConfirm', { count: preview.count })}</button>{' '}
                <a class="button button--secondary" href={`/admin/offerings/${id}/applications`}>{t('common.back')}</a>
              </div>
            </form>
          </>
        ) : (
          <p>
            {t('applications.nominateNone', { unit: unitName })} <a href={`/admin/offerings/${id}/applications`}>{t('common.back')}</a>
          </p>
        )}
      </>,
      {
        crumbs: [{ label: t('nav.home'), href: '/' }, { label: t('nav.offerings'), href: '/admin/offerings' }, { label: d.offering.title, href: `/admin/offerings/${id}/applications` }, { label: t('applications.nominateTitle') }],
        status: errors ? 422 : 200,
      },
    );
  };
  r.post('/admin/offerings/:id/nominate', ['admin'], async (c) => {
    const id = num(c.req.param('id'));
    const body = await readForm(c);
    const res = await submit(
      async () => {
        if (body.confirmNominate !== 'yes') return null;
        return nominateUnit(c.get('ctx'), c.get('user')!, id, { unitId: body.unitId });
      },
      (errors, status) => applicants(c, id, null, errors, status === 409 ? 409 : 422, body),
    );
    if (!res.ok) return res.response;
    if (!res.value) {
      // Not yet confirmed: a unit must be chosen, then the confirmation page (nothing is written).
      const check = await submit(() => nominationPreview(c.get('ctx'), c.get('user')!, id, { unitId: body.unitId }), (errors, status) => applicants(c, id, null, errors, status === 409 ? 409 : 422, body));
      if (!check.ok) return check.response;
      return nominatePage(c, id, body, body.confirmStep ? { confirmNominate: { key: 'operations.error.confirm' } } : null);
    }
    return applicants(c, id, c.get('t')('offerings.nominated', res.value));
  });
}

// --- Cancelling (中止), deleting, and the lottery: each asks first, saying how many it touches ----------

/** The end of an offering's page: its cancellation, or the buttons to cancel or delete it. */
function OfferingEnd({ t, lang, o }: { t: Ctx['var']['t']; lang: 'ja' | 'en'; o: Offering }) {
  if (o.cancelled_at)
    return (
      <p class="notice" role="status">
        {t('offerings.cancelledNotice', { at: formatTokyo(o.cancelled_at, lang, 'datetime'), reason: o.cancelled_reason ?? '' })}
      </p>
    );
  return (
    <p class="actions">
      <a class="button button--danger" href={`/admin/offerings/${o.id}/cancel`}>
        {t('offerings.cancel')}
      </a>
      <a class="button button--secondary" href={`/admin/offerings/${o.id}/delete`}>
        {t('offerings.delete')}
      </a>
    </p>
  );
}

const confirmed = (body: FormBody) => body.confirm === 'on' || body.confirm === 'yes';
const confirmMissing: FieldErrors = { confirm: { key: 'operations.error.confirm' } };

function registerOfferingLifecycle(r: Router) {
  const crumbs = (c: Ctx, o: Offering, label: string) => [
    { label: c.get('t')('nav.home'), href: '/' },
    { label: c.get('t')('nav.offerings'), href: '/admin/offerings' },
    { label: o.title, href: `/admin/offerings/${o.id}` },
    { label },
  ];

  // 中止: how many applicants will be told, the reason, a required confirmation.
  const cancelPage = async (c: Ctx, id: number, values: FormBody = {}, errors: FieldErrors | null = null, status: 200 | 409 | 422 = 200) => {
    const t = c.get('t');
    const p = await cancellationPreview(c.get('ctx'), id);
    if (!p) return c.notFound();
    const title = t('offerings.cancelTitle', { title: p.offering.title });
    return page(
      c,
      title,
      p.offering.cancelled_at ? (
        <OfferingEnd t={t} lang={c.get('lang')} o={p.offering} />
      ) : (
        <>
          <p>{t('offerings.cancelLead', { count: p.applicants })}</p>
          <ErrorSummary t={t} errors={errors} />
          <form method="post" action={`/admin/offerings/${id}/cancel`} novalidate>
            <CsrfField token={c.get('csrf')} />
            <TextArea t={t} name="reason" label={t('field.reason')} value={str(values.reason)} errors={errors} required maxlength={1000} rows={3} />
            <CheckboxGroup t={t} name="confirm" label={t('field.confirm')} values={confirmed(values) ? ['on'] : []} errors={errors} options={[{ value: 'on', label: t('offerings.cancelConfirmLabel', { count: p.applicants }) }]} />
            <button type="submit" class="button button--danger">
              {t('offerings.cancelSubmit', { count: p.applicants })}
            </button>
          </form>
        </>
      ),
      { crumbs: crumbs(c, p.offering, t('offerings.cancel')), status },
    );
  };
  r.get('/admin/offerings/:id/cancel', ['admin'], (c) => cancelPage(c, num(c.req.param('id'))));
  r.post('/admin/offerings/:id/cancel', ['admin'], async (c) => {
    const id = num(c.req.param('id'));
    const body = await readForm(c);
    const res = await submit(
      async () => {
        if (!confirmed(body)) throw invalid({ ...(str(body.reason).trim() ? {} : { reason: { key: 'error.required' } }), ...confirmMissing });
        return cancelOffering(c.get('ctx'), c.get('user'), id, { reason: body.reason });
      },
      (errors, status) => cancelPage(c, id, body, errors, status === 409 ? 409 : 422),
    );
    if (!res.ok) return res.response;
    return c.redirect(`/admin/offerings/${id}?notice=offerings.cancelled&count=${res.value.told}`, 303);
  });

  // Deleting: only an offering nobody applied to; otherwise the page points to 中止.
  const deletePage = async (c: Ctx, id: number, errors: FieldErrors | null = null, status: 200 | 409 | 422 = 200) => {
    const t = c.get('t');
    const ctx = c.get('ctx');
    const [p, d] = await Promise.all([cancellationPreview(ctx, id), getOffering(ctx, id)]);
    if (!p || !d) return c.notFound();
    const title = t('offerings.deleteTitle', { title: p.offering.title });
    return page(
      c,
      title,
      p.applications > 0 ? (
        <>
          <p class="notice" role="status">
            {t('offerings.deleteHasApplications', { count: p.applications })}
          </p>
          {p.offering.cancelled_at ? null : (
            <p class="actions">
              <a class="button button--danger" href={`/admin/offerings/${id}/cancel`}>
                {t('offerings.cancel')}
              </a>
            </p>
          )}
        </>
      ) : (
        <>
          <p>{t('offerings.deleteLead', { sessions: d.sessions.length })}</p>
          <ErrorSummary t={t} errors={errors} />
          <form method="post" action={`/admin/offerings/${id}/delete`} novalidate>
            <CsrfField token={c.get('csrf')} />
            <CheckboxGroup t={t} name="confirm" label={t('field.confirm')} values={[]} errors={errors} options={[{ value: 'on', label: t('offerings.deleteConfirmLabel') }]} />
            <button type="submit" class="button button--danger">
              {t('offerings.delete')}
            </button>
          </form>
        </>
      ),
      { crumbs: crumbs(c, p.offering, t('offerings.delete')), status },
    );
  };
  r.get('/admin/offerings/:id/delete', ['admin'], (c) => deletePage(c, num(c.req.param('id'))));
  r.post('/admin/offerings/:id/delete', ['admin'], async (c) => {
    const id = num(c.req.param('id'));
    const body = await readForm(c);
    const before = await getOffering(c.get('ctx'), id);
    if (!before) return c.notFound();
    const res = await submit(
      async () => {
        if (!confirmed(body)) throw invalid(confirmMissing);
        await deleteOffering(c.get('ctx'), c.get('user'), id);
      },
      (errors, status) => deletePage(c, id, errors, status === 409 ? 409 : 422),
    );
    if (!res.ok) return res.response;
    return c.redirect(`/admin/offerings?fy=${before.offering.fiscal_year}&notice=offerings.deleted`, 303);
  });

  // 抽選: how many applicants, how many seats; before the deadline, why it cannot run yet (a notice, not a field error).
  const lotteryPage = async (c: Ctx, id: number, values: FormBody = {}, errors: FieldErrors | null = null, status: 200 | 409 | 422 = 200) => {
    const t = c.get('t');
    const lang = c.get('lang');
    const p = await lotteryPreview(c.get('ctx'), id);
    if (!p) return c.notFound();
    const o = p.offering;
    const title = t('offerings.lotteryConfirmTitle', { title: o.title });
    const why =
      p.refusal?.code === 'lottery_open'
        ? t('offerings.lotteryOpen', { closes: formatTokyo(o.application_closes_at, lang, 'datetime') })
        : p.refusal?.code === 'lottery_done'
          ? t('offerings.lotteryDone', { seed: o.lottery_seed ?? '', at: o.lottery_at ? formatTokyo(o.lottery_at, lang, 'datetime') : '' })
          : p.refusal
            ? t(p.refusal.messageKey, p.refusal.params)
            : null;
    const counts = { applicants: p.applicants, seats: p.seats, capacity: p.capacity, confirmed: p.confirmed };
    return page(
      c,
      title,
      <>
        <p>{t('offerings.lotteryConfirmLead', counts)}</p>
        {o.priority_rules.length ? <p>{t('offerings.lotteryPriority', { rules: o.priority_rules.map((r) => t(`priority.${r}`)).join('、') })}</p> : null}
        {why ? (
          <p class="notice" role="status">
            {why}
          </p>
        ) : (
          <>
            <ErrorSummary t={t} errors={errors} />
            <form method="post" action={`/admin/offerings/${id}/lottery`} novalidate>
              <CsrfField token={c.get('csrf')} />
              <p class="hint">{t('offerings.lotterySeedByServer')}</p>
              <CheckboxGroup t={t} name="confirm" label={t('field.confirm')} values={[]} errors={errors} options={[{ value: 'on', label: t('offerings.lotteryConfirmLabel', counts) }]} />
              <button type="submit" class="button">
                {t('offerings.lotteryConfirmSubmit', counts)}
              </button>
            </form>
          </>
        )}
        <p>
          <a href={`/admin/offerings/${id}/applications`}>{t('offerings.applications')}</a>
        </p>
      </>,
      { crumbs: crumbs(c, o, t('offerings.lottery')), status },
    );
  };
  r.get('/admin/offerings/:id/lottery', ['admin'], (c) => lotteryPage(c, num(c.req.param('id'))));
  r.post('/admin/offerings/:id/lottery', ['admin'], async (c) => {
    const id = num(c.req.param('id'));
    const body = await readForm(c);
    const res = await submit(
      async () => {
        const p = await lotteryPreview(c.get('ctx'), id);
        // A lottery that cannot run yet is said so by the page itself, whatever was ticked.
        if (p && !p.refusal && !confirmed(body)) throw invalid(confirmMissing);
        return runLottery(c.get('ctx'), c.get('user')!, id);
      },
      (errors, status, e) => (Object.keys(e.fields).length ? lotteryPage(c, id, body, errors, 422) : lotteryPage(c, id, body, null, status === 409 ? 409 : 422)),
    );
    if (!res.ok) return res.response;
    const r = res.value;
    const t = c.get('t');
    const o = (await getOffering(c.get('ctx'), id))!.offering;
    return page(
      c,
      t('offerings.lotteryConfirmTitle', { title: o.title }),
      <p>
        <a class="button" href={`/admin/offerings/${id}/applications`}>
          {t('offerings.applications')}
        </a>
      </p>,
      { crumbs: crumbs(c, o, t('offerings.lottery')), notice: t('offerings.lotteryResult', { seed: r.seed, confirmed: r.confirmed, waitlisted: r.waitlisted, notSelected: r.notSelected }) },
    );
  });
}
