import { type Kysely, sql } from 'kysely';
import type { Database } from '../schema.js';

/** TOTP authenticators, their recovery codes, and pending sign-ins waiting for a second factor (decision 0025). */
export const secondFactorRepository = {
  find(db: Kysely<Database>, personId: number) {
    return db.selectFrom('second_factors').selectAll().where('person_id', '=', personId).executeTakeFirst();
  },
  /** Is a confirmed authenticator there? */
  async isEnrolled(db: Kysely<Database>, personId: number): Promise<boolean> {
    const row = await db.selectFrom('second_factors').select('person_id').where('person_id', '=', personId).where('secret_sealed', 'is not', null).executeTakeFirst();
    return !!row;
  },
  /** Keeps a secret shown for enrolment (replacing an earlier one not confirmed); a confirmed secret stays until this one is confirmed. */
  async savePending(db: Kysely<Database>, personId: number, sealed: string, now: Date): Promise<void> {
    await db
      .insertInto('second_factors')
      .values({ person_id: personId, pending_secret_sealed: sealed, updated_at: now })
      .onConflict((oc) => oc.column('person_id').doUpdateSet({ pending_secret_sealed: sealed, updated_at: now }))
      .execute();
  },
  /**
   * The pending secret becomes the authenticator, with `step` as its last used step. Only if the pending
   * secret is still `sealedPending` (a second confirmation of the same secret, or of a replaced one, changes nothing).
   */
  async confirm(db: Kysely<Database>, personId: number, sealedPending: string, step: number, now: Date): Promise<boolean> {
    const row = await db
      .updateTable('second_factors')
      .set({ secret_sealed: sealedPending, pending_secret_sealed: null, confirmed_at: now, last_used_step: step, updated_at: now })
      .where('person_id', '=', personId)
      .where('pending_secret_sealed', '=', sealedPending)
      .returning('person_id')
      .executeTakeFirst();
    return !!row;
  },
  /** Marks `step` used, in one statement: false when it (or a later step) was used already (a replayed code). */
  async useStep(db: Kysely<Database>, personId: number, step: number, now: Date): Promise<boolean> {
    const row = await db
      .updateTable('second_factors')
      .set({ last_used_step: step, updated_at: now })
      .where('person_id', '=', personId)
      .where('secret_sealed', 'is not', null)
      .where((eb) => eb.or([eb('last_used_step', 'is', null), eb('last_used_step', '<', step)]))
      .returning('person_id')
      .executeTakeFirst();
    return !!row;
  },
  /** Removes the authenticator and every recovery code. True when there was one. */
  async remove(db: Kysely<Database>, personId: number): Promise<boolean> {
    await db.deleteFrom('second_factor_recovery_codes').where('person_id', '=', personId).execute();
    const row = await db.deleteFrom('second_factors').where('person_id', '=', personId).returning('secret_sealed').executeTakeFirst();
    return !!row?.secret_sealed;
  },

  /** Replaces the person's recovery codes with these (hashes). */
  async replaceRecoveryCodes(db: Kysely<Database>, personId: number, hashes: string[]): Promise<void> {
    await db.deleteFrom('second_factor_recovery_codes').where('person_id', '=', personId).execute();
    if (hashes.length) await db.insertInto('second_factor_recovery_codes').values(hashes.map((code_hash) => ({ person_id: personId, code_hash, used_at: null }))).execute();
  },
  /** Spends an unused recovery code, in one statement: false when unknown or used already. */
  async useRecoveryCode(db: Kysely<Database>, personId: number, hash: string, now: Date): Promise<boolean> {
    const row = await db
      .updateTable('second_factor_recovery_codes')
      .set({ used_at: now })
      .where('person_id', '=', personId)
      .where('code_hash', '=', hash)
      .where('used_at', 'is', null)
      .returning('person_id')
      .executeTakeFirst();
    return !!row;
  },
  async unusedRecoveryCodes(db: Kysely<Database>, personId: number): Promise<number> {
    const row = await db
      .selectFrom('second_factor_recovery_codes')
      .select(sql<number>`count(*)::int`.as('n'))
      .where('person_id', '=', personId)
      .where('used_at', 'is', null)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  },

  async createPendingSignIn(
    db: Kysely<Database>,
    p: { tokenHash: string; personId: number; next: string; throttleKeys: { key: string; max: number }[]; now: Date; expiresAt: Date },
  ): Promise<void> {
    // One pending sign-in per person: a new password sign-in replaces the one before.
    await db.deleteFrom('pending_sign_ins').where((eb) => eb.or([eb('person_id', '=', p.personId), eb('expires_at', '<=', p.now)])).execute();
    await db
      .insertInto('pending_sign_ins')
      .values({ token_hash: p.tokenHash, person_id: p.personId, next: p.next, throttle_keys: JSON.stringify(p.throttleKeys), created_at: p.now, expires_at: p.expiresAt })
      .execute();
  },
  /** A pending sign-in that has not expired. */
  async findPendingSignIn(db: Kysely<Database>, tokenHash: string, now: Date) {
    const row = await db.selectFrom('pending_sign_ins').selectAll().where('token_hash', '=', tokenHash).where('expires_at', '>', now).executeTakeFirst();
    return row ? { ...row, throttle_keys: JSON.parse(row.throttle_keys) as { key: string; max: number }[] } : undefined;
  },
  /** Counts a wrong code against the pending sign-in; returns the count. */
  async countPendingAttempt(db: Kysely<Database>, tokenHash: string): Promise<number> {
    const row = await db
      .updateTable('pending_sign_ins')
      .set({ attempts: sql`attempts + 1` })
      .where('token_hash', '=', tokenHash)
      .returning('attempts')
      .executeTakeFirst();
    return row?.attempts ?? Number.POSITIVE_INFINITY;
  },
  /** Ends a pending sign-in (used, given up or locked); true when it was still there (so only one request can use it). */
  async deletePendingSignIn(db: Kysely<Database>, tokenHash: string): Promise<boolean> {
    const row = await db.deleteFrom('pending_sign_ins').where('token_hash', '=', tokenHash).returning('person_id').executeTakeFirst();
    return !!row;
  },
  async deletePendingSignInsOf(db: Kysely<Database>, personId: number): Promise<void> {
    await db.deleteFrom('pending_sign_ins').where('person_id', '=', personId).execute();
  },
};
