import type { Kysely } from 'kysely';
import type { Database } from '../schema.js';

export const coordinatorRepository = {
  findCertification(db: Kysely<Database>, personId: number) {
    return db.selectFrom('coordinator_certifications').selectAll().where('person_id', '=', personId).executeTakeFirst();
  },
  /** Grants, renews or sets again a person's certification; a revoked one stands again. */
  async saveCertification(db: Kysely<Database>, c: { person_id: number; granted_on: string; valid_until: string | null; renewed_on: string | null; certificate_id: number | null; updated_at: Date }) {
    await db
      .insertInto('coordinator_certifications')
      .values(c)
      .onConflict((oc) =>
        oc.column('person_id').doUpdateSet({ granted_on: c.granted_on, valid_until: c.valid_until, renewed_on: c.renewed_on, certificate_id: c.certificate_id, revoked_at: null, updated_at: c.updated_at }),
      )
      .execute();
  },
  /** Revokes a standing certification, keeping the row (its grant still counts among those ever certified); the row as it is now, or undefined if none stood. */
  revokeCertification(db: Kysely<Database>, personId: number, at: Date) {
    return db
      .updateTable('coordinator_certifications')
      .set({ revoked_at: at, updated_at: at })
      .where('person_id', '=', personId)
      .where('revoked_at', 'is', null)
      .returningAll()
      .executeTakeFirst();
  },
  /**
   * Locks the person's row (FOR NO KEY UPDATE: rows that refer to the person can still be written) so that
   * two transactions changing the certificates one certification rests on follow them one after the other.
   */
  async lockHolder(db: Kysely<Database>, personId: number) {
    await db.selectFrom('people').select('id').where('id', '=', personId).forNoKeyUpdate().execute();
  },
  /** A person's certificates of the coordinator course and of follow-up trainings (by the programme's kind now), revoked ones included. */
  certificationCertificates(db: Kysely<Database>, personId: number) {
    return db
      .selectFrom('certificates')
      .innerJoin('programmes', 'programmes.id', 'certificates.programme_id')
      .select(['certificates.id', 'certificates.completed_on', 'certificates.revoked_at', 'programmes.kind'])
      .where('certificates.person_id', '=', personId)
      .where('programmes.kind', 'in', ['coordinator_course', 'follow_up'])
      .execute() as Promise<{ id: number; completed_on: string; revoked_at: Date | null; kind: 'coordinator_course' | 'follow_up' }[]>;
  },
  findProfile(db: Kysely<Database>, personId: number) {
    return db.selectFrom('coordinator_profiles').selectAll().where('person_id', '=', personId).executeTakeFirst();
  },
  async saveProfile(db: Kysely<Database>, p: { person_id: number; fields: string; area_unit_ids: string; availability: string; introduction: string; updated_at: Date }) {
    await db
      .insertInto('coordinator_profiles')
      .values(p)
      .onConflict((oc) => oc.column('person_id').doUpdateSet({ fields: p.fields, area_unit_ids: p.area_unit_ids, availability: p.availability, introduction: p.introduction, updated_at: p.updated_at }))
      .execute();
  },
  directory(db: Kysely<Database>) {
    return db
      .selectFrom('coordinator_certifications')
      .innerJoin('people', 'people.id', 'coordinator_certifications.person_id')
      .leftJoin('units', 'units.id', 'people.unit_id')
      .leftJoin('coordinator_profiles', 'coordinator_profiles.person_id', 'people.id')
      .select([
        'people.id as person_id',
        'people.name',
        'people.kana',
        'people.email',
        'people.search_key',
        'units.name as unit_name',
        'coordinator_certifications.granted_on',
        'coordinator_certifications.valid_until',
        'coordinator_certifications.renewed_on',
        'coordinator_profiles.fields',
        'coordinator_profiles.area_unit_ids',
        'coordinator_profiles.availability',
        'coordinator_profiles.introduction',
      ])
      .where('people.active', '=', true)
      .where('coordinator_certifications.revoked_at', 'is', null)
      .execute();
  },
};
