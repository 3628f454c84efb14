import { formatTokyo } from '../../domain/calendar.js';
import { fieldMessage, type Lang, type Translate } from '../../i18n/index.js';
import type { FieldErrors } from '../../lib/validation.js';
import { type ImportKind, type recentImports, templateColumns } from '../../services/import.service.js';
import { REQUIRED_MARK } from '../../services/import-template.service.js';
import { CsrfField, DataTable, ErrorSummary } from '../views/components.js';

type JobRow = Awaited<ReturnType<typeof recentImports>>[number];

const STATUS_WORDS = { ja: { preview: '確認中', running: '取込み中', done: '完了', failed: '失敗', discarded: '取りやめ' }, en: { preview: 'preview', running: 'running', done: 'done', failed: 'failed', discarded: 'discarded' } } as const;

/** The two templates of one kind. */
function TemplateLinks({ t, kind }: { t: Translate; kind: ImportKind }) {
  return (
    <>
      <a href={`/admin/imports/templates/${kind}.xlsx`} download>{t('imports.templateXlsx')}</a>
      {' ・ '}
      <a href={`/admin/imports/templates/${kind}.csv`} download>{t('imports.templateCsv')}</a>
    </>
  );
}

/** The kinds of import with their templates, and the recent imports. */
export function ImportsListView({ t, lang, jobs }: { t: Translate; lang: Lang; jobs: readonly JobRow[] }) {
  const kinds = ['people', 'units', 'history', 'partners'] as const;
  return (
    <>
      <p>{t('imports.fileTypes')}</p>
      <DataTable
        t={t}
        caption={t('imports.templates')}
        rows={[...kinds, 'roster' as const]}
        columns={[
          {
            key: 'kind',
            label: t('field.kind'),
            rowHeader: true,
            cell: (k) => (k === 'roster' ? t('imports.kind.roster') : <a href={`/admin/imports/new?kind=${k}`}>{t('imports.newTitle', { kind: t(`imports.kind.${k}`) })}</a>),
          },
          { key: 'templates', label: t('imports.templates'), cell: (k) => <TemplateLinks t={t} kind={k} /> },
          { key: 'note', label: t('imports.message'), cell: (k) => (k === 'roster' ? t('imports.roster.choose') : '') },
        ]}
      />
      <DataTable
        t={t}
        caption={t('imports.title')}
        rows={jobs}
        columns={[
          { key: 'id', label: 'ID', cell: (j) => <a href={`/admin/imports/${j.id}`}>{j.id}</a> },
          { key: 'kind', label: t('field.kind'), cell: (j) => t(`imports.kind.${j.kind}`) },
          { key: 'file', label: t('imports.file'), cell: (j) => j.filename },
          { key: 'rows', label: t('imports.line'), numeric: true, cell: (j) => (j.status === 'running' ? `${j.processed_rows} / ${j.total_rows}` : String(j.total_rows)) },
          { key: 'status', label: t('common.status'), cell: (j) => STATUS_WORDS[lang][j.status] },
          { key: 'at', label: t('audit.at'), cell: (j) => formatTokyo(j.created_at, lang, 'datetime') },
        ]}
      />
    </>
  );
}

/** Uploading a file of one kind (for a roster: into one offering): the columns, the templates, the file field. */
export function UploadView({
  t,
  csrf,
  kind,
  offering,
  errors,
}: {
  t: Translate;
  csrf: string;
  kind: ImportKind;
  offering: { id: number; title: string; cancelled: boolean } | null;
  errors: FieldErrors | null;
}) {
  if (kind === 'roster' && !offering) return <p class="error-text">{t('imports.roster.choose')}</p>;
  const action = kind === 'roster' ? `/admin/imports?kind=roster&offering=${offering!.id}` : `/admin/imports?kind=${kind}`;
  return (
    <>
      <p>{kind === 'roster' ? t('imports.roster.lead') : t('imports.lead')}</p>
      {offering ? (
        <dl class="meta">
          <dt>{t('imports.roster.offering')}</dt>
          <dd><a href={`/admin/offerings/${offering.id}`}>{offering.title}</a></dd>
        </dl>
      ) : null}
      <p>
        {t('imports.columns')}: <code>{templateColumns(kind).map((col) => (col.required ? `${col.ja}${REQUIRED_MARK}` : col.ja)).join(',')}</code>
      </p>
      {kind === 'people' ? <p class="hint">{t('imports.people.help')}</p> : null}
      <p>
        {t('imports.templates')}: <TemplateLinks t={t} kind={kind} />
      </p>
      <p class="hint">{t('imports.templateLead')}</p>
      <ErrorSummary t={t} errors={errors} />
      <form method="post" action={action} enctype="multipart/form-data" data-upload-progress>
        <CsrfField token={csrf} />
        <div class={`field${errors?.file ? ' field--error' : ''}`}>
          <label for="f-file">{t('imports.fileLabel')}<span class="badge badge--required">{t('common.required')}</span></label>
          <p class="hint" id="f-file-hint">{t('imports.fileTypes')}</p>
          {errors?.file ? <p class="field-error" id="f-file-error">{fieldMessage(t, 'file', errors.file.key, errors.file.params)}</p> : null}
          <input
            type="file"
            id="f-file"
            name="file"
            accept=".xlsx,.csv,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            required
            aria-describedby={errors?.file ? 'f-file-hint f-file-error' : 'f-file-hint'}
            aria-invalid={errors?.file ? 'true' : undefined}
          />
        </div>
        <progress class="upload-progress" max={100} value={0} hidden aria-label={t('imports.upload')}></progress>
        <button type="submit" class="button">{t('imports.upload')}</button>
      </form>
    </>
  );
}
