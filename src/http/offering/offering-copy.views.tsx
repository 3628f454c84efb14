import { formatFiscalYear, formatTokyo, formatWareki } from '../../domain/calendar.js';
import type { SessionCopyPlan } from '../../domain/offering-copy.js';
import type { Translate } from '../../i18n/index.js';
import type { FieldErrors } from '../../lib/validation.js';
import type { SurveyCopyPlan } from '../../services/offering-copy.service.js';
import { CsrfField, DataTable, ErrorSummary, TextField } from '../views/components.js';

type Lang = 'ja' | 'en';
type PlannedSession = SessionCopyPlan & { title: string };

/** Where each session of the copy goes, and why one moved. */
export function CopyPlanTable({ t, lang, fy, sessions }: { t: Translate; lang: Lang; fy: number; sessions: PlannedSession[] }) {
  if (!sessions.length) return <p>{t('bulk.noSessions')}</p>;
  const moved = sessions.filter((s) => s.moved).length;
  return (
    <>
      {moved ? (
        <p class="notice" role="status">
          {t('bulk.movedCount', { count: moved })}
        </p>
      ) : null}
      <DataTable
        t={t}
        caption={t('bulk.copyPlanCaption', { fy: formatFiscalYear(fy, lang) })}
        rows={sessions}
        columns={[
          { key: 'session', label: t('bulk.col.session'), cell: (s) => s.title },
          { key: 'to', label: t('bulk.col.to'), cell: (s) => `${formatTokyo(s.startsAt, lang)}–${formatTokyo(s.endsAt, lang, 'time')}` },
          {
            key: 'note',
            label: t('bulk.col.note'),
            cell: (s) => (
              <>
                {s.moved
                  ? s.moved.kind === 'holiday'
                    ? t('bulk.moved.holiday', { date: formatWareki(s.sameWeekday, lang), name: s.moved.name ?? '' })
                    : t('bulk.moved.weekend', { date: formatWareki(s.sameWeekday, lang) })
                  : t('bulk.sameWeekday')}
                <br />
                <small>
                  {t('bulk.col.from')}：{formatWareki(s.from, lang)}
                </small>
              </>
            ),
          },
        ]}
      />
    </>
  );
}

/** The offering's surveys and their copies' windows in the new year; one that would already be over is not copied. */
export function SurveyCopyTable({ t, lang, surveys }: { t: Translate; lang: Lang; surveys: SurveyCopyPlan[] }) {
  if (!surveys.length) return <p>{t('bulk.noSurveys')}</p>;
  return (
    <>
      <DataTable
        t={t}
        caption={t('bulk.surveyCaption')}
        rows={surveys}
        columns={[
          { key: 'title', label: t('bulk.col.survey'), rowHeader: true, cell: (s) => s.title },
          { key: 'kind', label: t('survey.kind'), cell: (s) => `${t(`surveyKind.${s.kind}`)}（${s.templateName}）` },
          { key: 'window', label: t('bulk.col.surveyWindow'), cell: (s) => `${formatTokyo(s.opensAt, lang)}〜${formatTokyo(s.closesAt, lang)}` },
          { key: 'note', label: t('bulk.col.note'), cell: (s) => (s.closed ? t('bulk.surveyNotCopied') : t('bulk.surveyCopied')) },
        ]}
      />
      <p class="hint">{t('bulk.surveyInviteNote')}</p>
    </>
  );
}

/** Copy: choose the year (GET form), see where each session goes, then copy (POST). */
export function CopyOffering(p: { t: Translate; lang: Lang; csrf: string; id: number; value: string; errors: FieldErrors | null; plan: { fiscalYear: number; sessions: PlannedSession[]; surveys: SurveyCopyPlan[] } | null }) {
  const { t, lang, id, errors, plan } = p;
  return (
    <>
      <p>{t('bulk.copyLead')}</p>
      <ErrorSummary t={t} errors={errors} labels={{ fiscalYear: t('bulk.copyTarget') }} />
      <form method="get" action={`/admin/offerings/${id}/copy`} novalidate>
        <TextField t={t} name="fiscalYear" label={t('bulk.copyTarget')} hint={t('bulk.copyTargetHint')} value={p.value} errors={errors} required maxlength={20} />
        <button type="submit" class="button button--secondary">
          {t('bulk.copyPreview')}
        </button>
      </form>
      {plan ? (
        <section>
          <CopyPlanTable t={t} lang={lang} fy={plan.fiscalYear} sessions={plan.sessions} />
          <SurveyCopyTable t={t} lang={lang} surveys={plan.surveys} />
          <form method="post" action={`/admin/offerings/${id}/copy`}>
            <CsrfField token={p.csrf} />
            <input type="hidden" name="fiscalYear" value={String(plan.fiscalYear)} />
            <button type="submit" class="button">
              {t('bulk.copySubmit', { fy: formatFiscalYear(plan.fiscalYear, lang) })}
            </button>
          </form>
        </section>
      ) : null}
    </>
  );
}

/** The copy made: its sessions, and where to go next. */
export function Copied({ t, lang, offering, sessions, surveys }: { t: Translate; lang: Lang; offering: { id: number; fiscal_year: number }; sessions: PlannedSession[]; surveys: SurveyCopyPlan[] }) {
  return (
    <>
      <CopyPlanTable t={t} lang={lang} fy={offering.fiscal_year} sessions={sessions} />
      <h2>{t('bulk.surveysTitle')}</h2>
      <SurveyCopyTable t={t} lang={lang} surveys={surveys} />
      <p class="actions">
        <a class="button" href={`/admin/offerings/${offering.id}`}>
          {t('bulk.openCopy')}
        </a>
        <a class="button button--secondary" href={`/admin/surveys?offering=${offering.id}#new`}>
          {t('bulk.createSurveys')}
        </a>
      </p>
    </>
  );
}
