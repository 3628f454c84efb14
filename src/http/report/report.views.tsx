import { formatFiscalYear, formatTokyo, formatWareki } from '../../domain/calendar.js';
import { formatPercent } from '../../domain/rounding.js';
import { AFFILIATIONS } from '../../domain/values.js';
import type { Lang, Translate } from '../../i18n/index.js';
import type { CoverageRow, FiscalYearKpis, publicSchedule } from '../../services/report.service.js';
import { BarChart, LineChart } from '../views/charts.js';
import { DataTable, Downloads, SelectField } from '../views/components.js';
import { axisLines } from './fiscal-year.js';
import { type ImplRow, type KpiLine, kpiLines, reasonsText } from './presenter.js';

/** The year filter of the report pages (a GET form). */
export function YearFilter({ t, lang, action, fy, years }: { t: Translate; lang: Lang; action: string; fy: number; years: readonly number[] }) {
  return (
    <form method="get" action={action} class="filters" role="search">
      <SelectField t={t} plain name="fy" label={t('field.fiscalYear')} value={fy} options={years.map((y) => ({ value: y, label: formatFiscalYear(y, lang) }))} />
      <button type="submit" class="button">
        {t('common.show')}
      </button>
    </form>
  );
}

export function DashboardView({ t, lang, fy, years, k, all }: { t: Translate; lang: Lang; fy: number; years: number[]; k: FiscalYearKpis; all: FiscalYearKpis[] }) {
  const label = (y: number) => formatFiscalYear(y, lang, 'wareki');
  // Each year's label once (both charts' categories and their axis lines).
  const labels = years.map(label);
  const lines = axisLines(years, lang, labels);
  return (
    <>
      <YearFilter t={t} lang={lang} action="/admin/reports" fy={fy} years={years} />
      <p class="actions">
        <a class="button button--secondary" href={`/admin/reports/implementation?fy=${fy}`}>
          {t('report.implementation')}
        </a>{' '}
        <a class="button button--secondary" href="/admin/reports/coverage">
          {t('report.coverage')}
        </a>{' '}
        <a class="button button--secondary" href="/admin/impact">
          {t('impact.title')}
        </a>{' '}
        <a class="button button--secondary" href={`/admin/reports/gaps?fy=${fy}`}>
          {t('gaps.title')}
        </a>{' '}
        <a class="button button--secondary" href={`/admin/reports/map?fy=${fy}`}>
          {t('map.title')}
        </a>{' '}
        <a class="button button--secondary" href={`/admin/reports/progress?fy=${fy}`}>
          {t('progress.title')}
        </a>
      </p>
      <h2>{t('report.kpisOf', { fy: formatFiscalYear(fy, lang) })}</h2>
      <DataTable
        t={t}
        caption={t('report.kpisOf', { fy: formatFiscalYear(fy, lang) })}
        rows={kpiLines(t, k)}
        columns={[
          { key: 'label', label: t('gaps.figure'), rowHeader: true, cell: (l: KpiLine) => l[0] },
          { key: 'value', label: t('gaps.value'), numeric: true, cell: (l: KpiLine) => l[1] },
        ]}
      />
      <Downloads t={t} base="/admin/reports/kpis" query={`fy=${fy}`} />
      <h2>{t('report.mix')}</h2>
      <BarChart t={t} title={t('report.mixOf', { fy: label(fy) })} categoryHeader={t('report.affiliation')} valueHeader={t('report.people')} bars={AFFILIATIONS.map((a) => ({ label: t(`affiliation.${a}`), value: k.participants[a] }))} />
      <h2>{t('report.trends')}</h2>
      <LineChart
        t={t}
        title={t('report.trendSessions')}
        categoryHeader={t('field.fiscalYear')}
        categories={labels}
        categoryLines={lines}
        series={[
          { name: t('report.seminarsHeld'), values: all.map((x) => x.seminarsHeld) },
          { name: t('report.fieldTrainingsHeld'), values: all.map((x) => x.fieldTrainingsHeld) },
          { name: t('report.courseSessionsHeld'), values: all.map((x) => x.courseSessionsHeld) },
        ]}
      />
      <LineChart
        t={t}
        title={t('report.trendPeople')}
        categoryHeader={t('field.fiscalYear')}
        categories={labels}
        categoryLines={lines}
        series={[
          { name: t('report.participantsTotal'), values: all.map((x) => x.participantsTotal) },
          { name: t('report.unitsReached'), values: all.map((x) => x.unitsReached) },
          { name: t('report.coordinatorsCumulative'), values: all.map((x) => x.coordinators.cumulative) },
          { name: t('report.coordinatorsActive'), values: all.map((x) => x.coordinators.active) },
        ]}
      />
      <Downloads t={t} base="/admin/reports/trends" />
    </>
  );
}

