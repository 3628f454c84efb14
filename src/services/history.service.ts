import { trainingRecordRepository } from '../db/repositories/training-record.repository.js';
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
  const { applications: a, imported: r } = await trainingRecordRepository.history(ctx.db, f);
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

