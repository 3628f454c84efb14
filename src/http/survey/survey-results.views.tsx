import type { Child } from 'hono/jsx';
import { formatTokyo } from '../../domain/calendar.js';
import { formatPercent } from '../../domain/rounding.js';
import { type QuestionSummary, scalePoints, scaleRange, type ScaleSummary, type SurveyQuestion } from '../../domain/survey.js';
import type { Lang, Translate } from '../../i18n/index.js';
import type { FieldErrors } from '../../lib/validation.js';
import type { exchangeViews } from '../../services/survey.service.js';
import { BarChart } from '../views/charts.js';
import { CsrfField, DataTable, Downloads, ErrorSummary } from '../views/components.js';
import { qLabel, type SurveyResults } from './presenter.js';

// The rate with its one decimal place, rounded half up (domain/rounding.ts), like every percentage.
export const rateText = (t: Translate, r: { responded: number; invited: number; rate: number | null }) =>
  t('survey.rate', { responded: r.responded, invited: r.invited, rate: r.rate === null ? '—' : formatPercent(r.rate).replace('%', '') });

function SummaryView({ t, lang, q, s }: { t: Translate; lang: Lang; q: SurveyQuestion; s: QuestionSummary }) {
  const title = qLabel(q, lang);
  const people = (n: number) => t('survey.people', { count: n });
  // Every scale reads highest first, each point with its words, as the answer form shows it.
  const points = scalePoints(q, lang);
  if (s.kind === 'scale')
    return (
      <>
        <p>{t('survey.meanOf', { mean: s.mean === null ? '—' : s.mean.toFixed(2), count: s.n })}</p>
        <BarChart title={title} categoryHeader={t('survey.score')} valueHeader={t('survey.count')} bars={points.map((p) => ({ label: p.text, value: s.counts[p.value - 1], text: people(s.counts[p.value - 1]) }))} />
      </>
    );
  if (s.kind === 'choice')
    return <BarChart title={title} categoryHeader={t('survey.choice')} valueHeader={t('survey.count')} bars={s.options.map((o) => ({ label: o.label, value: o.count, text: people(o.count) }))} />;
  if (s.kind === 'matrix')
    return (
      <>
        <p class="hint">{t('survey.scaleMeaning', { range: scaleRange(q, lang) })}</p>
        <BarChart
          title={`${title}（${t('survey.mean')}）`}
          categoryHeader={t('survey.statement')}
          valueHeader={t('survey.mean')}
          max={5}
          decimals={2}
          bars={s.rows.map((r) => ({ label: qLabel(r, lang), value: r.mean ?? 0, text: r.mean === null ? '—' : `${r.mean.toFixed(2)}（${people(r.n)}）` }))}
        />
        <MatrixDistribution t={t} lang={lang} title={title} rows={s.rows} points={points} />
      </>
    );
  return (
    <>
      <p>{t('survey.textCount', { count: s.n })}</p>
      <ul class="free-text">
        {s.texts.map((x) => (
          <li>{x}</li>
        ))}
      </ul>
    </>
  );
}

type MatrixRow = { id: string; label: string; labelEn?: string } & ScaleSummary;

/** How many chose each point, per row of a matrix: the points in the one order, highest first. */
function MatrixDistribution({ t, lang, title, rows, points }: { t: Translate; lang: Lang; title: string; rows: MatrixRow[]; points: ReturnType<typeof scalePoints> }) {
  return (
    <DataTable<MatrixRow>
      t={t}
      caption={t('survey.distribution', { title })}
      rows={rows}
      stack={false}
      columns={[
        { key: 'statement', label: t('survey.statement'), rowHeader: true, cell: (r) => qLabel(r, lang) },
        ...points.map((p) => ({ key: `p${p.value}`, label: p.text, numeric: true, cell: (r: MatrixRow) => t('survey.people', { count: r.counts[p.value - 1] }) })),
        { key: 'mean', label: t('survey.mean'), numeric: true, cell: (r) => (r.mean === null ? '—' : r.mean.toFixed(2)) },
      ]}
    />
  );
}

