import { type Insertable, type Kysely, sql } from 'kysely';

import { jsonText } from '../json-rows.js';
import type { Database, TrainingRecordTable } from '../schema.js';

/** 研修履歴: records imported from before Kyodo, and the history that joins them to applications in Kyodo. */
export const trainingRecordRepository = {
  /** Adds imported records, returning them whole (for the audit log). */
  insertMany(db: Kysely<Database>, rows: readonly Insertable<TrainingRecordTable>[]) {
    return db.insertInto('training_records').values(rows).returningAll().execute();
  },

  /**
   * Adds imported records with an audit entry each, in one statement whatever their number: the rows
   * travel as one JSON parameter (issue 18 §3). Returns how many were written.
   */
  async insertAudited(
    db: Kysely<Database>,
    rows: readonly { person_id: number; programme_id: number | null; fiscal_year: number; title: string; completed: boolean; note: string }[],
    audit: { at: Date; actorId: number | null },
  ): Promise<number> {
    if (!rows.length) return 0;
    const at = audit.at.toISOString();
    const data = jsonText(rows.map((r, i) => ({ ...r, ord: i })));
    const { rows: out } = await sql<{ n: number }>`
      WITH x AS (SELECT * FROM jsonb_to_recordset(${data}::jsonb) AS x(ord int, person_id int, programme_id int, fiscal_year int, title text, completed boolean, note text)),
      ins AS (
        INSERT INTO training_records (person_id, programme_id, fiscal_year, title, completed, note, created_at)
        SELECT person_id, programme_id, fiscal_year, title, completed, note, ${at}::timestamptz FROM x ORDER BY ord
        RETURNING *),
      audited AS (
        INSERT INTO audit_log (at, actor_id, action, entity, entity_id, before, after)
        SELECT ${at}::timestamptz, ${audit.actorId}::int, 'import_create', 'training_record', ins.id::text, NULL, to_jsonb(ins) FROM ins ORDER BY ins.id
        RETURNING 1)
      SELECT (SELECT count(*) FROM audited) AS n`.execute(db);
    return Number(out[0].n);
  },

  /**
   * The rows of a training history, for one person or every member of one unit, newest year first:
   * applications in Kyodo (live ones, with completion and certificate) and imported records.
   */
  async history(db: Kysely<Database>, f: { personId?: number; unitId?: number }) {
    let apps = db
      .selectFrom('applications')
      .innerJoin('offerings', 'offerings.id', 'applications.offering_id')
      .innerJoin('programmes', 'programmes.id', 'offerings.programme_id')
      .innerJoin('people', 'people.id', 'applications.person_id')
      .leftJoin('units', 'units.id', 'people.unit_id')
      .leftJoin('completions', 'completions.application_id', 'applications.id')
      .leftJoin('certificates', (j) => j.onRef('certificates.application_id', '=', 'applications.id').on('certificates.revoked_at', 'is', null))
      .select([
        'people.id as person_id',
        'people.name',
        'people.kana',
        'units.name as unit_name',
        'offerings.fiscal_year',
        'programmes.name as programme',
        'offerings.title',
        'applications.status',
        'completions.completed',
        'certificates.number',
      ])
      .where('applications.status', 'in', ['confirmed', 'applied', 'endorsed', 'waitlisted']);
    let records = db
      .selectFrom('training_records')
      .innerJoin('people', 'people.id', 'training_records.person_id')
      .leftJoin('units', 'units.id', 'people.unit_id')
      .leftJoin('programmes', 'programmes.id', 'training_records.programme_id')
      .select([
        'people.id as person_id',
        'people.name',
        'people.kana',
        'units.name as unit_name',
        'training_records.fiscal_year',
        'programmes.name as programme',
        'training_records.title',
        'training_records.completed',
      ]);
    if (f.personId) {
      apps = apps.where('people.id', '=', f.personId);
      records = records.where('people.id', '=', f.personId);
    }
    if (f.unitId) {
      apps = apps.where('people.unit_id', '=', f.unitId);
      records = records.where('people.unit_id', '=', f.unitId);
    }
    const [applications, imported] = await Promise.all([apps.orderBy('offerings.fiscal_year', 'desc').execute(), records.orderBy('training_records.fiscal_year', 'desc').execute()]);
    return { applications, imported };
  },
};
