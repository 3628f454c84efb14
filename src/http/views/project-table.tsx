import { formatWareki } from '../../domain/calendar.js';
import type { Translate } from '../../i18n/index.js';
import type { listProjects } from '../../services/project.service.js';
import { type Column, DataTable } from './components.js';

export type ProjectRow = Awaited<ReturnType<typeof listProjects>>[number];

/** A project's period: 令和9年1月10日〜 (open-ended when it has no end). */
export const periodText = (lang: 'ja' | 'en', from: string, to: string | null) => `${formatWareki(from, lang)}〜${to ? formatWareki(to, lang) : ''}`;

/** The projects table (the projects list, and the partner history pages). */
export function ProjectTable({ t, lang, rows, caption }: { t: Translate; lang: 'ja' | 'en'; rows: ProjectRow[]; caption: string }) {
  if (!rows.length) return <p>{t('projects.none')}</p>;
  const columns: Column<ProjectRow>[] = [
    { key: 'title', label: t('field.title'), cell: (p) => <a href={`/projects/${p.id}`}>{p.title}</a> },
    { key: 'unit', label: t('field.unitId'), cell: (p) => p.unit_name },
    { key: 'partners', label: t('field.partnerIds'), cell: (p) => p.partner_names ?? '' },
    { key: 'period', label: t('projects.period'), cell: (p) => periodText(lang, p.starts_on, p.ends_on) },
    { key: 'coordinator', label: t('field.coordinatorId'), cell: (p) => p.coordinator_name ?? '—' },
    { key: 'evaluations', label: t('projects.evaluations'), numeric: true, cell: (p) => Number(p.evaluations ?? 0) },
  ];
  return <DataTable t={t} caption={caption} columns={columns} rows={rows} />;
}
