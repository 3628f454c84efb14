import { formatTokyo } from '../../domain/calendar.js';
import type { Lang, Translate } from '../../i18n/index.js';
import { type Column, DataTable, Pager, SelectField, TextField } from '../views/components.js';
import { MorePager } from '../views/more-pager.js';
import type { DescribedEntry } from './audit-entry.js';
import { actionWords, type AuditRow, entityWords } from './audit-words.js';

export type AuditLine = { e: AuditRow; d: DescribedEntry };

/** The entry's time, actor, action, record and changes as table columns. */
function auditColumns(t: Translate, lang: Lang): Column<AuditLine>[] {
  return [
    { key: 'at', label: t('audit.at'), cell: ({ e }) => <time datetime={e.at.toISOString()}>{formatTokyo(e.at, lang, 'datetime')}</time> },
    { key: 'actor', label: t('field.actor'), cell: ({ d }) => d.actor ?? <span class="small">{t('audit.anonymousActor')}</span> },
    { key: 'action', label: t('field.action'), cell: ({ d }) => d.action },
    {
      key: 'entity',
      label: t('field.entity'),
      cell: ({ d }) => (
        <>
          {d.kind}
          {d.record ? (
            <>
              <br />
              {d.href ? <a href={d.href}>{d.record}</a> : d.record}
            </>
          ) : d.href ? (
            <>
              <br />
              <a href={d.href}>{t('audit.record')}</a>
            </>
          ) : null}
        </>
      ),
    },
    {
      key: 'changes',
      label: t('audit.changes'),
      cell: ({ d }) =>
        d.anonymousAnswer ? (
          <p class="small">{t('audit.anonymousAnswer')}</p>
        ) : d.changes.length ? (
          <dl class="audit-changes">
            {d.changes.map((c) => (
              <>
                <dt>{c.label}</dt>
                <dd>
                  {c.before === null ? (
                    c.after
                  ) : c.after === null ? (
                    c.before
                  ) : (
                    <>
                      {c.before} → {c.after}
                    </>
                  )}
                </dd>
              </>
            ))}
          </dl>
        ) : null,
    },
  ];
}

export interface AuditFilter {
  entity?: string;
  entityId?: string;
  action?: string;
  actor?: string;
  actorQ?: string;
  from?: string;
  to?: string;
}

/** The audit log: filters, the entries in words, paging. */
export function AuditView(p: {
  t: Translate;
  lang: Lang;
  filter: AuditFilter;
  entities: readonly string[];
  actions: readonly string[];
  lines: readonly AuditLine[];
  page: number;
  pages: number;
  total: number;
  /** More entries match than `total` (the log is counted only so far). */
  more?: boolean;
  query: Record<string, string | undefined>;
}) {
  const { t, filter } = p;
  return (
    <>
      <p>{t('audit.lead')}</p>
      <form method="get" action="/admin/audit" class="filters">
        <SelectField t={t} name="entity" plain label={t('field.entity')} value={filter.entity} blank={t('audit.allEntities')} options={p.entities.map((e) => ({ value: e, label: entityWords(t, e) }))} />
        <SelectField t={t} name="action" plain label={t('field.action')} value={filter.action} blank={t('audit.allActions')} options={p.actions.map((a) => ({ value: a, label: actionWords(t, a) }))} />
        <TextField t={t} name="actorQ" plain type="search" label={t('field.actor')} hint={t('audit.actorHint')} value={filter.actorQ} />
        <TextField t={t} name="from" plain type="date" label={t('field.from')} value={filter.from} />
        <TextField t={t} name="to" plain type="date" label={t('field.to')} value={filter.to} />
        {filter.entityId ? <input type="hidden" name="entityId" value={filter.entityId} /> : null}
        {filter.actor ? <input type="hidden" name="actor" value={filter.actor} /> : null}
        <button type="submit" class="button">{t('audit.filter')}</button>
      </form>
      {p.lines.length ? <DataTable t={t} class="audit" caption={t('audit.title')} rows={p.lines} columns={auditColumns(t, p.lang)} /> : <p>{t('audit.noEntries')}</p>}
      {p.more ? <MorePager t={t} page={p.page} label={t('audit.pageMore', { page: p.page, total: p.total })} basePath="/admin/audit" query={p.query} /> : <Pager t={t} page={p.page} pages={p.pages} total={p.total} basePath="/admin/audit" query={p.query} />}
    </>
  );
}

