import { type Kysely, sql } from 'kysely';
import type { Database } from '../schema.js';

type Who = { id: number; email: string; name: string };

const inTrainings = (fy: number) =>
  sql<boolean>`exists (select 1 from applications a join offerings o on o.id = a.offering_id where a.person_id = people.id and o.fiscal_year = ${fy} and a.status = 'confirmed')`;
const hasRole = (role: string) => sql<boolean>`exists (select 1 from person_roles r where r.person_id = people.id and r.role = ${role})`;

/** The queries that choose the sample sign-ins (services/sample-data/sign-ins.ts): read-only. */
export const sampleSignInRepository = {
  /** Partners that host a field training (any year) or are among the first `first`, by id. */
  async partnersToStaff(db: Kysely<Database>, first: number): Promise<{ id: number; name: string; kana: string; hasMember: boolean }[]> {
    const hosts = await db.selectFrom('offering_sessions').select('host_partner_id').where('host_partner_id', 'is not', null).distinct().execute();
    const firsts = await db.selectFrom('partners').select('id').orderBy('id').limit(first).execute();
    const ids = [...new Set([...firsts.map((p) => p.id), ...hosts.map((h) => h.host_partner_id!)])];
    if (!ids.length) return [];
    return db
      .selectFrom('partners')
      .select(['id', 'name', 'kana'])
      .select((eb) => eb.exists(eb.selectFrom('people').whereRef('people.partner_id', '=', 'partners.id')).as('hasMember'))
      .where('id', 'in', ids)
      .orderBy('id')
      .execute() as Promise<{ id: number; name: string; kana: string; hasMember: boolean }[]>;
  },

  /** Prefecture units by how many of their people are in this fiscal year's trainings, most first. */
  async unitsByTrainees(db: Kysely<Database>, fy: number): Promise<number[]> {
    const rows = await db
      .selectFrom('people')
      .innerJoin('applications as a', 'a.person_id', 'people.id')
      .innerJoin('offerings as o', 'o.id', 'a.offering_id')
      .select(['people.unit_id', sql<number>`count(distinct people.id)`.as('n')])
      .where('o.fiscal_year', '=', fy)
      .where('people.affiliation', '=', 'prefecture')
      .where('people.unit_id', 'is not', null)
      .groupBy('people.unit_id')
      .orderBy('n', 'desc')
      .orderBy('people.unit_id')
      .execute();
    return rows.map((r) => r.unit_id!);
  },

  firstWithRole(db: Kysely<Database>, role: 'approver' | 'coordinator'): Promise<(Who & { unit_id: number | null }) | undefined> {
    return db.selectFrom('people').select(['id', 'email', 'name', 'unit_id']).where(hasRole(role)).orderBy('id').executeTakeFirst();
  },

  /** Active people of this affiliation, confirmed in this fiscal year's trainings, with no role but staff; by id. */
  participants(db: Kysely<Database>, affiliation: 'prefecture' | 'municipality', fy: number) {
    return db
      .selectFrom('people')
      .select(['id', 'email', 'name', 'unit_id'])
      .select((eb) => eb.exists(eb.selectFrom('certificates as c').whereRef('c.person_id', '=', 'people.id')).as('certified'))
      .where('affiliation', '=', affiliation)
      .where('active', '=', true)
      .where(inTrainings(fy))
      .where(sql<boolean>`not (${hasRole('approver')} or ${hasRole('coordinator')} or ${hasRole('admin')})`)
      .orderBy('id')
      .execute();
  },

  /** The coordinator with the most open cases (assigned or in progress, not declined). */
  busiestCoordinator(db: Kysely<Database>): Promise<Who | undefined> {
    return db
      .selectFrom('people')
      .innerJoin('consultation_assignments as ca', 'ca.person_id', 'people.id')
      .innerJoin('consultations as c', 'c.id', 'ca.consultation_id')
      .select(['people.id', 'people.email', 'people.name', sql<number>`count(*)`.as('n')])
      .where('c.status', 'in', ['assigned', 'in_progress'])
      .where('ca.status', '!=', 'declined')
      .where(hasRole('coordinator'))
      .groupBy(['people.id', 'people.email', 'people.name'])
      .orderBy('n', 'desc')
      .orderBy('people.id')
      .executeTakeFirst();
  },

  /** A member of the partner hosting the next field training after `now` (else of any partner). */
  async nextHostMember(db: Kysely<Database>, now: Date): Promise<Who | undefined> {
    const next = await db.selectFrom('offering_sessions').select('host_partner_id').where('host_partner_id', 'is not', null).where('starts_at', '>', now).orderBy('starts_at').executeTakeFirst();
    return db
      .selectFrom('people')
      .select(['id', 'email', 'name'])
      .where('affiliation', '=', 'partner')
      .where('partner_id', 'is not', null)
      .$if(!!next, (q) => q.where('partner_id', '=', next!.host_partner_id!))
      .orderBy('id')
      .executeTakeFirst();
  },
};
