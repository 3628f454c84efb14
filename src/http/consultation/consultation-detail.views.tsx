import type { Child } from 'hono/jsx';
import { formatTokyo, formatWareki } from '../../domain/calendar.js';
import { ACTIVITY_KINDS, CONSULTATION_OUTCOMES } from '../../domain/matching.js';
import type { Translate } from '../../i18n/index.js';
import type { FieldErrors } from '../../lib/validation.js';
import type { FormBody } from '../forms.js';
import { CheckboxGroup, type Column, CsrfField, DataTable, Downloads, ErrorSummary, SelectField, TextArea, TextField } from '../views/components.js';
import { arr, MultiSelect, period, str, SuggestionTable } from './consultation.views.js';
import { type Activity, type ConsultationDetail, duration, statusText, type Suggestions } from './presenter.js';

/** The forms on a case's page; a refused one is shown again with its errors and what was sent. */
export type CaseForm = 'assign' | 'decline' | 'log' | 'close' | 'withdraw';

export interface ConsultationDetailProps {
  t: Translate;
  lang: 'ja' | 'en';
  csrf: string;
  /** Today (yyyy-mm-dd, Tokyo): the log form's default date. */
  today: string;
  d: ConsultationDetail;
  /** The ranked suggestions, for those who triage. */
  sug: Suggestions | null;
  /** The ranked partners alone, for a coordinator working on the case (who does not triage). */
  partnerSug?: Pick<Suggestions, 'partners'> | null;
  partners: { id: number; name: string }[];
  coordinators: { id: number; name: string; unit_name: string | null }[];
  errors?: FieldErrors | null;
  form?: CaseForm;
  values?: FormBody;
}

const section = (title: string, body: Child) => (
  <>
    <h2>{title}</h2>
    {body}
  </>
);

function ActivityLog({ t, lang, rows }: { t: Translate; lang: 'ja' | 'en'; rows: Activity[] }) {
  if (!rows.length) return <p>{t('consultations.noActivities')}</p>;
  const columns: Column<Activity>[] = [
    { key: 'onDate', label: t('field.onDate'), cell: (a) => formatWareki(a.on_date, lang) },
    { key: 'kind', label: t('field.kind'), cell: (a) => t(`consultations.activityKind.${a.kind}`) },
    { key: 'minutes', label: t('field.minutes'), cell: (a) => duration(t, a.minutes) },
    { key: 'partners', label: t('field.partnerIds'), cell: (a) => a.partners.join('、') || '—' },
    { key: 'note', label: t('field.note'), cell: (a) => a.note },
    { key: 'loggedBy', label: t('consultations.loggedBy'), cell: (a) => a.person_name },
  ];
  return <DataTable t={t} caption={t('consultations.log')} columns={columns} rows={rows} />;
}

