import type { Child } from 'hono/jsx';
import { formatFiscalYear, formatTokyo, tokyoDateOf } from '../../domain/calendar.js';
import { SELECTION_METHODS } from '../../domain/selection.js';
import { SESSION_FORMATS } from '../../domain/values.js';
import type { Offering, OfferingSession, Programme } from '../../db/schema.js';
import type { Translate } from '../../i18n/index.js';
import type { FieldErrors } from '../../lib/validation.js';
import type { listOfferings } from '../../services/offering.service.js';
import { PRIORITY_RULES } from '../../services/offering.service.js';
import type { FormBody } from '../forms.js';
import { CheckboxGroup, CsrfField, DataTable, ErrorSummary, SelectField, TextArea, TextField } from '../views/components.js';
import { CertificatesLine } from '../views/certificates-line.js';
import { SessionTable } from '../views/offering-facts.js';

type Lang = 'ja' | 'en';
export const str = (v: FormBody[string] | undefined) => (typeof v === 'string' ? v : '');
export const arr = (v: FormBody[string] | undefined) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : typeof v === 'string' && v ? [v] : []);
/** A Date as the value of a datetime-local input, in Tokyo time. */
const local = (d: Date | null | undefined) => (d ? `${tokyoDateOf(d)}T${formatTokyo(d, 'ja', 'time')}` : '');

