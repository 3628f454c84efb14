import { formatTokyo } from '../../domain/calendar.js';
import { fieldMessage, type Lang, type Translate } from '../../i18n/index.js';
import type { FieldErrors } from '../../lib/validation.js';
import { IMPORT_COLUMNS, type ImportKind, type recentImports } from '../../services/import.service.js';
import { CsrfField, DataTable, ErrorSummary } from '../views/components.js';

type JobRow = Awaited<ReturnType<typeof recentImports>>[number];

/** The kinds of import, and the recent imports. */
export function ImportsListView({ t, lang, jobs }: { t: Translate; lang: Lang; jobs: readonly JobRow[] }) {
  return (
    <>
      <ul class="link-list">
        <li><a href="/admin/imports/new?kind=people">{t('imports.newTitle', { kind: t('imports.kind.people') })}</a></li>
        <li><a href="/admin/imports/new?kind=units">{t('imports.newTitle', { kind: t('imports.kind.units') })}</a></li>
        <li><a href="/admin/imports/new?kind=history">{t('imports.newTitle', { kind: t('imports.kind.history') })}</a></li>
        <li><a href="/admin/imports/new?kind=partners">{t('imports.newTitle', { kind: t('imports.kind.partners') })}</a></li>
      </ul>
      <DataTable
        t={t}
        caption={t('imports.title')}
        rows={jobs}
        columns={[
          { key: 'id', label: 'ID', cell: (j) => <a href={`/admin/imports/${j.id}`}>{j.id}</a> },
          { key: 'kind', label: t('field.kind'), cell: (j) => t(`imports.kind.${j.kind}`) },
          { key: 'file', label: t('field.file'), cell: (j) => j.filename },
          { key: 'status', label: t('common.status'), cell: (j) => j.status },
          { key: 'at', label: t('audit.at'), cell: (j) => formatTokyo(j.created_at, lang, 'datetime') },
        ]}
      />
    </>
  );
}

/** Uploading a CSV of one kind: the columns it must have, and the file field. */
export function UploadView({ t, csrf, kind, errors }: { t: Translate; csrf: string; kind: ImportKind; errors: FieldErrors | null }) {
  return (
    <>
      <p>{t('imports.lead')}</p>
      <p>
        {t('imports.columns')}: <code>{IMPORT_COLUMNS[kind].map((col) => col.ja).join(',')}</code>
      </p>
      <ErrorSummary t={t} errors={errors} />
      <form method="post" action={`/admin/imports?kind=${kind}`} enctype="multipart/form-data" data-upload-progress>
        <CsrfField token={csrf} />
        <div class={`field${errors?.file ? ' field--error' : ''}`}>
          <label for="f-file">{t('field.file')}<span class="badge badge--required">{t('common.required')}</span></label>
          {errors?.file ? <p class="field-error" id="f-file-error">{fieldMessage(t, 'file', errors.file.key, errors.file.params)}</p> : null}
          <input type="file" id="f-file" name="file" accept=".csv,text/csv" required aria-describedby={errors?.file ? 'f-file-error' : undefined} aria-invalid={errors?.file ? 'true' : undefined} />
        </div>
        <progress class="upload-progress" max={100} value={0} hidden aria-label={t('imports.upload')}></progress>
        <button type="submit" class="button">{t('imports.upload')}</button>
      </form>
    </>
  );
}
