import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applicationRepository } from '../../src/db/repositories/application.repository.js';
import { seatGroupOf } from '../../src/domain/selection.js';
import { apply, cancel, decide, endorse, listApplications, runLottery } from '../../src/services/application.service.js';
import { addSession } from '../../src/services/offering.service.js';
import { getPerson } from '../../src/services/person.service.js';
import { createUnit } from '../../src/services/unit.service.js';
import { createTestDb, type TestDb, testContext } from '../support/db.js';
import { makeUser } from '../support/http.js';
import { makeOffering } from '../support/offerings.js';
import { toCurrentUser } from '../../src/services/context.js';

let tdb: TestDb;
let ctx: ReturnType<typeof testContext>;
let admin: Awaited<ReturnType<typeof user>>;
let unitId: number;

async function user(roles: ('admin' | 'staff' | 'approver' | 'partner')[] = ['staff'], extra: Parameters<typeof makeUser>[2] = {}) {
  const p = await makeUser(ctx, roles, { unitId, ...extra });
  return toCurrentUser((await getPerson(ctx, p.id))!);
}

beforeAll(async () => {
  tdb = await createTestDb();
  ctx = testContext(tdb);
  const dept = await createUnit(ctx, null, { kind: 'department', name: '総務部', kana: 'ソウムブ' });
  unitId = (await createUnit(ctx, null, { kind: 'division', name: '人事課', kana: 'ジンジカ', parentId: dept.id })).id;
  admin = await user(['admin', 'staff']);
});
afterAll(() => tdb.close());

