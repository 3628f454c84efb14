import type { ImportError, ImportJob } from '../../db/repositories/import-job.repository.js';
import type { ImportOutcome } from '../../db/schema.js';
import { fieldMessage, isMessageKey, type Translate } from '../../i18n/index.js';
import { type getImportStatus, type PersonImportRow, previewOutcome } from '../../services/import.service.js';

/** Rows of a preview the API returns with the job (the rest are in the job, applied together). */
export const API_PREVIEW_ROWS = 100;

type Status = NonNullable<Awaited<ReturnType<typeof getImportStatus>>>;
const iso = (d: Date | string | null | undefined) => (d ? new Date(d).toISOString() : null);

/** A row's refusal as the preview page words it: the column's name and what is wrong. */
export const importErrorText = (t: Translate, e: ImportError) => (e.field ? fieldMessage(t, e.field, e.message, e.params) : isMessageKey(e.message) ? t(e.message, e.params) : e.message);

/** An import job as the API gives it: the preview (errors row by row, the first rows) or how far it got. */
export function importJobJson(t: Translate, job: ImportJob | (Status & Partial<Pick<ImportJob, 'rows' | 'errors' | 'encoding' | 'created_at'>>), processed: number) {
  const errors = (job.errors ?? []) as ImportError[];
  const rows = job.rows as Record<string, unknown>[] | undefined;
  const counts = job.kind === 'people' && rows ? previewOutcome(rows as unknown as PersonImportRow[]) : null;
  return {
    id: job.id,
    kind: job.kind,
    offeringId: job.offering_id ?? null,
    filename: job.filename,
    encoding: job.encoding ?? null,
    status: job.status,
    totalRows: job.total_rows,
    processedRows: processed,
    percent: job.total_rows ? Math.floor((processed / job.total_rows) * 100) : job.status === 'done' ? 100 : 0,
    canApply: job.status === 'preview' && errors.length === 0,
    errors: errors.map((e) => ({ line: e.line, field: e.field ?? null, message: importErrorText(t, e) })),
    updates: counts?.updated ?? null,
    unchanged: counts?.unchanged ?? null,
    outcome: (job.outcome as ImportOutcome | null) ?? null,
    rows: rows ? rows.slice(0, API_PREVIEW_ROWS) : null,
    createdAt: iso(job.created_at),
    startedAt: iso(job.started_at),
    finishedAt: iso(job.finished_at),
    statusUrl: `/api/v1/imports/${job.id}`,
  };
}
