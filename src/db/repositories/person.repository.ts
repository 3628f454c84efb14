import { type Kysely, type SelectQueryBuilder, sql, type Updateable } from 'kysely';
import type { Database, NewPerson, Person, PersonTable } from '../schema.js';
import { escapeLike } from './unit.repository.js';
import { type Affiliation, type Role } from '../../domain/values.js';

export type PersonWithRoles = Person & { roles: Role[]; unit_name: string | null };

export type PersonSort = 'kana' | 'email' | 'staff_number' | 'unit' | 'affiliation';

export interface PersonListQuery {
  q?: string; // search key
  unitId?: number;
  affiliation?: Affiliation;
  role?: Role;
  includeInactive?: boolean;
  sort?: PersonSort;
  dir?: 'asc' | 'desc';
  limit?: number;
  offset?: number;
}

// Kana is stored as full-width katakana, so code-point order ("C" collation) is 50音順 and is the
// same on PGlite and PostgreSQL whatever their default collation.
const sortColumns = {
  kana: sql`people.kana COLLATE "C"`,
  email: sql`lower(people.email) COLLATE "C"`,
  staff_number: sql`people.staff_number COLLATE "C"`,
  unit: sql`units.kana COLLATE "C"`,
  affiliation: sql`people.affiliation`,
} as const;

/** The approvers a unit's applications are announced to: at most this many a unit. */
export const APPROVERS_PER_UNIT = 50;

/** The first `perUnit` rows of each unit, in the order given. */
export function firstPerUnit<T extends { unit_id: number | null }>(rows: readonly T[], perUnit = APPROVERS_PER_UNIT): T[] {
  const seen = new Map<number | null, number>();
  return rows.filter((r) => {
    const n = (seen.get(r.unit_id) ?? 0) + 1;
    seen.set(r.unit_id, n);
    return n <= perUnit;
  });
}

