import { fieldLabel, fieldMessage, isMessageKey, type Translate } from '../../i18n/index.js';
import type { ImportError } from '../../db/repositories/import-job.repository.js';
import { type getImportJob, type PersonImportRow, previewedAs, previewOutcome, type RosterImportRow, templateColumns } from '../../services/import.service.js';
import { CsrfField, DataTable } from '../views/components.js';

export const PREVIEW_ROWS = 20;

type Job = NonNullable<Awaited<ReturnType<typeof getImportJob>>>;
type Update = PersonImportRow & { existing: NonNullable<PersonImportRow['existing']> };

/**
 * A running import: how far it has got. Refreshes itself every `refresh` seconds, without JavaScript,
 * unless the reader turned that off (`refresh` null): the first link on the page does so, as JIS X
 * 8341-3 / WCAG 2.2.1 asks of a page that reloads itself.
 */
export function ImportRunningView({ t, id, filename, processed, total, refresh }: { t: Translate; id: number; filename: string; processed: number; total: number; refresh: number | null }) {
  const percent = total ? Math.floor((processed / total) * 100) : 0;
  const text = t('imports.running', { processed: processed.toLocaleString('ja-JP'), total: total.toLocaleString('ja-JP') });
  return (
    <>
      {refresh ? <meta http-equiv="refresh" content={String(refresh)} /> : null}
      <p>
        {refresh ? <a href={`/admin/imports/${id}?refresh=off`}>{t('imports.refreshOff', { seconds: refresh })}</a> : <a href={`/admin/imports/${id}`}>{t('imports.refreshOn')}</a>}
      </p>
      <dl class="meta">
        <dt>{t('imports.file')}</dt>
        <dd>{filename}</dd>
      </dl>
      <p role="status" aria-live="polite" id="import-progress-text">
        {text}（{t('imports.percent', { percent })}）
      </p>
      <progress class="import-progress" max={total || 1} value={processed} aria-labelledby="import-progress-text">
        {t('imports.percent', { percent })}
      </progress>
      <p class="hint">{t('imports.progressLead')}</p>
      <p>
        <a href={refresh ? `/admin/imports/${id}` : `/admin/imports/${id}?refresh=off`}>{t('imports.refresh')}</a>
      </p>
    </>
  );
}

