import { COMPETENCIES } from '../../domain/survey.js';
import { IMPACT_GROUPINGS, type ImpactGrouping } from '../../domain/values.js';
import type { Translate } from '../../i18n/index.js';
import { BarChart } from '../views/charts.js';
import { DataTable, Downloads, SelectField, TextField } from '../views/components.js';
import { groupLabel, type Impact, type ImpactRow, signed } from './presenter.js';

export interface ImpactFilters {
  fiscalYear?: number;
  offeringId?: number;
  by: ImpactGrouping;
}

const dash = (x: number | null | undefined) => (x === null || x === undefined ? '—' : x.toFixed(2));

export function ImpactView({ t, f, data, query }: { t: Translate; f: ImpactFilters; data: Impact; query: string }) {
  // Each group's rows in the competencies' order; the group names its rows (every row reads alone).
  const rows = data.groups.flatMap((g) => COMPETENCIES.map((item) => data.byGroup.find((b) => b.group === g && b.item === item)!));
  return (
    <>
      <p>{t('impact.lead')}</p>
      <form method="get" action="/admin/impact" class="filters" role="search">
        <TextField t={t} plain name="fy" type="number" label={t('field.fiscalYear')} value={f.fiscalYear ? String(f.fiscalYear) : ''} />
        <SelectField t={t} plain name="by" label={t('impact.by')} value={f.by} options={IMPACT_GROUPINGS.map((g) => ({ value: g, label: t(`impact.by.${g}`) }))} />
        <button type="submit" class="button">
          {t('common.search')}
        </button>
      </form>
      <p role="status">{t('impact.people', { count: data.people })}</p>
      <BarChart
        title={t('impact.meanChange')}
        categoryHeader={t('impact.competency')}
        valueHeader={t('impact.meanChange')}
        decimals={2}
        max={4}
        bars={data.overall.map((o) => ({ label: t(`competency.${o.item}` as never), value: o.meanChange ?? 0, text: o.meanChange === null ? '—' : `${signed(o.meanChange)}（${o.meanPre?.toFixed(2)}→${o.meanPost?.toFixed(2)}）` }))}
      />
      <DataTable<ImpactRow>
        t={t}
        caption={t('impact.tableCaption', { by: t(`impact.by.${f.by}`) })}
        rows={rows}
        columns={[
          { key: 'group', label: t(`impact.by.${f.by}`), rowHeader: true, cell: (x) => groupLabel(t, f.by, x.group) },
          { key: 'item', label: t('impact.competency'), cell: (x) => t(`competency.${x.item}` as never) },
          { key: 'n', label: t('impact.n'), numeric: true, cell: (x) => x.n },
          { key: 'pre', label: t('impact.pre'), numeric: true, cell: (x) => dash(x.meanPre) },
          { key: 'post', label: t('impact.post'), numeric: true, cell: (x) => dash(x.meanPost) },
          { key: 'change', label: t('impact.meanChange'), numeric: true, cell: (x) => (x.meanChange === null ? '—' : signed(x.meanChange)) },
          { key: 'improved', label: t('impact.improved'), numeric: true, cell: (x) => x.improved },
          { key: 'same', label: t('impact.same'), numeric: true, cell: (x) => x.same },
          { key: 'declined', label: t('impact.declined'), numeric: true, cell: (x) => x.declined },
        ]}
      />
      <Downloads t={t} base="/admin/impact" query={query} />
    </>
  );
}
