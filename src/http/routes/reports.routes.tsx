import { formatFiscalYear, formatTokyo, formatWareki, fiscalYearOf } from '../../domain/calendar.js';
import { EVENT_DATASET_COLUMNS } from '../../domain/report.js';
import { formatPercent, PERCENT_PLACES, roundHalfUp } from '../../domain/rounding.js';
import type { Translate } from '../../i18n/index.js';
import { exportTable } from '../../lib/table-export.js';
import { type CoverageRow, coverage, type FiscalYearKpis, fiscalYearKpis, implementationTable, openDataEvents, publicSchedule, reportYears } from '../../services/report.service.js';
import { sendTable } from '../export.js';
import { toId } from '../forms.js';
import { page } from '../page.js';
import type { Ctx, Router } from '../router.js';
import { BarChart, LineChart } from '../views/charts.js';
import { Downloads, SelectField } from '../views/components.js';
import { AFFILIATIONS, CONSULTATION_KPI_OUTCOMES } from '../../domain/values.js';

/** Means and changes: two places, rounded half up (domain/rounding.ts), never truncated. */
const fmt2 = (v: number | null) => (v === null ? '—' : roundHalfUp(v, 2).toFixed(2));

/** The KPI lines of a year, in report order: label and value (shared by the page and the exports). */
function kpiLines(t: Translate, k: FiscalYearKpis): [string, string | number][] {
  return [
    [t('report.seminarsHeld'), k.seminarsHeld],
    [t('report.fieldTrainingsHeld'), k.fieldTrainingsHeld],
    [t('report.courseSessionsHeld'), k.courseSessionsHeld],
    [t('report.attendances'), k.attendances],
    [t('report.participantsTotal'), k.participantsTotal],
    ...AFFILIATIONS.map((a): [string, number] => [`${t('report.participants')}（${t(`affiliation.${a}`)}）`, k.participants[a]]),
    [t('report.unitsReached'), k.unitsReached],
    [t('report.applications'), k.applications],
    [t('report.completions'), k.completions],
    [t('report.certificatesIssued'), k.certificatesIssued],
    [t('report.coordinatorsNew'), k.coordinators.newlyCertified],
    [t('report.coordinatorsCumulative'), k.coordinators.cumulative],
    [t('report.coordinatorsActive'), k.coordinators.active],
    ...k.surveys.map((s): [string, string] => [`${t('report.surveyMean')}：${t(`report.survey.${s.item}` as never)}`, `${fmt2(s.mean)}（n=${s.n}）`]),
    ...k.competencyChange.map((c): [string, string] => [`${t('report.competencyChange')}：${t(`competency.${c.item}` as never)}`, c.meanChange === null ? '—' : `${c.meanChange >= 0 ? '+' : ''}${fmt2(c.meanChange)}（n=${c.n}）`]),
    [t('report.consultations'), k.consultations.total],
    ...k.consultations.byKind.map((x): [string, string] => [
      t('report.consultationsOf', { kind: t(`consultations.kind.${x.kind}`) }),
      `${x.total}（${CONSULTATION_KPI_OUTCOMES.map((o) => `${t(`consultations.outcome.${o}`)} ${x.outcomes[o]}`).join('、')}）`,
    ]),
  ];
}