/** One case: its facts, assignments, suggestions and log, with the forms the actor may use now. */
export function ConsultationDetailView(p: ConsultationDetailProps) {
  const { t, lang, csrf, d, sug } = p;
  const k = d.consultation;
  const errs = (f: CaseForm) => (p.form === f ? (p.errors ?? null) : null);
  const vals = (f: CaseForm) => (p.form === f ? (p.values ?? {}) : {});
  const top = sug?.coordinators.slice(0, 10) ?? [];
  const topIds = new Set(top.map((s) => s.candidate.personId));
  return (
    <>
      <ErrorSummary t={t} errors={p.errors ?? null} />
      <dl class="meta">
        <dt>{t('consultations.number')}</dt>
        <dd>{k.id}</dd>
        <dt>{t('field.kind')}</dt>
        <dd>{t(`consultations.kindLong.${k.kind}`)}</dd>
        <dt>{t('common.status')}</dt>
        <dd>{statusText(t, k)}</dd>
        <dt>{t('field.unitId')}</dt>
        <dd>{k.unit_name}</dd>
        <dt>{t('consultations.requester')}</dt>
        <dd>{k.requester_name}</dd>
        <dt>{t('consultations.filedOn')}</dt>
        <dd>{formatTokyo(k.created_at, lang, 'datetime')}</dd>
        <dt>{t('field.fields')}</dt>
        <dd>{k.fields.join('、') || '—'}</dd>
        <dt>{t('field.areas')}</dt>
        <dd>{d.areas.join('、') || '—'}</dd>
        <dt>{t('consultations.period')}</dt>
        <dd>{period(t, lang, k.desired_from, k.desired_to)}</dd>
        <dt>{t('field.partnerInMind')}</dt>
        <dd>{[k.partner_name, k.partner_in_mind].filter(Boolean).join('／') || '—'}</dd>
        {k.outcome_note ? (
          <>
            <dt>{k.status === 'withdrawn' ? t('field.reason') : t('field.note')}</dt>
            <dd>{k.outcome_note}</dd>
          </>
        ) : null}
      </dl>
      <h2>{t('field.goal')}</h2>
      <p class="mail-body">{k.goal}</p>
      {k.feedback_survey_id && d.relation.requester ? (
        <p>
          <a href={`/surveys/${k.feedback_survey_id}`}>{t('consultations.feedbackLink')}</a>
        </p>
      ) : null}
      {d.can.createProject ? (
        <p class="actions">
          <a class="button" href={`/projects/new?consultation=${k.id}`}>
            {t('projects.newFromConsultation')}
          </a>
        </p>
      ) : null}

      {section(
        t('consultations.assignments'),
        d.assignments.length ? (
          <ul>
            {d.assignments.map((a) => (
              <li>
                {a.name}：{t(`consultations.assignment.${a.status}`)}
                {a.decline_reason ? `（${a.decline_reason}）` : ''}
              </li>
            ))}
          </ul>
        ) : (
          <p>{t('consultations.noAssignments')}</p>
        ),
      )}

      {d.can.respond ? (
        <div class="actions">
          <form method="post" action={`/consultations/${k.id}/accept`} class="stack">
            <CsrfField token={csrf} />
            <button type="submit" class="button">
              {t('consultations.accept')}
            </button>
          </form>
          <form method="post" action={`/consultations/${k.id}/decline`} class="stack" novalidate>
            <CsrfField token={csrf} />
            <TextField t={t} idPrefix="decline-" name="reason" label={t('field.reason')} value={str(vals('decline').reason)} errors={errs('decline')} required maxlength={1000} />
            <button type="submit" class="button button--secondary">
              {t('consultations.decline')}
            </button>
          </form>
        </div>
      ) : null}

      {!sug && p.partnerSug
        ? section(
            t('consultations.suggestedPartners'),
            <>
              <p class="hint">{t('consultations.partnerSuggestionsHint')}</p>
              <SuggestionTable t={t} caption={t('consultations.suggestedPartners')} nameLabel={t('partners.orgName')} rows={p.partnerSug.partners.slice(0, 10).map((x) => ({ name: x.candidate.name, score: x.score, parts: x.parts }))} />
              <Downloads t={t} base={`/consultations/${k.id}/suggestions`} />
            </>,
          )
        : null}
      {sug ? (
        <>
          {section(
            t('consultations.suggestedCoordinators'),
            <>
              <p class="hint">{t('consultations.suggestionsHint')}</p>
              <SuggestionTable
                t={t}
                caption={t('consultations.suggestedCoordinators')}
                rows={top.map((x) => ({ name: `${x.candidate.name}${x.eligible ? '' : `（${t('consultations.ineligible')}）`}`, unit: x.unitName ?? '', score: x.score, parts: x.parts }))}
              />
              <Downloads t={t} base={`/consultations/${k.id}/suggestions`} />
            </>,
          )}
          {section(
            t('consultations.suggestedPartners'),
            <SuggestionTable t={t} caption={t('consultations.suggestedPartners')} nameLabel={t('partners.orgName')} rows={sug.partners.slice(0, 10).map((x) => ({ name: x.candidate.name, score: x.score, parts: x.parts }))} />,
          )}
          {section(
            t('consultations.assign'),
            <form method="post" action={`/consultations/${k.id}/assign`} novalidate>
              <CsrfField token={csrf} />
              <CheckboxGroup
                t={t}
                name="personIds"
                label={t('consultations.assignSuggested')}
                values={arr(vals('assign').personIds)}
                errors={errs('assign')}
                options={top.filter((s) => s.eligible).map((s, i) => ({ value: String(s.candidate.personId), label: t('consultations.assignOption', { rank: i + 1, name: s.candidate.name, score: s.score }) }))}
              />
              <SelectField
                t={t}
                idPrefix="other-"
                name="personIds"
                label={t('consultations.assignOther')}
                hint={t('consultations.assignOtherHint')}
                blank="—"
                options={p.coordinators.filter((x) => !topIds.has(x.id)).map((x) => ({ value: x.id, label: `${x.name}（${x.unit_name ?? ''}）` }))}
              />
              <button type="submit" class="button">
                {t('consultations.assignSubmit')}
              </button>
            </form>,
          )}
        </>
      ) : null}

      {section(
        t('consultations.log'),
        <>
          <ActivityLog t={t} lang={lang} rows={d.activities} />
          <p>{t('consultations.totalTime', { time: duration(t, d.totalMinutes) })}</p>
          <Downloads t={t} base={`/consultations/${k.id}/activities`} />
          {d.can.log ? (
            <form method="post" action={`/consultations/${k.id}/activities`} novalidate>
              <h3>{t('consultations.logNew')}</h3>
              <CsrfField token={csrf} />
              <TextField t={t} idPrefix="log-" name="onDate" type="date" label={t('field.onDate')} value={str(vals('log').onDate) || p.today} errors={errs('log')} required />
              <SelectField t={t} idPrefix="log-" name="kind" label={t('field.kind')} value={str(vals('log').kind)} errors={errs('log')} required options={ACTIVITY_KINDS.map((x) => ({ value: x, label: t(`consultations.activityKind.${x}`) }))} />
              <TextField t={t} idPrefix="log-" name="minutes" type="number" label={t('field.minutes')} hint={t('consultations.minutesHint')} value={str(vals('log').minutes)} errors={errs('log')} required />
              <MultiSelect t={t} idPrefix="log-" name="partnerIds" label={t('field.partnerIds')} hint={t('consultations.partnerIdsHint')} values={arr(vals('log').partnerIds)} errors={errs('log')} options={p.partners.map((x) => ({ value: String(x.id), label: x.name }))} />
              <TextArea t={t} idPrefix="log-" name="note" label={t('field.note')} value={str(vals('log').note)} errors={errs('log')} required maxlength={2000} rows={3} />
              <button type="submit" class="button">
                {t('consultations.logSubmit')}
              </button>
            </form>
          ) : null}
        </>,
      )}

      {d.can.close
        ? section(
            t('consultations.close'),
            <form method="post" action={`/consultations/${k.id}/close`} novalidate>
              <CsrfField token={csrf} />
              <SelectField t={t} idPrefix="close-" name="outcome" label={t('field.outcome')} value={str(vals('close').outcome)} errors={errs('close')} required blank="—" options={CONSULTATION_OUTCOMES.map((o) => ({ value: o, label: t(`consultations.outcome.${o}`) }))} />
              <TextArea t={t} idPrefix="close-" name="note" label={t('field.note')} value={str(vals('close').note)} errors={errs('close')} maxlength={2000} rows={3} />
              <p class="hint">{t('consultations.closeHint')}</p>
              <button type="submit" class="button">
                {t('consultations.closeSubmit')}
              </button>
            </form>,
          )
        : null}

      {d.can.withdraw
        ? section(
            t('consultations.withdraw'),
            <form method="post" action={`/consultations/${k.id}/withdraw`} novalidate>
              <CsrfField token={csrf} />
              <TextField t={t} idPrefix="withdraw-" name="reason" label={t('field.reason')} value={str(vals('withdraw').reason)} errors={errs('withdraw')} maxlength={1000} />
              <button type="submit" class="button button--danger">
                {t('consultations.withdrawSubmit')}
              </button>
            </form>,
          )
        : null}
      {d.relation.admin ? (
        <p>
          <a href={`/admin/audit?entity=consultation&entityId=${k.id}`}>{t('audit.title')}</a>
        </p>
      ) : null}
    </>
  );
}
