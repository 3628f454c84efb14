import { type Kysely, type RawBuilder, sql, type Updateable } from 'kysely';
import type { Database, NewPerson, Person, PersonTable } from '../schema.js';
import { escapeLike } from './unit.repository.js';
import { type Affiliation, type Role } from '../../domain/values.js';

export type PersonWithRoles = Person & { roles: Role[]; unit_name: string | null };

/** The columns a list of people reads (the directory, the API, exports, pick lists): no hashes, tokens or search keys. */
const LIST_COLUMNS = ['id', 'name', 'kana', 'email', 'staff_number', 'title', 'unit_id', 'affiliation', 'active', 'locale', 'partner_id'] as const;
/** A person as a list gives them. */
export type PersonListRow = Pick<Person, (typeof LIST_COLUMNS)[number]> & { roles: Role[]; unit_name: string | null };

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
  /** Keyset paging (the API's cursor): only people after this one in フリガナ order (sort 'kana', ascending). */
  after?: { kana: string; id: number };
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
   * filters that number is read from `people_totals` (kept by triggers) instead of counting 50,000 rows.
   * Ties are broken by id, so every person appears on exactly one page.
   *
   * Built for PGlite, where every table a statement names and every scan it starts costs a file-system
   * call, and every value it returns is parsed in JavaScript (docs/performance.md, 30 Nov afternoon):
   * - the page's ids come from the sort index, carrying nothing but the sort key past the rows skipped
   *   before the page; then only the 50 rows' columns a list shows (LIST_COLUMNS) are read and returned;
   * - a search collects its matches once (a materialised CTE with those columns) and pages them, without
   *   reading `people` a second time;
   * - the roles of the page's 50 people come from one grouped read of `person_roles`, not one scan per
   *   row (on a small table the planner chose a sequential scan per row: 50 scans a page).
   */
  async list(db: Kysely<Database>, f: PersonListQuery): Promise<{ rows: PersonListRow[]; total: number }> {
    const dir = f.dir === 'desc' ? sql.raw('DESC') : sql.raw('ASC');
    const sort = f.sort ?? 'kana';
    // Ties: 50音順 then id (in the direction asked when sorting by フリガナ, so that one index serves both).
    const tie = sort === 'kana' ? dir : sql.raw('ASC');
    const conds: RawBuilder<unknown>[] = [];
    if (f.unitId) conds.push(sql`people.unit_id = ${f.unitId}`);
    if (f.affiliation) conds.push(sql`people.affiliation = ${f.affiliation}`);
    if (f.role) conds.push(sql`EXISTS (SELECT 1 FROM person_roles pr WHERE pr.person_id = people.id AND pr.role = ${f.role})`);
    if (!f.includeInactive) conds.push(sql`people.active`);
    const where = (extra: RawBuilder<unknown>[] = []) => (conds.length + extra.length ? sql`WHERE ${sql.join([...conds, ...extra], sql` AND `)}` : sql``);
    const unfiltered = !f.q && !f.unitId && !f.affiliation && !f.role;
    const cols = sql.raw(LIST_COLUMNS.map((c) => `people.${c}`).join(', '));
    // After a cursor (the API): a row comparison on (フリガナ, id), the order of people_kana_c_idx.
    const after = f.after ? [sql`(people.kana COLLATE "C", people.id) > (${f.after.kana} COLLATE "C", ${f.after.id}::int)`] : [];
    // Sorting by unit needs the unit's フリガナ; otherwise units are joined only to the page's rows.
    const sortJoin = sort === 'unit' ? sql`LEFT JOIN units ON units.id = people.unit_id` : sql``;
    // The page: the sort key, フリガナ and id of its rows (plus, for a search, the columns: its matches are
    // already in memory). Only what the sort needs is carried past the rows skipped before the page.
    const page = (select: RawBuilder<unknown>, from: RawBuilder<unknown>, filters: RawBuilder<unknown>) =>
      sql`SELECT ${select}, ${sortColumns[sort]} AS sk, people.kana AS k FROM ${from} ${sortJoin} ${filters}
          ORDER BY ${sortColumns[sort]} ${dir}, people.kana COLLATE "C" ${tie}, people.id ${tie} LIMIT ${f.limit ?? 50} OFFSET ${f.offset ?? 0}`;
    const total = unfiltered
      ? sql`(SELECT coalesce(sum(n), 0)::int FROM people_totals WHERE active OR ${!!f.includeInactive})`
      : f.q
        ? sql`(SELECT count(*)::int FROM hits)`
        : sql`(SELECT count(*)::int FROM people ${where()})`;
    const ctes = f.q
      ? sql`hits AS MATERIALIZED (SELECT ${cols} FROM people ${where([sql`people.search_key LIKE ${`%${escapeLike(f.q)}%`}`])}),
            pg AS MATERIALIZED (${page(sql.raw('people.*'), sql`hits AS people`, after.length ? sql`WHERE ${after[0]}` : sql``)})`
      : sql`pg AS MATERIALIZED (${page(sql`people.id`, sql`people`, where(after))})`;
    // A search's page has the columns; otherwise the page's 50 rows are read by primary key.
    const rowsOf = f.q ? sql`pg AS people` : sql`pg JOIN people ON people.id = pg.id`;
    const { rows } = await sql<PersonListRow & { total: number }>`
      WITH ${ctes}
      SELECT ${cols}, units.name AS unit_name, coalesce(rl.roles, '{}') AS roles, ${total} AS total
      FROM ${rowsOf}
      LEFT JOIN units ON units.id = people.unit_id
      LEFT JOIN (SELECT person_id, array_agg(role) AS roles FROM person_roles WHERE person_id = ANY (ARRAY(SELECT id FROM pg)) GROUP BY person_id) rl ON rl.person_id = people.id
      ORDER BY ${f.q ? sql`people` : sql`pg`}.sk ${dir}, ${f.q ? sql`people` : sql`pg`}.k COLLATE "C" ${tie}, people.id ${tie}`.execute(db);
    if (rows.length || (!f.offset && !f.after)) return { rows: rows.map(({ total: _, ...r }) => ({ ...r, roles: [...r.roles].sort() }) as PersonListRow), total: rows[0]?.total ?? 0 };
    // Past the last page: only the number is wanted.
    const { rows: n } = await sql<{ n: number }>`${f.q ? sql`WITH hits AS MATERIALIZED (SELECT people.id FROM people ${where([sql`people.search_key LIKE ${`%${escapeLike(f.q)}%`}`])}) ` : sql``}SELECT ${total} AS n`.execute(db);
    return { rows: [], total: n[0]?.n ?? 0 };
  },
};
