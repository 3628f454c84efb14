import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { offeringRepository } from '../../src/db/repositories/offering.repository.js';
import { apply, listApplications, runLottery } from '../../src/services/application.service.js';
import { addSession, catalogue, cancelOffering, createOffering, createProgramme, deleteOffering, listOfferings, listProgrammes, updateOffering, updateProgramme } from '../../src/services/offering.service.js';
import { openDataEvents, publicSchedule } from '../../src/services/report.service.js';
import { createUnit } from '../../src/services/unit.service.js';
import { createTestDb, type TestDb, testContext } from '../support/db.js';
import { makeUser } from '../support/http.js';
import { userOf } from '../support/consultations.js';
import { type CurrentUser } from '../../src/services/context.js';

let tdb: TestDb;
let ctx: ReturnType<typeof testContext>;
let admin: CurrentUser;
let npo: { id: number };
let seminar: { id: number };
let unitA: number;

const DAY = 86_400_000;

beforeAll(async () => {
  tdb = await createTestDb();
  ctx = testContext(tdb); // 2026-11-24 10:00 JST: FY2026
  const a = await makeUser(ctx, ['admin', 'staff']);
  admin = await userOf(ctx, a.id);
  const dept = await createUnit(ctx, null, { kind: 'department', name: '総務部', kana: 'ソウムブ' });
  unitA = (await createUnit(ctx, null, { kind: 'division', name: '人事課', kana: 'ジンジカ', parentId: dept.id })).id;
  npo = await createProgramme(ctx, admin, { name: 'NPO・協働研修', kind: 'seminar', firstFiscalYear: 1999, lastFiscalYear: 2006 });
  seminar = await createProgramme(ctx, admin, { name: '協働推進セミナー', kind: 'seminar', firstFiscalYear: 2007, predecessorId: npo.id });
});
afterAll(() => tdb.close());

const window = () => ({ applicationOpensAt: new Date(ctx.now().getTime() - DAY).toISOString(), applicationClosesAt: new Date(ctx.now().getTime() + 7 * DAY).toISOString() });

describe('programmes', () => {
  it('keeps the first and last fiscal years given (POST ignored firstFiscalYear), and audits the creation', async () => {
    const p = await createProgramme(ctx, admin, { name: '旧研修', firstFiscalYear: 'H11', lastFiscalYear: '平成18年度' });
    expect([p.first_fiscal_year, p.last_fiscal_year]).toEqual([1999, 2006]);
    expect((await createProgramme(ctx, admin, { name: '今年の研修' })).first_fiscal_year).toBe(2026);
    const entry = await tdb.db.selectFrom('audit_log').selectAll().where('entity', '=', 'programme').where('entity_id', '=', String(p.id)).executeTakeFirstOrThrow();
    expect(entry.action).toBe('create');
  });

  it('refuses years that run backwards and an unknown year, naming the field', async () => {
    await expect(createProgramme(ctx, admin, { name: 'x', firstFiscalYear: 2011, lastFiscalYear: 2010 })).rejects.toMatchObject({ status: 422, fields: { lastFiscalYear: { key: 'error.programmeYearsOrder' } } });
    await expect(createProgramme(ctx, admin, { name: 'x', firstFiscalYear: '平成99年度' })).rejects.toMatchObject({ status: 422, fields: { firstFiscalYear: { key: 'error.fiscalYear' } } });
  });

  it('edits, closes and re-links a programme, refusing a predecessor cycle; every change is audited with before and after', async () => {
    const a = await createProgramme(ctx, admin, { name: '系譜A', firstFiscalYear: 2010 });
    const b = await createProgramme(ctx, admin, { name: '系譜B', firstFiscalYear: 2015, predecessorId: a.id });
    const c = await createProgramme(ctx, admin, { name: '系譜C', firstFiscalYear: 2020, predecessorId: b.id });
    // A cannot follow its own successor's successor, nor itself.
    await expect(updateProgramme(ctx, admin, a.id, { name: '系譜A', predecessorId: c.id })).rejects.toMatchObject({ status: 422, fields: { predecessorId: { key: 'error.predecessorCycle' } } });
    await expect(updateProgramme(ctx, admin, a.id, { name: '系譜A', predecessorId: a.id })).rejects.toMatchObject({ fields: { predecessorId: { key: 'error.predecessorCycle' } } });
    expect((await tdb.db.selectFrom('programmes').select('predecessor_id').where('id', '=', a.id).executeTakeFirstOrThrow()).predecessor_id).toBeNull();
    // Close B (last year 2025), rename it, keep the rest.
    const after = await updateProgramme(ctx, admin, b.id, { name: '系譜B（改）', lastFiscalYear: 2025 });
    expect(after).toMatchObject({ name: '系譜B（改）', predecessor_id: a.id, first_fiscal_year: 2015, last_fiscal_year: 2025 });
    const entry = await tdb.db.selectFrom('audit_log').selectAll().where('entity', '=', 'programme').where('entity_id', '=', String(b.id)).where('action', '=', 'update').executeTakeFirstOrThrow();
    expect((entry.before as { last_fiscal_year: number | null }).last_fiscal_year).toBeNull();
    expect((entry.after as { last_fiscal_year: number }).last_fiscal_year).toBe(2025);
    // A closed programme takes no new offering.
    await expect(createOffering(ctx, admin, { programmeId: b.id, fiscalYear: 2026, title: '閉じた研修', selection: 'first_come', capacity: 5, ...window() })).rejects.toMatchObject({
      status: 422,
      fields: { programmeId: { key: 'error.programmeEnded' } },
    });
    // Unlinking with null works.
    expect((await updateProgramme(ctx, admin, c.id, { name: '系譜C', predecessorId: null })).predecessor_id).toBeNull();
  });
});

