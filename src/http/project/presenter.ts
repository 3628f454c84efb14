import type { Translate } from '../../i18n/index.js';
import type { ExportColumn } from '../../lib/table-export.js';
import type { evaluationView, getProject } from '../../services/project.service.js';
import type { ProjectRow } from '../views/project-table.js';

type ProjectDetail = Awaited<ReturnType<typeof getProject>>;
type EvaluationView = Awaited<ReturnType<typeof evaluationView>>;

/** A project in the API's list. */
export const projectJson = (p: ProjectRow) => ({
  id: p.id,
  title: p.title,
  unitId: p.unit_id,
  unitName: p.unit_name,
  partners: p.partner_names ?? null,
  startsOn: p.starts_on,
  endsOn: p.ends_on,
  objective: p.purpose,
  coordinatorId: p.coordinator_id,
  coordinatorName: p.coordinator_name,
  evaluations: Number(p.evaluations ?? 0),
});

/** One project with its partners and (the unit's side only) its source consultations. */
export const projectDetailJson = (d: ProjectDetail) => {
  const p = d.project;
  return {
    id: p.id,
    title: p.title,
    unitId: p.unit_id,
    unitName: p.unit_name,
    startsOn: p.starts_on,
    endsOn: p.ends_on,
    objective: p.purpose,
    coordinatorId: p.coordinator_id,
    coordinatorName: p.coordinator_name,
    partners: d.partners.map((x) => ({ id: x.id, name: x.name })),
    consultationIds: d.consultations.map((x) => x.id),
  };
};

/** Both sides' scores side by side, with the gaps and the means. */
export const evaluationJson = (v: EvaluationView) => ({
  criteria: v.criteria.map((x) => ({ id: x.id, label: x.label, labelEn: x.label_en })),
  rows: v.rows.map(({ maxGap: _m, ...row }) => row),
  means: { unit: v.unit.mean, partners: v.partners.map((s) => ({ partnerId: s.partner.id, name: s.partner.name, mean: s.mean })) },
});

/** The projects list as a CSV/xlsx download. */
export const projectColumns = (t: Translate): ExportColumn<ProjectRow>[] => [
  { header: t('projects.number'), value: (p) => p.id },
  { header: t('field.title'), value: (p) => p.title },
  { header: t('field.unitId'), value: (p) => p.unit_name },
  { header: t('field.partnerIds'), value: (p) => p.partner_names ?? '' },
  { header: t('field.startsOn'), value: (p) => p.starts_on },
  { header: t('field.endsOn'), value: (p) => p.ends_on ?? '' },
  { header: t('field.objective'), value: (p) => p.purpose },
  { header: t('field.coordinatorId'), value: (p) => p.coordinator_name ?? '' },
  { header: t('projects.evaluations'), value: (p) => Number(p.evaluations ?? 0) },
];

/** The comparison as a CSV/xlsx download: each side's score and comment, each partner's gap, the flag. */
export const evaluationColumns = (t: Translate, v: EvaluationView): ExportColumn<EvaluationView['rows'][number]>[] => {
  const unitLabel = t('projects.unitSide', { unit: v.project.unit_name });
  return [
    { header: t('projects.criterion'), value: (row) => v.criteria.find((x) => x.id === row.criterionId)?.label ?? '' },
    { header: `${unitLabel} ${t('projects.score')}`, value: (row) => row.unit?.score ?? '' },
    { header: `${unitLabel} ${t('projects.comment')}`, value: (row) => row.unit?.comment ?? '' },
    ...v.partners.flatMap((s, i): ExportColumn<EvaluationView['rows'][number]>[] => [
      { header: `${s.partner.name} ${t('projects.score')}`, value: (row) => row.partners[i].score ?? '' },
      { header: `${s.partner.name} ${t('projects.comment')}`, value: (row) => row.partners[i].comment },
      { header: `${s.partner.name} ${t('projects.gap')}`, value: (row) => row.partners[i].gap ?? '' },
    ]),
    { header: t('projects.highlight'), value: (row) => (row.highlight ? t('projects.gapFlag') : '') },
  ];
};
