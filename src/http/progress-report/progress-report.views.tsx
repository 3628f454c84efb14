import { formatFiscalYear, formatWareki, tokyoDateOf } from '../../domain/calendar.js';
import { COMPETENCIES } from '../../domain/survey.js';
import type { Lang, Translate } from '../../i18n/index.js';
import type { listPlans, planWithItems } from '../../services/plan.service.js';
import type { ProgressReport } from '../../services/progress-report.service.js';
import { DataTable, SelectField } from '../views/components.js';
import { TargetsTable } from '../views/plan-target-table.js';
import { gapLines, type Line, linesOf, points, type ReportItem, signed, statusText, trendRows } from './presenter.js';

const text = (t: Translate, v: string | undefined) => (v?.trim() ? v : t('progress.notRecorded'));

function Paragraphs({ value }: { value: string }) {
  return (
    <>
      {value.split(/\n+/).map((p) => (
        <p>{p}</p>
      ))}
    </>
  );
}

function ItemSection({ t, it }: { t: Translate; it: ReportItem }) {
  const lines = linesOf(t, it);
  const targets = it.measures.flatMap((m) => m.targets.map((x) => ({ m, x })));
  const notes = (key: 'changes' | 'further') => lines.filter((l) => l.entry?.[key]?.trim());
  return (
    <section class="progress-item">
      <h2>
        {it.item.number} {it.item.title}
      </h2>
      <DataTable
        t={t}
        caption={t('progress.situation')}
        rows={lines}
        columns={[
          { key: 'measure', label: t('plan.measure'), rowHeader: true, cell: (l: Line) => l.label },
          { key: 'status', label: t('plan.status'), cell: (l: Line) => statusText(t, l.entry) },
          { key: 'rating', label: t('plan.rating'), cell: (l: Line) => l.entry?.rating ?? '—' },
          { key: 'results', label: t('progress.situation'), cell: (l: Line) => <span class="progress-text">{text(t, l.entry?.results)}</span> },
        ]}
      />
      {targets.length ? (
        <TargetsTable t={t} caption={t('progress.targets')} rows={targets.map(({ m, x }) => ({ measure: m.label, row: x }))} />
      ) : (
        <p>{t('progress.noTargets')}</p>
      )}
      {(['changes', 'further'] as const).map((key) => (
        <>
          <h3>{t(key === 'changes' ? 'progress.issues' : 'progress.next')}</h3>
          {notes(key).length ? (
            <dl class="progress-notes">
              {notes(key).map((l) => (
                <>
                  <dt>{l.label}</dt>
                  <dd>
                    <Paragraphs value={l.entry![key]} />
                  </dd>
                </>
              ))}
            </dl>
          ) : (
            <p>{t('progress.notRecorded')}</p>
          )}
        </>
      ))}
    </section>
  );
}