describe('offerings of a programme', () => {
  it('refuses a new offering of a programme that ended (NPO・協働研修, 平成18年度), or outside its years; nothing is saved', async () => {
    const before = (await listOfferings(ctx, {})).length;
    await expect(createOffering(ctx, admin, { programmeId: npo.id, fiscalYear: 2026, title: '誤登録', selection: 'first_come', capacity: 5, ...window() })).rejects.toMatchObject({
      status: 422,
      fields: { programmeId: { key: 'error.programmeEnded' } },
    });
    await expect(createOffering(ctx, admin, { programmeId: seminar.id, fiscalYear: 2005, title: '誤登録', selection: 'first_come', capacity: 5, ...window() })).rejects.toMatchObject({
      status: 422,
      fields: { fiscalYear: { key: 'error.fiscalYearOutsideProgramme' } },
    });
    expect((await listOfferings(ctx, {})).length).toBe(before);
    const ok = await createOffering(ctx, admin, { programmeId: seminar.id, fiscalYear: 2026, title: '協働推進セミナー', selection: 'first_come', capacity: 5, ...window() });
    // Editing it without moving it to another programme or year is not re-judged.
    await expect(updateOffering(ctx, admin, ok.id, { programmeId: seminar.id, fiscalYear: 2026, title: '協働推進セミナー（改）', selection: 'first_come', capacity: 6, ...window() })).resolves.toMatchObject({ capacity: 6 });
    await expect(updateOffering(ctx, admin, ok.id, { programmeId: npo.id, fiscalYear: 2026, title: 'x', selection: 'first_come', capacity: 6, ...window() })).rejects.toMatchObject({ fields: { programmeId: { key: 'error.programmeEnded' } } });
  });
});

