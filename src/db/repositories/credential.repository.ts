import { type Kysely, sql } from 'kysely';
import type { CompletionRule } from '../../domain/completion.js';
import type { Database } from '../schema.js';

type Db = Kysely<Database>;
export type StatusRef = { certificateId: number } | { coordinatorPersonId: number };

/** Verifiable certificates: the issuer's keys, the status-list indices, and the records a credential states. */
export const credentialRepository = {
  // --- Issuer keys -------------------------------------------------------------------------------
  currentKey(db: Db) {
    return db.selectFrom('issuer_keys').selectAll().where('retired_at', 'is', null).executeTakeFirst();
  },
  /** Every key, newest first: the current one and the retired ones that still verify what they signed. */
  allKeys(db: Db) {
    return db.selectFrom('issuer_keys').selectAll().orderBy('id', 'desc').execute();
  },
  /** Adds a current key unless another became current first (two instances starting at once): then nothing. */
  insertCurrentKey(db: Db, k: { kid: string; public_jwk: string; private_jwk: string; created_at: Date }) {
    return db.insertInto('issuer_keys').values(k).onConflict((oc) => oc.doNothing()).returningAll().executeTakeFirst();
  },
  retireCurrentKey(db: Db, now: Date) {
    return db.updateTable('issuer_keys').set({ retired_at: now }).where('retired_at', 'is', null).returningAll().executeTakeFirst();
  },

  // --- Status-list indices -------------------------------------------------------------------------
  findStatusIndex(db: Db, ref: StatusRef) {
    const q = db.selectFrom('credential_status_entries').select('status_index');
    return ('certificateId' in ref ? q.where('certificate_id', '=', ref.certificateId) : q.where('coordinator_person_id', '=', ref.coordinatorPersonId)).executeTakeFirst();
  },
  countStatusEntries(db: Db) {
    return db.selectFrom('credential_status_entries').select((e) => e.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  },
  /** Takes the index for the record, unless the index is taken or the record already has one: then undefined. */
  insertStatusEntry(db: Db, index: number, ref: StatusRef, now: Date) {
    return db
      .insertInto('credential_status_entries')
      .values({
        status_index: index,
        certificate_id: 'certificateId' in ref ? ref.certificateId : null,
        coordinator_person_id: 'coordinatorPersonId' in ref ? ref.coordinatorPersonId : null,
        created_at: now,
      })
      .onConflict((oc) => oc.doNothing())
      .returning('status_index')
      .executeTakeFirst();
  },
  /**
   * The indices whose bit is set: revoked certificates, and coordinator certifications that were revoked
   * or whose certificate (the course's or the last follow-up's) was.
   */
  async revokedIndices(db: Db): Promise<number[]> {
    const r = await sql<{ status_index: number }>`
      SELECT e.status_index FROM credential_status_entries e
        JOIN certificates c ON c.id = e.certificate_id
       WHERE c.revoked_at IS NOT NULL
      UNION ALL
      SELECT e.status_index FROM credential_status_entries e
        JOIN coordinator_certifications cc ON cc.person_id = e.coordinator_person_id
        LEFT JOIN certificates c ON c.id = cc.certificate_id
       WHERE cc.revoked_at IS NOT NULL OR c.revoked_at IS NOT NULL`.execute(db);
    return r.rows.map((x) => Number(x.status_index));
  },

  // --- What a credential states ---------------------------------------------------------------------
  /** A certificate with its holder, programme and (when it came from an application) its offering. */
  certificate(db: Db, number: string) {
    return db
      .selectFrom('certificates')
      .innerJoin('people', 'people.id', 'certificates.person_id')
      .innerJoin('programmes', 'programmes.id', 'certificates.programme_id')
      .leftJoin('applications', 'applications.id', 'certificates.application_id')
      .leftJoin('offerings', 'offerings.id', 'applications.offering_id')
      .select([
        'certificates.id',
        'certificates.number',
        'certificates.person_id',
        'certificates.title',
        'certificates.completed_on',
        'certificates.valid_until',
        'certificates.revoked_at',
        'people.name as person_name',
        'people.email as person_email',
        'programmes.name as programme_name',
        'programmes.kind as programme_kind',
        'offerings.id as offering_id',
        'offerings.fiscal_year',
        'offerings.completion_rule',
      ])
      .where('certificates.number', '=', number)
      .executeTakeFirst();
  },
  /** An offering as an achievement: shown publicly only once it has issued a certificate. */
  offeringAchievement(db: Db, offeringId: number) {
    return db
      .selectFrom('offerings')
      .innerJoin('programmes', 'programmes.id', 'offerings.programme_id')
      .select(['offerings.id', 'offerings.title', 'offerings.fiscal_year', 'offerings.completion_rule', 'programmes.name as programme_name'])
      .where('offerings.id', '=', offeringId)
      .where(({ exists, selectFrom }) =>
        exists(
          selectFrom('certificates')
            .innerJoin('applications', 'applications.id', 'certificates.application_id')
            .select('certificates.id')
            .whereRef('applications.offering_id', '=', 'offerings.id'),
        ),
      )
      .executeTakeFirst() as Promise<{ id: number; title: string; fiscal_year: number; completion_rule: CompletionRule; programme_name: string } | undefined>;
  },
  async sessionCount(db: Db, offeringId: number): Promise<number> {
    const r = await db.selectFrom('offering_sessions').select((e) => e.fn.countAll<number>().as('n')).where('offering_id', '=', offeringId).executeTakeFirstOrThrow();
    return Number(r.n);
  },
  /** A person's coordinator certification with the certificate it rests on (the course's, or the last follow-up's). */
  coordinatorCertification(db: Db, personId: number) {
    return db
      .selectFrom('coordinator_certifications as cc')
      .innerJoin('people', 'people.id', 'cc.person_id')
      .leftJoin('certificates', 'certificates.id', 'cc.certificate_id')
      .select([
        'cc.person_id',
        'cc.granted_on',
        'cc.renewed_on',
        'cc.valid_until',
        'cc.revoked_at',
        'people.name as person_name',
        'people.email as person_email',
        'certificates.number as certificate_number',
        'certificates.revoked_at as certificate_revoked_at',
      ])
      .where('cc.person_id', '=', personId)
      .executeTakeFirst();
  },
};
