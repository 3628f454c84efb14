import { formatFiscalYear } from '../../domain/calendar.js';
import { roundHalfUp } from '../../domain/rounding.js';
import { CONSULTATION_KPI_OUTCOMES } from '../../domain/values.js';
import type { Lang, Translate } from '../../i18n/index.js';
import type { ChangeEstimate, GapIndicators } from '../../services/gap.service.js';
import { axisLines } from '../report/fiscal-year.js';
import { LineChart } from '../views/charts.js';
import { DataTable, Downloads, SelectField } from '../views/components.js';
import { IntervalChart } from '../views/interval-chart.js';
import { ci, gapLines, signed, shown } from './presenter.js';

function EstimateTable(p: { t: Translate; caption: string; groupHeader: string; rows: { label: string; e: ChangeEstimate }[] }) {
  const { t } = p;
  return (
    <DataTable
      t={t}
      caption={p.caption}
      rows={p.rows}
      columns={[
        { key: 'group', label: p.groupHeader, rowHeader: true, cell: (r) => r.label },
        { key: 'n', label: t('gaps.col.n'), numeric: true, cell: (r) => r.e.n },
        { key: 'mean', label: t('gaps.col.mean'), numeric: true, cell: (r) => signed(r.e.meanChange) },
        { key: 'ci', label: t('gaps.col.ci'), numeric: true, cell: (r) => ci(t, r.e) },
      ]}
    />
  );
}

/** The page of the three gap indicators: the year's figures, then each gap with its trend charts and tables. */
export function GapsView({ t, lang, fy, years, all }: { t: Translate; lang: Lang; fy: number; years: number[]; all: GapIndicators[] }) {
  const g = all.find((x) => x.fiscalYear === fy)!;
  const label = (y: number) => formatFiscalYear(y, lang, 'wareki');
  const lines = axisLines(years, lang);
  const u = g.understanding;
  const k = g.talent;
  const perCent = (s: number) => roundHalfUp(s * 100, 1);
  return (
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

      <DataTable
        t={t}
        caption={t('gaps.summaryOf', { fy: formatFiscalYear(fy, lang) })}
        rows={gapLines(t, g)}
        columns={[
          { key: 'figure', label: t('gaps.figure'), rowHeader: true, cell: (l) => l.label },
          { key: 'value', label: t('gaps.value'), numeric: true, cell: shown },
        ]}
      />
      <Downloads t={t} base="/admin/reports/gaps" query={`fy=${fy}`} />

      <h2 id="understanding">{t('gaps.understanding')}</h2>
      {u.n === 0 ? <p>{t('gaps.noPairs')}</p> : null}
      <IntervalChart
        t={t}
        title={t('gaps.trendUnderstanding')}
        categoryHeader={t('field.fiscalYear')}
        points={all.map((x, i) => ({ label: label(x.fiscalYear), lines: lines[i], mean: x.understanding.meanChange, n: x.understanding.n, ci95: x.understanding.ci95 }))}
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
        t={t}
        title={t('gaps.trendOpportunityCounts')}
        categoryHeader={t('field.fiscalYear')}
        categories={years.map(label)}
        categoryLines={lines}
        series={[
          { name: t('gaps.fieldTrainings'), values: all.map((x) => x.opportunity.fieldTrainings) },
          { name: t('gaps.participants'), values: all.map((x) => x.opportunity.participants) },
          { name: t('gaps.hostPartners'), values: all.map((x) => x.opportunity.hostPartners) },
        ]}
      />
      <LineChart
        t={t}
        title={t('gaps.trendOpportunityShares')}
        categoryHeader={t('field.fiscalYear')}
        categories={years.map(label)}
        categoryLines={lines}
        decimals={1}
        series={[
          { name: t('gaps.unitsReached'), values: all.map((x) => perCent(x.opportunity.unitsReachedShare)) },
          { name: t('gaps.municipalitiesReached'), values: all.map((x) => perCent(x.opportunity.municipalitiesReachedShare)) },
        ]}
      />

      <h2 id="talent">{t('gaps.talent')}</h2>
      <LineChart
        t={t}
        title={t('gaps.trendTalent')}
        categoryHeader={t('field.fiscalYear')}
        categories={years.map(label)}
        categoryLines={lines}
        series={[
          { name: t('gaps.activeCoordinators'), values: all.map((x) => x.talent.activeCoordinators) },
          { name: t('gaps.consultationsServed'), values: all.map((x) => x.talent.consultationsServed) },
        ]}
      />
      <LineChart
        t={t}
        title={t('gaps.trendTalentShares')}
        categoryHeader={t('field.fiscalYear')}
        categories={years.map(label)}
        categoryLines={lines}
        decimals={1}
        series={[{ name: t('gaps.municipalitiesServed'), values: all.map((x) => perCent(x.talent.municipalitiesServedShare)) }]}
      />
      <DataTable
        t={t}
        caption={t('gaps.coordinatorsByDepartment')}
        rows={k.coordinatorsByDepartment}
        columns={[
          { key: 'department', label: t('gaps.department'), rowHeader: true, cell: (d) => d.name },
          { key: 'coordinators', label: t('gaps.coordinators'), numeric: true, cell: (d) => d.coordinators },
        ]}
      />
      <DataTable
        t={t}
        caption={t('gaps.coordinatorsByMunicipality')}
        rows={k.coordinatorsByMunicipality}
        columns={[
          { key: 'municipality', label: t('gaps.municipality'), rowHeader: true, cell: (m) => m.name },
          { key: 'coordinators', label: t('gaps.coordinators'), numeric: true, cell: (m) => m.coordinators },
          { key: 'consulted', label: t('gaps.consulted'), cell: (m) => (m.consulted ? t('gaps.yes') : t('gaps.no')) },
        ]}
      />
      <DataTable
        t={t}
        caption={t('gaps.consultationsByKind')}
        rows={k.consultations.byKind}
        columns={[
          { key: 'kind', label: t('gaps.kind'), rowHeader: true, cell: (x) => t(`consultations.kind.${x.kind}`) },
          { key: 'total', label: t('gaps.total'), numeric: true, cell: (x) => x.total },
          ...CONSULTATION_KPI_OUTCOMES.map((out) => ({ key: out, label: t(`consultations.outcome.${out}`), numeric: true, cell: (x: (typeof k.consultations.byKind)[number]) => x.outcomes[out] })),
        ]}
      />
      <h2>{t('gaps.trendDownloads')}</h2>
      <Downloads t={t} base="/admin/reports/gap-trends" />
    </>
  );
}
