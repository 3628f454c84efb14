import { type Kysely, sql } from 'kysely';
import type { Database } from '../schema.js';

/** Login sessions, one-time links (invitation, reset) and the failed-login throttle. */
export const sessionRepository = {
  async create(
    db: Kysely<Database>,
    s: { id: string; personId: number; now: Date; expiresAt: Date; userAgent: string | null },
  ): Promise<void> {
    await db
      .insertInto('sessions')
      .values({
        id: s.id,
        person_id: s.personId,
        created_at: s.now,
        last_seen_at: s.now,
        expires_at: s.expiresAt,
        user_agent: s.userAgent,
      })
      .execute();
  },
  find(db: Kysely<Database>, id: string) {
    return db.selectFrom('sessions').selectAll().where('id', '=', id).executeTakeFirst();
  },
  async touch(db: Kysely<Database>, id: string, now: Date): Promise<void> {
    await db.updateTable('sessions').set({ last_seen_at: now }).where('id', '=', id).execute();
  },
  async delete(db: Kysely<Database>, id: string): Promise<void> {
    await db.deleteFrom('sessions').where('id', '=', id).execute();
  },
  async deleteForPerson(db: Kysely<Database>, personId: number): Promise<void> {
    await db.deleteFrom('sessions').where('person_id', '=', personId).execute();
  },
  async deleteExpired(db: Kysely<Database>, now: Date): Promise<void> {
    await db.deleteFrom('sessions').where('expires_at', '<', now).execute();
  },

  async createOneTimeToken(
    db: Kysely<Database>,
    t: { hash: string; personId: number; purpose: 'invite' | 'reset'; now: Date; expiresAt: Date },
  ): Promise<void> {
    await db
      .insertInto('one_time_tokens')
      .values({ token_hash: t.hash, person_id: t.personId, purpose: t.purpose, created_at: t.now, expires_at: t.expiresAt })
      .execute();
  },
  /** Marks a valid, unused token as used and returns its person; undefined when invalid, used or expired. */
  async consumeOneTimeToken(db: Kysely<Database>, hash: string, now: Date): Promise<{ person_id: number; purpose: string } | undefined> {
    return db
      .updateTable('one_time_tokens')
      .set({ used_at: now })
      .where('token_hash', '=', hash)
      .where('used_at', 'is', null)
      .where('expires_at', '>', now)
      .returning(['person_id', 'purpose'])
      .executeTakeFirst();
  },
  /** Spends every unused link of a person (after a password was set with one of them). */
  async spendOneTimeTokensOf(db: Kysely<Database>, personId: number, now: Date): Promise<void> {
    await db.updateTable('one_time_tokens').set({ used_at: now }).where('person_id', '=', personId).where('used_at', 'is', null).execute();
  },
  findOneTimeToken(db: Kysely<Database>, hash: string, now: Date) {
    return db
      .selectFrom('one_time_tokens')
      .selectAll()
      .where('token_hash', '=', hash)
      .where('used_at', 'is', null)
      .where('expires_at', '>', now)
      .executeTakeFirst();
  },

  async clearThrottle(db: Kysely<Database>, key: string): Promise<void> {
    await db.deleteFrom('login_throttle').where('key', '=', key).execute();
  },

  /**
   * Counts one login attempt under `key` in one statement (so parallel attempts each count), before the
   * password is checked. A count whose window has passed and that is not locked starts again at 1.
   * Returns the count including this attempt and any lock in force.
   */
  async countAttempt(
    db: Kysely<Database>,
    key: string,
    now: Date,
    windowMs: number,
  ): Promise<{ failures: number; lockedUntil: Date | null }> {
    const windowStart = new Date(now.getTime() - windowMs);
    const stale = sql<boolean>`login_throttle.first_failure_at < ${windowStart} AND (login_throttle.locked_until IS NULL OR login_throttle.locked_until <= ${now})`;
    const row = await db
      .insertInto('login_throttle')
      .values({ key, failures: 1, first_failure_at: now, locked_until: null })
      .onConflict((oc) =>
        oc.column('key').doUpdateSet({
          failures: sql`CASE WHEN ${stale} THEN 1 ELSE login_throttle.failures + 1 END`,
          first_failure_at: sql`CASE WHEN ${stale} THEN ${now}::timestamptz ELSE login_throttle.first_failure_at END`,
          locked_until: sql`CASE WHEN ${stale} THEN NULL ELSE login_throttle.locked_until END`,
        }),
      )
      .returning(['failures', 'locked_until'])
      .executeTakeFirstOrThrow();
    return { failures: row.failures, lockedUntil: row.locked_until };
  },
  /** The count under `key` within the window (0 when none or stale), without counting anything. */
  async peekAttempts(db: Kysely<Database>, key: string, now: Date, windowMs: number): Promise<number> {
    const row = await db.selectFrom('login_throttle').select(['failures', 'first_failure_at']).where('key', '=', key).executeTakeFirst();
    return row && row.first_failure_at.getTime() >= now.getTime() - windowMs ? row.failures : 0;
  },
  /** After a failed password: lock `key` until `until` once its count has reached `max`. */
  async lockIfReached(db: Kysely<Database>, key: string, max: number, until: Date): Promise<void> {
    await db.updateTable('login_throttle').set({ locked_until: until }).where('key', '=', key).where('failures', '>=', max).execute();
  },
  /** After a successful login: the attempt counted beforehand was not a failure. */
  async uncountAttempt(db: Kysely<Database>, key: string): Promise<void> {
    await db.updateTable('login_throttle').set({ failures: sql`GREATEST(failures - 1, 0)` }).where('key', '=', key).execute();
  },

  /** The account a known-device cookie belongs to, if it is one. */
  async findDevice(db: Kysely<Database>, tokenHash: string) {
    return db.selectFrom('login_devices').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
  },
  async saveDevice(db: Kysely<Database>, tokenHash: string, personId: number, now: Date): Promise<void> {
    await db
      .insertInto('login_devices')
      .values({ token_hash: tokenHash, person_id: personId, created_at: now, last_used_at: now })
      .onConflict((oc) => oc.column('token_hash').doUpdateSet({ last_used_at: now }))
      .execute();
  },
  /** Devices unused for longer than `before` are forgotten (their owner logs in as from a new browser). */
  async forgetDevicesUnusedSince(db: Kysely<Database>, before: Date): Promise<void> {
    await db.deleteFrom('login_devices').where('last_used_at', '<', before).execute();
  },
};