describe('lottery priority follows the lineage', () => {
  /** An offering of NPO・協働研修 in 平成15年度, stored as history (the service no longer takes new ones for an ended programme). */
  async function npoOffering() {
    const now = ctx.now();
    return offeringRepository.insert(tdb.db, {
      programme_id: npo.id,
      fiscal_year: 2003,
      title: 'NPO・協働研修（平成15年度）',
      audience: '',
      description: '',
      selection: 'first_come',
      capacity: 30,
      seats: '{}',
      waitlist: true,
      endorsement_required: false,
      application_opens_at: new Date('2003-05-01T00:00:00Z'),
      application_closes_at: new Date('2003-06-01T00:00:00Z'),
      questions: '[]',
      completion_rule: '{}',
      priority_rules: '[]',
      reminder_days: 3,
      published: true,
      lottery_seed: null,
      lottery_at: null,
      created_at: now,
      updated_at: now,
    });
  }

  it('puts first-timers of the whole lineage first: a person who took NPO・協働研修 (in Kyodo or in imported history) is not a first-timer at 協働推進セミナー', async () => {
    const old = await npoOffering();
    const trainedByRecord = await Promise.all([1, 2, 3].map(() => makeUser(ctx, ['staff'], { unitId: unitA })));
    const trainedInKyodo = await Promise.all([1, 2, 3].map(() => makeUser(ctx, ['staff'], { unitId: unitA })));
    const firstTimers = await Promise.all([1, 2].map(() => makeUser(ctx, ['staff'], { unitId: unitA })));
    for (const p of trainedByRecord) await tdb.db.insertInto('training_records').values({ person_id: p.id, programme_id: npo.id, fiscal_year: 2003, title: 'NPO・協働研修', completed: true, note: '', created_at: ctx.now() }).execute();
    for (const p of trainedInKyodo)
      await tdb.db
        .insertInto('applications')
        .values({ offering_id: old.id, person_id: p.id, status: 'confirmed', seat_group: 'prefecture', answers: '{}', applied_at: new Date('2003-05-10T00:00:00Z'), participant_code: `H15-${p.id}`, updated_at: ctx.now() })
        .execute();
    const o = await createOffering(ctx, admin, { programmeId: seminar.id, fiscalYear: 2026, title: '協働推進セミナー（抽選）', selection: 'lottery', capacity: 2, priorityRules: ['first_time'], ...window() });
    for (const p of [...trainedByRecord, ...trainedInKyodo, ...firstTimers]) await apply(ctx, await userOf(ctx, p.id), o.id, {});
    ctx.clock.advance(8 * DAY);
    try {
      await runLottery(ctx, admin, o.id, { seed: 'lineage-2026' });
    } finally {
      ctx.clock.advance(-8 * DAY);
    }
    const confirmed = (await listApplications(ctx, o.id)).filter((a) => a.status === 'confirmed').map((a) => a.person_id);
    expect(confirmed.sort()).toEqual(firstTimers.map((p) => p.id).sort());
  });

  it('puts units with nobody trained in the lineage first (a unit trained only in NPO・協働研修 history counts as trained)', async () => {
    // Unit C's only training is a record of NPO・協働研修 from before Kyodo; unit D has none.
    const dept = await createUnit(ctx, null, { kind: 'department', name: '環境部', kana: 'カンキョウブ' });
    const unitC = (await createUnit(ctx, null, { kind: 'division', name: '環境政策課', kana: 'カンキョウセイサクカ', parentId: dept.id })).id;
    const unitD = (await createUnit(ctx, null, { kind: 'division', name: '循環社会推進課', kana: 'ジュンカンシャカイスイシンカ', parentId: dept.id })).id;
    const veteran = await makeUser(ctx, ['staff'], { unitId: unitC });
    await tdb.db.insertInto('training_records').values({ person_id: veteran.id, programme_id: npo.id, fiscal_year: 2004, title: 'NPO・協働研修', completed: true, note: '', created_at: ctx.now() }).execute();
    const fromA = await Promise.all([1, 2, 3, 4, 5].map(() => makeUser(ctx, ['staff'], { unitId: unitC })));
    const fromB = await makeUser(ctx, ['staff'], { unitId: unitD });
    const o = await createOffering(ctx, admin, { programmeId: seminar.id, fiscalYear: 2026, title: '協働推進セミナー（所属優先）', selection: 'lottery', capacity: 1, priorityRules: ['unit_untrained'], ...window() });
    for (const p of [...fromA, fromB]) await apply(ctx, await userOf(ctx, p.id), o.id, {});
    ctx.clock.advance(8 * DAY);
    try {
      await runLottery(ctx, admin, o.id, { seed: 'unit-2026' });
    } finally {
      ctx.clock.advance(-8 * DAY);
    }
    const confirmed = (await listApplications(ctx, o.id)).filter((a) => a.status === 'confirmed').map((a) => a.person_id);
    expect(confirmed).toEqual([fromB.id]);
  });
});