describe('first come', () => {
  it('confirms while seats are left, then waitlists, and promotes the first waitlisted on a cancellation', async () => {
    const o = await makeOffering(ctx, { capacity: 2 });
    const [a, b, c, d] = [await user(), await user(), await user(), await user()];
    expect((await apply(ctx, a, o.id, {})).status).toBe('confirmed');
    expect((await apply(ctx, b, o.id, {})).status).toBe('confirmed');
    const ac = await apply(ctx, c, o.id, {});
    expect(ac.status).toBe('waitlisted');
    expect((await apply(ctx, d, o.id, {})).status).toBe('waitlisted');
    let list = await listApplications(ctx, o.id);
    expect(list.map((x) => [x.person_id, x.status, x.waitlist_position])).toEqual([
      [a.id, 'confirmed', null],
      [b.id, 'confirmed', null],
      [c.id, 'waitlisted', 1],
      [d.id, 'waitlisted', 2],
    ]);
    const first = list[0];
    await cancel(ctx, a, first.id);
    list = await listApplications(ctx, o.id);
    expect(list.map((x) => [x.person_id, x.status, x.waitlist_position])).toEqual([
      [a.id, 'cancelled', null],
      [b.id, 'confirmed', null],
      [c.id, 'confirmed', null],
      [d.id, 'waitlisted', 1],
    ]);
    const mail = await tdb.db.selectFrom('outbox').selectAll().where('to_address', '=', c.email).orderBy('id').execute();
    expect(mail.map((m) => m.subject)).toEqual(['【Kyodo】補欠となりました：' + o.title, '【Kyodo】繰上げにより受講が決定しました：' + o.title]);
    expect(mail[1].body_text).toContain(ac.participant_code);
  });

  it('refuses clearly and changes nothing: twice, outside the window, after the deadline, full without waitlist', async () => {
    const o = await makeOffering(ctx, { capacity: 1, waitlist: false });
    const [a, b] = [await user(), await user()];
    const app = await apply(ctx, a, o.id, {});
    await expect(apply(ctx, a, o.id, {})).rejects.toMatchObject({ status: 409, messageKey: 'error.alreadyApplied' });
    await expect(apply(ctx, b, o.id, {})).rejects.toMatchObject({ status: 409, messageKey: 'error.full' });
    expect(await listApplications(ctx, o.id)).toHaveLength(1);

    const future = await makeOffering(ctx, { applicationOpensAt: new Date(ctx.now().getTime() + 86_400_000).toISOString(), applicationClosesAt: new Date(ctx.now().getTime() + 2 * 86_400_000).toISOString() });
    await expect(apply(ctx, a, future.id, {})).rejects.toMatchObject({ status: 409, messageKey: 'error.notOpen' });
    const past = await makeOffering(ctx, { applicationOpensAt: '2026-01-01T00:00:00+09:00', applicationClosesAt: '2026-02-01T00:00:00+09:00' });
    await expect(apply(ctx, a, past.id, {})).rejects.toMatchObject({ status: 409, messageKey: 'error.closed' });

    await addSession(ctx, null, o.id, { title: '第1回', format: 'lecture', startsAt: new Date(ctx.now().getTime() + 3_600_000).toISOString(), endsAt: new Date(ctx.now().getTime() + 7_200_000).toISOString() });
    ctx.clock.advance(2 * 3_600_000);
    await expect(cancel(ctx, a, app.id)).rejects.toMatchObject({ status: 409, messageKey: 'error.cancelDeadline' });
    expect((await listApplications(ctx, o.id))[0].status).toBe('confirmed');
    ctx.clock.advance(-2 * 3_600_000);
  });

  it('respects seats per audience group', async () => {
    const o = await makeOffering(ctx, { capacity: 3, seats: { partner: 1, municipality: 1 } });
    const partners = [await user(['partner'], { affiliation: 'partner' }), await user(['partner'], { affiliation: 'partner' })];
    const pref = await user();
    expect((await apply(ctx, partners[0], o.id, {})).status).toBe('confirmed');
    expect((await apply(ctx, partners[1], o.id, {})).status).toBe('waitlisted');
    expect((await apply(ctx, pref, o.id, {})).status).toBe('confirmed');
    const noPartnerSeats = await makeOffering(ctx);
    await expect(apply(ctx, partners[1], noPartnerSeats.id, {})).rejects.toMatchObject({ messageKey: 'error.partnerNoSeats' });
  });

  it('keeps exact capacity under 40 concurrent applications', async () => {
    const o = await makeOffering(ctx, { capacity: 7 });
    const people = await Promise.all(Array.from({ length: 40 }, () => user()));
    const results = await Promise.allSettled(people.map((p) => apply(ctx, p, o.id, {})));
    expect(results.every((r) => r.status === 'fulfilled')).toBe(true);
    const counts = await applicationRepository.confirmedCounts(ctx.db, o.id);
    expect(counts.total).toBe(7);
    const list = await listApplications(ctx, o.id);
    expect(list.filter((a) => a.status === 'waitlisted').map((a) => a.waitlist_position)).toEqual(Array.from({ length: 33 }, (_, i) => i + 1));
  });
});

