import { type Kysely, sql } from 'kysely';
import type { Database } from '../schema.js';

export const certificateRepository = {
  async nextNumber(db: Kysely<Database>, fiscalYear: number): Promise<string> {
    const r = await sql<{ n: number }>`SELECT nextval('certificate_number_seq') AS n`.execute(db);
    return `KYODO-${fiscalYear}-${String(r.rows[0].n).padStart(6, '0')}`;
  },
  insert(db: Kysely<Database>, c: Parameters<ReturnType<Kysely<Database>['insertInto']>['values']>[0]) {
    return db.insertInto('certificates').values(c as never).returningAll().executeTakeFirstOrThrow();
  },
  findByNumber(db: Kysely<Database>, number: string) {
    return this.withHolder(db).where('certificates.number', '=', number).executeTakeFirst();
  },
  /** The public verification's only way in: the unguessable code. */
  findByCode(db: Kysely<Database>, code: string) {
    return this.withHolder(db).where('certificates.verification_code', '=', code).executeTakeFirst();
  },
  withHolder(db: Kysely<Database>) {
    return db
      .selectFrom('certificates')
      .innerJoin('people', 'people.id', 'certificates.person_id')
      .innerJoin('programmes', 'programmes.id', 'certificates.programme_id')
      .selectAll('certificates')
      .select(['people.name as person_name', 'people.kana as person_kana', 'programmes.name as programme_name', 'programmes.name_en as programme_name_en', 'programmes.kind as programme_kind']);
  },
  standingForApplication(db: Kysely<Database>, applicationId: number) {
    return db.selectFrom('certificates').selectAll().where('application_id', '=', applicationId).where('revoked_at', 'is', null).executeTakeFirst();
  },
  forPerson(db: Kysely<Database>, personId: number) {
    return db
      .selectFrom('certificates')
      .innerJoin('programmes', 'programmes.id', 'certificates.programme_id')
      .selectAll('certificates')
      .select(['programmes.name as programme_name'])
      .where('certificates.person_id', '=', personId)
      .orderBy('certificates.completed_on', 'desc')
      .execute();
  },
  forOffering(db: Kysely<Database>, offeringId: number) {
    return db
      .selectFrom('certificates')
      .innerJoin('applications', 'applications.id', 'certificates.application_id')
      .innerJoin('people', 'people.id', 'certificates.person_id')
      .innerJoin('programmes', 'programmes.id', 'certificates.programme_id')
      .selectAll('certificates')
      .select(['people.name as person_name', 'people.kana as person_kana', 'programmes.name as programme_name', 'programmes.name_en as programme_name_en', 'programmes.kind as programme_kind'])
      .where('applications.offering_id', '=', offeringId)
      .where('certificates.revoked_at', 'is', null)
      .orderBy(sql`people.kana COLLATE "C"`)
      .execute();
  },
  revoke(db: Kysely<Database>, id: number, now: Date, reason: string) {
    return db.updateTable('certificates').set({ revoked_at: now, revoke_reason: reason }).where('id', '=', id).where('revoked_at', 'is', null).returningAll().executeTakeFirst();
  },
};
