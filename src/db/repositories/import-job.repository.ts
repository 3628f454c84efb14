import type { Kysely } from 'kysely';
import type { Database, ImportJob } from '../schema.js';

export type ImportError = { line: number; field?: string; message: string; params?: Record<string, string | number> };

export const importJobRepository = {
  async insert(
    db: Kysely<Database>,
    j: { kind: 'units' | 'people' | 'history' | 'partners'; filename: string; encoding: string; rows: unknown[]; errors: ImportError[]; createdBy: number; now: Date },
  ): Promise<ImportJob> {
    return db
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
      })
      .returningAll()
      .executeTakeFirstOrThrow();
  },
  find(db: Kysely<Database>, id: number): Promise<ImportJob | undefined> {
    return db.selectFrom('import_jobs').selectAll().where('id', '=', id).executeTakeFirst();
  },
  /** Moves a job from one status to another; false if it was not in `from` (already taken by another request). */
  async transition(db: Kysely<Database>, id: number, from: ImportJob['status'], to: ImportJob['status'], now?: Date): Promise<boolean> {
    const r = await db
      .updateTable('import_jobs')
      .set({ status: to, ...(now ? { finished_at: now } : {}) })
      .where('id', '=', id)
      .where('status', '=', from)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  },
  async progress(db: Kysely<Database>, id: number, processed: number): Promise<void> {
    await db.updateTable('import_jobs').set({ processed_rows: processed }).where('id', '=', id).execute();
  },
  async finish(db: Kysely<Database>, id: number, status: 'done' | 'failed', now: Date, errors?: ImportError[]): Promise<void> {
    await db
      .updateTable('import_jobs')
      .set({ status, finished_at: now, ...(errors ? { errors: JSON.stringify(errors) } : {}) })
      .where('id', '=', id)
      .execute();
  },
  recent(db: Kysely<Database>, limit = 20) {
    return db
      .selectFrom('import_jobs')
      .select(['id', 'kind', 'filename', 'status', 'total_rows', 'processed_rows', 'created_at', 'finished_at'])
      .orderBy('id', 'desc')
      .limit(limit)
      .execute();
  },
};