export function ResultsBody({ t, lang, r }: { t: Translate; lang: Lang; r: SurveyResults }) {
  // An anonymous survey: answers are written in batches, and shown only from the minimum on (decision 0018).
  const batches = r.survey.anonymous && r.waiting > 0 ? <p class="hint">{t('survey.waitingBatch', { written: r.written, waiting: r.waiting, min: r.minAnswers })}</p> : null;
  if (r.tooFew)
    return (
      <>
        <p class="notice" role="status">
          {t('survey.tooFew', { min: r.minAnswers })}
        </p>
        {batches}
      </>
    );
  return (
    <>
      {batches}
      {r.summaries.map(({ question, summary }) => (
        <section>
          <h3>{qLabel(question, lang)}</h3>
          <SummaryView t={t} lang={lang} q={question} s={summary} />
        </section>
      ))}
    </>
  );
}

/** A survey's page for admins: its facts, the live response rate, reminders, downloads and results. */
export function SurveyResultsView({ t, lang, csrf, res, open, errors }: { t: Translate; lang: Lang; csrf: string; res: SurveyResults; open: boolean; errors: FieldErrors | null }) {
  const s = res.survey;
  const id = s.id;
  return (
    <>
      <ErrorSummary t={t} errors={errors} />
      <dl class="meta">
        <dt>{t('survey.kind')}</dt>
        <dd>{t(`surveyKind.${s.kind}`)}</dd>
        <dt>{t('survey.period')}</dt>
        <dd>
          {formatTokyo(s.opens_at, lang, 'datetime')}〜{formatTokyo(s.closes_at, lang, 'datetime')}
        </dd>
        <dt>{t('survey.respondents')}</dt>
        <dd>{t(s.anonymous ? 'survey.anonymous' : 'survey.named')}</dd>
        <dt>{t('survey.responseRate')}</dt>
        <dd>
          <span role="status" id="survey-rate" data-live={`/api/v1/surveys/${id}/results`} data-live-pause={t('survey.livePause')} data-live-resume={t('survey.liveResume')}>
            {rateText(t, res)}
          </span>
        </dd>
      </dl>
      <p class="actions">
        {open ? (
          <form method="post" action={`/admin/surveys/${id}/remind`} class="inline">
            <CsrfField token={csrf} />
            <button type="submit" class="button button--secondary">
              {t('survey.remind')}
            </button>
          </form>
        ) : null}{' '}
        {s.session_id ? (
          <a class="button button--secondary" href={`/admin/sessions/${s.session_id}/views`}>
            {t('exchange.title')}
          </a>
        ) : null}
      </p>
      <h2>{t('survey.answersDownload')}</h2>
      <Downloads t={t} base={`/admin/surveys/${id}/answers`} />
      <h2>{t('survey.commentsDownload')}</h2>
      <Downloads t={t} base={`/admin/surveys/${id}/comments`} />
      <h2>{t('survey.resultsDownload')}</h2>
      <Downloads t={t} base={`/admin/surveys/${id}/results`} />
      <h2>{t('survey.results')}</h2>
      <ResultsBody t={t} lang={lang} r={res} />
    </>
  );
}

/** A field training seen from both sides: the participants' questionnaire and the host's. */
export function ExchangeView({ t, lang, v }: { t: Translate; lang: Lang; v: NonNullable<Awaited<ReturnType<typeof exchangeViews>>> }) {
  const side = (title: string, res: SurveyResults | null): Child => (
    <section>
      <h2>{title}</h2>
      {res ? (
        <>
          <p>
            <a href={`/admin/surveys/${res.survey.id}`}>{res.survey.title}</a>：{rateText(t, res)}
          </p>
          <ResultsBody t={t} lang={lang} r={res} />
        </>
      ) : (
        <p>{t('exchange.noSurvey')}</p>
      )}
    </section>
  );
  return (
    <>
      <p>
        {formatTokyo(v.session.starts_at, lang, 'datetime')} {v.session.venue}
      </p>
      <div class="side-by-side">
        {side(t('exchange.participants'), v.participant)}
        {side(t('exchange.host'), v.host)}
      </div>
    </>
  );
}