export function registerReports(r: Router) {
  // Out of 1950–2100 (e.g. ?fy=1), the current year: there is no wareki to print for year 1.
  const fyOf = (c: Ctx) => {
    const asked = toId(c.req.query('fy'));
    return asked >= 1950 && asked <= 2100 ? asked : fiscalYearOf(c.get('ctx').now());
  };

  r.get('/admin/reports', ['admin'], async (c) => {
    const t = c.get('t');
    const lang = c.get('lang');
    const fy = fyOf(c);
    const years = await reportYears(c.get('ctx'));
    const all = await Promise.all(years.map((y) => fiscalYearKpis(c.get('ctx'), y)));
    const k = all.find((x) => x.fiscalYear === fy) ?? (await fiscalYearKpis(c.get('ctx'), fy));
    const label = (y: number) => formatFiscalYear(y, lang, 'wareki');
    // Axis labels on two short lines (平成23 / 2011; FY2011 / H23): ten or twenty years stay readable.
    const axisLines = years.map((y) => (lang === 'ja' ? [label(y).replace(/年度$/, ''), String(y)] : [String(y), formatFiscalYear(y, 'en', 'short')]));
    return page(
      c,
      t('report.title'),
      <>
        <form method="get" action="/admin/reports" class="filters" role="search">
          <SelectField t={t} plain name="fy" label={t('field.fiscalYear')} value={fy} options={years.map((y) => ({ value: y, label: formatFiscalYear(y, lang) }))} />
          <button type="submit" class="button">
            {t('common.show')}
          </button>
        </form>
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
        <table class="data-table">
          <caption>{t('report.kpisOf', { fy: formatFiscalYear(fy, lang) })}</caption>
          <tbody>
            {kpiLines(t, k).map(([l, v]) => (
              <tr>
                <th scope="row">{l}</th>
                <td class="num">{v}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <Downloads t={t} base="/admin/reports/kpis" query={`fy=${fy}`} />
        <h2>{t('report.mix')}</h2>
        <BarChart title={t('report.mixOf', { fy: label(fy) })} categoryHeader={t('report.affiliation')} valueHeader={t('report.people')} bars={AFFILIATIONS.map((a) => ({ label: t(`affiliation.${a}`), value: k.participants[a] }))} />
        <h2>{t('report.trends')}</h2>
        <LineChart
          title={t('report.trendSessions')}
          categoryHeader={t('field.fiscalYear')}
          categories={years.map(label)}
          categoryLines={axisLines}
          series={[
            { name: t('report.seminarsHeld'), values: all.map((x) => x.seminarsHeld) },
            { name: t('report.fieldTrainingsHeld'), values: all.map((x) => x.fieldTrainingsHeld) },
            { name: t('report.courseSessionsHeld'), values: all.map((x) => x.courseSessionsHeld) },
          ]}
        />
        <LineChart
          title={t('report.trendPeople')}
          categoryHeader={t('field.fiscalYear')}
          categories={years.map(label)}
          categoryLines={axisLines}
          series={[
            { name: t('report.participantsTotal'), values: all.map((x) => x.participantsTotal) },
            { name: t('report.unitsReached'), values: all.map((x) => x.unitsReached) },
            { name: t('report.coordinatorsCumulative'), values: all.map((x) => x.coordinators.cumulative) },
            { name: t('report.coordinatorsActive'), values: all.map((x) => x.coordinators.active) },
          ]}
        />
        <Downloads t={t} base="/admin/reports/trends" />
      </>,
      { crumbs: [{ label: t('nav.home'), href: '/' }, { label: t('report.title') }] },
    );
  });
  for (const format of ['csv', 'xlsx'] as const)
    r.get(`/admin/reports/kpis.${format}`, ['admin'], async (c) => {
      const t = c.get('t');
      const fy = fyOf(c);
      const lines = kpiLines(t, await fiscalYearKpis(c.get('ctx'), fy));
      return sendTable(c, format, `kpi-${fy}`, formatFiscalYear(fy, 'ja'), [
        { header: '指標', value: (x: [string, string | number]) => x[0] },
        { header: formatFiscalYear(fy, 'ja'), value: (x: [string, string | number]) => x[1] },
      ], lines);
    });

  // Every KPI line for every year of records, one column per year (the dashboard's trends as a table).
  for (const format of ['csv', 'xlsx'] as const)
    r.get(`/admin/reports/trends.${format}`, ['admin'], async (c) => {
      const t = c.get('t');
      const years = await reportYears(c.get('ctx'));
      const perYear = await Promise.all(years.map(async (y) => kpiLines(t, await fiscalYearKpis(c.get('ctx'), y))));
      // Lines are matched by label (a year may lack a line another has).
      const labels = [...new Set(perYear.flatMap((lines) => lines.map((l) => l[0])))];
      const rows = labels.map((label) => [label, ...perYear.map((lines) => lines.find((l) => l[0] === label)?.[1] ?? '')]);
      return sendTable(c, format, 'kpi-trends', '年度ごとの推移', [
        { header: '指標', value: (x: (string | number)[]) => x[0] },
        ...years.map((y, j) => ({ header: formatFiscalYear(y, 'ja'), value: (x: (string | number)[]) => x[j + 1] })),
      ], rows);
    });

  // --- Yearly implementation table -------------------------------------------------------------
  type ImplRow = Awaited<ReturnType<typeof implementationTable>>[number];
  const implColumns = (t: Translate) => [
    { header: '開催日', value: (x: ImplRow) => formatWareki(x.date, 'ja') },
    { header: '形式', value: (x: ImplRow) => t(`format.${x.format}` as never) },
    { header: 'テーマ', value: (x: ImplRow) => x.theme },
    { header: '講師', value: (x: ImplRow) => x.lecturers },
    { header: '対象', value: (x: ImplRow) => x.audience },
    { header: '人数', value: (x: ImplRow) => (x.participants === null ? '' : x.participants) },
  ];
  r.get('/admin/reports/implementation', ['admin'], async (c) => {
    const t = c.get('t');
    const lang = c.get('lang');
    const fy = fyOf(c);
    const rows = await implementationTable(c.get('ctx'), fy);
    const years = await reportYears(c.get('ctx'));
    const title = t('report.implementationOf', { fy: formatFiscalYear(fy, lang) });
    return page(
      c,
      title,
      <>
        <form method="get" action="/admin/reports/implementation" class="filters" role="search">
          <SelectField t={t} plain name="fy" label={t('field.fiscalYear')} value={fy} options={years.map((y) => ({ value: y, label: formatFiscalYear(y, lang) }))} />
          <button type="submit" class="button">
            {t('common.show')}
          </button>
        </form>
        <table class="data-table">
          <caption>{title}</caption>
          <thead>
            <tr>
              {['report.col.date', 'report.col.format', 'report.col.theme', 'report.col.lecturers', 'report.col.audience', 'report.col.people'].map((k) => (
                <th scope="col">{t(k as never)}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((x) => (
              <tr>
                <td>{lang === 'ja' ? formatWareki(x.date, 'ja') : formatTokyo(x.startsAt, 'en', 'date')}</td>
                <td>{t(`format.${x.format}` as never)}</td>
                <td>{x.theme}</td>
                <td>{x.lecturers}</td>
                <td>{x.audience}</td>
                <td class="num">{x.participants ?? t('report.notYetHeld')}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <Downloads t={t} base="/admin/reports/implementation" query={`fy=${fy}`} />
      </>,
      { crumbs: [{ label: t('nav.home'), href: '/' }, { label: t('report.title'), href: '/admin/reports' }, { label: title }] },
    );
  });
  for (const format of ['csv', 'xlsx'] as const)
    r.get(`/admin/reports/implementation.${format}`, ['admin'], async (c) => {
      const fy = fyOf(c);
      return sendTable(c, format, `implementation-${fy}`, `${formatFiscalYear(fy, 'ja', 'wareki')}実施状況`, implColumns(c.get('t')), await implementationTable(c.get('ctx'), fy));
    });

  // --- Coverage and where to recruit next ----------------------------------------------------------
  const covColumns = (t: Translate) => [
    { header: '区分', value: (x: CoverageRow) => t(`unitKind.${x.kind}` as never) },
    { header: '部局', value: (x: CoverageRow) => x.department ?? '' },
    { header: '所属', value: (x: CoverageRow) => x.name },
    { header: '職員数', value: (x: CoverageRow) => x.staff },
    { header: '研修修了者', value: (x: CoverageRow) => x.trained },
    // The same one-place, half-up figure as the page (a number, so that Excel can sum and sort it).
    { header: '修了者の割合（%）', value: (x: CoverageRow) => (x.share === null ? '' : roundHalfUp(x.share, PERCENT_PLACES)), places: PERCENT_PLACES },
    { header: '協働コーディネーター', value: (x: CoverageRow) => x.coordinators },
    { header: '地域で実施した現地研修', value: (x: CoverageRow) => (x.kind === 'municipality' ? x.fieldTrainingsHosted : '') },
    { header: '推薦を働きかける理由', value: (x: CoverageRow) => x.reasons.map((r0) => t(`report.reason.${r0}`)).join('・') },
  ];
  r.get('/admin/reports/coverage', ['admin'], async (c) => {
    const t = c.get('t');
    const rows = await coverage(c.get('ctx'));
    const flagged = rows.filter((x) => x.reasons.length).length;
    return page(
      c,
      t('report.coverage'),
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
        <table class="data-table">
          <caption>{t('report.coverage')}</caption>
          <thead>
            <tr>
              {covColumns(t).map((col) => (
                <th scope="col">{col.header}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((x) => (
              <tr class={x.reasons.length ? 'highlight' : undefined}>
                <td>{t(`unitKind.${x.kind}` as never)}</td>
                <td>{x.department ?? ''}</td>
                <th scope="row">{x.name}</th>
                <td class="num">{x.staff}</td>
                <td class="num">{x.trained}</td>
                <td class="num">{formatPercent(x.share)}</td>
                <td class="num">{x.coordinators}</td>
                <td class="num">{x.kind === 'municipality' ? x.fieldTrainingsHosted : ''}</td>
                <td>{x.reasons.length ? <strong>{x.reasons.map((r0) => t(`report.reason.${r0}`)).join('・')}</strong> : ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <Downloads t={t} base="/admin/reports/coverage" />
      </>,
      { crumbs: [{ label: t('nav.home'), href: '/' }, { label: t('report.title'), href: '/admin/reports' }, { label: t('report.coverage') }] },
    );
  });
  for (const format of ['csv', 'xlsx'] as const) {
    r.get(`/admin/reports/coverage.${format}`, ['admin'], async (c) => sendTable(c, format, 'coverage', '研修の広がり', covColumns(c.get('t')), await coverage(c.get('ctx'))));
    r.get(`/admin/reports/nominations.${format}`, ['admin'], async (c) =>
      sendTable(
        c,
        format,
        'nominations',
        '推薦を働きかける所属',
        covColumns(c.get('t')),
        (await coverage(c.get('ctx'))).filter((x) => x.reasons.length),
      ),
    );
  }

  // --- Public: schedule and open data (no login, no personal data) ------------------------------
  r.get('/schedule', 'public', async (c) => {
    const t = c.get('t');
    const lang = c.get('lang');
    const rows = await publicSchedule(c.get('ctx'));
    return page(
      c,
      t('schedule.title'),
      <>
        <p>{t('schedule.lead', { prefecture: c.get('ctx').config.prefectureName })}</p>
        <p>
          {t('schedule.openData')}：<a href="/opendata/events.csv">CSV</a> ・ <a href="/opendata/events.json">JSON</a>
        </p>
        <table class="data-table data-table--stack">
          <caption>{t('schedule.title')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('report.col.date')}</th>
              <th scope="col">{t('report.col.theme')}</th>
              <th scope="col">{t('report.col.format')}</th>
              <th scope="col">{t('trainings.venue')}</th>
              <th scope="col">{t('report.col.audience')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((s) => (
              <tr id={`session-${s.id}`}>
                <td data-label={t('report.col.date')}>
                  {formatTokyo(s.starts_at, lang, 'datetime')}〜{formatTokyo(s.ends_at, lang, 'time')}
                </td>
                <td data-label={t('report.col.theme')}>
                  {s.offering_title}：{s.title}
                </td>
                <td data-label={t('report.col.format')}>{t(`format.${s.format}` as never)}</td>
                <td data-label={t('trainings.venue')}>{s.venue}</td>
                <td data-label={t('report.col.audience')}>{s.audience}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </>,
      { crumbs: [{ label: t('nav.home'), href: '/' }, { label: t('schedule.title') }] },
    );
  });
  r.get('/opendata/events.csv', 'public', async (c) => {
    const rows = await openDataEvents(c.get('ctx'));
    const out = await exportTable(
      c.req.query('encoding') === 'shift_jis' ? 'csv-sjis' : 'csv',
      'イベント一覧',
      EVENT_DATASET_COLUMNS.map((col) => ({ header: col, value: (x: (typeof rows)[number]) => x[col] })),
      rows,
    );
    return c.body(out.body as Uint8Array<ArrayBuffer>, 200, { 'Content-Type': out.contentType, 'Content-Disposition': 'inline; filename="events.csv"', 'Access-Control-Allow-Origin': '*' });
  });
  r.get('/opendata/events.json', 'public', async (c) => {
    c.header('Access-Control-Allow-Origin', '*');
    return c.json(await openDataEvents(c.get('ctx')));
  });
}
