import { type Insertable, type Kysely, sql, type Updateable } from 'kysely';
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
  /** Locks the programme's row for the rest of the transaction. */
  lock(db: Kysely<Database>, id: number) {
    return db.selectFrom('programmes').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
  },
  update(db: Kysely<Database>, id: number, p: Updateable<ProgrammeTable>) {
    return db.updateTable('programmes').set(p).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
  },
  /** Every programme's id and name (to check ids a form sent, or match names in an import). */
  names(db: Kysely<Database>) {
    return db.selectFrom('programmes').select(['id', 'name']).execute();
  },
  /** Every programme's id and predecessor, to follow lineages in the domain (`domain/programme.ts`). */
  links(db: Kysely<Database>) {
    return db.selectFrom('programmes').select(['id', 'predecessor_id']).execute();
  },
  /**
   * The programme and all its predecessors, transitively (a loop, which the service refuses to write,
   * would stop at the first repeat: UNION drops rows already seen).
   */
  async lineageIds(db: Kysely<Database>, id: number): Promise<number[]> {
    const r = await sql<{ id: number }>`
      WITH RECURSIVE lineage(id, predecessor_id) AS (
        SELECT id, predecessor_id FROM programmes WHERE id = ${id}
        UNION
        SELECT p.id, p.predecessor_id FROM programmes p JOIN lineage l ON p.id = l.predecessor_id)
      SELECT id FROM lineage`.execute(db);
    return r.rows.map((x) => Number(x.id));
  },
  /**
   * Who has been trained in any of these programmes (a lineage), and their units: confirmed in
   * another offering of them, or a record imported from before Kyodo. "Has this person / unit been
   * trained in this" is asked of the whole lineage.
   */
  async trainedIn(db: Kysely<Database>, programmeIds: readonly number[], exceptOfferingId: number): Promise<{ personIds: Set<number>; unitIds: Set<number> }> {
    const ids = programmeIds.length ? programmeIds : [0];
    const r = await sql<{ person_id: number; unit_id: number | null }>`
      WITH trained AS (
        SELECT a.person_id FROM applications a JOIN offerings o ON o.id = a.offering_id
        WHERE o.programme_id IN (${sql.join(ids)}) AND o.id <> ${exceptOfferingId} AND a.status = 'confirmed'
        UNION
        SELECT r.person_id FROM training_records r WHERE r.programme_id IN (${sql.join(ids)}))
      SELECT t.person_id, p.unit_id FROM trained t JOIN people p ON p.id = t.person_id`.execute(db);
    return {
      personIds: new Set(r.rows.map((x) => Number(x.person_id))),
      unitIds: new Set(r.rows.flatMap((x) => (x.unit_id === null ? [] : [Number(x.unit_id)]))),
    };
  },
  /** How many offerings each programme has (a programme with offerings keeps its history). */
  async offeringCounts(db: Kysely<Database>): Promise<Map<number, number>> {
    const r = await db.selectFrom('offerings').select(['programme_id', sql<number>`count(*)`.as('n')]).groupBy('programme_id').execute();
    return new Map(r.map((x) => [x.programme_id, Number(x.n)]));
  },
};
