import { type Kysely, sql, type Updateable } from 'kysely';
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
  async list(db: Kysely<Database>, f: PersonListQuery): Promise<{ rows: PersonWithRoles[]; total: number }> {
    let q = db.selectFrom('people').leftJoin('units', 'units.id', 'people.unit_id');
    if (f.q) q = q.where('people.search_key', 'like', `%${escapeLike(f.q)}%`);
    if (f.unitId) q = q.where('people.unit_id', '=', f.unitId);
    if (f.affiliation) q = q.where('people.affiliation', '=', f.affiliation);
    if (f.role)
      q = q.where((eb) =>
        eb.exists(
          eb
            .selectFrom('person_roles')
            .whereRef('person_roles.person_id', '=', 'people.id')
            .where('person_roles.role', '=', f.role!),
        ),
      );
    if (!f.includeInactive) q = q.where('people.active', '=', true);
    const dir = f.dir ?? 'asc';
    const rows = await q
      .selectAll('people')
      .select('units.name as unit_name')
      .orderBy(sortColumns[f.sort ?? 'kana'], dir)
      .orderBy(sql`people.kana COLLATE "C"`)
      .orderBy('people.id', 'asc')
      .limit(f.limit ?? 50)
      .offset(f.offset ?? 0)
      .execute();
    const total = (await q.select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow()).n;
    const ids = rows.map((r) => r.id);
    const roleRows = ids.length
      ? await db.selectFrom('person_roles').select(['person_id', 'role']).where('person_id', 'in', ids).execute()
      : [];
    const byPerson = new Map<number, Role[]>();
    for (const r of roleRows) byPerson.set(r.person_id, [...(byPerson.get(r.person_id) ?? []), r.role]);
    return { rows: rows.map((r) => ({ ...r, roles: (byPerson.get(r.id) ?? []).sort() })), total };
  },
};
