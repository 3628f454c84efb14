import { formatFiscalYear, fiscalYearOf } from '../../domain/calendar.js';
import { roundHalfUp } from '../../domain/rounding.js';
import type { Translate } from '../../i18n/index.js';
import { type ChangeEstimate, type GapIndicators, gapTrend } from '../../services/gap.service.js';
import { reportYears } from '../../services/report.service.js';
import { sendTable } from '../export.js';
import { toId } from '../forms.js';
import { page } from '../page.js';
import type { Ctx, Router } from '../router.js';
import { LineChart } from '../views/charts.js';
import { Downloads, SelectField } from '../views/components.js';
import { IntervalChart } from '../views/interval-chart.js';
import { CONSULTATION_KPI_OUTCOMES } from '../../domain/values.js';

/** A change with its sign and two places ("+0.85"), or a dash. */
const signed = (v: number | null) => (v === null ? '—' : `${v > 0 ? '+' : ''}${roundHalfUp(v, 2).toFixed(2)}`);
/** A share from 0 to 1 as a percentage with one place ("42.9%"). */
const pct = (share: number) => `${roundHalfUp(share * 100, 1).toFixed(1)}%`;
const ci = (t: Translate, e: ChangeEstimate) => (e.ci95 ? `${signed(e.ci95[0])} ～ ${signed(e.ci95[1])}` : e.n > 0 ? t('gaps.noInterval') : '—');

/** One figure of the year: a number (a change carries its sign on the page), a text, or none (`empty` says why). */
export interface GapLine {
  label: string;
  value: number | string | null;
  signed?: boolean;
  empty?: string;
}

/** The year's figures in report order (shared by the page and the exports, where numbers stay numbers). */
export function gapLines(t: Translate, g: GapIndicators): GapLine[] {
  const u = g.understanding;
  const o = g.opportunity;
  const k = g.talent;
  const noInterval = u.n > 0 ? t('gaps.noInterval') : undefined;
  const share = (s: number, part: number, whole: number) => t('gaps.shareOf', { share: pct(s), part, whole });
  return [
    { label: `${t('gaps.understanding')}：${t('gaps.meanChange')}`, value: u.meanChange, signed: true },
    { label: `${t('gaps.understanding')}：${t('gaps.pairs')}`, value: u.n },
    { label: `${t('gaps.understanding')}：${t('gaps.lower')}`, value: u.ci95?.[0] ?? null, signed: true, empty: noInterval },
    { label: `${t('gaps.understanding')}：${t('gaps.upper')}`, value: u.ci95?.[1] ?? null, signed: true, empty: noInterval },
    { label: `${t('gaps.opportunity')}：${t('gaps.fieldTrainings')}`, value: o.fieldTrainings },
    { label: `${t('gaps.opportunity')}：${t('gaps.participants')}`, value: o.participants },
    { label: `${t('gaps.opportunity')}：${t('gaps.unitsReached')}`, value: share(o.unitsReachedShare, o.unitsReached, o.units) },
    { label: `${t('gaps.opportunity')}：${t('gaps.municipalitiesReached')}`, value: share(o.municipalitiesReachedShare, o.municipalitiesReached, o.municipalities) },
    { label: `${t('gaps.opportunity')}：${t('gaps.hostPartners')}`, value: o.hostPartners },
    { label: `${t('gaps.talent')}：${t('gaps.activeCoordinators')}`, value: k.activeCoordinators },
    { label: `${t('gaps.talent')}：${t('gaps.consultationsServed')}`, value: k.consultationsServed },
    { label: `${t('gaps.talent')}：${t('gaps.municipalitiesServed')}`, value: share(k.municipalitiesServedShare, k.municipalitiesServed, k.municipalities) },
  ];
}

/** A line's value as the page shows it. */
const shown = (l: GapLine) => (l.value === null ? (l.empty ?? '—') : typeof l.value === 'number' && l.signed ? signed(l.value) : String(l.value));
/** A line's value in a download: numbers as numbers (a sign would read as a formula), nothing as an empty cell. */
const exported = (l: GapLine) => l.value ?? '';

