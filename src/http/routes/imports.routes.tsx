import { formatTokyo } from '../../domain/calendar.js';
import { fieldLabel, fieldMessage, isMessageKey } from '../../i18n/index.js';
import type { FieldErrors } from '../../lib/validation.js';
import {
  discardImport,
  getImportJob,
  IMPORT_COLUMNS,
  type ImportKind,
  importProgress,
  previewImport,
  recentImports,
  startImport,
  type PersonImportRow,
} from '../../services/import.service.js';
import type { ImportError } from '../../db/repositories/import-job.repository.js';
import { readForm, submit, toId } from '../forms.js';
import { noticeFrom, page } from '../page.js';
import type { Ctx, Router } from '../router.js';
import { CsrfField, ErrorSummary } from '../views/components.js';

const PREVIEW_ROWS = 20;

export function registerImports(r: Router) {
  r.get('/admin/imports', ['admin'], async (c) => {
    const t = c.get('t');
    const jobs = await recentImports(c.get('ctx'));
    return page(
      c,
      t('imports.title'),
      <>
        <ul class="link-list">
          <li><a href="/admin/imports/new?kind=people">{t('imports.newTitle', { kind: t('imports.kind.people') })}</a></li>
          <li><a href="/admin/imports/new?kind=units">{t('imports.newTitle', { kind: t('imports.kind.units') })}</a></li>
          <li><a href="/admin/imports/new?kind=history">{t('imports.newTitle', { kind: t('imports.kind.history') })}</a></li>
          <li><a href="/admin/imports/new?kind=partners">{t('imports.newTitle', { kind: t('imports.kind.partners') })}</a></li>
        </ul>
        <table class="data-table">
          <caption>{t('imports.title')}</caption>
          <thead>
            <tr>
              <th scope="col">ID</th>
              <th scope="col">{t('field.kind')}</th>
              <th scope="col">{t('field.file')}</th>
              <th scope="col">{t('common.status')}</th>
              <th scope="col">{t('audit.at')}</th>
            </tr>
          </thead>
          <tbody>
            {jobs.map((j) => (
              <tr>
                <td><a href={`/admin/imports/${j.id}`}>{j.id}</a></td>
                <td>{t(`imports.kind.${j.kind}`)}</td>
                <td>{j.filename}</td>
                <td>{j.status}</td>
                <td>{formatTokyo(j.created_at, c.get('lang'), 'datetime')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </>,
      { crumbs: [{ label: t('nav.home'), href: '/' }, { label: t('imports.title') }], notice: noticeFrom(c) },
    );
  });

  const uploadForm = (c: Ctx, kind: ImportKind, errors: FieldErrors | null = null) => {
    const t = c.get('t');
    const title = t('imports.newTitle', { kind: t(`imports.kind.${kind}`) });
    return page(
      c,
      title,
      <>
        <p>{t('imports.lead')}</p>
        <p>
          {t('imports.columns')}: <code>{IMPORT_COLUMNS[kind].map((col) => col.ja).join(',')}</code>
        </p>
        <ErrorSummary t={t} errors={errors} />
        <form method="post" action={`/admin/imports?kind=${kind}`} enctype="multipart/form-data" data-upload-progress>
          <CsrfField token={c.get('csrf')} />
          <div class={`field${errors?.file ? ' field--error' : ''}`}>
            <label for="f-file">{t('field.file')}<span class="badge badge--required">{t('common.required')}</span></label>
            {errors?.file ? <p class="field-error" id="f-file-error">{fieldMessage(t, 'file', errors.file.key, errors.file.params)}</p> : null}
            <input type="file" id="f-file" name="file" accept=".csv,text/csv" required aria-describedby={errors?.file ? 'f-file-error' : undefined} aria-invalid={errors?.file ? 'true' : undefined} />
          </div>
          <progress class="upload-progress" max={100} value={0} hidden aria-label={t('imports.upload')}></progress>
          <button type="submit" class="button">{t('imports.upload')}</button>
        </form>
      </>,
      { crumbs: [{ label: t('nav.home'), href: '/' }, { label: t('imports.title'), href: '/admin/imports' }, { label: title }], status: errors ? 422 : 200 },
    );
  };
  const kindOf = (c: Ctx): ImportKind => ((['units', 'history', 'partners'] as const).find((k) => k === c.req.query('kind')) ?? 'people');
  r.get('/admin/imports/new', ['admin'], (c) => uploadForm(c, kindOf(c)));
  r.post('/admin/imports', ['admin'], async (c) => {
    const kind = kindOf(c);
    const body = await readForm(c);
    const file = body.file;
    if (!(file instanceof File) || file.size === 0) return uploadForm(c, kind, { file: { key: 'error.importFile' } });
    const res = await submit(
      async () => previewImport(c.get('ctx'), c.get('user')!, kind, file.name, new Uint8Array(await file.arrayBuffer())),
      (errors) => uploadForm(c, kind, errors),
    );
    if (!res.ok) return res.response;
    return c.redirect(`/admin/imports/${res.value.id}`, 303);
  });

  r.get('/admin/imports/:id', ['admin'], async (c) => {
    const t = c.get('t');
    const job = await getImportJob(c.get('ctx'), toId(c.req.param('id')));
    if (!job) return c.notFound();
    const errors = job.errors as ImportError[];
    const errorLines = new Set(errors.map((e) => e.line));
    const word = (e: ImportError) =>
      e.field ? fieldMessage(t, e.field, e.message, e.params) : isMessageKey(e.message) ? t(e.message, e.params) : e.message;
    const rows = (job.rows as Record<string, unknown>[]).slice(0, PREVIEW_ROWS);
    // People rows that match someone already registered: the preview says they will be overwritten.
    const updates = job.kind === 'people' ? (job.rows as PersonImportRow[]).filter((r): r is PersonImportRow & { existing: NonNullable<PersonImportRow['existing']> } => !!r.existing) : [];
    const columns = IMPORT_COLUMNS[job.kind];
    const processed = importProgress(job);
    const crumbs = [{ label: t('nav.home'), href: '/' }, { label: t('imports.title'), href: '/admin/imports' }, { label: `#${job.id}` }];
    if (job.status === 'running') {
      c.header('Refresh', '1');
      return page(
        c,
        t('imports.previewTitle'),
        <>
          <p role="status" aria-live="polite">{t('imports.running', { processed, total: job.total_rows })}</p>
          <progress max={job.total_rows || 1} value={processed} aria-label={t('imports.running', { processed, total: job.total_rows })}></progress>
        </>,
        { crumbs },
      );
    }
    const status =
      job.status === 'done' ? t('imports.done', { total: job.total_rows }) : job.status === 'failed' ? t('imports.failed') : job.status === 'discarded' ? t('imports.discarded') : null;
    return page(
      c,
      t('imports.previewTitle'),
      <>
        {status ? <p class={job.status === 'failed' ? 'error-summary' : 'notice'} role="status">{status}</p> : null}
        <dl class="meta">
          <dt>{t('field.file')}</dt>
          <dd>{job.filename}</dd>
          <dt>{t('imports.encoding')}</dt>
          <dd>{job.encoding}</dd>
        </dl>
        <p>{t('imports.summary', { total: job.total_rows + new Set(errors.filter((e) => e.line > 1).map((e) => e.line)).size, errors: errorLines.size })}</p>
        <h2>{t('imports.errorsTitle')}</h2>
        {errors.length ? (
          <table class="data-table import-errors">
            <caption>{t('imports.errorsTitle')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('imports.line')}</th>
                <th scope="col">{t('imports.field')}</th>
                <th scope="col">{t('imports.message')}</th>
              </tr>
            </thead>
            <tbody>
              {errors.map((e) => (
                <tr>
                  <td>{e.line || '—'}</td>
                  <td>{e.field ? fieldLabel(t, e.field) : '—'}</td>
                  <td>{word(e)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <p>{t('imports.noErrors')}</p>
        )}
        {job.status === 'preview' && errors.length ? <p class="error-text">{t('imports.cannotApply')}</p> : null}
        {updates.length && job.status === 'preview' ? (
          <section aria-labelledby="import-updates">
            <h2 id="import-updates">{t('imports.updatesTitle', { count: updates.length })}</h2>
            <p class="warning">{t('imports.updatesLead', { count: updates.length })}</p>
            <table class="data-table">
              <caption>{t('imports.updatesTitle', { count: updates.length })}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('imports.line')}</th>
                  <th scope="col">{t('imports.updatesMatchedBy')}</th>
                  <th scope="col">{t('imports.updatesNow')}</th>
                  <th scope="col">{t('imports.updatesAfter')}</th>
                </tr>
              </thead>
              <tbody>
                {updates.slice(0, PREVIEW_ROWS).map((u) => (
                  <tr>
                    <td>{String(u.line)}</td>
                    <td>{t(u.existing.matchedBy === 'staffNumber' ? 'field.staffNumber' : 'field.email')}</td>
                    <td>
                      <a href={`/admin/people/${u.existing.id}`}>{u.existing.name}</a>（{u.existing.email}）
                    </td>
                    <td>
                      {u.name}（{u.email}）
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        ) : null}
        {rows.length ? (
          <table class="data-table">
            <caption>{t('imports.preview', { count: rows.length })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('imports.line')}</th>
                {columns.map((col) => <th scope="col">{col.ja}</th>)}
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr>
                  <td>{String(row.line)}</td>
                  {columns.map((col) => <td>{display(row, col.key)}</td>)}
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
        {job.status === 'preview' ? (
          <div class="actions">
            {!errors.length ? (
              <form method="post" action={`/admin/imports/${job.id}/apply`} class="inline-form">
                <CsrfField token={c.get('csrf')} />
                <button type="submit" class="button">
                  {updates.length ? t('imports.applyWithUpdates', { total: job.total_rows, updates: updates.length }) : t('imports.apply', { total: job.total_rows })}
                </button>
              </form>
            ) : (
              <a class="button" href={`/admin/imports/new?kind=${job.kind}`}>{t('imports.upload')}</a>
            )}{' '}
            <form method="post" action={`/admin/imports/${job.id}/discard`} class="inline-form">
              <CsrfField token={c.get('csrf')} />
              <button type="submit" class="button button--secondary">{t('imports.discard')}</button>
            </form>
          </div>
        ) : (
          <p>
            <a href={job.kind === 'units' ? '/admin/units' : job.kind === 'partners' ? '/admin/partners' : '/admin/people'}>{t(job.kind === 'units' ? 'units.title' : job.kind === 'partners' ? 'partners.title' : 'people.title')}</a>
          </p>
        )}
      </>,
      { crumbs },
    );
  });
  r.post('/admin/imports/:id/apply', ['admin'], async (c) => {
    const id = toId(c.req.param('id'));
    const started = await startImport(c.get('ctx'), c.get('user')!, id);
    // Small files finish within the request; large ones continue and the page shows progress.
    await Promise.race([started.finished, new Promise((r) => setTimeout(r, 1500))]);
    return c.redirect(`/admin/imports/${id}`, 303);
  });
  r.post('/admin/imports/:id/discard', ['admin'], async (c) => {
    await discardImport(c.get('ctx'), toId(c.req.param('id')));
    return c.redirect('/admin/imports?notice=imports.discarded', 303);
  });
}

function display(row: Record<string, unknown>, key: string): string {
  const v = row[key === 'unit' ? 'unitId' : key];
  if (Array.isArray(v)) return v.join('、');
  return v === null || v === undefined ? '' : String(v);
}
