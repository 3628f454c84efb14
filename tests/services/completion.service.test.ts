import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toCurrentUser } from '../../src/services/account.service.js';
import { apply } from '../../src/services/application.service.js';
import {
  completionTable,
  kioskCheckIn,
  markAttendance,
  overrideCompletion,
  reviewAssignment,
  revokeCertificate,
  sniffType,
  submitAssignment,
  verifyCertificate,
} from '../../src/services/completion.service.js';
import { coordinatorDirectory } from '../../src/services/coordinator.service.js';
import { trainingHistory } from '../../src/services/history.service.js';
import { getImportJob, previewImport, startImport } from '../../src/services/import.service.js';
import { addSession, createProgramme, updateOffering } from '../../src/services/offering.service.js';
import { getPerson } from '../../src/services/person.service.js';
import { createTestDb, type TestDb, testContext } from '../support/db.js';
import { makeUser } from '../support/http.js';
import { makeOffering } from '../support/offerings.js';

let tdb: TestDb;
let ctx: ReturnType<typeof testContext>;

beforeAll(async () => {
  tdb = await createTestDb();
  ctx = testContext(tdb);
});
afterAll(() => tdb.close());

async function cohort(kind: 'coordinator_course' | 'follow_up' | 'seminar', rule: Record<string, unknown> = {}, people = 2) {
  const programme = await createProgramme(ctx, null, { name: kind === 'coordinator_course' ? '協働コーディネーター養成講座' : kind === 'follow_up' ? 'フォローアップ研修' : '協働推進セミナー', kind });
  const o = await makeOffering(ctx, { programmeId: programme.id, capacity: 10 });
  const s1 = await addSession(ctx, null, o.id, { title: '第1回', format: 'lecture', startsAt: '2026-11-24T13:30:00+09:00', endsAt: '2026-11-24T16:30:00+09:00' });
  const s2 = await addSession(ctx, null, o.id, { title: '第2回', format: 'workshop', startsAt: '2026-12-08T13:30:00+09:00', endsAt: '2026-12-08T16:30:00+09:00' });
  if (Object.keys(rule).length) {
    const { offeringRepository } = await import('../../src/db/repositories/offering.repository.js');
    await offeringRepository.update(ctx.db, o.id, { completion_rule: JSON.stringify(rule) });
  }
  const users = [];
  const apps = [];
  for (let i = 0; i < people; i++) {
    const p = await makeUser(ctx, ['staff']);
    const u = toCurrentUser((await getPerson(ctx, p.id))!);
    users.push(u);
    apps.push(await apply(ctx, u, o.id, {}));
  }
  return { o, s1, s2, users, apps };
}

describe('attendance and completion', () => {
  it('completes when every session is attended, issues a numbered certificate, and grants the coordinator certification', async () => {
    const { o, s1, s2, users, apps } = await cohort('coordinator_course');
    await markAttendance(ctx, null, s1.id, [{ personId: users[0].id, status: 'present' }, { personId: users[1].id, status: 'present' }]);
    let table = await completionTable(ctx, o.id);
    expect(table.rows.every((r) => r.completion?.completed === false)).toBe(true);
    await markAttendance(ctx, null, s2.id, [{ applicationId: apps[0].id, status: 'late' }, { applicationId: apps[1].id, status: 'excused' }]);
    table = await completionTable(ctx, o.id);
    const done = table.rows.find((r) => r.application.id === apps[0].id)!;
    const notDone = table.rows.find((r) => r.application.id === apps[1].id)!;
    expect(done.completion?.completed).toBe(true);
    expect(done.completion?.completed_on).toBe('2026-12-08');
    expect(notDone.completion?.completed).toBe(false);
    expect(done.certificate?.number).toMatch(/^KYODO-2026-\d{6}$/);
    expect(notDone.certificate).toBeNull();
    const directory = await coordinatorDirectory(ctx);
    expect(directory.map((d) => d.personId)).toContain(users[0].id);
    expect(directory.map((d) => d.personId)).not.toContain(users[1].id);
    expect(directory.find((d) => d.personId === users[0].id)!.validUntil).toBe('2029-12-07');
    expect((await getPerson(ctx, users[0].id))!.roles).toContain('coordinator');

    // A change of attendance withdraws the completion and revokes the certificate, audited.
    await markAttendance(ctx, null, s2.id, [{ applicationId: apps[0].id, status: 'absent' }]);
    const v = await verifyCertificate(ctx, done.certificate!.number);
    expect(v!.status).toBe('revoked');
    const audit = await ctx.db.selectFrom('audit_log').select('action').where('entity', 'in', ['completion', 'certificate', 'attendance']).execute();
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['attendance_marked', 'attendance_changed', 'completed', 'completion_withdrawn', 'issue', 'revoke']));
  });

  it('refuses attendance for someone who is not a confirmed participant, changing nothing', async () => {
    const { s1 } = await cohort('seminar', {}, 1);
    const stranger = await makeUser(ctx, ['staff']);
    await expect(markAttendance(ctx, null, s1.id, [{ personId: stranger.id, status: 'present' }])).rejects.toMatchObject({ status: 422 });
    await expect(markAttendance(ctx, null, s1.id, [{ personId: stranger.id, status: 'sleeping' }])).rejects.toMatchObject({ status: 422 });
  });

  it('lets an admin override with a reason, audited, and clear it again', async () => {
    const { o, apps } = await cohort('seminar', {}, 1);
    await expect(overrideCompletion(ctx, { id: 1 }, apps[0].id, { completed: 'yes' })).rejects.toMatchObject({ fields: { reason: { key: 'error.required' } } });
    expect(await overrideCompletion(ctx, { id: 1 }, apps[0].id, { completed: 'yes', reason: '公務により欠席、補講を受講済み' })).toBe(true);
    const row = (await completionTable(ctx, o.id)).rows[0];
    expect(row.completion?.override_reason).toBe('公務により欠席、補講を受講済み');
    expect(row.certificate).not.toBeNull();
    expect(await overrideCompletion(ctx, { id: 1 }, apps[0].id, { completed: 'clear' })).toBe(false);
  });
});