describe('applications decided in groups (decision 0015)', () => {
  it('two instances deciding on snapshots that go stale, with cancellations in between: exact seats, order kept, every application audited and notified', async () => {
    const o = await makeOffering(ctx, { capacity: 10 });
    // A second context is a second instance: its own batcher, so its groups race with this one's.
    const other = testContext(tdb, { clock: ctx.clock });
    const people = await Promise.all(Array.from({ length: 60 }, () => user()));
    const first = await Promise.all(people.slice(0, 30).map((p, i) => apply(i % 2 ? other : ctx, p, o.id, {})));
    expect(first.filter((a) => a.status === 'confirmed')).toHaveLength(10);
    // More applications while five of the confirmed cancel (each cancellation promotes from the waitlist).
    const cancelled = first.filter((a) => a.status === 'confirmed').slice(0, 5);
    const byId = new Map(people.map((p) => [p.id, p]));
    const second = await Promise.allSettled([
      ...people.slice(30).map((p, i) => apply(i % 2 ? other : ctx, p, o.id, {})),
      ...cancelled.map((a, i) => cancel(i % 2 ? other : ctx, byId.get(a.person_id)!, a.id)),
    ]);
    expect(second.filter((r) => r.status === 'rejected').map((r) => String((r as PromiseRejectedResult).reason))).toEqual([]);

    const list = await listApplications(ctx, o.id);
    expect(list).toHaveLength(60);
    expect(list.filter((a) => a.status === 'confirmed')).toHaveLength(10);
    expect(list.filter((a) => a.status === 'cancelled')).toHaveLength(5);
    const waiting = list.filter((a) => a.status === 'waitlisted');
    expect(waiting.map((a) => a.waitlist_position)).toEqual(Array.from({ length: 45 }, (_, i) => i + 1));
    // Waitlist order follows arrival: the first group's waiting people are all ahead of the second's.
    const firstIds = new Set(people.slice(0, 30).map((p) => p.id));
    const order = waiting.map((a) => firstIds.has(a.person_id));
    expect(order.indexOf(false) === -1 || order.lastIndexOf(true) < order.indexOf(false)).toBe(true);
    expect(new Set(list.map((a) => a.person_id)).size).toBe(60);
    expect(new Set(list.map((a) => a.participant_code)).size).toBe(60);

    const ids = list.map((a) => String(a.id));
    const audits = await tdb.db.selectFrom('audit_log').select(['entity_id', 'after']).where('entity', '=', 'application').where('action', '=', 'apply').where('entity_id', 'in', ids).execute();
    expect(audits.map((a) => a.entity_id).sort()).toEqual([...ids].sort());
    for (const a of audits) expect((a.after as { offering_id: number }).offering_id).toBe(o.id);
    const notices = await tdb.db
      .selectFrom('outbox')
      .select(['to_address', 'subject'])
      .where('to_address', 'in', people.map((p) => p.email))
      .where((eb) => eb.or([eb('subject', 'like', '【Kyodo】受講決定通知：%'), eb('subject', 'like', '【Kyodo】補欠となりました：%')]))
      .execute();
    // One decision notice per application, to its applicant.
    expect(notices.map((n) => n.to_address).sort()).toEqual(people.map((p) => p.email).sort());
  });
});

describe('a group’s audit entries (written in the same statement as the applications)', () => {
  it('are each application as stored, by the applicant (apply) or by the admin for someone else (apply_on_behalf); a lone surrogate is stored as U+FFFD', async () => {
    const o = await makeOffering(ctx, { capacity: 2 });
    const people = await Promise.all(Array.from({ length: 4 }, () => user()));
    const forOther = await user();
    const made = await Promise.all([
      ...people.map((p, i) => apply(ctx, p, o.id, { answers: i === 0 ? { q1: 'a\ud800b', q2: '回答' } : {} })),
      apply(ctx, admin, o.id, { personId: forOther.id }),
    ]);
    expect(made.map((a) => a.status).sort()).toEqual(['confirmed', 'confirmed', 'waitlisted', 'waitlisted', 'waitlisted']);
    const stored = await tdb.db.selectFrom('applications').selectAll().where('offering_id', '=', o.id).orderBy('id').execute();
    expect(stored).toHaveLength(5);
    expect(stored.find((a) => a.person_id === people[0].id)?.answers).toEqual({ q1: 'a\ufffdb', q2: '回答' });
    const entries = await tdb.db
      .selectFrom('audit_log')
      .select(['actor_id', 'action', 'entity_id', 'before', 'after'])
      .where('entity', '=', 'application')
      .where('entity_id', 'in', stored.map((a) => String(a.id)))
      .orderBy('id')
      .execute();
    expect(entries).toHaveLength(5);
    for (const a of stored) {
      const e = entries.find((x) => x.entity_id === String(a.id))!;
      // The row as written, every column (dates as ISO instants), and who applied.
      expect(e.after).toEqual(JSON.parse(JSON.stringify(a)));
      expect(e.before).toBeNull();
      if (a.person_id === forOther.id) expect([e.action, e.actor_id]).toEqual(['apply_on_behalf', admin.id]);
      else expect([e.action, e.actor_id]).toEqual(['apply', a.person_id]);
    }
  });
});

