import { type ChildProcess, spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { applicationRepository } from '../../src/db/repositories/application.repository.js';
import { createApiToken } from '../../src/services/api-token.service.js';
import { createTestDb, type TestDb, testContext } from '../support/db.js';
import { makeUser } from '../support/http.js';
import { makeOffering } from '../support/offerings.js';
import { startSmtp } from '../support/smtp.js';
import { enqueueMail } from '../../src/services/mail.service.js';

const bin = new URL('../../bin/kyodo.mjs', import.meta.url).pathname;

function serve(url: string, smtpUrl: string): Promise<{ child: ChildProcess; base: string }> {
  const child = spawn(process.execPath, [bin, 'serve'], {
    env: { ...process.env, DATABASE_URL: url, PORT: '0', KYODO_DATA_DIR: '/nonexistent', SMTP_URL: smtpUrl, KYODO_OUTBOX_INTERVAL_MS: '100' },
  });
  return new Promise((resolve, reject) => {
    let out = '';
    const on = (d: Buffer) => {
      out += d.toString();
      const m = out.match(/running at (http:\/\/[\d.:]+)/);
      if (m) resolve({ child, base: m[1] });
    };
    child.stdout!.on('data', on);
    child.stderr!.on('data', on);
    child.on('exit', (code) => reject(new Error(`server exited ${code}: ${out}`)));
  });
}

// Two app processes on one PostgreSQL: only meaningful on the PostgreSQL pass.
describe.runIf(!!inject('databaseUrl'))('two app processes on one PostgreSQL', () => {
  let tdb: TestDb;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  const servers: { child: ChildProcess; base: string }[] = [];
  beforeAll(async () => {
    tdb = await createTestDb();
    smtp = await startSmtp();
    servers.push(await serve(tdb.url!, smtp.url), await serve(tdb.url!, smtp.url));
  }, 60_000);
  afterAll(async () => {
    for (const s of servers) s.child.kill('SIGKILL');
    await smtp.stop();
    await tdb.close();
  });

  it('the two outbox workers send each mail exactly once', async () => {
    const ctx = testContext(tdb);
    ctx.clock.current = new Date(Date.now() - 1000);
    const n = 60;
    await tdb.db.transaction().execute(async (trx) => {
      for (let i = 0; i < n; i++) await enqueueMail(trx, ctx, { to: `scale-${i}@pref.example.jp`, subject: `scale-out ${i}`, body: `本文 ${i}` });
    });
    const deadline = Date.now() + 60_000;
    const sentCount = async () => Number((await tdb.db.selectFrom('outbox').select((e) => e.fn.countAll().as('n')).where('subject', 'like', 'scale-out %').where('status', '=', 'sent').executeTakeFirstOrThrow()).n);
    while ((await sentCount()) < n && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    expect(await sentCount()).toBe(n);
    // A moment more: a duplicate send would arrive now.
    await new Promise((r) => setTimeout(r, 500));
    const received = smtp.mails.flatMap((m) => m.to).filter((to) => to.startsWith('scale-'));
    expect(received).toHaveLength(n);
    expect(new Set(received).size).toBe(n);
  }, 90_000);

  it('keeps capacity exact under a burst of applications and cancellations alternated between them', async () => {
    const ctx = testContext(tdb, { clock: undefined });
    ctx.clock.current = new Date();
    const o = await makeOffering(ctx, { capacity: 10 });
    const people = await Promise.all(Array.from({ length: 60 }, () => makeUser(ctx, ['staff'])));
    const tokens = await Promise.all(people.map((p) => createApiToken(ctx, null, p.id, { name: 'burst' }).then((t) => t.token)));
    const call = (i: number, path: string) =>
      fetch(`${servers[i % 2].base}${path}`, { method: 'POST', headers: { Authorization: `Bearer ${tokens[i]}`, 'Content-Type': 'application/json' }, body: '{}' });
    const results = await Promise.all(tokens.map((_, i) => call(i, `/api/v1/offerings/${o.id}/applications`)));
    expect(results.map((r) => r.status).every((s) => s === 201)).toBe(true);
    const bodies = await Promise.all(results.map((r) => r.json() as Promise<{ id: number; status: string }>));
    expect((await applicationRepository.confirmedCounts(tdb.db, o.id)).total).toBe(10);
    // Cancel five confirmed places at once, alternating servers: five are promoted, never more.
    const confirmed = bodies.map((b, i) => ({ ...b, i })).filter((b) => b.status === 'confirmed').slice(0, 5);
    const cancels = await Promise.all(confirmed.map((b) => call(b.i, `/api/v1/applications/${b.id}/cancel`)));
    expect(cancels.every((r) => r.status === 200)).toBe(true);
    expect((await applicationRepository.confirmedCounts(tdb.db, o.id)).total).toBe(10);
    const waiting = await applicationRepository.waitlisted(tdb.db, o.id);
    expect(waiting).toHaveLength(45);
  }, 120_000);

  it('a login session made on one process works on the other', async () => {
    const ctx = testContext(tdb);
    const u = await makeUser(ctx, ['staff'], { email: 'both@pref.example.jp' });
    const first = await fetch(`${servers[0].base}/login`);
    const csrf = first.headers.getSetCookie().find((c) => c.startsWith('kyodo_csrf='))!.split(';')[0];
    const token = csrf.split('=')[1];
    const login = await fetch(`${servers[0].base}/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Cookie: csrf },
      body: new URLSearchParams({ _csrf: token, email: u.email, password: 'correct horse 42 battery' }),
    });
    expect(login.status).toBe(303);
    const session = login.headers.getSetCookie().find((c) => c.startsWith('kyodo_session='))!.split(';')[0];
    const home = await fetch(`${servers[1].base}/`, { headers: { Cookie: session }, redirect: 'manual' });
    expect(home.status).toBe(200);
    expect(await home.text()).toContain('さん、ようこそ。');
  });
});
