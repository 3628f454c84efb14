import type { ImpactGrouping } from '../../domain/values.js';
import type { Translate } from '../../i18n/index.js';
import type { ExportColumn } from '../../lib/table-export.js';
import type { impact } from '../../services/survey.service.js';

export type Impact = Awaited<ReturnType<typeof impact>>;
export type ImpactRow = Impact['byGroup'][number];

/** A group's name as the reader reads it: an affiliation type in words, a cohort or unit as it is. */
export const groupLabel = (t: Translate, by: ImpactGrouping, g: string) => (by === 'affiliation' ? t(`affiliation.${g}` as never) : g);

/** A change with its sign, two places (+0.50, -1.00). */
export const signed = (x: number) => `${x >= 0 ? '+' : ''}${x.toFixed(2)}`;

/** The pre/post change per group and competency, with how many changed by each step from -4 to +4. */
export function impactExport(t: Translate, by: ImpactGrouping, data: Impact): { columns: ExportColumn<ImpactRow>[]; rows: ImpactRow[] } {
  return {
    columns: [
      { header: t(`impact.by.${by}`), value: (x) => groupLabel(t, by, x.group) },
      { header: t('impact.competency'), value: (x) => t(`competency.${x.item}` as never) },
      { header: t('impact.n'), value: (x) => x.n },
      { header: t('impact.pre'), value: (x) => x.meanPre ?? '' },
      { header: t('impact.post'), value: (x) => x.meanPost ?? '' },
      { header: t('impact.meanChange'), value: (x) => x.meanChange ?? '' },
      { header: t('impact.improved'), value: (x) => x.improved },
      { header: t('impact.same'), value: (x) => x.same },
      { header: t('impact.declined'), value: (x) => x.declined },
      ...[-4, -3, -2, -1, 0, 1, 2, 3, 4].map((d) => ({ header: `${t('impact.change')}${d > 0 ? '+' : ''}${d}`, value: (x: ImpactRow) => x.distribution[d + 4] })),
    ],
    rows: data.byGroup,
  };
}