describe('cancelling (中止) and deleting an offering', () => {
  it('cancels: records who, when and why; withdraws and mails every live applicant; leaves the schedule and the open data; takes no more applications', async () => {
    const o = await createOffering(ctx, admin, { programmeId: seminar.id, fiscalYear: 2026, title: '中止する研修', selection: 'first_come', capacity: 1, ...window() });
    await addSession(ctx, admin, o.id, { title: '第1回', format: 'lecture', startsAt: '2026-12-10T13:30:00+09:00', endsAt: '2026-12-10T16:30:00+09:00', venue: '県庁' });
    const people = await Promise.all([1, 2].map(() => makeUser(ctx, ['staff'], { unitId: unitA })));
    for (const p of people) await apply(ctx, await userOf(ctx, p.id), o.id, {});
    expect((await publicSchedule(ctx)).some((s) => s.offering_id === o.id)).toBe(true);

    await expect(cancelOffering(ctx, admin, o.id, { reason: '' })).rejects.toMatchObject({ status: 422, fields: { reason: { key: 'error.required' } } });
    const mailsBefore = (await tdb.db.selectFrom('outbox').select('id').execute()).length;
    const r = await cancelOffering(ctx, admin, o.id, { reason: '講師の急病のため' });
    expect(r.told).toBe(2);
    expect(r.offering).toMatchObject({ cancelled_by: admin.id, cancelled_reason: '講師の急病のため', published: false });
    expect(r.offering.cancelled_at?.getTime()).toBe(ctx.now().getTime());
    expect((await listApplications(ctx, o.id)).map((a) => a.status)).toEqual(['cancelled', 'cancelled']);
    const mails = await tdb.db.selectFrom('outbox').selectAll().orderBy('id').execute();
    const sent = mails.slice(mailsBefore);
    expect(sent.map((m) => m.to_address).sort()).toEqual(people.map((p) => p.email).sort());
    for (const m of sent) {
      expect(m.subject).toContain('中止');
      expect(m.body_text).toContain('講師の急病のため');
    }
    const entry = await tdb.db.selectFrom('audit_log').selectAll().where('entity', '=', 'offering').where('entity_id', '=', String(o.id)).where('action', '=', 'cancel').executeTakeFirstOrThrow();
    expect(entry.actor_id).toBe(admin.id);

    expect((await publicSchedule(ctx)).some((s) => s.offering_id === o.id)).toBe(false);
    expect((await openDataEvents(ctx)).some((e) => e.イベント名.startsWith('中止する研修'))).toBe(false);
    expect((await listOfferings(ctx, { publishedOnly: true })).some((x) => x.id === o.id)).toBe(false);
    const late = await makeUser(ctx, ['staff'], { unitId: unitA });
    await expect(apply(ctx, await userOf(ctx, late.id), o.id, {})).rejects.toMatchObject({ status: 404 });
    await expect(apply(ctx, admin, o.id, { personId: late.id })).rejects.toMatchObject({ status: 409, messageKey: 'error.offeringCancelled' });
    await expect(cancelOffering(ctx, admin, o.id, { reason: '二度目' })).rejects.toMatchObject({ status: 409, messageKey: 'error.offeringCancelled' });
    // Re-publishing it through an edit is refused.
    await expect(updateOffering(ctx, admin, o.id, { programmeId: seminar.id, fiscalYear: 2026, title: '中止する研修', selection: 'first_come', capacity: 1, published: true, ...window() })).rejects.toMatchObject({ status: 409 });
  });

  it('refuses to cancel an offering that has begun', async () => {
    const o = await createOffering(ctx, admin, { programmeId: seminar.id, fiscalYear: 2026, title: '始まった研修', selection: 'first_come', capacity: 5, ...window() });
    await addSession(ctx, admin, o.id, { title: '第1回', format: 'lecture', startsAt: '2026-11-20T13:30:00+09:00', endsAt: '2026-11-20T16:30:00+09:00' });
    await expect(cancelOffering(ctx, admin, o.id, { reason: '中止' })).rejects.toMatchObject({ status: 409, messageKey: 'error.offeringStarted' });
  });

  it('deletes an offering nobody applied to (with its sessions, audited), and refuses one with applications, pointing to 中止', async () => {
    const empty = await createOffering(ctx, admin, { programmeId: seminar.id, fiscalYear: 2026, title: '誰も申し込まない研修', selection: 'first_come', capacity: 5, ...window() });
    await addSession(ctx, admin, empty.id, { title: '第1回', format: 'lecture', startsAt: '2027-01-10T13:30:00+09:00', endsAt: '2027-01-10T16:30:00+09:00' });
    await deleteOffering(ctx, admin, empty.id);
    expect(await offeringRepository.find(tdb.db, empty.id)).toBeUndefined();
    const entry = await tdb.db.selectFrom('audit_log').selectAll().where('entity', '=', 'offering').where('entity_id', '=', String(empty.id)).where('action', '=', 'delete').executeTakeFirstOrThrow();
    expect((entry.before as { title: string; sessions: unknown[] }).sessions).toHaveLength(1);

    const used = await createOffering(ctx, admin, { programmeId: seminar.id, fiscalYear: 2026, title: '申込みのある研修', selection: 'first_come', capacity: 5, ...window() });
    const p = await makeUser(ctx, ['staff'], { unitId: unitA });
    await apply(ctx, await userOf(ctx, p.id), used.id, {});
    await expect(deleteOffering(ctx, admin, used.id)).rejects.toMatchObject({ status: 409, messageKey: 'error.offeringHasApplications', params: { count: 1 } });
    expect(await offeringRepository.find(tdb.db, used.id)).toBeDefined();
  });
});

