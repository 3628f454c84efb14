import type { Kysely } from 'kysely';
import type { Database } from '../schema.js';

export const coordinatorRepository = {
  findCertification(db: Kysely<Database>, personId: number) {
    return db.selectFrom('coordinator_certifications').selectAll().where('person_id', '=', personId).executeTakeFirst();
  },
  async saveCertification(db: Kysely<Database>, c: { person_id: number; granted_on: string; valid_until: string | null; renewed_on: string | null; certificate_id: number | null; updated_at: Date }) {
    await db
      .insertInto('coordinator_certifications')
      .values(c)
      .onConflict((oc) => oc.column('person_id').doUpdateSet({ valid_until: c.valid_until, renewed_on: c.renewed_on, certificate_id: c.certificate_id, revoked_at: null, updated_at: c.updated_at }))
      .execute();
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
