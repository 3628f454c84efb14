import type { Context } from 'hono';
import { discardImport, getImportJob, getImportStatus, importProgress, previewImport, previewRosterImport, startImport } from '../../services/import.service.js';
import { rosterTarget } from '../../services/import-roster.service.js';
import { invalid, ServiceError } from '../../services/context.js';
import { apiError, wordFields } from '../api-errors.js';
import type { ApiOp } from '../api.js';
import type { AppEnv } from '../env.js';
import { importErrorText, importJobJson } from './presenter.js';
import { importDiscardOut, importJobOut, importUploadQuery } from './schema.js';

const ADMIN = ['admin'] as const;
/** How long applying waits for a small import to finish before answering 202 (the page waits as long). */
const WAIT_MS = 1500;
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const LABELS = { file: 'imports.file', offering: 'field.offeringId' } as const;

/** The uploaded file: a multipart `file`, or the body itself (text/csv, xlsx, octet-stream). */
async function uploaded(c: Context<AppEnv>, filename: string | undefined): Promise<{ name: string; bytes: Uint8Array }> {
  const type = (c.req.header('Content-Type') ?? '').toLowerCase();
  if (type.startsWith('multipart/form-data')) {
    const form = await c.req.parseBody();
    const file = form.file;
    if (!(file instanceof File) || file.size === 0) throw invalid({ file: { key: 'error.importFile' } });
    return { name: file.name, bytes: new Uint8Array(await file.arrayBuffer()) };
  }
  if (!type.startsWith('text/csv') && !type.startsWith(XLSX) && !type.startsWith('application/octet-stream')) throw invalid({ file: { key: 'error.importFile' } });
  const bytes = new Uint8Array(await c.req.arrayBuffer());
  if (!bytes.length) throw invalid({ file: { key: 'error.importFile' } });
  return { name: filename || (type.startsWith(XLSX) ? 'upload.xlsx' : 'upload.csv'), bytes };
}

/** A refusal of the upload, naming ファイル (not the general CSVファイル) and 研修. */
async function withLabels(c: Context<AppEnv>, run: () => Promise<Response>): Promise<Response> {
  try {
    return await run();
  } catch (e) {
    if (!(e instanceof ServiceError) || e.status !== 422) throw e;
    const t = c.get('t');
    return apiError(c, 422, e.code, t(e.messageKey, e.params), wordFields(t, e.fields, LABELS));
  }
}

/** Imports (Excel・CSVから取り込む): upload to a preview, read it, apply it all or nothing, or discard it. */
export function registerImportApi(op: ApiOp) {
  op(
    {
      method: 'POST',
      path: '/api/v1/imports',
      summary:
        'Upload a list to import, as on the import page: multipart/form-data with file, or the file itself as the body (Content-Type text/csv — UTF-8 or Shift_JIS — or application/vnd.openxmlformats-officedocument.spreadsheetml.sheet). Nothing is imported yet: the answer is the preview, with each refused row named (line, column, reason); apply it with POST /api/v1/imports/{id}/apply.',
      access: ADMIN,
      query: importUploadQuery,
      status: 201,
      response: importJobOut,
    },
    (c, { query }) =>
      withLabels(c, async () => {
        const ctx = c.get('ctx');
        const user = c.get('user')!;
        let offeringId: number | null = null;
        if (query.kind === 'roster') {
          const offering = await rosterTarget(ctx, query.offering ?? 0);
          if (!offering) throw invalid({ offering: { key: 'error.offeringNotFound' } });
          offeringId = offering.id;
        }
        const file = await uploaded(c, query.filename);
        const job = offeringId !== null ? await previewRosterImport(ctx, user, offeringId, file.name, file.bytes) : await previewImport(ctx, user, query.kind as Exclude<typeof query.kind, 'roster'>, file.name, file.bytes);
        c.header('Location', `/api/v1/imports/${job.id}`);
        return c.json(importJobJson(c.get('t'), job, job.processed_rows), 201);
      }),
  );
  op({ method: 'GET', path: '/api/v1/imports/:id', summary: 'An import: its preview and errors row by row, how far it has got while running (processedRows, percent), or its outcome', access: ADMIN, response: importJobOut }, async (c, { params }) => {
    const ctx = c.get('ctx');
    const status = await getImportStatus(ctx, params.id);
    if (!status) return apiError(c, 404, 'not_found', c.get('t')('error.notFound'));
    c.header('Cache-Control', 'no-store');
    // While running, the rows are not read again (the status is asked for every second or two).
    if (status.status === 'running') return c.json(importJobJson(c.get('t'), status, importProgress(status)));
    const job = await getImportJob(ctx, params.id);
    if (!job) return apiError(c, 404, 'not_found', c.get('t')('error.notFound'));
    return c.json(importJobJson(c.get('t'), job, importProgress(job)));
  });
  op(
    {
      method: 'POST',
      path: '/api/v1/imports/:id/apply',
      summary:
        'Apply a previewed import, all or nothing, in one transaction. A small one finishes within the request: 200 with the job (status done), or 409 import_failed naming the row (nothing was imported). A larger one goes on as a job: 202 with statusUrl (and Location) to follow. A preview with errors, or one already applied, running or discarded, is 409.',
      access: ADMIN,
      status: 202,
      response: importJobOut,
    },
    async (c, { params }) => {
      const ctx = c.get('ctx');
      const t = c.get('t');
      const started = await startImport(ctx, c.get('user')!, params.id);
      let timer: ReturnType<typeof setTimeout> | undefined;
      const finished = await Promise.race([started.finished.then(() => true), new Promise<false>((r) => (timer = setTimeout(() => r(false), WAIT_MS)))]);
      clearTimeout(timer);
      const job = finished ? await getImportJob(ctx, params.id) : undefined;
      if (!job || job.status === 'running') {
        const status = (await getImportStatus(ctx, params.id))!;
        c.header('Location', `/api/v1/imports/${params.id}`);
        return c.json(importJobJson(t, status, importProgress(status)), 202);
      }
      if (job.status === 'failed') {
        const why = job.errors.map((e) => (e.line ? t('imports.api.atLine', { line: e.line, message: importErrorText(t, e) }) : importErrorText(t, e))).join(' ');
        return c.json({ error: { code: 'import_failed', message: `${t('imports.failed')} ${why}`.trim(), fields: {} }, job: importJobJson(t, job, importProgress(job)) }, 409);
      }
      return c.json(importJobJson(t, job, importProgress(job)), 200);
    },
  );
  op({ method: 'POST', path: '/api/v1/imports/:id/discard', summary: 'Discard a previewed import (nothing is imported). One already applied, running or discarded is 409.', access: ADMIN, response: importDiscardOut }, async (c, { params }) => {
    const ctx = c.get('ctx');
    if (!(await getImportStatus(ctx, params.id))) return apiError(c, 404, 'not_found', c.get('t')('error.notFound'));
    await discardImport(ctx, params.id);
    return c.json({ id: params.id, status: 'discarded' as const });
  });
}