function EstimateTable(p: { t: Translate; caption: string; groupHeader: string; rows: { label: string; e: ChangeEstimate }[] }) {
  const { t } = p;
  return (
    <table class="data-table">
      <caption>{p.caption}</caption>
      <thead>
        <tr>
          <th scope="col">{p.groupHeader}</th>
          <th scope="col">{t('gaps.col.n')}</th>
          <th scope="col">{t('gaps.col.mean')}</th>
          <th scope="col">{t('gaps.col.ci')}</th>
        </tr>
      </thead>
      <tbody>
        {p.rows.map((r) => (
          <tr>
            <th scope="row">{r.label}</th>
            <td class="num">{r.e.n}</td>
            <td class="num">{signed(r.e.meanChange)}</td>
            <td class="num">{ci(t, r.e)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function registerGaps(r: Router) {
  const fyOf = (c: Ctx) => {
    const asked = toId(c.req.query('fy'));
    return asked >= 1950 && asked <= 2100 ? asked : fiscalYearOf(c.get('ctx').now());
  };
  /** The years of records, and the one asked for (which may lie outside them). */
  const yearsOf = async (c: Ctx, fy: number) => {
    const years = await reportYears(c.get('ctx'));
    return years.includes(fy) ? years : [...years, fy].sort((a, b) => a - b);
  };

  r.get('/admin/reports/gaps', ['admin'], async (c) => {
    const t = c.get('t');
    const lang = c.get('lang');
    const fy = fyOf(c);
    const years = await yearsOf(c, fy);
    const all = await gapTrend(c.get('ctx'), years[0], years[years.length - 1]);
    const g = all.find((x) => x.fiscalYear === fy)!;
    const label = (y: number) => formatFiscalYear(y, lang, 'wareki');
    const axisLines = years.map((y) => (lang === 'ja' ? [label(y).replace(/年度$/, ''), String(y)] : [String(y), formatFiscalYear(y, 'en', 'short')]));
    const title = t('gaps.titleOf', { fy: formatFiscalYear(fy, lang) });
    const u = g.understanding;
    const o = g.opportunity;
    const k = g.talent;
    const perCent = (s: number) => roundHalfUp(s * 100, 1);
    return page(
      c,
      title,
      <>
        <form method="get" action="/admin/reports/gaps" class="filters" role="search">
          <SelectField t={t} plain name="fy" label={t('field.fiscalYear')} value={fy} options={years.map((y) => ({ value: y, label: formatFiscalYear(y, lang) }))} />
          <button type="submit" class="button">
            {t('common.show')}
          </button>
        </form>
        <p>{t('gaps.lead')}</p>
        <p>{t('gaps.method')}</p>
        <p>{t('gaps.window')}</p>

        <table class="data-table">
          <caption>{t('gaps.summaryOf', { fy: formatFiscalYear(fy, lang) })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('gaps.figure')}</th>
              <th scope="col">{t('gaps.value')}</th>
            </tr>
          </thead>
          <tbody>
            {gapLines(t, g).map((l) => (
              <tr>
                <th scope="row">{l.label}</th>
                <td class="num">{shown(l)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <Downloads t={t} base="/admin/reports/gaps" query={`fy=${fy}`} />

        <h2 id="understanding">{t('gaps.understanding')}</h2>
        {u.n === 0 ? <p>{t('gaps.noPairs')}</p> : null}
        <IntervalChart
          title={t('gaps.trendUnderstanding')}
          categoryHeader={t('field.fiscalYear')}
          points={all.map((x, i) => ({ label: label(x.fiscalYear), lines: axisLines[i], mean: x.understanding.meanChange, n: x.understanding.n, ci95: x.understanding.ci95 }))}
          headers={{ mean: t('gaps.col.mean'), n: t('gaps.col.n'), ci: t('gaps.col.ci') }}
          none={t('gaps.noInterval')}
        />
        {u.n > 0 ? (
          <>
            <EstimateTable t={t} caption={t('gaps.byCompetency')} groupHeader={t('gaps.competency')} rows={[{ label: t('gaps.overall'), e: u }, ...u.byCompetency.map((x) => ({ label: t(`competency.${x.competency}`), e: x }))]} />
            <EstimateTable t={t} caption={t('gaps.byCohort')} groupHeader={t('gaps.cohort')} rows={u.byCohort.map((x) => ({ label: x.title, e: x }))} />
            <EstimateTable t={t} caption={t('gaps.byAffiliation')} groupHeader={t('gaps.affiliation')} rows={u.byAffiliation.map((x) => ({ label: t(`affiliation.${x.affiliation}`), e: x }))} />
            {u.byDepartment.length ? <EstimateTable t={t} caption={t('gaps.byDepartment')} groupHeader={t('gaps.department')} rows={u.byDepartment.map((x) => ({ label: x.name, e: x }))} /> : null}
          </>
        ) : null}

        <h2 id="opportunity">{t('gaps.opportunity')}</h2>
        <LineChart
          title={t('gaps.trendOpportunityCounts')}
          categoryHeader={t('field.fiscalYear')}
          categories={years.map(label)}
          categoryLines={axisLines}
          series={[
            { name: t('gaps.fieldTrainings'), values: all.map((x) => x.opportunity.fieldTrainings) },
            { name: t('gaps.participants'), values: all.map((x) => x.opportunity.participants) },
            { name: t('gaps.hostPartners'), values: all.map((x) => x.opportunity.hostPartners) },
          ]}
        />
        <LineChart
          title={t('gaps.trendOpportunityShares')}
          categoryHeader={t('field.fiscalYear')}
          categories={years.map(label)}
          categoryLines={axisLines}
          decimals={1}
          series={[
            { name: t('gaps.unitsReached'), values: all.map((x) => perCent(x.opportunity.unitsReachedShare)) },
            { name: t('gaps.municipalitiesReached'), values: all.map((x) => perCent(x.opportunity.municipalitiesReachedShare)) },
          ]}
        />

        <h2 id="talent">{t('gaps.talent')}</h2>
        <LineChart
          title={t('gaps.trendTalent')}
          categoryHeader={t('field.fiscalYear')}
          categories={years.map(label)}
          categoryLines={axisLines}
          series={[
            { name: t('gaps.activeCoordinators'), values: all.map((x) => x.talent.activeCoordinators) },
            { name: t('gaps.consultationsServed'), values: all.map((x) => x.talent.consultationsServed) },
          ]}
        />
        <LineChart
          title={t('gaps.trendTalentShares')}
          categoryHeader={t('field.fiscalYear')}
          categories={years.map(label)}
          categoryLines={axisLines}
          decimals={1}
          series={[{ name: t('gaps.municipalitiesServed'), values: all.map((x) => perCent(x.talent.municipalitiesServedShare)) }]}
        />
        <table class="data-table">
          <caption>{t('gaps.coordinatorsByDepartment')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('gaps.department')}</th>
              <th scope="col">{t('gaps.coordinators')}</th>
            </tr>
          </thead>
          <tbody>
            {k.coordinatorsByDepartment.map((d) => (
              <tr>
                <th scope="row">{d.name}</th>
                <td class="num">{d.coordinators}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <table class="data-table">
          <caption>{t('gaps.coordinatorsByMunicipality')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('gaps.municipality')}</th>
              <th scope="col">{t('gaps.coordinators')}</th>
              <th scope="col">{t('gaps.consulted')}</th>
            </tr>
          </thead>
          <tbody>
            {k.coordinatorsByMunicipality.map((m) => (
              <tr>
                <th scope="row">{m.name}</th>
                <td class="num">{m.coordinators}</td>
                <td>{m.consulted ? t('gaps.yes') : t('gaps.no')}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <table class="data-table">
          <caption>{t('gaps.consultationsByKind')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('gaps.kind')}</th>
              <th scope="col">{t('gaps.total')}</th>
              {CONSULTATION_KPI_OUTCOMES.map((x) => (
                <th scope="col">{t(`consultations.outcome.${x}`)}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {k.consultations.byKind.map((x) => (
              <tr>
                <th scope="row">{t(`consultations.kind.${x.kind}`)}</th>
                <td class="num">{x.total}</td>
                {CONSULTATION_KPI_OUTCOMES.map((out) => (
                  <td class="num">{x.outcomes[out]}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
        <h2>{t('gaps.trendDownloads')}</h2>
        <Downloads t={t} base="/admin/reports/gap-trends" />
      </>,
      { crumbs: [{ label: t('nav.home'), href: '/' }, { label: t('report.title'), href: `/admin/reports?fy=${fy}` }, { label: t('gaps.title') }] },
    );
  });

  for (const format of ['csv', 'xlsx'] as const)
    r.get(`/admin/reports/gaps.${format}`, ['admin'], async (c) => {
      const t = c.get('t');
      const fy = fyOf(c);
      const [g] = await gapTrend(c.get('ctx'), fy, fy);
      return sendTable(c, format, `gaps-${fy}`, formatFiscalYear(fy, 'ja'), [
        { header: '指標', value: (x: GapLine) => x.label },
        { header: formatFiscalYear(fy, 'ja'), value: exported },
      ], gapLines(t, g));
    });

  // Every line for every year of records, one column per year.
  for (const format of ['csv', 'xlsx'] as const)
    r.get(`/admin/reports/gap-trends.${format}`, ['admin'], async (c) => {
      const t = c.get('t');
      const years = await reportYears(c.get('ctx'));
      const perYear = (await gapTrend(c.get('ctx'), years[0], years[years.length - 1])).map((g) => gapLines(t, g));
      const rows = perYear[0].map((line, i) => [line.label, ...perYear.map((lines) => exported(lines[i]))]);
      return sendTable(c, format, 'gap-trends', '3つの課題の指標の推移', [
        { header: '指標', value: (x: (string | number)[]) => x[0] },
        ...years.map((y, j) => ({ header: formatFiscalYear(y, 'ja'), value: (x: (string | number)[]) => x[j + 1] })),
      ], rows);
    });
}