describe('endorsement', () => {
  it('only the unit approver (or an admin) endorses; first-come then decides; a return can be resubmitted', async () => {
    const o = await makeOffering(ctx, { capacity: 5, endorsementRequired: true });
    const staff = await user();
    const approver = await user(['approver', 'staff']);
    const otherDept = await createUnit(ctx, null, { kind: 'department', name: '土木部', kana: 'ドボクブ' });
    const otherApprover = await user(['approver', 'staff'], { unitId: otherDept.id });
    const app = await apply(ctx, staff, o.id, { answers: {} });
    expect(app.status).toBe('applied');
    const request = await tdb.db.selectFrom('outbox').select('subject').where('to_address', '=', approver.email).execute();
    expect(request.map((m) => m.subject)).toContain(`【Kyodo】推薦・承認の依頼：${o.title}`);
    await expect(endorse(ctx, otherApprover, app.id, { decision: 'endorse' })).rejects.toMatchObject({ status: 403 });
    await expect(endorse(ctx, staff, app.id, { decision: 'endorse' })).rejects.toMatchObject({ status: 403 });
    const returned = await endorse(ctx, approver, app.id, { decision: 'return', comment: '動機を具体的に書いてください。' });
    expect(returned.status).toBe('returned');
    const again = await apply(ctx, staff, o.id, {});
    expect(again.id).toBe(app.id);
    expect(again.status).toBe('applied');
    const ok = await endorse(ctx, approver, app.id, { decision: 'endorse', comment: '推薦します。' });
    expect(ok.status).toBe('confirmed');
  });
});

describe('review', () => {
  it('decides in bulk, all or nothing, never over capacity', async () => {
    const o = await makeOffering(ctx, { capacity: 2, selection: 'review' });
    const apps = [];
    for (let i = 0; i < 3; i++) apps.push(await apply(ctx, await user(), o.id, {}));
    expect(apps.map((a) => a.status)).toEqual(['applied', 'applied', 'applied']);
    await expect(decide(ctx, admin, o.id, { applicationIds: apps.map((a) => String(a.id)), decision: 'confirmed' })).rejects.toMatchObject({ messageKey: 'error.overCapacity' });
    expect((await listApplications(ctx, o.id)).map((a) => a.status)).toEqual(['applied', 'applied', 'applied']);
    await decide(ctx, admin, o.id, { applicationIds: [apps[0].id, apps[1].id], decision: 'confirmed' });
    await decide(ctx, admin, o.id, { applicationIds: [apps[2].id], decision: 'waitlisted' });
    expect((await listApplications(ctx, o.id)).map((a) => [a.status, a.waitlist_position])).toEqual([
      ['confirmed', null],
      ['confirmed', null],
      ['waitlisted', 1],
    ]);
  });
});

describe('lottery', () => {
  it('draws at close, reproducibly from the recorded seed, with priority, and writes the audit log', async () => {
    const mk = (extra: Record<string, unknown> = {}) => makeOffering(ctx, { capacity: 3, selection: 'lottery', priorityRules: ['first_time'], ...extra });
    const o1 = await mk();
    const people = await Promise.all(Array.from({ length: 8 }, () => user()));
    const apps = [];
    for (const p of people) apps.push(await apply(ctx, p, o1.id, {}));
    await expect(runLottery(ctx, admin, o1.id, {})).rejects.toMatchObject({ messageKey: 'error.lotteryOpen' });
    ctx.clock.advance(8 * 86_400_000);
    const r1 = await runLottery(ctx, admin, o1.id, { seed: 'kyodo-2026' });
    expect(r1).toMatchObject({ seed: 'kyodo-2026', confirmed: 3, waitlisted: 5 });
    await expect(runLottery(ctx, admin, o1.id, {})).rejects.toMatchObject({ messageKey: 'error.lotteryDone' });
    const entry = await tdb.db.selectFrom('audit_log').selectAll().where('entity', '=', 'offering').where('entity_id', '=', String(o1.id)).where('action', '=', 'lottery').executeTakeFirstOrThrow();
    expect((entry.after as { seed: string }).seed).toBe('kyodo-2026');
    const list = await listApplications(ctx, o1.id);
    expect(list.filter((a) => a.status === 'waitlisted').map((a) => a.waitlist_position).sort()).toEqual([1, 2, 3, 4, 5]);
    ctx.clock.advance(-8 * 86_400_000);

    // A later offering of the same programme: people confirmed before come after first-timers.
    const o2 = await mk({ programmeId: o1.programme_id });
    for (const p of people) await apply(ctx, p, o2.id, {});
    ctx.clock.advance(8 * 86_400_000);
    await runLottery(ctx, admin, o2.id, { seed: 'kyodo-2026' });
    ctx.clock.advance(-8 * 86_400_000);
    // First-timers have priority: those confirmed in o1 are now behind those who were not.
    const l2 = await listApplications(ctx, o2.id);
    const confirmedInO1 = new Set(list.filter((a) => a.status === 'confirmed').map((a) => a.person_id));
    for (const a of l2.filter((x) => x.status === 'confirmed')) expect(confirmedInO1.has(a.person_id)).toBe(false);
  });
});

