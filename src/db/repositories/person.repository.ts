import { type Kysely, type RawBuilder, sql, type Updateable } from 'kysely';
import type { Database, NewPerson, Person, PersonTable } from '../schema.js';
import { preparedMark } from '../prepared.js';
import { escapeLike, type UnitPick, type UnitPickTuple, unitPicksJson, unitPicksOf } from './unit.repository.js';
import { type Affiliation, type Role } from '../../domain/values.js';

export type PersonWithRoles = Person & { roles: Role[]; unit_name: string | null };

/** The columns a list of people reads (the directory, the API, exports, pick lists): no hashes, tokens or search keys. */
const LIST_COLUMNS = ['id', 'name', 'kana', 'email', 'staff_number', 'title', 'unit_id', 'affiliation', 'active', 'locale', 'partner_id'] as const;
/** A person as a list gives them. */
export type PersonListRow = Pick<Person, (typeof LIST_COLUMNS)[number]> & { roles: Role[]; unit_name: string | null };
/** A person as the directory page shows them (`directory`). */
export type PersonDirectoryRow = Pick<PersonListRow, 'id' | 'name' | 'kana' | 'email' | 'staff_number' | 'affiliation' | 'unit_name' | 'roles'>;

/** A page of the directory as read (`directory`): its figures at once, its rows and units when asked. */
export interface DirectoryPage {
  total: number;
  /** The people on this page. */
  shown: number;
  /** Digests of everything the page shows of the people and units, as read: equal fingerprints, equal pages. */
  fingerprint: string;
  /** The rows and the unit filter's units, parsed from the statement's JSON. */
  read(): { rows: PersonDirectoryRow[]; units: UnitPick[] };
}

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

const LIST_COLS = sql.raw(LIST_COLUMNS.map((c) => `people.${c}`).join(', '));
/** What the directory page reads of each person (its unit's name comes from `units`). */
const DIRECTORY_COLS = sql.raw(['id', 'name', 'kana', 'email', 'staff_number', 'affiliation', 'unit_id'].map((c) => `people.${c}`).join(', '));
type DirectoryTuple = [number, string, string, string, string | null, Affiliation, number | null];

/**
 * The pieces of a page of the people directory, shared by `list` and `directory`: the CTEs choosing the
 * page (`pg`, with the columns `cols` and the sort key `sk`; and `hits` for a search), the FROM clause
 * of its rows with their unit and roles, their order, and the number of people the filters match.
 *
 * Built for PGlite, where every table a statement names costs the planner a file-size call for the
 * table and each of its indexes (`people` has about ten), every scan started inside a loop costs one, and
 * every value returned is parsed in JavaScript (docs/performance.md, 30 Nov afternoon and evening):
 * - `people` is read once: the page's rows come from the sort index with the columns asked for (for a
 *   page 400 deep, carrying them past the rows skipped costs no more than reading ids first and the
 *   rows by primary key after, measured on 50,000 people);
 * - a search collects its matches once (a materialised CTE with those columns) and pages them;
 * - the roles of the page's 50 people come from one grouped read of `person_roles`, not one scan per
 *   row (on a small table the planner chose a sequential scan per row: 50 scans a page).
 * Without filters the number is read from `people_totals` (kept by triggers) instead of counting 50,000
 * rows. Ties are broken by フリガナ then id, so every person appears on exactly one page.
 */
