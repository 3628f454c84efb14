import type { Kysely } from 'kysely';
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
  findOneTimeToken(db: Kysely<Database>, hash: string, now: Date) {
    return db
      .selectFrom('one_time_tokens')
      .selectAll()
      .where('token_hash', '=', hash)
      .where('used_at', 'is', null)
      .where('expires_at', '>', now)
      .executeTakeFirst();
  },

  throttle(db: Kysely<Database>, key: string) {
    return db.selectFrom('login_throttle').selectAll().where('key', '=', key).executeTakeFirst();
  },
  async saveThrottle(
    db: Kysely<Database>,
    t: { key: string; failures: number; firstFailureAt: Date; lockedUntil: Date | null },
  ): Promise<void> {
    await db
      .insertInto('login_throttle')
      .values({ key: t.key, failures: t.failures, first_failure_at: t.firstFailureAt, locked_until: t.lockedUntil })
      .onConflict((oc) =>
        oc.column('key').doUpdateSet({ failures: t.failures, first_failure_at: t.firstFailureAt, locked_until: t.lockedUntil }),
      )
      .execute();
  },
  async clearThrottle(db: Kysely<Database>, key: string): Promise<void> {
    await db.deleteFrom('login_throttle').where('key', '=', key).execute();
  },
};