export function ImplementationView({ t, lang, fy, years, title, rows }: { t: Translate; lang: Lang; fy: number; years: number[]; title: string; rows: ImplRow[] }) {
  return (
    <>
      <YearFilter t={t} lang={lang} action="/admin/reports/implementation" fy={fy} years={years} />
      <DataTable
        t={t}
        caption={title}
        rows={rows}
        columns={[
          { key: 'date', label: t('report.col.date'), cell: (x) => (lang === 'ja' ? formatWareki(x.date, 'ja') : formatTokyo(x.startsAt, 'en', 'date')) },
          { key: 'format', label: t('report.col.format'), cell: (x) => t(`format.${x.format}` as never) },
          { key: 'theme', label: t('report.col.theme'), cell: (x) => x.theme },
          { key: 'lecturers', label: t('report.col.lecturers'), cell: (x) => x.lecturers },
          { key: 'audience', label: t('report.col.audience'), cell: (x) => x.audience },
          { key: 'people', label: t('report.col.people'), numeric: true, cell: (x) => x.participants ?? t('report.notYetHeld') },
        ]}
      />
      <Downloads t={t} base="/admin/reports/implementation" query={`fy=${fy}`} />
    </>
  );
}

export function CoverageView({ t, rows, headers }: { t: Translate; rows: CoverageRow[]; headers: string[] }) {
  const flagged = rows.filter((x) => x.reasons.length).length;
  const [kind, department, name, staff, trained, share, coordinators, hosted, reasons] = headers;
  return (
    <>
      <p>{t('report.coverageLead')}</p>
      <p role="status">{t('report.flagged', { count: flagged })}</p>
      <p class="actions">
        <a class="button" href="/admin/reports/nominations.xlsx">
          {t('report.nominationsXlsx')}
        </a>{' '}
        <a class="button button--secondary" href="/admin/reports/nominations.csv">
          {t('report.nominationsCsv')}
        </a>{' '}
        <a class="button button--secondary" href="/admin/reports/nominations.csv?encoding=shift_jis">
          {t('report.nominationsCsvSjis')}
        </a>
      </p>
      <DataTable
        t={t}
        caption={t('report.coverage')}
        rows={rows}
        rowClass={(x) => (x.reasons.length ? 'highlight' : undefined)}
        columns={[
          { key: 'kind', label: kind!, cell: (x) => t(`unitKind.${x.kind}` as never) },
          { key: 'department', label: department!, cell: (x) => x.department ?? '' },
          { key: 'name', label: name!, rowHeader: true, cell: (x) => x.name },
          { key: 'staff', label: staff!, numeric: true, cell: (x) => x.staff },
          { key: 'trained', label: trained!, numeric: true, cell: (x) => x.trained },
          { key: 'share', label: share!, numeric: true, cell: (x) => formatPercent(x.share) },
          { key: 'coordinators', label: coordinators!, numeric: true, cell: (x) => x.coordinators },
          { key: 'hosted', label: hosted!, numeric: true, cell: (x) => (x.kind === 'municipality' ? x.fieldTrainingsHosted : '') },
          { key: 'reasons', label: reasons!, cell: (x) => (x.reasons.length ? <strong>{reasonsText(t, x)}</strong> : '') },
        ]}
      />
      <Downloads t={t} base="/admin/reports/coverage" />
    </>
  );
}

type ScheduleRow = Awaited<ReturnType<typeof publicSchedule>>[number];

export function ScheduleView({ t, lang, prefecture, rows }: { t: Translate; lang: Lang; prefecture: string; rows: ScheduleRow[] }) {
  return (
    <>
      <p>{t('schedule.lead', { prefecture })}</p>
      <p>
        {t('schedule.openData')}：<a href="/opendata/events.csv">CSV</a> ・ <a href="/opendata/events.json">JSON</a>
      </p>
      <DataTable
        t={t}
        caption={t('schedule.title')}
        rows={rows}
        rowId={(s) => `session-${s.id}`}
        columns={[
          { key: 'date', label: t('report.col.date'), cell: (s) => `${formatTokyo(s.starts_at, lang, 'datetime')}〜${formatTokyo(s.ends_at, lang, 'time')}` },
          { key: 'theme', label: t('report.col.theme'), cell: (s) => `${s.offering_title}：${s.title}` },
          { key: 'format', label: t('report.col.format'), cell: (s) => t(`format.${s.format}` as never) },
          { key: 'venue', label: t('trainings.venue'), cell: (s) => s.venue },
          { key: 'audience', label: t('report.col.audience'), cell: (s) => s.audience },
        ]}
      />
    </>
  );
}