describe('completion rule changes', () => {
  it('recomputes everyone at once when the offering\'s rule changes', async () => {
    const { o, s1, apps } = await cohort('seminar', {}, 1);
    await markAttendance(ctx, null, s1.id, [{ applicationId: apps[0].id, status: 'present' }]);
    expect((await completionTable(ctx, o.id)).rows[0].completion?.completed).toBe(false);
    await updateOffering(ctx, null, o.id, {
      programmeId: o.programme_id,
      fiscalYear: o.fiscal_year,
      title: o.title,
      selection: o.selection,
      capacity: o.capacity,
      applicationOpensAt: o.application_opens_at.toISOString(),
      applicationClosesAt: o.application_closes_at.toISOString(),
      completionRule: { minSessions: 1 },
    });
    expect((await completionTable(ctx, o.id)).rows[0].completion?.completed).toBe(true);
  });
});

describe('kiosk check-in', () => {
  it('accepts the code only for its participant on the session day, once; wrong and reused codes get a clear answer', async () => {
    const { s1, s2, apps } = await cohort('seminar', {}, 2);
    const other = await cohort('seminar', {}, 1);
    ctx.clock.current = new Date('2026-11-24T04:20:00Z'); // 13:20 JST on the day of 第1回
    expect(await kioskCheckIn(ctx, null, s1.id, { code: 'ZZZZ-ZZZZ' })).toEqual({ ok: false, reason: 'unknown' });
    expect(await kioskCheckIn(ctx, null, s1.id, { code: other.apps[0].participant_code })).toEqual({ ok: false, reason: 'other_session' });
    expect(await kioskCheckIn(ctx, null, s2.id, { code: apps[0].participant_code })).toEqual({ ok: false, reason: 'wrong_day' });
    const code = apps[0].participant_code.toLowerCase().replace('-', ' ');
    expect(await kioskCheckIn(ctx, null, s1.id, { code })).toMatchObject({ ok: true, status: 'present' });
    expect(await kioskCheckIn(ctx, null, s1.id, { code: apps[0].participant_code })).toEqual({ ok: false, reason: 'already' });
    ctx.clock.current = new Date('2026-11-24T05:00:00Z'); // 14:00 JST: 30 minutes late
    expect(await kioskCheckIn(ctx, null, s1.id, { code: apps[1].participant_code })).toMatchObject({ ok: true, status: 'late' });
    ctx.clock.current = new Date('2026-11-24T01:00:00Z');
  });
});

describe('assignments', () => {
  it('checks file types by their bytes', () => {
    const pdf = new TextEncoder().encode('%PDF-1.7 ...');
    expect(sniffType('report.pdf', pdf)).toBe('application/pdf');
    expect(sniffType('report.exe', pdf)).toBeNull();
    expect(sniffType('evil.pdf', new TextEncoder().encode('MZ\x90\x00'))).toBeNull();
    expect(sniffType('notes.txt', new TextEncoder().encode('協働の現場で学んだこと'))).toBe('text/plain');
    expect(sniffType('photo.png', new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d]))).toBe('image/png');
  });

  it('completes only when the assignment is accepted; a returned one can be resubmitted', async () => {
    const { o, s1, s2, users, apps } = await cohort('seminar', { assignment: true }, 1);
    await markAttendance(ctx, null, s1.id, [{ applicationId: apps[0].id, status: 'present' }]);
    await markAttendance(ctx, null, s2.id, [{ applicationId: apps[0].id, status: 'present' }]);
    await expect(submitAssignment(ctx, users[0], apps[0].id, { text: '' })).rejects.toMatchObject({ fields: { text: { key: 'error.assignmentEmpty' } } });
    await expect(submitAssignment(ctx, users[0], apps[0].id, { file: { name: 'x.exe', bytes: new Uint8Array([0x4d, 0x5a]) } })).rejects.toMatchObject({ fields: { file: { key: 'error.fileType' } } });
    const big = new Uint8Array(ctx.config.uploadMaxBytes + 1);
    big.set([0x25, 0x50, 0x44, 0x46]);
    await expect(submitAssignment(ctx, users[0], apps[0].id, { file: { name: 'big.pdf', bytes: big } })).rejects.toMatchObject({ fields: { file: { key: 'error.fileTooLarge' } } });
    await submitAssignment(ctx, users[0], apps[0].id, { text: '現地研修で学んだこと', file: { name: 'report.pdf', bytes: new TextEncoder().encode('%PDF-1.4 report') } });
    expect((await completionTable(ctx, o.id)).rows[0].completion?.completed).toBe(false);
    await reviewAssignment(ctx, null, apps[0].id, { decision: 'return', comment: '考察を加えてください' });
    await submitAssignment(ctx, users[0], apps[0].id, { text: '考察を加えました' });
    expect(await reviewAssignment(ctx, null, apps[0].id, { decision: 'accept' })).toBe(true);
    // Another person cannot submit for this application.
    const other = toCurrentUser((await getPerson(ctx, (await makeUser(ctx, ['staff'])).id))!);
    await expect(submitAssignment(ctx, other, apps[0].id, { text: 'x' })).rejects.toMatchObject({ status: 404 });
  });
});

