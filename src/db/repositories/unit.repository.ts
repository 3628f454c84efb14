import { type Kysely, sql } from 'kysely';
import type { Database, NewUnit, Unit, UnitUpdate } from '../schema.js';
import { type UnitKind } from '../../domain/values.js';

export interface UnitListQuery {
  q?: string; // already a search key
  kind?: UnitKind;
  activeOnly?: boolean;
  /** false: no people counted (people_count is 0), for pick lists; counting reads every person. */
  counts?: boolean;
}

export const unitRepository = {
  find(db: Kysely<Database>, id: number): Promise<Unit | undefined> {
    return db.selectFrom('units').selectAll().where('id', '=', id).executeTakeFirst();
  },
  findByCode(db: Kysely<Database>, code: string): Promise<Unit | undefined> {
    return db.selectFrom('units').selectAll().where('code', '=', code).executeTakeFirst();
  },
  all(db: Kysely<Database>): Promise<Unit[]> {
    return db.selectFrom('units').selectAll().orderBy('id').execute();
  },
  async list(db: Kysely<Database>, f: UnitListQuery): Promise<(Unit & { people_count: number })[]> {
    let q = db
      .selectFrom('units')
      .selectAll('units')
      .select((eb) =>
        f.counts === false
          ? sql<number>`0`.as('people_count')
          : eb
              .selectFrom('people')
              .whereRef('people.unit_id', '=', 'units.id')
              .where('people.active', '=', true)
              .select(sql<number>`count(*)`.as('n'))
              .as('people_count'),
      );
    if (f.q) q = q.where('search_key', 'like', `%${escapeLike(f.q)}%`);
    if (f.kind) q = q.where('kind', '=', f.kind);
    if (f.activeOnly) q = q.where('active', '=', true);
    const rows = await q.execute();
    return rows.map((r) => ({ ...r, people_count: Number(r.people_count ?? 0) }));
  },
  async insert(db: Kysely<Database>, u: NewUnit): Promise<Unit> {
    return db.insertInto('units').values(u).returningAll().executeTakeFirstOrThrow();
  },
  async update(db: Kysely<Database>, id: number, u: UnitUpdate): Promise<Unit> {
    return db.updateTable('units').set(u).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
  },
  async count(db: Kysely<Database>): Promise<number> {
    const r = await db.selectFrom('units').select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow();
    return r.n;
  },
};

export function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}
