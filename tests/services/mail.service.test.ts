import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outboxRepository } from '../../src/db/repositories/outbox.repository.js';
import { invite, setPasswordWithLink } from '../../src/services/account.service.js';
import { createTransport, deliverOutbox, retryDelayMs, startOutboxWorker } from '../../src/services/mail.service.js';
import { createTestDb, type TestDb, testContext } from '../support/db.js';
import { makeUser } from '../support/http.js';
import { readMail, startSmtp } from '../support/smtp.js';

let tdb: TestDb;
let smtp: Awaited<ReturnType<typeof startSmtp>>;

beforeAll(async () => {
  tdb = await createTestDb();
  smtp = await startSmtp();
});
afterAll(async () => {
  await smtp.stop();
  await tdb.close();
});

describe('outbox and SMTP', () => {
  it('queues an invitation in the outbox and delivers it over real SMTP with a one-time link that works once', async () => {
    const ctx = testContext(tdb, { config: { smtpUrl: smtp.url } });
    const admin = await makeUser(ctx, ['admin']);
    const staff = await makeUser(ctx, ['staff'], { email: 'invitee@pref.example.jp', name: '招待 さくら' });
    await invite(ctx, admin, staff.id);
    expect(ctx.kicks).toBe(1);
    const transport = createTransport(smtp.url);
    const r = await deliverOutbox(ctx, transport);
    transport.close();
    expect(r).toEqual({ sent: 1, failed: 0 });
    const mail = smtp.mails.find((m) => m.to.includes('invitee@pref.example.jp'))!;
    expect(mail).toBeDefined();
    const { subject, text } = await readMail(mail.raw);
    expect(subject).toBe('【Kyodo】アカウントへの招待');
    expect(text).toContain('招待 さくら 様');
    const link = text.match(/http:\/\/kyodo\.test\/password\/set\/([\w-]+)/)!;
    expect(link).not.toBeNull();
    await setPasswordWithLink(ctx, link[1], { password: 'new password 2026', passwordConfirm: 'new password 2026' });
    await expect(setPasswordWithLink(ctx, link[1], { password: 'new password 2026', passwordConfirm: 'new password 2026' })).rejects.toMatchObject({
      code: 'token_invalid',
    });
    // Nothing left to send.
    expect(await deliverOutbox(ctx, createTransport(smtp.url))).toEqual({ sent: 0, failed: 0 });
  });

  it('keeps and retries mail while SMTP refuses it, and sends it once SMTP accepts', async () => {
    const ctx = testContext(tdb, { config: { smtpUrl: smtp.url } });
    await outboxRepository.enqueue(ctx.db, { to: 'retry@pref.example.jp', subject: '再送試験', body: '本文', now: ctx.now() });
    smtp.failNext(1);
    const transport = createTransport(smtp.url);
    expect(await deliverOutbox(ctx, transport)).toEqual({ sent: 0, failed: 1 });
    // Not due yet: nothing is tried before the backoff.
    expect(await deliverOutbox(ctx, transport)).toEqual({ sent: 0, failed: 0 });
    ctx.clock.advance(retryDelayMs(1) + 1);
    expect(await deliverOutbox(ctx, transport)).toEqual({ sent: 1, failed: 0 });
    transport.close();
    expect(smtp.mails.filter((m) => m.to.includes('retry@pref.example.jp'))).toHaveLength(1);
  });

  it('with SMTP unreachable, mail stays pending with the error recorded', async () => {
    const ctx = testContext(tdb, { config: { smtpUrl: 'smtp://127.0.0.1:1' } });
    await outboxRepository.enqueue(ctx.db, { to: 'down@pref.example.jp', subject: '停止中', body: '本文', now: ctx.now() });
    const transport = createTransport('smtp://127.0.0.1:1');
    const r = await deliverOutbox(ctx, transport);
    transport.close();
    expect(r.failed).toBeGreaterThanOrEqual(1);
    const { rows } = await outboxRepository.list(ctx.db, 50, 0);
    const m = rows.find((x) => x.to_address === 'down@pref.example.jp')!;
    expect(m.status).toBe('pending');
    expect(m.last_error).toMatch(/ECONNREFUSED|connect/i);
  });

  it('two workers claiming at once never take the same mail', async () => {
    const ctx = testContext(tdb);
    for (let i = 0; i < 30; i++) await outboxRepository.enqueue(ctx.db, { to: `claim${i}@pref.example.jp`, subject: 's', body: 'b', now: ctx.now() });
    const [a, b] = await Promise.all([outboxRepository.claim(ctx.db, ctx.now(), 20, 60_000), outboxRepository.claim(ctx.db, ctx.now(), 20, 60_000)]);
    const ids = [...a, ...b].map((m) => m.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('stops after the mail in hand when told to stop, giving back the rest of the backlog (issue 17, medium 6)', async () => {
    const ctx = testContext(tdb, { config: { smtpUrl: smtp.url, outboxIntervalMs: 3_600_000 } });
    await ctx.db.deleteFrom('outbox').execute();
    const backlog = 470;
    await outboxRepository.enqueueMany(
      ctx.db,
      Array.from({ length: backlog }, (_, i) => ({ to: `backlog${i}@pref.example.jp`, subject: '滞留', body: '本文', now: ctx.now() })),
    );
    const received = () => smtp.mails.filter((m) => m.to[0]?.startsWith('backlog')).length;
    const worker = startOutboxWorker(ctx, () => {});
    worker.kick();
    // Poll (no deadline of its own: the test's 120 s limit is the only one) until a few mails are through.
    while (received() < 3) await new Promise((r) => setTimeout(r, 100));
    await worker.stop();
    const sentBeforeStop = received();
    expect(sentBeforeStop).toBeLessThan(backlog);
    const rows = await ctx.db.selectFrom('outbox').select(['status', 'attempts']).execute();
    expect(rows.filter((r) => r.status === 'sending')).toEqual([]);
    expect(rows.filter((r) => r.status === 'sent').length).toBe(sentBeforeStop);
    const pending = rows.filter((r) => r.status === 'pending');
    expect(pending.length).toBe(backlog - sentBeforeStop);
    // Given back without counting an attempt: the next start sends them at once.
    expect(pending.every((r) => r.attempts === 0)).toBe(true);
    // Stopped means stopped: a kick now sends nothing more.
    worker.kick();
    await new Promise((r) => setImmediate(r));
    expect(received()).toBe(sentBeforeStop);
  }, 120_000);
});
