import { createServer } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outboxRepository } from '../../src/db/repositories/outbox.repository.js';
import { createTransport, deliverOutbox, retryDelayMs } from '../../src/services/mail.service.js';
import { createTestDb, type TestDb, testContext } from '../support/db.js';

/**
 * SMTP down for a while: the outbox keeps every mail, retries with backoff, and once the mail server
 * is back on the same address each mail goes out exactly once. A worker that dies while sending
 * (its claim never settled) does not lose the mail either: the lease runs out and it is sent again.
 */
let tdb: TestDb;
beforeAll(async () => {
  tdb = await createTestDb();
});
afterAll(() => tdb.close());

async function freePort(): Promise<number> {
  const s = createServer();
  const port = await new Promise<number>((r) => s.listen(0, '127.0.0.1', () => r((s.address() as { port: number }).port)));
  await new Promise((r) => s.close(r));
  return port;
}

function smtpOn(port: number) {
  const received: string[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      stream.on('data', () => {});
      stream.on('end', () => {
        received.push(...session.envelope.rcptTo.map((r) => r.address));
        callback();
      });
    },
  });
  return {
    received,
    start: () => new Promise<void>((r) => server.listen(port, '127.0.0.1', () => r())),
    stop: () => new Promise<void>((r) => server.close(() => r())),
  };
}

describe('SMTP outage', () => {
  it('keeps every mail while SMTP is down, retries with backoff, and sends each exactly once when it is back', async () => {
    const port = await freePort();
    const url = `smtp://127.0.0.1:${port}`;
    const ctx = testContext(tdb, { config: { smtpUrl: url } });
    const to = Array.from({ length: 6 }, (_, i) => `outage${i}@pref.example.jp`);
    for (const a of to) await outboxRepository.enqueue(ctx.db, { to: a, subject: '停止中の送信', body: '本文', now: ctx.now() });

    const transport = createTransport(url);
    // Down: three rounds of attempts, each after its backoff.
    for (let attempt = 1; attempt <= 3; attempt++) {
      expect(await deliverOutbox(ctx, transport)).toEqual({ sent: 0, failed: 6 });
      const rows = (await outboxRepository.list(ctx.db, 100, 0)).rows.filter((m) => to.includes(m.to_address));
      expect(rows).toHaveLength(6);
      expect(rows.every((m) => m.status === 'pending' && m.attempts === attempt && /ECONNREFUSED|connect/i.test(m.last_error ?? ''))).toBe(true);
      // Not retried before its backoff.
      expect(await deliverOutbox(ctx, transport)).toEqual({ sent: 0, failed: 0 });
      ctx.clock.advance(retryDelayMs(attempt) + 1);
    }

    // Back on the same address.
    const smtp = smtpOn(port);
    await smtp.start();
    try {
      expect(await deliverOutbox(ctx, transport)).toEqual({ sent: 6, failed: 0 });
      ctx.clock.advance(3_600_000);
      expect(await deliverOutbox(ctx, transport)).toEqual({ sent: 0, failed: 0 });
      expect([...smtp.received].sort()).toEqual([...to].sort());
      const rows = (await outboxRepository.list(ctx.db, 100, 0)).rows.filter((m) => to.includes(m.to_address));
      expect(rows.every((m) => m.status === 'sent')).toBe(true);
    } finally {
      transport.close();
      await smtp.stop();
    }
  });

  it('a worker that died while sending: the claim expires and the mail is sent by the next run', async () => {
    const port = await freePort();
    const smtp = smtpOn(port);
    await smtp.start();
    const ctx = testContext(tdb, { config: { smtpUrl: `smtp://127.0.0.1:${port}` } });
    await outboxRepository.enqueue(ctx.db, { to: 'crashed@pref.example.jp', subject: 's', body: 'b', now: ctx.now() });
    // The dead worker: it claimed the mail and never came back.
    const claimed = await outboxRepository.claim(ctx.db, ctx.now(), 20, 5 * 60_000);
    expect(claimed.map((m) => m.to_address)).toContain('crashed@pref.example.jp');
    const transport = createTransport(`smtp://127.0.0.1:${port}`);
    try {
      // Still leased: nobody else sends it twice.
      expect((await deliverOutbox(ctx, transport)).sent).toBe(0);
      ctx.clock.advance(5 * 60_000 + 1);
      expect((await deliverOutbox(ctx, transport)).sent).toBeGreaterThanOrEqual(1);
      expect(smtp.received.filter((a) => a === 'crashed@pref.example.jp')).toHaveLength(1);
    } finally {
      transport.close();
      await smtp.stop();
    }
  });
});