function listParts(f: PersonListQuery, cols: RawBuilder<unknown>) {
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
  // The first page without search filters (what opening the directory shows) is one of a few fixed texts
  // with no parameters: its page size and "include inactive" written in, so that PostgreSQL can keep one
  // plan for it (a named prepared statement, `directory`). Any other page passes them as parameters.
  const firstPage = unfiltered && !f.offset && !f.after && Number.isSafeInteger(f.limit ?? 50) && (f.limit ?? 50) > 0;
  const limit = firstPage ? sql.raw(String(f.limit ?? 50)) : sql`${f.limit ?? 50}`;
  const offset = firstPage ? sql.raw('0') : sql`${f.offset ?? 0}`;
  // After a cursor (the API): a row comparison on (フリガナ, id), the order of people_kana_c_idx.
  const after = f.after ? [sql`(people.kana COLLATE "C", people.id) > (${f.after.kana} COLLATE "C", ${f.after.id}::int)`] : [];
  // Sorting by unit needs the unit's フリガナ; otherwise units are joined only to the page's rows.
  const sortJoin = sort === 'unit' ? sql`LEFT JOIN units ON units.id = people.unit_id` : sql``;
  const search = f.q ? sql`people.search_key LIKE ${`%${escapeLike(f.q)}%`}` : null;
  // The page: its rows' columns and sort key, from `people` (or, for a search, from its matches).
  const pg = sql`SELECT ${search ? sql`people.*` : cols}, ${sortColumns[sort]} AS sk FROM ${search ? sql`hits AS people` : sql`people`} ${sortJoin}
        ${search ? (after.length ? sql`WHERE ${after[0]}` : sql``) : where(after)}
        ORDER BY ${sortColumns[sort]} ${dir}, people.kana COLLATE "C" ${tie}, people.id ${tie} LIMIT ${limit} OFFSET ${offset}`;
  const total = unfiltered
    ? sql<number>`(SELECT coalesce(sum(n), 0)::int FROM people_totals WHERE active OR ${sql.raw(f.includeInactive ? 'true' : 'false')})`
    : search
      ? sql<number>`(SELECT count(*)::int FROM hits)`
      : sql<number>`(SELECT count(*)::int FROM people ${where()})`;
  const ctes = search ? sql`hits AS MATERIALIZED (SELECT ${cols} FROM people ${where([search])}), pg AS MATERIALIZED (${pg})` : sql`pg AS MATERIALIZED (${pg})`;
  const rowsOf = sql`FROM pg AS people
      LEFT JOIN units ON units.id = people.unit_id
      LEFT JOIN (SELECT person_id, array_agg(role) AS roles FROM person_roles WHERE person_id = ANY (ARRAY(SELECT id FROM pg)) GROUP BY person_id) rl ON rl.person_id = people.id`;
  const order = sql`people.sk ${dir}, people.kana COLLATE "C" ${tie}, people.id ${tie}`;
  const onlyTotal = sql<{ n: number }>`${search ? sql`WITH hits AS MATERIALIZED (SELECT people.id FROM people ${where([search])}) ` : sql``}SELECT ${total} AS n`;
  return { ctes, rowsOf, order, total, onlyTotal, firstPage };
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
   * the page's rows with their roles and unit, and the number of people the filters match (see
   * `listParts`). Past the last page, a second statement gives the number.
   */
  async list(db: Kysely<Database>, f: PersonListQuery): Promise<{ rows: PersonListRow[]; total: number }> {
    const { ctes, rowsOf, order, total, onlyTotal } = listParts(f, LIST_COLS);
    const { rows } = await sql<PersonListRow & { total: number }>`
      WITH ${ctes}
      SELECT ${LIST_COLS}, units.name AS unit_name, coalesce(rl.roles, '{}') AS roles, ${total} AS total
      ${rowsOf}
      ORDER BY ${order}`.execute(db);
    if (rows.length || (!f.offset && !f.after)) return { rows: rows.map(({ total: _, ...r }) => ({ ...r, roles: [...r.roles].sort() }) as PersonListRow), total: rows[0]?.total ?? 0 };
    // Past the last page: only the number is wanted.
    const { rows: n } = await onlyTotal.execute(db);
    return { rows: [], total: n[0]?.n ?? 0 };
  },
  /**
   * The people directory page (/admin/people) in ONE statement returning one row of four values, each
   * one JSON text: the page of people `list` gives (in its order; only the columns the page shows), the
   * roles of those people as (person, role) pairs, the number of people the filters match (also past
   * the last page), and the units: the active ones for the unit filter, and the page's own units, to
   * name them (a person may belong to a closed unit).
   *
   * On PGlite every returned value is converted in JavaScript (about 1 µs each, plus a copy of its
   * bytes): 50 rows × 14 columns and 51 units × 12 columns were about half of the page's CPU. One JSON
   * text is one conversion and a native JSON.parse; pairing roles and unit names with the rows here
   * rather than in SQL saves the statement a grouping and two joins (docs/performance.md).
   */
  async directory(db: Kysely<Database>, f: Omit<PersonListQuery, 'after'>, drawn: (fingerprint: string) => boolean = () => false): Promise<DirectoryPage> {
    const { ctes, order, total, firstPage } = listParts(f, DIRECTORY_COLS);
    // The first page without search filters (what opening the directory shows, in any of its orders: at
    // most 20 texts, none with a parameter) is a named prepared statement on PostgreSQL (decision 0029):
    // parsing and planning it cost the server as much as executing it. Any other is planned each time.
    // The statement answers with the page's fingerprint (a SHA-256 digest of its three JSON arrays, one
    // after the other: their brackets keep them apart) and, only when that page is not drawn already
    // (`drawn`, decision 0031), a second time with the texts themselves.
    const read = (texts: boolean) => sql<{ people: string | null; roles: string | null; total: number; shown: number; units: string | null; fingerprint: string }>`${firstPage ? preparedMark : sql``}WITH ${ctes},
      j AS (SELECT (SELECT coalesce(json_agg(json_build_array(people.id, people.name, people.kana, people.email, people.staff_number, people.affiliation, people.unit_id) ORDER BY ${order}), '[]') FROM pg AS people)::text AS people,
             (SELECT coalesce(json_agg(json_build_array(person_id, role)), '[]') FROM person_roles WHERE person_id = ANY (ARRAY(SELECT id FROM pg)))::text AS roles,
             ${unitPicksJson(sql`SELECT unit_id FROM pg`)}::text AS units)
      SELECT ${texts ? sql`j.people, j.roles, j.units` : sql`NULL AS people, NULL AS roles, NULL AS units`}, ${total} AS total, (SELECT count(*)::int FROM pg) AS shown,
             encode(sha256(convert_to(j.people || j.roles || j.units, 'UTF8')), 'hex') AS fingerprint
      FROM j`.execute(db);
    const fingerprintOf = (r: { total: number; fingerprint: string }) => `${r.total}|${r.fingerprint}`;
    let t = (await read(false)).rows[0]!;
    if (!drawn(fingerprintOf(t))) t = (await read(true)).rows[0]!;
    return {
      total: Number(t.total),
      shown: Number(t.shown),
      fingerprint: fingerprintOf(t),
      read: () => {
        if (t.people === null || t.roles === null || t.units === null) throw new Error('directory: the page was drawn already; its rows were not read');
        const roles = new Map<number, Role[]>();
        for (const [id, role] of JSON.parse(t.roles) as [number, Role][]) {
          const of = roles.get(id);
          if (of) of.push(role);
          else roles.set(id, [role]);
        }
        const units = unitPicksOf(JSON.parse(t.units) as UnitPickTuple[]);
        const unitName = new Map(units.map((u) => [u.id, u.name]));
        return {
          rows: (JSON.parse(t.people) as DirectoryTuple[]).map(([id, name, kana, email, staff_number, affiliation, unit_id]) => ({
            id,
            name,
            kana,
            email,
            staff_number,
            affiliation,
            unit_name: unit_id === null ? null : (unitName.get(unit_id) ?? null),
            roles: (roles.get(id) ?? []).sort(),
          })),
          units: units.filter((u) => u.active).map(({ active: _, ...u }) => u),
        };
      },
    };
  },

};