function GapsSection({ t, lang, r }: { t: Translate; lang: Lang; r: ProgressReport }) {
  const g = r.gaps;
  type Trend = ReturnType<typeof trendRows>[number];
  return (
    <section class="progress-gaps">
      <h2>{t('progress.gaps')}</h2>
      <p>{t('progress.gapsLead')}</p>
      {!g ? (
        <p>{t('progress.notYet')}</p>
      ) : (
        <>
          {(['understanding', 'opportunity', 'talent'] as const).map((gap) => (
            <DataTable
              t={t}
              caption={t(`progress.gap.${gap}`)}
              rows={gapLines(t, g).filter((l) => l.gap === gap)}
              columns={[
                { key: 'indicator', label: t('progress.indicator'), rowHeader: true, cell: (l) => l.label },
                { key: 'value', label: formatFiscalYear(r.fiscalYear, lang), numeric: true, cell: (l) => l.value },
              ]}
            />
          ))}
          <DataTable
            t={t}
            caption={t('progress.byCompetency')}
            rows={COMPETENCIES.map((c) => ({ c, x: g.understanding.byCompetency.find((y) => y.competency === c) }))}
            columns={[
              { key: 'competency', label: t('progress.competency'), rowHeader: true, cell: ({ c }) => t(`competency.${c}`) },
              { key: 'mean', label: t('progress.meanChange'), numeric: true, cell: ({ x }) => points(t, x?.meanChange ?? null) },
              { key: 'n', label: 'n', numeric: true, cell: ({ x }) => x?.n ?? 0 },
              { key: 'ci', label: t('progress.ci95'), numeric: true, cell: ({ x }) => (x?.ci95 ? `${signed(x.ci95[0])} 〜 ${signed(x.ci95[1])}` : t('progress.ciTooFew')) },
            ]}
          />
          {r.trend.length > 1 ? (
            <DataTable
              t={t}
              caption={t('progress.trend')}
              stack={false}
              rows={trendRows(t)}
              columns={[
                { key: 'indicator', label: t('progress.indicator'), rowHeader: true, cell: (row: Trend) => row.label },
                ...r.trend.map((y) => ({ key: `y${y.fiscalYear}`, label: formatFiscalYear(y.fiscalYear, lang, lang === 'ja' ? 'wareki' : 'short'), numeric: true, cell: (row: Trend) => row.value(y) })),
              ]}
            />
          ) : null}
        </>
      )}
    </section>
  );
}

type Query = { planId: number; fy: number; itemId?: number };

/** The yearly progress report (A4 print): filters, then each item, then the three gap indicators. */
export function ProgressReportView(p: {
  t: Translate;
  lang: Lang;
  today: Date;
  q: Query;
  years: number[];
  rep: ProgressReport;
  plan: NonNullable<Awaited<ReturnType<typeof planWithItems>>>;
  plans: Awaited<ReturnType<typeof listPlans>>;
}) {
  const { t, lang, q, rep, plan, plans } = p;
  const only = q.itemId ? rep.items[0] : null;
  const qs = `plan=${q.planId}&fy=${q.fy}${q.itemId ? `&item=${q.itemId}` : ''}`;
  return (
    <>
      <form method="get" action="/admin/reports/progress" class="filters" role="search">
        {plans.length > 1 ? (
          <SelectField t={t} plain name="plan" label={t('progress.plan')} value={q.planId} options={plans.map((x) => ({ value: x.id, label: x.title }))} />
        ) : (
          <input type="hidden" name="plan" value={String(q.planId)} />
        )}
        <SelectField t={t} plain name="fy" label={t('field.fiscalYear')} value={q.fy} options={p.years.map((y) => ({ value: y, label: formatFiscalYear(y, lang) }))} />
        <SelectField t={t} plain name="item" label={t('progress.item')} value={q.itemId ?? ''} options={[{ value: '', label: t('progress.allItems') }, ...plan.items.map((i) => ({ value: i.id, label: `${i.number} ${i.title}` }))]} />
        <button type="submit" class="button">
          {t('common.show')}
        </button>
      </form>
      <p class="no-print">{t('progress.lead')}</p>
      <ul class="actions downloads">
        <li>
          <a href={`/admin/reports/progress.xlsx?${qs}`} download>
            {t('progress.xlsx')}
          </a>
        </li>
        <li>
          <a href={`/admin/reports/map?fy=${q.fy}`}>{t('progress.mapPage')}</a>
        </li>
      </ul>
      <article class="progress-report">
        <p class="progress-meta">
          {rep.plan.title}
          <br />
          {only ? t('progress.scopeItem', { number: only.item.number, title: only.item.title }) : t('progress.scopeAll', { count: rep.items.length })}
          <br />
          {t('progress.preparedOn', { date: formatWareki(tokyoDateOf(p.today), lang) })}
        </p>
        {rep.items.map((it) => (
          <ItemSection t={t} it={it} />
        ))}
        <GapsSection t={t} lang={lang} r={rep} />
      </article>
    </>
  );
}
