import { formatFiscalYear, formatTokyo } from '../../domain/calendar.js';
import { hasDecisionNotice, owesAnswers } from '../../domain/application-policy.js';
import { SESSION_FORMATS } from '../../domain/values.js';
import type { Lang, Translate } from '../../i18n/index.js';
import type { FieldErrors } from '../../lib/validation.js';
import type { cancellationPreview, listApplications } from '../../services/application.service.js';
import type { catalogue, getOffering } from '../../services/offering.service.js';
import { CheckboxGroup, CsrfField, ErrorSummary, SelectField, TextField } from '../views/components.js';
import { ApproverComment, OfferingFacts, QuestionFields, SessionTable } from '../views/offering-facts.js';

type SessionFormat = (typeof SESSION_FORMATS)[number];
type OfferingDetail = NonNullable<Awaited<ReturnType<typeof getOffering>>>;
type Catalogue = Awaited<ReturnType<typeof catalogue>>;
type MyApplication = Awaited<ReturnType<typeof listApplications>>[number];
type CancellationPreview = NonNullable<Awaited<ReturnType<typeof cancellationPreview>>>;

/** The catalogue: the filters, then one card per published offering of the year. */
export function CatalogueList(p: {
  t: Translate;
  lang: Lang;
  fy: number;
  programmeId?: number;
  format?: SessionFormat;
  month?: number;
  programmes: Catalogue['programmes'];
  offerings: Catalogue['offerings'];
  now: Date;
}) {
  const { t, lang, fy, now } = p;
  return (
    <>
      <form method="get" action="/trainings" class="filters" role="search">
        <SelectField t={t} plain name="fy" label={t('field.fiscalYear')} value={fy} options={[fy - 1, fy, fy + 1].map((y) => ({ value: y, label: formatFiscalYear(y, lang) }))} />
        <SelectField t={t} plain name="programme" label={t('field.programme')} value={p.programmeId} blank="—" options={p.programmes.map((x) => ({ value: x.id, label: lang === 'en' ? x.name_en : x.name }))} />
        <SelectField t={t} plain name="format" label={t('trainings.format')} value={p.format} blank="—" options={SESSION_FORMATS.map((f) => ({ value: f, label: t(`format.${f}`) }))} />
        <SelectField t={t} plain name="month" label={t('trainings.month')} value={p.month} blank="—" options={[4, 5, 6, 7, 8, 9, 10, 11, 12, 1, 2, 3].map((m) => ({ value: m, label: lang === 'en' ? String(m) : `${m}月` }))} />
        <button type="submit" class="button">{t('trainings.filter')}</button>
      </form>
      {p.offerings.length ? (
        <ul class="card-list">
          {p.offerings.map((o) => {
            const own = o.sessions;
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
    </>
  );
}

/**
 * One training as a participant sees it: its facts and sessions, their own application (status, the
 * answers still owed, the approver's comment, 辞退) and the form to apply while applications are open.
 */
export function TrainingDetail(p: {
  t: Translate;
  lang: Lang;
  csrf: string;
  d: OfferingDetail;
  mine: MyApplication | undefined;
  live: boolean;
  /** The form to apply is shown (open, or an admin). */
  canApply: boolean;
  deadline: Date | null;
  warnings: boolean;
  errors: FieldErrors | null;
}) {
  const { t, lang, d, mine, live } = p;
  const o = d.offering;
  return (
    <>
      <p class="small">{lang === 'en' ? d.programme.name_en : d.programme.name}</p>
      {o.description ? <p>{o.description}</p> : null}
      <OfferingFacts t={t} lang={lang} o={o} />
      <SessionTable t={t} lang={lang} sessions={d.sessions} warnings={p.warnings} />
      <ErrorSummary t={t} errors={p.errors} />
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
              {p.deadline ? <p>{t('trainings.cancelDeadline', { deadline: formatTokyo(p.deadline, lang, 'datetime') })}</p> : null}
              <button type="submit" class="button button--danger">{t('applications.cancelStart')}</button>
            </form>
          ) : null}
        </section>
      ) : null}
      {!live && p.canApply ? (
        <form method="post" action={`/trainings/${o.id}/apply`} novalidate>
          <CsrfField token={p.csrf} />
          {/* After 差し戻し the earlier answers are offered again, to be revised. */}
          <QuestionFields t={t} questions={o.questions} errors={p.errors} values={mine?.status === 'returned' ? mine.answers : {}} />
          <button type="submit" class="button">{t('trainings.apply')}</button>
        </form>
      ) : !live ? (
        <p>{t('trainings.closedNote')}</p>
      ) : null}
    </>
  );
}

/**
 * The confirmation before 辞退, which cannot be undone: what it will do (the seat passes to the next
 * person waiting, the place on the waiting list is lost, who is mailed); the POST needs its checkbox.
 */
export function CancelConfirm(p: { t: Translate; csrf: string; preview: CancellationPreview; own: boolean; back: string; values: { reason?: string }; errors: FieldErrors | null }) {
  const { t, preview } = p;
  const { app: a, offering: o, effect } = preview;
  const params = { offering: o.title, status: t(`status.${a.status}`), name: a.person_name };
  if (!preview.live) return <p>{t('error.cannotChange', { status: t(`status.${a.status}`) })}</p>;
  return (
    <>
      <p>{t(p.own ? 'applications.cancelLead' : 'applications.cancelLeadOther', params)}</p>
      <ul>
        <li>
          <strong>{t('applications.cancelIrreversible')}</strong>
        </li>
        {effect.promotesNext ? <li>{t('applications.cancelPromotes', { waiting: preview.waiting })}</li> : a.status === 'confirmed' ? <li>{t('applications.cancelFreesSeat')}</li> : null}
        {effect.losesWaitlistPlace && preview.position ? <li>{t('applications.cancelLosesPlace', { position: preview.position })}</li> : null}
        <li>{t('applications.cancelMail', { name: a.person_name })}</li>
      </ul>
      <ErrorSummary t={t} errors={p.errors} />
      <form method="post" action={`/applications/${a.id}/cancel`} novalidate>
        <CsrfField token={p.csrf} />
        <TextField t={t} name="reason" label={t('trainings.cancelReason')} value={p.values.reason ?? ''} errors={p.errors} maxlength={500} />
        <CheckboxGroup t={t} name="confirmCancel" label={t('field.confirmCancel')} values={[]} errors={p.errors} options={[{ value: 'yes', label: t('applications.cancelConfirmLabel') }]} />
        <div class="actions">
          <button type="submit" class="button button--danger">{t('applications.cancelConfirm')}</button>{' '}
          <a class="button button--secondary" href={p.back}>{t('applications.cancelBack')}</a>
        </div>
      </form>
    </>
  );
}