describe('certificates and verification', () => {
  it('verification shows only number, name, programme, date and validity; revocation shows as revoked', async () => {
    const { o, apps } = await cohort('seminar', {}, 1);
    await overrideCompletion(ctx, null, apps[0].id, { completed: 'yes', reason: '試験' });
    const cert = (await completionTable(ctx, o.id)).rows[0].certificate!;
    const v = await verifyCertificate(ctx, cert.number.toLowerCase());
    expect(Object.keys(v!).sort()).toEqual(['completedOn', 'name', 'number', 'programme', 'status', 'validUntil']);
    expect(v!.status).toBe('valid');
    expect(await verifyCertificate(ctx, 'KYODO-2026-999999')).toBeNull();
    await expect(revokeCertificate(ctx, null, cert.number, { reason: '' })).rejects.toMatchObject({ status: 422 });
    await revokeCertificate(ctx, null, cert.number, { reason: '誤って発行したため' });
    expect((await verifyCertificate(ctx, cert.number))!.status).toBe('revoked');
  });

  it('a follow-up training renews a coordinator certification', async () => {
    const course = await cohort('coordinator_course', {}, 1);
    await overrideCompletion(ctx, null, course.apps[0].id, { completed: 'yes', reason: '試験' });
    const followUp = await cohort('follow_up', {}, 0);
    const u = course.users[0];
    ctx.clock.advance(86_400_000 * 400);
    await updateOffering(ctx, null, followUp.o.id, {
      programmeId: followUp.o.programme_id,
      fiscalYear: 2027,
      title: 'フォローアップ研修',
      selection: 'first_come',
      capacity: 10,
      applicationOpensAt: new Date(ctx.now().getTime() - 86_400_000).toISOString(),
      applicationClosesAt: new Date(ctx.now().getTime() + 86_400_000).toISOString(),
    });
    await addSession(ctx, null, followUp.o.id, { title: 'フォローアップ', format: 'workshop', startsAt: '2027-12-10T13:30:00+09:00', endsAt: '2027-12-10T16:30:00+09:00' });
    const a = await apply(ctx, u, followUp.o.id, {});
    await overrideCompletion(ctx, null, a.id, { completed: 'yes', reason: '試験' });
    const entry = (await coordinatorDirectory(ctx)).find((d) => d.personId === u.id)!;
    expect(entry.grantedOn).toBe('2026-12-08');
    expect(entry.validUntil).toBe('2030-12-09');
    ctx.clock.advance(-86_400_000 * 400);
  });
});

describe('training history', () => {
  it('imports records from before Kyodo (wareki years), all or nothing, and lists them with Kyodo records', async () => {
    const p = await makeUser(ctx, ['staff'], { email: 'rekishi@pref.example.jp' });
    const bad = await previewImport(ctx, { id: p.id }, 'history', 'h.csv', new TextEncoder().encode('メールアドレス,年度,研修事業,研修名,修了\r\nrekishi@pref.example.jp,平成11年度,,NPO・協働研修,修了\r\nnobody@pref.example.jp,平成99,,x,maybe'));
    expect(bad.errors.map((e) => [e.line, e.field])).toEqual([
      [3, 'email'],
      [3, 'fiscalYear'],
      [3, 'completed'],
    ]);
    const ok = await previewImport(ctx, { id: p.id }, 'history', 'h.csv', new TextEncoder().encode('メールアドレス,年度,研修事業,研修名,修了\r\nrekishi@pref.example.jp,平成11年度,,NPO・協働研修,修了\r\nrekishi@pref.example.jp,H18,,NPO・協働研修（応用）,未修了'));
    expect(ok.errors).toEqual([]);
    await (await startImport(ctx, { id: p.id }, ok.id)).finished;
    expect((await getImportJob(ctx, ok.id))!.status).toBe('done');
    const h = await trainingHistory(ctx, { personId: p.id });
    expect(h.map((r) => [r.fiscalYear, r.title, r.completed, r.imported])).toEqual([
      [2006, 'NPO・協働研修（応用）', false, true],
      [1999, 'NPO・協働研修', true, true],
    ]);
  });
});
