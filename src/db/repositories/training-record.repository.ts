import type { Insertable, Kysely } from 'kysely';
import type { Database, TrainingRecordTable } from '../schema.js';

/** 研修履歴: records imported from before Kyodo, and the history that joins them to applications in Kyodo. */
export const trainingRecordRepository = {
  /** Adds imported records, returning them whole (for the audit log). */
  insertMany(db: Kysely<Database>, rows: readonly Insertable<TrainingRecordTable>[]) {
    return db.insertInto('training_records').values(rows).returningAll().execute();
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
