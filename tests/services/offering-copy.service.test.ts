import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tokyoDateOf, tokyoLocalToUtc } from '../../src/domain/calendar.js';
import { toCurrentUser } from '../../src/services/context.js';
import { addSession, getOffering } from '../../src/services/offering.service.js';
import { copyOffering } from '../../src/services/offering-copy.service.js';
import { getPerson } from '../../src/services/person.service.js';
import { createTestDb, type TestDb, testContext } from '../support/db.js';
import { makeUser } from '../support/http.js';
import { makeOffering } from '../support/offerings.js';

/** Copying an offering into next year keeps what each session asks participants to bring and how to get there. */
let tdb: TestDb;
let ctx: ReturnType<typeof testContext>;
let admin: ReturnType<typeof toCurrentUser>;

beforeAll(async () => {
  tdb = await createTestDb();
  ctx = testContext(tdb);
  admin = toCurrentUser((await getPerson(ctx, (await makeUser(ctx, ['admin', 'staff'])).id))!);
});
afterAll(() => tdb.close());

const session = (date: string, title: string, extra: Record<string, string> = {}) => ({
  title,
  format: 'lecture',
  startsAt: tokyoLocalToUtc(date, '13:30').toISOString(),
  endsAt: tokyoLocalToUtc(date, '16:30').toISOString(),
  venue: '県庁本館 大会議室',
  ...extra,
});

describe('copying an offering: 持ち物 and access', () => {
  it('each copied session keeps its own 持ち物 and access, line breaks included; a session without them stays without', async () => {
    const o = await makeOffering(ctx);
    await addSession(ctx, admin, o.id, session('2026-12-08', '第1回 講義', { belongings: '筆記用具\n名刺（20枚程度）', access: 'JR大津駅から徒歩10分。\n駐車場はありません。' }));
    await addSession(ctx, admin, o.id, session('2027-01-19', '第2回 現地研修', { belongings: '軍手、長靴' }));
    await addSession(ctx, admin, o.id, session('2027-02-16', '第3回 演習'));

    const { offering: copy } = await copyOffering(ctx, admin, o.id, { fiscalYear: 2027 });
    const d = (await getOffering(ctx, copy.id))!;
    expect(d.sessions.map((s) => [s.title, tokyoDateOf(s.starts_at), s.belongings, s.access])).toEqual([
      ['第1回 講義', '2027-12-07', '筆記用具\n名刺（20枚程度）', 'JR大津駅から徒歩10分。\n駐車場はありません。'],
      ['第2回 現地研修', '2028-01-18', '軍手、長靴', ''],
      ['第3回 演習', '2028-02-15', '', ''],
    ]);
    // The copy's sessions are its own: changing next year's 持ち物 leaves this year's as it was.
    const source = (await getOffering(ctx, o.id))!;
    expect(source.sessions.map((s) => s.id)).not.toContain(d.sessions[0].id);
    expect(source.sessions[0].belongings).toBe('筆記用具\n名刺（20枚程度）');
  });
});
