import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { Database, NewUnit, Unit, UnitUpdate } from '../schema.js';
import { type UnitKind } from '../../domain/values.js';

export interface UnitListQuery {
  q?: string; // already a search key
  kind?: UnitKind;
  activeOnly?: boolean;
  /** false: no people counted (people_count is 0), for pick lists; counting reads every person. */
  counts?: boolean;
}

/** A unit as a pick list needs it: what its label, its place in the tree and the tree's order take. */
export type UnitPick = Pick<Unit, 'id' | 'kind' | 'parent_id' | 'name' | 'kana' | 'code'>;

/**
 * The active units for a pick list as ONE JSON value, `[[id, kind, parent_id, name, kana, code, active], …]`,
 * to be read as a column of a statement (`unitPicksOf` turns it back into rows). `alsoIds`: a subquery
 * of unit ids to include whatever their state (the units of a page of people, to name them).
 *
 * On PGlite every value a statement returns is converted in JavaScript (about 1 µs each, plus a copy
 * of its bytes): 51 units × every column was 0.9 ms CPU, these columns as rows 0.47 ms, as one JSON text
 * 0.27 ms (docs/performance.md).
 */
export function unitPicksJson(alsoIds?: RawBuilder<unknown>): RawBuilder<UnitPickTuple[]> {
  return sql<UnitPickTuple[]>`(SELECT coalesce(json_agg(json_build_array(u.id, u.kind, u.parent_id, u.name, u.kana, u.code, u.active)), '[]') FROM units u WHERE u.active${alsoIds ? sql` OR u.id IN (${alsoIds})` : sql``})`;
}
export type UnitPickTuple = [number, UnitPick['kind'], number | null, string, string, string | null, boolean];
export const unitPicksOf = (json: readonly UnitPickTuple[]): (UnitPick & { active: boolean })[] =>
  json.map(([id, kind, parent_id, name, kana, code, active]) => ({ id, kind, parent_id, name, kana, code, active }));

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
  /** The active units for a pick list (in no particular order: `unitTree` orders them), in one statement returning one value. */
  async picks(db: Kysely<Database>): Promise<UnitPick[]> {
    const { rows } = await sql<{ units: UnitPickTuple[] }>`SELECT ${unitPicksJson()} AS units`.execute(db);
    return unitPicksOf(rows[0]?.units ?? []).map(({ active: _, ...u }) => u);
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