export const personRepository = {
  async find(db: Kysely<Database>, id: number): Promise<PersonWithRoles | undefined> {
    const p = await db
      .selectFrom('people')
      .leftJoin('units', 'units.id', 'people.unit_id')
      .selectAll('people')
      .select('units.name as unit_name')
      .where('people.id', '=', id)
      .executeTakeFirst();
    if (!p) return undefined;
    return { ...p, roles: await this.roles(db, id) };
  },
  /** The active approvers (所属長・所属研修担当) of these units, at most `perUnit` each, in フリガナ order. */
  async approversOf(db: Kysely<Database>, unitIds: readonly number[], perUnit = APPROVERS_PER_UNIT): Promise<Person[]> {
    if (!unitIds.length) return [];
    const rows = await db
      .selectFrom('people')
      .selectAll()
      .where('unit_id', 'in', unitIds)
      .where('active', '=', true)
      .where((eb) => eb.exists(eb.selectFrom('person_roles').whereRef('person_roles.person_id', '=', 'people.id').where('person_roles.role', '=', 'approver')))
      .orderBy('kana')
      .orderBy('id')
      .execute();
    return firstPerUnit(rows, perUnit);
  },
  /** People holding any of these staff numbers or (case-insensitively) emails: who an import would update. */
  findByStaffNumbersOrEmails(db: Kysely<Database>, staffNumbers: readonly string[], emails: readonly string[]) {
    if (!staffNumbers.length && !emails.length) return Promise.resolve([]);
    return db
      .selectFrom('people')
      .select(['id', 'name', 'email', 'staff_number'])
      .where((eb) =>
        eb.or([
          ...(staffNumbers.length ? [eb('staff_number', 'in', [...staffNumbers])] : []),
          ...(emails.length ? [eb(sql`lower(email)`, 'in', emails.map((e) => e.toLowerCase()))] : []),
        ]),
      )
      .execute();
  },
  findByEmail(db: Kysely<Database>, email: string): Promise<Person | undefined> {
    return db
      .selectFrom('people')
      .selectAll()
      .where(sql`lower(email)`, '=', email.toLowerCase())
      .executeTakeFirst();
  },
  findByStaffNumber(db: Kysely<Database>, staffNumber: string): Promise<Person | undefined> {
    return db.selectFrom('people').selectAll().where('staff_number', '=', staffNumber).executeTakeFirst();
  },
  async roles(db: Kysely<Database>, personId: number): Promise<Role[]> {
    const rows = await db.selectFrom('person_roles').select('role').where('person_id', '=', personId).execute();
    return rows.map((r) => r.role).sort();
  },
  async setRoles(db: Kysely<Database>, personId: number, roles: readonly Role[]): Promise<void> {
    await db.deleteFrom('person_roles').where('person_id', '=', personId).execute();
    if (roles.length)
      await db
        .insertInto('person_roles')
        .values([...new Set(roles)].map((role) => ({ person_id: personId, role })))
        .execute();
  },
  async insert(db: Kysely<Database>, p: NewPerson): Promise<Person> {
    return db.insertInto('people').values(p).returningAll().executeTakeFirstOrThrow();
  },
  async update(db: Kysely<Database>, id: number, p: Updateable<PersonTable>): Promise<Person> {
    return db.updateTable('people').set(p).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
  },
  async count(db: Kysely<Database>): Promise<number> {
    const r = await db.selectFrom('people').select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow();
    return r.n;
  },
  /**
   * One page of the people directory, sorted, filtered and searched in the database, in one statement:
   * the page's rows with their roles and unit, and the number of people the filters match. Without
   * filters that number is read from `people_totals` (kept by triggers) instead of counting 50,000 rows;
   * a search first collects its matches through the trigram index (a materialised CTE), so that the
   * planner does not walk the フリガナ index testing every row. Ties are broken by id, so every person
   * appears on exactly one page.
   */
  async list(db: Kysely<Database>, f: PersonListQuery): Promise<{ rows: PersonWithRoles[]; total: number }> {
    const filtered = <Q extends SelectQueryBuilder<Database, 'people', {}>>(q: Q): Q => {
      let out = q;
      if (f.unitId) out = out.where('people.unit_id', '=', f.unitId) as Q;
      if (f.affiliation) out = out.where('people.affiliation', '=', f.affiliation) as Q;
      if (f.role) out = out.where((eb) => eb.exists(eb.selectFrom('person_roles').whereRef('person_roles.person_id', '=', 'people.id').where('person_roles.role', '=', f.role!))) as Q;
      if (!f.includeInactive) out = out.where('people.active', '=', true) as Q;
      return out;
    };
    const dir = f.dir ?? 'asc';
    const sort = f.sort ?? 'kana';
    const unfiltered = !f.q && !f.unitId && !f.affiliation && !f.role;
    const total = unfiltered
      ? sql<number>`(SELECT coalesce(sum(n), 0)::int FROM people_totals WHERE active OR ${!!f.includeInactive})`
      : f.q
        ? sql<number>`(SELECT count(*)::int FROM hits)`
        : sql<number>`(${filtered(db.selectFrom('people')).select(sql`count(*)::int`.as('n'))})`;
    // A search's matches, collected once through the trigram index.
    const d = (f.q ? db.with((w) => w('hits').materialized(), (x) => filtered(x.selectFrom('people')).where('people.search_key', 'like', `%${escapeLike(f.q!)}%`).select('people.id')) : db) as unknown as Kysely<Database & { hits: { id: number } }>;
    const ordered = <Q extends SelectQueryBuilder<Database & { hits: { id: number } }, 'people' | 'units', {}>>(q: Q): Q =>
      q
        .orderBy(sortColumns[sort], dir)
        // Ties: 50音順 then id (in the direction asked when sorting by フリガナ, so that one index serves both).
        .orderBy(sql`people.kana COLLATE "C"`, sort === 'kana' ? dir : 'asc')
        .orderBy('people.id', sort === 'kana' ? dir : 'asc') as Q;
    // The page's ids first (from the index, without computing anything for the rows skipped), then their rows.
    // (Built without the WITH clause: the CTE is defined once, on the outer statement.)
    const inner = db as unknown as Kysely<Database & { hits: { id: number } }>;
    const matching = f.q ? inner.selectFrom('hits').innerJoin('people', 'people.id', 'hits.id') : filtered(inner.selectFrom('people'));
    const pageIds = ordered(matching.leftJoin('units', 'units.id', 'people.unit_id'))
      .select('people.id')
      .limit(f.limit ?? 50)
      .offset(f.offset ?? 0);
    const rows = await ordered(d.selectFrom(pageIds.as('pg')).innerJoin('people', 'people.id', 'pg.id').leftJoin('units', 'units.id', 'people.unit_id'))
      .selectAll('people')
      .select(['units.name as unit_name', sql<Role[]>`ARRAY(SELECT r.role FROM person_roles r WHERE r.person_id = people.id)`.as('roles'), total.as('total')])
      .execute();
    if (rows.length || !f.offset) return { rows: rows.map(({ total: _, ...r }) => ({ ...r, roles: [...r.roles].sort() }) as PersonWithRoles), total: rows[0]?.total ?? 0 };
    // Past the last page: only the number is wanted.
    const n = await d.selectNoFrom(total.as('n')).executeTakeFirstOrThrow();
    return { rows: [], total: n.n };
  },
};
