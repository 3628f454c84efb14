import { type Kysely, sql } from 'kysely';
import { insertJsonRows, type JsonInsert, jsonInsert } from '../json-rows.js';
import type { Database, OutboxMail } from '../schema.js';

/** A mail to queue: sent from `now` on. */
export interface NewMail {
  to: string;
  subject: string;
  body: string;
  now: Date;
  /** One iCalendar object (iTIP) sent with the mail: `text/calendar; method=…` and an .ics attachment (decision 0023). */
  calendar?: { method: 'REQUEST' | 'CANCEL'; ics: string };
}

export const outboxRepository = {
  async enqueue(db: Kysely<Database>, m: NewMail): Promise<void> {
    await this.enqueueMany(db, [m]);
  },
  async enqueueMany(db: Kysely<Database>, mails: readonly NewMail[]): Promise<void> {
    await insertJsonRows(db, this.insertion(mails));
  },
  /** The insert of these mails, to run alone (`enqueueMany`), with others (`insertTogether`) or inside a group's write (`applicationStatements.groupWrite`). */
  insertion(mails: readonly NewMail[]): JsonInsert {
    return jsonInsert(
      'outbox',
      { to_address: 'text', subject: 'text', body_text: 'text', calendar_method: 'text', calendar_ics: 'text', status: 'text', next_attempt_at: 'timestamptz', created_at: 'timestamptz' },
      mails.map((m) => ({
        to_address: m.to,
        subject: m.subject,
        body_text: m.body,
        calendar_method: m.calendar?.method ?? null,
        calendar_ics: m.calendar?.ics ?? null,
        status: 'pending',
        next_attempt_at: m.now,
        created_at: m.now,
      })),
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
  /**
   * One page of mail, newest first, optionally of one status. The outbox keeps every mail for years, so
   * it is counted only up to `countUpTo` past the page (`more`: there are more than `total`). With
   * `before` (the API's cursor), only mail older than that one.
   */
  async list(db: Kysely<Database>, limit: number, offset: number, f: { status?: OutboxMail['status']; countUpTo?: number; before?: number } = {}): Promise<{ rows: OutboxMail[]; total: number; more: boolean }> {
    let q = db.selectFrom('outbox');
    // Keyset paging (the API's cursor): the mail queued before this one, newest first.
    if (f.before) q = q.where('id', '<', f.before);
    if (f.status) q = q.where('status', '=', f.status);
    const cap = offset + (f.countUpTo ?? 10_000);
    const [rows, count] = await Promise.all([
      q.selectAll().orderBy('id', 'desc').limit(limit).offset(offset).execute(),
      db.selectFrom(q.select(sql`1`.as('one')).limit(cap + 1).as('m')).select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow(),
    ]);
    const more = count.n > cap;
    return { rows, total: more ? cap : count.n, more };
  },
  find(db: Kysely<Database>, id: number) {
    return db.selectFrom('outbox').selectAll().where('id', '=', id).executeTakeFirst();
  },
};