describe('property: random sequences of apply, cancel and endorse', () => {
  it('never confirm more than capacity or group seats; nobody waits while a seat for their group is free', async () => {
    const pool = await Promise.all([
      ...Array.from({ length: 6 }, () => user()),
      ...Array.from({ length: 3 }, () => user(['partner'], { affiliation: 'partner' })),
      ...Array.from({ length: 3 }, () => user(['staff'], { affiliation: 'municipality' })),
    ]);
    const approver = await user(['approver', 'staff']);
    await fc.assert(
      fc.asyncProperty(
        fc.record({ capacity: fc.integer({ min: 1, max: 5 }), partner: fc.integer({ min: 0, max: 2 }), endorsement: fc.boolean() }),
        fc.array(fc.record({ op: fc.constantFrom('apply', 'cancel', 'endorse'), who: fc.integer({ min: 0, max: pool.length - 1 }) }), { minLength: 1, maxLength: 25 }),
        async (cfg, ops) => {
          const o = await makeOffering(ctx, { capacity: cfg.capacity, seats: { partner: Math.min(cfg.partner, cfg.capacity) }, endorsementRequired: cfg.endorsement });
          for (const { op, who } of ops) {
            const p = pool[who];
            const live = await applicationRepository.findLive(ctx.db, o.id, p.id);
            try {
              if (op === 'apply') await apply(ctx, p, o.id, {});
              else if (op === 'cancel' && live) await cancel(ctx, p, live.id);
              else if (op === 'endorse' && live) await endorse(ctx, approver, live.id, { decision: 'endorse' });
            } catch (e) {
              expect((e as { status?: number }).status, String(e)).toBeGreaterThanOrEqual(400);
              expect((e as { status?: number }).status).toBeLessThan(500);
            }
            const list = await listApplications(ctx, o.id);
            const confirmed = list.filter((a) => a.status === 'confirmed');
            expect(confirmed.length).toBeLessThanOrEqual(cfg.capacity);
            expect(confirmed.filter((a) => a.seat_group === 'partner').length).toBeLessThanOrEqual(Math.min(cfg.partner, cfg.capacity));
            for (const w of list.filter((a) => a.status === 'waitlisted')) {
              const full = confirmed.length >= cfg.capacity || (w.seat_group === 'partner' && confirmed.filter((a) => a.seat_group === 'partner').length >= Math.min(cfg.partner, cfg.capacity));
              expect(full, `person ${w.person_id} waits while a ${w.seat_group} seat is free`).toBe(true);
            }
            const liveIds = list.filter((a) => ['applied', 'endorsed', 'confirmed', 'waitlisted'].includes(a.status)).map((a) => a.person_id);
            expect(new Set(liveIds).size).toBe(liveIds.length);
            for (const a of list) expect(a.seat_group).toBe(seatGroupOf(a.affiliation as 'prefecture'));
          }
        },
      ),
      { numRuns: 15 },
    );
  });
});