describe('the catalogue (研修一覧), read in one statement', () => {
  it('shows the year\'s published offerings that are not cancelled, in application order, with their sessions in order and their programme; lists every programme for the filter; filters by programme, format and month (Tokyo time)', async () => {
    const course = await createProgramme(ctx, admin, { name: 'カタログ研修', nameEn: 'Catalogue Course', kind: 'seminar', firstFiscalYear: 2030 });
    const opens = (d: string) => ({ applicationOpensAt: d, applicationClosesAt: '2030-05-31T17:00:00+09:00' });
    const make = (title: string, programmeId: number, extra: Record<string, unknown>) =>
      createOffering(ctx, admin, { programmeId, fiscalYear: 2030, title, selection: 'first_come', capacity: 5, published: true, ...extra });
    const later = await make('後に受付を始める研修', course.id, opens('2030-04-10T09:00:00+09:00'));
    const first = await make('先に受付を始める研修', seminar.id, opens('2030-04-01T09:00:00+09:00'));
    const hidden = await make('非公開の研修', seminar.id, { ...opens('2030-04-01T09:00:00+09:00'), published: false });
    const cancelled = await make('中止した研修', seminar.id, opens('2030-04-01T09:00:00+09:00'));
    const nextYear = await createOffering(ctx, admin, { programmeId: seminar.id, fiscalYear: 2031, title: '翌年度の研修', selection: 'first_come', capacity: 5, published: true, applicationOpensAt: '2031-04-01T09:00:00+09:00', applicationClosesAt: '2031-05-31T17:00:00+09:00' });
    const session = (id: number, format: string, startsAt: string) => addSession(ctx, admin, id, { title: format, format, startsAt, endsAt: new Date(new Date(startsAt).getTime() + 3_600_000).toISOString() });
    // Added out of order; 1 Aug 00:30 in Tokyo is still 31 July in UTC.
    await session(first.id, 'lecture', '2030-08-01T00:30:00+09:00');
    await session(first.id, 'field', '2030-06-10T10:00:00+09:00');
    await session(later.id, 'online', '2030-09-05T14:00:00+09:00');
    for (const o of [hidden, cancelled, nextYear]) await session(o.id, 'workshop', '2030-10-01T10:00:00+09:00');
    await cancelOffering(ctx, admin, cancelled.id, { reason: '中止' });
    // A cancelled offering stays off the catalogue whatever its published flag says.
    await offeringRepository.update(tdb.db, cancelled.id, { published: true });

    const all = await catalogue(ctx, { fiscalYear: 2030 });
    expect(all.programmes).toEqual((await listProgrammes(ctx)).map((p) => ({ id: p.id, name: p.name, name_en: p.name_en })));
    expect(all.offerings).toEqual([
      {
        id: first.id,
        title: '先に受付を始める研修',
        programme_id: seminar.id,
        programme_name: '協働推進セミナー',
        programme_name_en: expect.any(String),
        application_opens_at: new Date('2030-04-01T00:00:00Z'),
        application_closes_at: new Date('2030-05-31T08:00:00Z'),
        sessions: [
          { format: 'field', starts_at: new Date('2030-06-10T01:00:00Z') },
          { format: 'lecture', starts_at: new Date('2030-07-31T15:30:00Z') },
        ],
      },
      {
        id: later.id,
        title: '後に受付を始める研修',
        programme_id: course.id,
        programme_name: 'カタログ研修',
        programme_name_en: 'Catalogue Course',
        application_opens_at: new Date('2030-04-10T00:00:00Z'),
        application_closes_at: new Date('2030-05-31T08:00:00Z'),
        sessions: [{ format: 'online', starts_at: new Date('2030-09-05T05:00:00Z') }],
      },
    ]);
    // The same offerings, in the same order, as the published list of the year.
    expect((await listOfferings(ctx, { fiscalYear: 2030, publishedOnly: true })).map((o) => o.id)).toEqual([first.id, later.id]);
    const ids = async (f: Omit<Parameters<typeof catalogue>[1], 'fiscalYear'>) => (await catalogue(ctx, { fiscalYear: 2030, ...f })).offerings.map((o) => o.id);
    expect(await ids({ programmeId: course.id })).toEqual([later.id]);
    expect(await ids({ format: 'field' })).toEqual([first.id]);
    expect(await ids({ format: 'online' })).toEqual([later.id]);
    expect(await ids({ format: 'workshop' })).toEqual([]);
    expect(await ids({ month: 8 })).toEqual([first.id]);
    expect(await ids({ month: 7 })).toEqual([]);
    expect(await ids({ month: 9, format: 'online' })).toEqual([later.id]);
    expect(await ids({ month: 9, format: 'field' })).toEqual([]);
    expect((await catalogue(ctx, { fiscalYear: 2031 })).offerings.map((o) => o.id)).toEqual([nextYear.id]);
    const none = await catalogue(ctx, { fiscalYear: 2040 });
    expect(none.offerings).toEqual([]);
    expect(none.programmes).toEqual(all.programmes);
  });
});