/** An import's preview (errors, people to be overwritten, the first rows) or its outcome. */
export function ImportJobView({ t, csrf, job, offering }: { t: Translate; csrf: string; job: Job; offering: { id: number; title: string } | null }) {
  const errors = job.errors as ImportError[];
  const errorLines = new Set(errors.map((e) => e.line));
  const word = (e: ImportError) => (e.field ? fieldMessage(t, e.field, e.message, e.params) : isMessageKey(e.message) ? t(e.message, e.params) : e.message);
  const rows = (job.rows as Record<string, unknown>[]).slice(0, PREVIEW_ROWS);
  // People rows that match someone already registered and change them: the preview says they will be
  // overwritten, and what changes. Rows that change nothing are only counted (they are not written).
  const people = job.kind === 'people' ? (job.rows as PersonImportRow[]) : [];
  const updates = people.filter((r): r is Update => previewedAs(r) === 'updated');
  const unchanged = previewOutcome(people).unchanged;
  const columns = templateColumns(job.kind);
  const status =
    job.status === 'done'
      ? `${t(job.kind === 'roster' ? 'imports.roster.done' : 'imports.done', { total: job.total_rows })}${job.outcome ? t('imports.outcome', { ...job.outcome }) : ''}`
      : job.status === 'failed' ? t('imports.failed') : job.status === 'discarded' ? t('imports.discarded') : null;
  const line = { key: 'line', label: t('imports.line') };
  return (
    <>
      {status ? <p class={job.status === 'failed' ? 'error-summary' : 'notice'} role="status">{status}</p> : null}
      <dl class="meta">
        <dt>{t('imports.file')}</dt>
        <dd>{job.filename}</dd>
        <dt>{t('imports.encoding')}</dt>
        <dd>{job.encoding}</dd>
        {offering ? (
          <>
            <dt>{t('imports.roster.offering')}</dt>
            <dd><a href={`/admin/offerings/${offering.id}`}>{offering.title}</a></dd>
          </>
        ) : null}
      </dl>
      <p>{t('imports.summary', { total: job.total_rows + new Set(errors.filter((e) => e.line > 1).map((e) => e.line)).size, errors: errorLines.size })}</p>
      <h2>{t('imports.errorsTitle')}</h2>
      {errors.length ? (
        <DataTable
          t={t}
          class="import-errors"
          caption={t('imports.errorsTitle')}
          rows={errors}
          columns={[
            { ...line, cell: (e) => e.line || '—' },
            { key: 'field', label: t('imports.field'), cell: (e) => (e.field ? fieldLabel(t, e.field) : '—') },
            { key: 'message', label: t('imports.message'), cell: word },
          ]}
        />
      ) : (
        <p>{t('imports.noErrors')}</p>
      )}
      {job.status === 'preview' && errors.length ? <p class="error-text">{t('imports.cannotApply')}</p> : null}
      {updates.length && job.status === 'preview' ? (
        <section aria-labelledby="import-updates">
          <h2 id="import-updates">{t('imports.updatesTitle', { count: updates.length })}</h2>
          <p class="warning">{t('imports.updatesLead', { count: updates.length })}</p>
          <DataTable
            t={t}
            caption={t('imports.updatesTitle', { count: updates.length })}
            rows={updates.slice(0, PREVIEW_ROWS)}
            columns={[
              { ...line, cell: (u) => String(u.line) },
              { key: 'matchedBy', label: t('imports.updatesMatchedBy'), cell: (u) => t(u.existing.matchedBy === 'staffNumber' ? 'field.staffNumber' : 'field.email') },
              ...(updates.some((u) => u.existing.changes)
                ? [{ key: 'changes', label: t('imports.updatesChanges'), cell: (u: Update) => (u.existing.changes ?? []).map((f) => fieldLabel(t, f)).join(t('common.listSep')) }]
                : []),
              {
                key: 'now',
                label: t('imports.updatesNow'),
                cell: (u) => (
                  <>
                    <a href={`/admin/people/${u.existing.id}`}>{u.existing.name}</a>（{u.existing.email}）
                    {u.existing.jobTitle ? <><br />{t('imports.updatesJobTitle', { title: u.existing.jobTitle })}</> : null}
                    {u.existing.unit ? <><br />{t('imports.updatesUnit', { unit: u.existing.unit })}</> : null}
                    {u.existing.affiliation ? <><br />{t('imports.updatesAffiliation', { affiliation: wordOf(t, 'affiliation', u.existing.affiliation) })}</> : null}
                  </>
                ),
              },
              {
                key: 'after',
                label: t('imports.updatesAfter'),
                cell: (u) => (
                  <>
                    {u.name}（{u.email}）<JobTitleAfter t={t} row={u} />
                    <UnitAfter t={t} row={u} />
                    {u.existing.affiliation ? <><br />{t('imports.updatesAffiliation', { affiliation: wordOf(t, 'affiliation', u.affiliation) })}</> : null}
                  </>
                ),
              },
            ]}
          />
        </section>
      ) : null}
      {unchanged && job.status === 'preview' ? <p>{t('imports.unchangedLead', { count: unchanged })}</p> : null}
      {job.kind === 'roster' ? <RosterPreview t={t} job={job} /> : rows.length ? (
        <DataTable
          t={t}
          caption={t('imports.preview', { count: rows.length })}
          rows={rows}
          columns={[
            { ...line, cell: (row) => String(row.line) },
            // Only the columns the file had: a column left out changes nothing (a registered person keeps theirs), so no empty column suggests otherwise.
            // Headers and values in the reader's language: a people column by the label the person form uses, 所属 by its path, 所属区分 and 役割 by their words.
            ...columns
              .filter((col) => rows.some((row) => fieldOf(col.key) in row))
              .map((col) => ({ key: col.key, label: col.label ? t(col.label) : col.ja, cell: (row: Record<string, unknown>) => display(t, job.kind, row, col.key) })),
          ]}
        />
      ) : null}
      {job.status === 'preview' ? (
        <div class="actions">
          {!errors.length ? (
            <form method="post" action={`/admin/imports/${job.id}/apply`} class="inline-form">
              <CsrfField token={csrf} />
              <button type="submit" class="button">
                {job.kind === 'roster'
                  ? t('imports.roster.apply', { total: job.total_rows })
                  : unchanged
                    ? t('imports.applyWithUnchanged', { total: job.total_rows, updates: updates.length, unchanged })
                    : updates.length
                      ? t('imports.applyWithUpdates', { total: job.total_rows, updates: updates.length })
                      : t('imports.apply', { total: job.total_rows })}
              </button>
            </form>
          ) : (
            <a class="button" href={`/admin/imports/new?kind=${job.kind}${job.offering_id ? `&offering=${job.offering_id}` : ''}`}>{t('imports.upload')}</a>
          )}{' '}
          <form method="post" action={`/admin/imports/${job.id}/discard`} class="inline-form">
            <CsrfField token={csrf} />
            <button type="submit" class="button button--secondary">{t('imports.discard')}</button>
          </form>
        </div>
      ) : (
        <p>
          {offering ? <a href={`/admin/offerings/${offering.id}/applications`}>{t('imports.roster.back')}</a> : null}
          {offering ? null : <a href={job.kind === 'units' ? '/admin/units' : job.kind === 'partners' ? '/admin/partners' : '/admin/people'}>{t(job.kind === 'units' ? 'units.title' : job.kind === 'partners' ? 'partners.title' : 'people.title')}</a>}
        </p>
      )}
    </>
  );
}

