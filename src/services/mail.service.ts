import type { Kysely } from 'kysely';
import nodemailer, { type Transporter } from 'nodemailer';
import { type NewMail, outboxRepository } from '../db/repositories/outbox.repository.js';
import type { Database } from '../db/schema.js';
import type { ItipMethod } from '../lib/icalendar.js';
import type { AppContext } from './context.js';

/** Queues a mail in the same transaction as the change it reports; it goes out after commit. */
export async function enqueueMail(
  trx: Kysely<Database>,
  ctx: Pick<AppContext, 'now'>,
  mail: Mail,
): Promise<void> {
  await enqueueMails(trx, ctx, [mail]);
}

/** Queues several mails in one statement, in the same transaction as the change they report. */
export async function enqueueMails(trx: Kysely<Database>, ctx: Pick<AppContext, 'now'>, mails: readonly Mail[]): Promise<void> {
  await outboxRepository.enqueueMany(trx, outboxMails(ctx, mails));
}

export interface Mail {
  to: string;
  subject: string;
  body: string;
  /**
   * A calendar invitation, update or cancellation (one iTIP object, `toItip`): sent as a
   * `text/calendar; method=…` alternative, which Outlook and Exchange turn into a meeting item, and
   * as an .ics attachment for the other clients (decision 0023).
   */
  calendar?: CalendarPart;
}

export interface CalendarPart {
  method: ItipMethod;
  ics: string;
}

/** These mails as queued (due now), to write with other rows in one statement. */
export function outboxMails(ctx: Pick<AppContext, 'now'>, mails: readonly Mail[]): NewMail[] {
  const now = ctx.now();
  // Field by field: `{ ...m, now }` costs microseconds a mail on Node 20, and a group of applications has dozens.
  return mails.map((m) => ({ to: m.to, subject: m.subject, body: m.body, calendar: m.calendar, now }));
}

const MAX_ATTEMPTS = 8;
const LEASE_MS = 5 * 60_000;

/** Backoff after the n-th failed attempt: 30 s, 1 min, 2 min, … capped at 1 h. */
export function retryDelayMs(attempts: number): number {
  return Math.min(30_000 * 2 ** Math.max(0, attempts - 1), 3_600_000);
}

export interface OutboxRunResult {
  sent: number;
  failed: number;
}

/**
 * Sends due mail. Safe with several app instances: rows are claimed with
 * FOR UPDATE SKIP LOCKED and a lease, then sent outside the transaction.
 * `stopping()` is asked before each mail: once it says yes, the mail claimed but not sent is given
 * back (due at once, for this instance after a restart or for another one) and the run ends, so a
 * shutdown waits for one mail at most, not for the whole backlog.
 */
export async function deliverOutbox(ctx: AppContext, transport: Transporter, batch = 20, stopping: () => boolean = () => false): Promise<OutboxRunResult> {
  const result = { sent: 0, failed: 0 };
  for (;;) {
    if (stopping()) return result;
    const mails = await outboxRepository.claim(ctx.db, ctx.now(), batch, LEASE_MS);
    if (!mails.length) return result;
    for (const [i, m] of mails.entries()) {
      if (stopping()) {
        await outboxRepository.release(ctx.db, mails.slice(i).map((x) => x.id));
        return result;
      }
      try {
        await transport.sendMail({
          from: ctx.config.mailFrom,
          to: m.to_address,
          subject: m.subject,
          text: m.body_text,
          ...(m.calendar_method && m.calendar_ics
            ? { icalEvent: { method: m.calendar_method, filename: m.calendar_method === 'CANCEL' ? 'cancel.ics' : 'invite.ics', content: m.calendar_ics } }
            : {}),
        });
        await outboxRepository.markSent(ctx.db, m.id, ctx.now());
        result.sent++;
      } catch (e) {
        const giveUp = m.attempts >= MAX_ATTEMPTS;
        await outboxRepository.markRetry(
          ctx.db,
          m.id,
          String((e as Error).message ?? e),
          new Date(ctx.now().getTime() + retryDelayMs(m.attempts)),
          giveUp,
        );
        result.failed++;
      }
    }
    if (mails.length < batch) return result;
  }
}

export function createTransport(smtpUrl: string): Transporter {
  return nodemailer.createTransport(smtpUrl);
}

/** The background worker: runs on a timer and when kicked after a commit. */
export function startOutboxWorker(ctx: AppContext, log: (msg: string) => void): { kick: () => void; stop: () => Promise<void> } {
  if (!ctx.config.smtpUrl) return { kick: () => {}, stop: async () => {} };
  const transport = createTransport(ctx.config.smtpUrl);
  let running: Promise<void> | null = null;
  let again = false;
  let stopped = false;
  const run = () => {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = deliverOutbox(ctx, transport, 20, () => stopped)
      .then((r) => {
        if (r.failed) log(`outbox: ${r.sent} sent, ${r.failed} failed (will retry)`);
      })
      .catch((e) => log(`outbox: ${(e as Error).message}`))
      .finally(() => {
        running = null;
        if (again) {
          again = false;
          run();
        }
      });
  };
  const timer = setInterval(run, ctx.config.outboxIntervalMs);
  timer.unref();
  return {
    kick: () => setImmediate(run),
    stop: async () => {
      stopped = true;
      clearInterval(timer);
      await running;
      transport.close();
    },
  };
}

export function listOutbox(ctx: AppContext, limit: number, offset: number, f: { status?: 'pending' | 'sending' | 'sent' | 'failed'; countUpTo?: number; before?: number } = {}) {
  return outboxRepository.list(ctx.db, limit, offset, f);
}
