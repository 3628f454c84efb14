import { type Kysely, sql } from 'kysely';
import { insertJsonRows, type JsonInsert, jsonInsert } from '../json-rows.js';
import type { Database, OutboxMail } from '../schema.js';

/** A mail to queue: sent from `now` on. */
export interface NewMail {
  to: string;
  subject: string;
  body: string;
  now: Date;
}

export const outboxRepository = {
  async enqueue(db: Kysely<Database>, m: NewMail): Promise<void> {
    await this.enqueueMany(db, [m]);
  },
  async enqueueMany(db: Kysely<Database>, mails: readonly NewMail[]): Promise<void> {
    await insertJsonRows(db, this.insertion(mails));
  },
  /** The insert of these mails, to run with others (`insertTogether`). */
  insertion(mails: readonly NewMail[]): JsonInsert {
    return jsonInsert(
      'outbox',
      { to_address: 'text', subject: 'text', body_text: 'text', status: 'text', next_attempt_at: 'timestamptz', created_at: 'timestamptz' },
      mails.map((m) => ({ to_address: m.to, subject: m.subject, body_text: m.body, status: 'pending', next_attempt_at: m.now, created_at: m.now })),
    );
  },
  /**
   * Claims due mail for one worker: rows locked by another instance are skipped
   * (FOR UPDATE SKIP LOCKED), and a claim expires after `leaseMs` should the worker die.
   */
  async claim(db: Kysely<Database>, now: Date, limit: number, leaseMs: number): Promise<OutboxMail[]> {
    return db.transaction().execute(async (trx) => {
      const due = await trx
        .selectFrom('outbox')
        .select('id')
        .where((eb) =>
          eb.or([
            eb.and([eb('status', '=', 'pending'), eb('next_attempt_at', '<=', now)]),
            eb.and([eb('status', '=', 'sending'), eb('locked_until', '<', now)]),
          ]),
        )
        .orderBy('id')
        .limit(limit)
        .forUpdate()
        .skipLocked()
        .execute();
      if (!due.length) return [];
      return trx
        .updateTable('outbox')
        .set({ status: 'sending', locked_until: new Date(now.getTime() + leaseMs), attempts: sql`attempts + 1` })
        .where(
          'id',
          'in',
          due.map((d) => d.id),
        )
        .returningAll()
        .execute();
    });
  },
  /** Gives back claimed mail that was not sent (the worker is stopping): due again at once, the attempt not counted. */
  async release(db: Kysely<Database>, ids: readonly number[]): Promise<void> {
    if (!ids.length) return;
    await db
      .updateTable('outbox')
      .set({ status: 'pending', locked_until: null, attempts: sql`GREATEST(attempts - 1, 0)` })
      .where('id', 'in', [...ids])
      .where('status', '=', 'sending')
      .execute();
  },
  async markSent(db: Kysely<Database>, id: number, now: Date): Promise<void> {
    await db.updateTable('outbox').set({ status: 'sent', sent_at: now, locked_until: null, last_error: null }).where('id', '=', id).execute();
  },
  async markRetry(db: Kysely<Database>, id: number, error: string, next: Date, giveUp: boolean): Promise<void> {
    await db
      .updateTable('outbox')
      .set({ status: giveUp ? 'failed' : 'pending', next_attempt_at: next, locked_until: null, last_error: error.slice(0, 1000) })
      .where('id', '=', id)
      .execute();
  },
  async list(db: Kysely<Database>, limit: number, offset: number): Promise<{ rows: OutboxMail[]; total: number }> {
    const rows = await db.selectFrom('outbox').selectAll().orderBy('id', 'desc').limit(limit).offset(offset).execute();
    const total = (await db.selectFrom('outbox').select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow()).n;
    return { rows, total };
  },
  find(db: Kysely<Database>, id: number) {
    return db.selectFrom('outbox').selectAll().where('id', '=', id).executeTakeFirst();
  },
};
