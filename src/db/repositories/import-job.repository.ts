import type { Kysely } from 'kysely';
import type { Database, ImportJobTable, ImportOutcome } from '../schema.js';

export type ImportError = { line: number; field?: string; message: string; params?: Record<string, string | number> };
/** What an import is of: one of the directory's lists, training history, partners, or an offering's roster. */
export type ImportJobKind = ImportJobTable['kind'];

const jobs = (db: Kysely<Database>) => db;

export interface ImportJob {
  id: number;
  kind: ImportJobKind;
  filename: string;
  encoding: string;
  status: 'preview' | 'running' | 'done' | 'failed' | 'discarded';
  total_rows: number;
  processed_rows: number;
  rows: unknown[];
  errors: ImportError[];
  created_by: number;
  created_at: Date;
  finished_at: Date | null;
  offering_id: number | null;
  started_at: Date | null;
  progress_at: Date | null;
  /** A people import's counts when applied; null before it is, for other kinds and for older jobs. */
  outcome: ImportOutcome | null;
}

export const importJobRepository = {
  async insert(
    db: Kysely<Database>,
    j: { kind: ImportJobKind; filename: string; encoding: string; rows: unknown[]; errors: ImportError[]; createdBy: number; now: Date; offeringId?: number | null },
  ): Promise<ImportJob> {
    // The rows go in as one JSON text and are not read back (a 50,000-row file is ~10 MB of JSON).
    const stored = await jobs(db)
      .insertInto('import_jobs')
      .values({
        kind: j.kind,
        filename: j.filename,
        encoding: j.encoding,
        status: 'preview',
        total_rows: j.rows.length,
        rows: JSON.stringify(j.rows),
        errors: JSON.stringify(j.errors),
        created_by: j.createdBy,
        created_at: j.now,
        offering_id: j.offeringId ?? null,
      })
      .returning(['id', 'status', 'processed_rows', 'created_at', 'finished_at', 'started_at', 'progress_at'])
      .executeTakeFirstOrThrow();
    return {
      ...stored,
      kind: j.kind,
      filename: j.filename,
      encoding: j.encoding,
      total_rows: j.rows.length,
      rows: j.rows,
      errors: j.errors,
      created_by: j.createdBy,
      offering_id: j.offeringId ?? null,
      outcome: null,
    };
  },
  async find(db: Kysely<Database>, id: number): Promise<ImportJob | undefined> {
    return (await jobs(db).selectFrom('import_jobs').selectAll().where('id', '=', id).executeTakeFirst()) as ImportJob | undefined;
  },
  /** A job without its rows (for the progress page, which refreshes every second). */
  async status(db: Kysely<Database>, id: number) {
    return jobs(db)
      .selectFrom('import_jobs')
      .select(['id', 'kind', 'filename', 'status', 'total_rows', 'processed_rows', 'offering_id', 'started_at', 'progress_at', 'finished_at', 'outcome'])
      .where('id', '=', id)
      .executeTakeFirst();
  },
  /** Moves a job from one status to another; false if it was not in `from` (already taken by another request). */
  async transition(db: Kysely<Database>, id: number, from: ImportJob['status'], to: ImportJob['status'], now?: Date): Promise<boolean> {
    const r = await jobs(db)
      .updateTable('import_jobs')
      .set({ status: to, ...(now ? (to === 'running' ? { started_at: now, progress_at: now, processed_rows: 0 } : { finished_at: now }) : {}) })
      .where('id', '=', id)
      .where('status', '=', from)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  },
  async progress(db: Kysely<Database>, id: number, processed: number, now?: Date): Promise<void> {
    await jobs(db)
      .updateTable('import_jobs')
      .set({ processed_rows: processed, ...(now ? { progress_at: now } : {}) })
      .where('id', '=', id)
      .where('status', '=', 'running')
      .execute();
  },
  async finish(db: Kysely<Database>, id: number, status: 'done' | 'failed', now: Date, errors?: ImportError[], outcome?: ImportOutcome): Promise<void> {
    await jobs(db)
      .updateTable('import_jobs')
      .set({ status, finished_at: now, ...(errors ? { errors: JSON.stringify(errors) } : {}), ...(outcome ? { outcome: JSON.stringify(outcome) } : {}) })
      .where('id', '=', id)
      .execute();
  },
  recent(db: Kysely<Database>, limit = 20, offeringId?: number) {
    let q = jobs(db)
      .selectFrom('import_jobs')
      .select(['id', 'kind', 'filename', 'status', 'total_rows', 'processed_rows', 'offering_id', 'created_at', 'finished_at']);
    if (offeringId) q = q.where('offering_id', '=', offeringId);
    return q.orderBy('id', 'desc').limit(limit).execute();
  },
};
