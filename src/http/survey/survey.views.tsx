import { formatFiscalYear, formatTokyo } from '../../domain/calendar.js';
import { responseRate } from '../../domain/survey.js';
import { SURVEY_KINDS, type SurveyKind } from '../../domain/values.js';
import type { Lang, Translate } from '../../i18n/index.js';
import type { FieldErrors } from '../../lib/validation.js';
import type { listOfferings, sessionsOfOfferings } from '../../services/offering.service.js';
import type { listSurveys, listTemplates } from '../../services/survey.service.js';
import type { FormBody } from '../forms.js';
import { CsrfField, DataTable, ErrorSummary, SelectField, TextField } from '../views/components.js';
import { rateText } from './survey-results.views.js';

const str = (v: FormBody[string] | undefined) => (typeof v === 'string' ? v : '');
type SurveyRow = Awaited<ReturnType<typeof listSurveys>>[number];

export interface SurveyListData {
  filters: { fy?: number; kind?: SurveyKind; offeringId?: number };
  rows: SurveyRow[];
  templates: Awaited<ReturnType<typeof listTemplates>>;
  offerings: Awaited<ReturnType<typeof listOfferings>>;
  sessions: Awaited<ReturnType<typeof sessionsOfOfferings>>;
  now: Date;
  today: string;
}

/** The admins' list of surveys, with its filters and the form to create one. */
export function SurveyList({ t, lang, csrf, d, values, errors }: { t: Translate; lang: Lang; csrf: string; d: SurveyListData; values: FormBody; errors: FieldErrors | null }) {
  const { fy, kind, offeringId } = d.filters;
  const offeringTitle = new Map(d.offerings.map((o) => [o.id, o.title]));
  const counts = (s: SurveyRow) => ({ responded: Number(s.responded ?? 0), invited: Number(s.invited ?? 0) });
  return (
    <>
      <p class="actions">
        <a class="button button--secondary" href="/admin/survey-templates">
          {t('survey.templates')}
        </a>{' '}
        <a class="button button--secondary" href="/admin/impact">
          {t('impact.title')}
        </a>
      </p>
      <form method="get" action="/admin/surveys" class="filters" role="search">
        <TextField t={t} plain idPrefix="filter-" name="fy" type="number" label={t('field.fiscalYear')} value={fy ? String(fy) : ''} />
        <SelectField t={t} plain idPrefix="filter-" name="kind" label={t('survey.kind')} value={kind} blank="—" options={SURVEY_KINDS.map((k) => ({ value: k, label: t(`surveyKind.${k}`) }))} />
        <button type="submit" class="button">
          {t('common.search')}
        </button>
      </form>
      {d.rows.length ? (
        <DataTable
          t={t}
          caption={t('survey.title')}
          rows={d.rows}
          columns={[
            {
              key: 'title',
              label: t('field.title'),
              cell: (s) => (
                <>
                  <a href={`/admin/surveys/${s.id}`}>{s.title}</a>
                  {s.anonymous ? `（${t('survey.anonymous')}）` : ''}
                </>
              ),
            },
            { key: 'kind', label: t('survey.kind'), cell: (s) => t(`surveyKind.${s.kind}`) },
            {
              key: 'period',
              label: t('survey.period'),
              cell: (s) => (
                <>
                  {formatTokyo(s.opens_at, lang, 'date')}〜{formatTokyo(s.closes_at, lang, 'date')}
                  {s.closes_at <= d.now ? `（${t('survey.closed')}）` : ''}
                </>
              ),
            },
            { key: 'rate', label: t('survey.responseRate'), numeric: true, cell: (s) => rateText(t, { ...counts(s), rate: responseRate(counts(s).responded, counts(s).invited) }) },
          ]}
        />
      ) : (
        <p>{t('survey.none')}</p>
      )}
      <h2 id="new">{t('survey.new')}</h2>
      <ErrorSummary t={t} errors={errors} />
      <p class="hint">{t('survey.newHint')}</p>
      <form method="post" action="/admin/surveys" novalidate>
        <CsrfField token={csrf} />
        <SelectField t={t} name="templateId" label={t('survey.template')} value={str(values.templateId)} errors={errors} required options={d.templates.map((x) => ({ value: x.id, label: x.name }))} />
        <SelectField t={t} name="kind" label={t('survey.kind')} value={str(values.kind) || 'pre'} errors={errors} required options={SURVEY_KINDS.map((k) => ({ value: k, label: t(`surveyKind.${k}`) }))} />
        <SelectField t={t} name="offeringId" label={t('field.offeringId')} value={str(values.offeringId) || (offeringId ? String(offeringId) : '')} errors={errors} blank="—" options={d.offerings.map((o) => ({ value: o.id, label: `${o.title}（${formatFiscalYear(o.fiscal_year, lang, 'wareki')}）` }))} />
        <SelectField t={t} name="sessionId" label={t('field.sessionId')} value={str(values.sessionId)} errors={errors} blank="—" options={d.sessions.map((s) => ({ value: s.id, label: `${offeringTitle.get(s.offering_id) ?? ''}：${s.title}（${formatTokyo(s.starts_at, lang, 'date')}）` }))} />
        <TextField t={t} name="title" label={t('field.title')} value={str(values.title)} errors={errors} maxlength={200} hint={t('survey.titleHint')} />
        <TextField t={t} name="opensAt" type="datetime-local" label={t('survey.opens')} value={str(values.opensAt) || `${d.today}T09:00`} errors={errors} required />
        <TextField t={t} name="closesAt" type="datetime-local" label={t('survey.closes')} value={str(values.closesAt)} errors={errors} required />
        <button type="submit" class="button">
          {t('survey.create')}
        </button>
      </form>
    </>
  );
}