/**
 * The 職名 a registered person will have: the file's, none (an empty cell removes it), or theirs as
 * now (a file without the column); said only when there is one, or one is removed.
 */
function JobTitleAfter({ t, row }: { t: Translate; row: Update }) {
  const after = row.jobTitle === undefined ? row.existing.jobTitle : row.jobTitle;
  if (after) return <><br />{t('imports.updatesJobTitle', { title: after })}</>;
  return row.existing.jobTitle ? <><br />{t('imports.updatesJobTitleCleared')}</> : null;
}

/**
 * The 所属 a registered person will have, by its path: the file's, none (an empty cell removes it), or
 * theirs as now (a file without the column); said only when there is one, or one is removed. (A job
 * previewed before paths were kept has none to show.)
 */
function UnitAfter({ t, row }: { t: Translate; row: Update }) {
  if (row.existing.unit === undefined) return null;
  const after = row.unitId === undefined ? row.existing.unit : row.unit;
  if (after) return <><br />{t('imports.updatesUnit', { unit: after })}</>;
  return row.existing.unit && row.unitId === null ? <><br />{t('imports.updatesUnitCleared')}</> : null;
}

/** The field of a previewed row that tells whether the file had a column (a people row's 所属 is `unitId`). */
const fieldOf = (key: string) => (key === 'unit' ? 'unitId' : key);

/** A stored value in words: `affiliation.prefecture` → 県 / Prefecture; a value without such a word as it is. */
function wordOf(t: Translate, prefix: 'affiliation' | 'role' | 'unitKind', v: unknown): string {
  const key = `${prefix}.${String(v)}`;
  return isMessageKey(key) ? t(key) : String(v ?? '');
}

/** A previewed row's value of a column, as the reader knows it: names and words, never ids or codes. */
function display(t: Translate, kind: Job['kind'], row: Record<string, unknown>, key: string): string {
  const v = row[fieldOf(key)];
  if (v === null || v === undefined) return '';
  if (kind === 'people' && key === 'unit') return typeof row.unit === 'string' ? row.unit : String(v); // a job from before paths were kept: its id
  if (kind === 'people' && key === 'affiliation') return wordOf(t, 'affiliation', v);
  if (kind === 'people' && key === 'roles' && Array.isArray(v)) return v.map((r) => wordOf(t, 'role', r)).join('、');
  if (kind === 'units' && key === 'kind') return wordOf(t, 'unitKind', v);
  if (Array.isArray(v)) return v.join('、');
  return String(v);
}

const STATUS_KEY = { applied: 'imports.roster.willApply', confirmed: 'status.confirmed', waitlisted: 'status.waitlisted', not_selected: 'status.not_selected' } as const;

/** Who a participant list will apply for, and the status each will get, with the totals. */
function RosterPreview({ t, job }: { t: Translate; job: Job }) {
  const rows = job.rows as RosterImportRow[];
  const count = (s: RosterImportRow['status']) => rows.filter((r) => r.status === s).length;
  if (!rows.length) return null;
  return (
    <section aria-labelledby="roster-preview">
      <h2 id="roster-preview">{t('imports.roster.who', { count: rows.length })}</h2>
      <p>{t('imports.roster.counts', { confirmed: count('confirmed'), waitlisted: count('waitlisted'), notSelected: count('not_selected'), applied: count('applied') })}</p>
      {job.status === 'preview' ? <p class="hint">{t('imports.roster.note')}</p> : null}
      <DataTable
        t={t}
        caption={t('imports.preview', { count: Math.min(rows.length, PREVIEW_ROWS) })}
        rows={rows.slice(0, PREVIEW_ROWS)}
        columns={[
          { key: 'line', label: t('imports.line'), numeric: true, cell: (r) => String(r.line) },
          { key: 'staffNumber', label: t('field.staffNumber'), cell: (r) => r.staffNumber ?? '' },
          { key: 'name', label: t('field.name'), rowHeader: true, cell: (r) => <a href={`/admin/people/${r.personId}`}>{r.name}</a> },
          { key: 'unit', label: t('imports.roster.unit'), cell: (r) => r.unitName ?? '' },
          { key: 'status', label: t('imports.roster.status'), cell: (r) => t(STATUS_KEY[r.status]) },
        ]}
      />
    </section>
  );
}
