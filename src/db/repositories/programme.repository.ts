import type { Insertable, Kysely } from 'kysely';
import type { Database, Programme, ProgrammeTable } from '../schema.js';

export const programmeRepository = {
  list(db: Kysely<Database>): Promise<(Programme & { owning_unit_name: string | null })[]> {
    return db
      .selectFrom('programmes')
      .leftJoin('units', 'units.id', 'programmes.owning_unit_id')
      .selectAll('programmes')
      .select('units.name as owning_unit_name')
      .orderBy('programmes.first_fiscal_year')
      .orderBy('programmes.id')
      .execute();
  },
  find(db: Kysely<Database>, id: number) {
    return db.selectFrom('programmes').selectAll().where('id', '=', id).executeTakeFirst();
  },
  findByCode(db: Kysely<Database>, code: string) {
    return db.selectFrom('programmes').selectAll().where('code', '=', code).executeTakeFirst();
  },
  insert(db: Kysely<Database>, p: Insertable<ProgrammeTable>) {
    return db.insertInto('programmes').values(p).returningAll().executeTakeFirstOrThrow();
  },
};
