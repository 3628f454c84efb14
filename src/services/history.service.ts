import type { AppContext } from './context.js';

export interface HistoryRow {
  personId: number;
  name: string;
  kana: string;
  unitName: string | null;
  fiscalYear: number;
  programme: string | null;
  title: string;
  status: string;
  completed: boolean;
  certificateNumber: string | null;
  imported: boolean;
}

/**
 * 研修履歴 across all years: applications in Kyodo (with completion and certificate) and records
 * imported from before Kyodo, for one person or every member of one unit.
 */
export async function trainingHistory(ctx: AppContext, f: { personId?: number; unitId?: number }): Promise<HistoryRow[]> {
  let apps = ctx.db
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
  let records = ctx.db
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
  const [a, r] = await Promise.all([apps.orderBy('offerings.fiscal_year', 'desc').execute(), records.orderBy('training_records.fiscal_year', 'desc').execute()]);
  const rows: HistoryRow[] = [
    ...a.map((x) => ({
      personId: x.person_id,
      name: x.name,
      kana: x.kana,
      unitName: x.unit_name,
      fiscalYear: x.fiscal_year,
      programme: x.programme,
      title: x.title,
      status: x.status,
      completed: !!x.completed,
      certificateNumber: x.number,
      imported: false,
    })),
    ...r.map((x) => ({
      personId: x.person_id,
      name: x.name,
      kana: x.kana,
      unitName: x.unit_name,
      fiscalYear: x.fiscal_year,
      programme: x.programme,
      title: x.title,
      status: x.completed ? 'completed' : 'attended',
      completed: x.completed,
      certificateNumber: null,
      imported: true,
    })),
  ];
  return rows.sort((x, y) => y.fiscalYear - x.fiscalYear || (x.kana < y.kana ? -1 : x.kana > y.kana ? 1 : 0));
}

