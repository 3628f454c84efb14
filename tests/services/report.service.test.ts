import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tokyoLocalToUtc } from '../../src/domain/calendar.js';
import { seatGroupOf } from '../../src/domain/selection.js';
import { applicationRepository } from '../../src/db/repositories/application.repository.js';
import { offeringRepository } from '../../src/db/repositories/offering.repository.js';
import { participantCode } from '../../src/services/application.service.js';
import { markAttendance } from '../../src/services/completion.service.js';
import { getImportJob, previewImport, startImport } from '../../src/services/import.service.js';
import { createProgramme } from '../../src/services/offering.service.js';
import { fiscalYearKpis } from '../../src/services/report.service.js';
import { sampleOffering } from '../../src/services/sample-data/offerings.js';
import { createTestDb, type TestDb, TestClock, testContext } from '../support/db.js';
import { makeUser } from '../support/http.js';

let tdb: TestDb;
let ctx: ReturnType<typeof testContext>;

beforeAll(async () => {
  tdb = await createTestDb();
  // Today is in 令和8年度 (2026).
  ctx = testContext(tdb, { clock: new TestClock(new Date('2026-11-30T01:00:00Z')) });
});
afterAll(() => tdb.close());

/** A past cohort entered today: an offering of `fy` with two sessions held that year, attendance marked today. */
async function pastCohort(fy: number, kind: 'seminar' | 'coordinator_course', people: number, attendedBoth: number) {
  const programme = await createProgramme(ctx, null, { name: `過去の研修${fy}${kind}`, kind });
  const now = ctx.now();
  const o = await sampleOffering(ctx.db, now, {
    programme_id: programme.id,
    fiscal_year: fy,
    title: `過去の研修（${fy}）`,
    selection: 'first_come',
    capacity: 40,
    opens: tokyoLocalToUtc(`${fy}-04-15`, '09:00'),
    closes: tokyoLocalToUtc(`${fy}-05-31`, '17:00'),
  });
  const sessions = [];
  for (const md of ['07-05', '11-15'])
    sessions.push(await offeringRepository.insertSession(ctx.db, { offering_id: o.id, title: `${md}の回`, format: 'lecture', starts_at: tokyoLocalToUtc(`${fy}-${md}`, '13:30'), ends_at: tokyoLocalToUtc(`${fy}-${md}`, '16:30'), venue: '県庁', lecturers: '', capacity: null }));
  const apps = [];
  for (let i = 0; i < people; i++) {
    const p = await makeUser(ctx, ['staff']);
    apps.push(
      await applicationRepository.insert(ctx.db, {
        offering_id: o.id,
        person_id: p.id,
        status: 'confirmed',
        seat_group: seatGroupOf('prefecture'),
        answers: JSON.stringify({}),
        applied_at: tokyoLocalToUtc(`${fy}-05-10`, '10:00'),
        applied_by: p.id,
        decided_at: tokyoLocalToUtc(`${fy}-06-01`, '10:00'),
        participant_code: participantCode(),
        updated_at: now,
      } as never),
    );
  }
  // Entered today, from the sign-in sheets of that year.
  await markAttendance(ctx, null, sessions[0].id, apps.map((a) => ({ applicationId: a.id, status: 'present' })));
  await markAttendance(ctx, null, sessions[1].id, apps.map((a, i) => ({ applicationId: a.id, status: i < attendedBoth ? 'present' : 'absent' })));
  return { o, apps };
}

describe('a past year\'s figures depend on what happened in that year, not on when it was entered', () => {
  it('counts certificates, completions, coordinators and imported records in their own fiscal year', async () => {
    const before2011 = await fiscalYearKpis(ctx, 2011);
    const before2026 = await fiscalYearKpis(ctx, 2026);
    await pastCohort(2011, 'seminar', 8, 7);
    await pastCohort(2013, 'coordinator_course', 3, 3);
    // History imported today for 平成23年度.
    const admin = await makeUser(ctx, ['admin']);
    const person = await makeUser(ctx, ['staff'], { email: 'kako@pref.example.jp' });
    const job = await previewImport(ctx, { id: admin.id }, 'history', 'h.csv', new TextEncoder().encode('メールアドレス,年度,研修事業,研修名,修了\r\nkako@pref.example.jp,平成23年度,,NPO・協働研修,修了\r\nkako@pref.example.jp,H23,,協働の基礎,未修了'));
    expect(job.errors).toEqual([]);
    await (await startImport(ctx, { id: admin.id }, job.id)).finished;
    expect((await getImportJob(ctx, job.id))!.status).toBe('done');
    expect(person.id).toBeGreaterThan(0);

    const fy2011 = await fiscalYearKpis(ctx, 2011);
    expect(fy2011.completions - before2011.completions).toBe(7 + 1);
    expect(fy2011.certificatesIssued - before2011.certificatesIssued).toBe(7);
    expect(fy2011.seminarsHeld - before2011.seminarsHeld).toBe(2);
    expect(fy2011.participantsTotal - before2011.participantsTotal).toBe(8);
    const fy2013 = await fiscalYearKpis(ctx, 2013);
    expect(fy2013.certificatesIssued).toBe(3);
    expect(fy2013.coordinators.newlyCertified).toBe(3);
    // This year gains nothing from records entered this year about earlier years.
    const fy2026 = await fiscalYearKpis(ctx, 2026);
    expect(fy2026.certificatesIssued).toBe(before2026.certificatesIssued);
    expect(fy2026.completions).toBe(before2026.completions);
    expect(fy2026.coordinators.newlyCertified).toBe(before2026.coordinators.newlyCertified);
    expect(fy2026.seminarsHeld).toBe(before2026.seminarsHeld);
  });

  it('dates the certificates of a past cohort on its last session attended, not today', async () => {
    const { apps } = await pastCohort(2012, 'seminar', 2, 2);
    const certs = await ctx.db.selectFrom('certificates').select(['completed_on', 'number']).where('application_id', 'in', apps.map((a) => a.id)).execute();
    expect(certs.map((c) => c.completed_on)).toEqual(['2012-11-15', '2012-11-15']);
    expect(certs.every((c) => c.number.startsWith('KYODO-2012-'))).toBe(true);
  });
});