export function offeringValues(o: Offering): FormBody {
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

type OfferingRow = Awaited<ReturnType<typeof listOfferings>>[number];

/** The admin's list of a fiscal year's offerings. */
export function OfferingList({ t, lang, fy, rows }: { t: Translate; lang: Lang; fy: number; rows: OfferingRow[] }) {
  return (
    <>
      <p class="actions">
        <a class="button" href={`/admin/offerings/new?fy=${fy}`}>{t('offerings.new')}</a>
      </p>
      <form method="get" action="/admin/offerings" class="filters">
        <SelectField t={t} plain name="fy" label={t('field.fiscalYear')} value={fy} options={Array.from({ length: 8 }, (_, i) => fy - 5 + i).map((y) => ({ value: y, label: formatFiscalYear(y, lang) }))} />
        <button type="submit" class="button">{t('trainings.filter')}</button>
      </form>
      <DataTable
        t={t}
        caption={t('offerings.title', { fy: formatFiscalYear(fy, lang) })}
        rows={rows}
        columns={[
          {
            key: 'title',
            label: t('field.title'),
            cell: (o) => (
              <>
                <a href={`/admin/offerings/${o.id}`}>{o.title}</a> ・ <a href={`/admin/offerings/${o.id}/applications`}>{t('offerings.applications')}</a>
              </>
            ),
          },
          { key: 'programme', label: t('field.programme'), cell: (o) => (lang === 'en' ? o.programme_name_en : o.programme_name) },
          { key: 'window', label: t('trainings.window'), cell: (o) => `${formatTokyo(o.application_opens_at, lang, 'date')}〜${formatTokyo(o.application_closes_at, lang, 'date')}` },
          { key: 'selection', label: t('field.selection'), cell: (o) => t(`selection.${o.selection}`) },
          { key: 'capacity', label: t('trainings.capacity'), numeric: true, cell: (o) => `${o.confirmed_count} / ${o.capacity}` },
          { key: 'state', label: t('offerings.state'), cell: (o) => (o.cancelled_at ? <strong>{t('offerings.stateCancelled')}</strong> : o.published ? t('offerings.statePublished') : t('offerings.stateUnpublished')) },
        ]}
      />
    </>
  );
}

/** The offering form (new or edit); `extra` follows it (an existing offering's sessions and actions). */
export function OfferingForm(p: {
  t: Translate;
  lang: Lang;
  csrf: string;
  id: number | null;
  values: FormBody;
  errors: FieldErrors | null;
  programmes: Pick<Programme, 'id' | 'name' | 'name_en'>[];
  programmeValue: string;
  fy: number;
  sessions: OfferingSession[];
  extra?: Child;
}) {
  const { t, lang, id, values, errors, fy, sessions } = p;
  return (
    <>
      <ErrorSummary t={t} errors={errors} />
      <form method="post" action={id ? `/admin/offerings/${id}` : '/admin/offerings'} novalidate>
        <CsrfField token={p.csrf} />
        <SelectField t={t} name="programmeId" label={t('field.programmeId')} hint={t('offerings.programmeHint')} value={p.programmeValue} errors={errors} required blank={t('offerings.programmeBlank')} options={p.programmes.map((x) => ({ value: x.id, label: lang === 'en' ? x.name_en : x.name }))} />
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
        <CheckboxGroup t={t} name="priorityRules" label={t('field.priorityRules')} values={arr(values.priorityRules)} errors={errors} options={PRIORITY_RULES.map((x) => ({ value: x, label: t(`priority.${x}`) }))} />
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
      {p.extra}
    </>
  );
}

/** The end of an offering's page: its cancellation, or the buttons to cancel or delete it. */
export function OfferingEnd({ t, lang, o }: { t: Translate; lang: Lang; o: Offering }) {
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

/** An existing offering's sessions (change, delete, add one) and its other pages. */
export function OfferingSessions(p: {
  t: Translate;
  lang: Lang;
  csrf: string;
  offering: Offering;
  sessions: OfferingSession[];
  /** Sessions with attendance or questionnaires recorded: kept, so no delete link (it could only be refused). */
  kept: ReadonlySet<number>;
  sessionErrors: FieldErrors | null;
  sessionValues: FormBody;
}) {
  const { t, lang, sessions, sessionErrors, sessionValues } = p;
  const id = p.offering.id;
  return (
    <section>
      <h2>{t('offerings.sessions')}</h2>
      {sessions.length ? <SessionTable t={t} lang={lang} sessions={sessions} warnings /> : <p>{t('offerings.noSessions')}</p>}
      {sessions.length ? (
        // Changing or deleting a session asks first, on its own page (links: no JavaScript needed).
        <ul class="link-list">
          {sessions.map((s) => (
            <li>
              {s.title}：<a href={`/admin/offerings/${id}/sessions/${s.id}/edit`}>{t('sessions.edit')}<span class="visually-hidden">（{s.title}）</span></a>
              {' ・ '}
              {p.kept.has(s.id) ? (
                <span class="hint">{t('sessions.deleteKept')}</span>
              ) : (
                <a href={`/admin/offerings/${id}/sessions/${s.id}/delete`}>
                  {t('sessions.delete')}
                  <span class="visually-hidden">（{s.title}）</span>
                </a>
              )}
            </li>
          ))}
        </ul>
      ) : null}
      <h3>{t('offerings.addSession')}</h3>
      <ErrorSummary t={t} errors={sessionErrors} idPrefix="session-" />
      <form method="post" action={`/admin/offerings/${id}/sessions`} novalidate>
        <CsrfField token={p.csrf} />
        <TextField t={t} idPrefix="session-" name="title" label={t('field.title')} value={str(sessionValues.title)} errors={sessionErrors} required maxlength={200} />
        <SelectField t={t} idPrefix="session-" name="format" label={t('field.format')} value={str(sessionValues.format) || 'lecture'} errors={sessionErrors} required options={SESSION_FORMATS.map((f) => ({ value: f, label: t(`format.${f}`) }))} />
        <TextField t={t} idPrefix="session-" name="startsAt" type="datetime-local" label={t('field.startsAt')} value={str(sessionValues.startsAt)} errors={sessionErrors} required />
        <TextField t={t} idPrefix="session-" name="endsAt" type="datetime-local" label={t('field.endsAt')} value={str(sessionValues.endsAt)} errors={sessionErrors} required />
        <TextField t={t} idPrefix="session-" name="venue" label={t('field.venue')} value={str(sessionValues.venue)} errors={sessionErrors} maxlength={300} />
        <TextField t={t} idPrefix="session-" name="lecturers" label={t('field.lecturers')} value={str(sessionValues.lecturers)} errors={sessionErrors} maxlength={500} />
        <TextArea t={t} idPrefix="session-" name="belongings" label={t('field.belongings')} value={str(sessionValues.belongings)} errors={sessionErrors} maxlength={1000} rows={2} />
        <TextArea t={t} idPrefix="session-" name="access" label={t('field.access')} value={str(sessionValues.access)} errors={sessionErrors} maxlength={1000} rows={2} />
        <button type="submit" class="button">{t('offerings.addSession')}</button>
      </form>
      <p>
        <a class="button button--secondary" href={`/admin/offerings/${id}/field-sessions/new`}>{t('offerings.addFieldSession')}</a> {t('offerings.addFieldSessionHint')}
      </p>
      <p class="actions">
        <a class="button button--secondary" href={`/admin/offerings/${id}/applications`}>{t('offerings.applications')}</a>
        <a class="button button--secondary" href={`/admin/offerings/${id}/completion`}>{t('completion.completed')}</a>
        <a class="button button--secondary" href={`/admin/surveys?offering=${id}#new`}>{t('survey.title')}</a>
        <a class="button button--secondary" href={`/admin/offerings/${id}/messages`}>{t('bulk.message')}</a>
        <a class="button button--secondary" href={`/admin/imports/new?kind=roster&offering=${id}`}>{t('imports.roster.link')}</a>
        <a class="button button--secondary" href={`/admin/offerings/${id}/copy`}>{t('bulk.copy')}</a>
        <a class="button button--secondary" href={`/admin/offerings/${id}/paper`}>{t('paper.title')}</a>
        {sessions.map((s) => (
          <a class="button button--secondary" href={`/admin/sessions/${s.id}/attendance`}>
            {t('field.attendance')}：{s.title}
          </a>
        ))}
      </p>
      <OfferingEnd t={t} lang={lang} o={p.offering} />
    </section>
  );
}

/** Adding a session that withdraws completions asks first (the offering page's add form posts here again with confirm). */
export function AddSessionConfirm({ t, csrf, offeringId, body, effect }: { t: Translate; csrf: string; offeringId: number; body: FormBody; effect: { certificatesRevoked: number; completionsLost: number } }) {
  const fields = ['title', 'format', 'startsAt', 'endsAt', 'venue', 'lecturers', 'capacity', 'belongings', 'access'];
  return (
    <>
      <p>{t('sessions.addConfirmLead')}</p>
      <dl class="meta">
        <dt>{t('field.title')}</dt>
        <dd>{str(body.title)}</dd>
        <dt>{t('field.startsAt')}</dt>
        <dd>{str(body.startsAt)}</dd>
        <dt>{t('field.endsAt')}</dt>
        <dd>{str(body.endsAt)}</dd>
      </dl>
      <ul>
        <CertificatesLine t={t} effect={effect} />
      </ul>
      <form method="post" action={`/admin/offerings/${offeringId}/sessions`}>
        <CsrfField token={csrf} />
        {fields.map((f) => (typeof body[f] === 'string' ? <input type="hidden" name={f} value={str(body[f])} /> : null))}
        <input type="hidden" name="confirm" value="yes" />
        <p class="actions">
          <button type="submit" class="button button--danger">{t('sessions.addSubmit')}</button> <a class="button button--secondary" href={`/admin/offerings/${offeringId}`}>{t('common.back')}</a>
        </p>
      </form>
    </>
  );
}
