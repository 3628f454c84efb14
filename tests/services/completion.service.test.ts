import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { apply } from '../../src/services/application.service.js';
import {
  completionTable,
  kioskCheckIn,
  markAttendance,
  overrideCompletion,
  previewCompletionChange,
  reviewAssignment,
  revokeCertificate,
  sniffType,
  submitAssignment,
  updateCompletionRule,
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
import { toCurrentUser } from '../../src/services/context.js';

let tdb: TestDb;
let ctx: ReturnType<typeof testContext>;

beforeAll(async () => {
  tdb = await createTestDb();
  ctx = testContext(tdb);
});
afterAll(() => tdb.close());
const START = new Date('2026-11-24T01:00:00Z'); // 10:00 JST, before 第1回 (13:30)
const AFTER_S1 = new Date('2026-11-24T05:00:00Z'); // 14:00 JST on the day of 第1回
const AFTER_S2 = new Date('2026-12-08T05:00:00Z'); // 14:00 JST on the day of 第2回
afterEach(() => {
  ctx.clock.current = new Date(START);
});

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
    ctx.clock.current = AFTER_S1;
    await markAttendance(ctx, null, s1.id, [{ personId: users[0].id, status: 'present' }, { personId: users[1].id, status: 'present' }]);
    let table = await completionTable(ctx, o.id);
    expect(table.rows.every((r) => r.completion?.completed === false)).toBe(true);
    ctx.clock.current = AFTER_S2;
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
    const v = await verifyCertificate(ctx, done.certificate!.verification_code);
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
    ctx.clock.current = AFTER_S1;
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
    // Back to "every session" from the offering's own form would revoke the new certificate: refused unless confirmed.
    const form = {
      programmeId: o.programme_id,
      fiscalYear: o.fiscal_year,
      title: o.title,
      selection: o.selection,
      capacity: o.capacity,
      applicationOpensAt: o.application_opens_at.toISOString(),
      applicationClosesAt: o.application_closes_at.toISOString(),
      completionRule: {},
    };
    await expect(updateOffering(ctx, null, o.id, form)).rejects.toMatchObject({ status: 422, fields: { completionRule: { key: 'error.completionRuleRevokes', params: { completions: 1, certificates: 1 } } } });
    expect((await completionTable(ctx, o.id)).rows[0].certificate).not.toBeNull();
    await updateOffering(ctx, null, o.id, { ...form, confirmCompletionChange: true });
    expect((await completionTable(ctx, o.id)).rows[0].certificate).toBeNull();
  });
});

describe('nothing is recorded before it happened', () => {
  it('refuses present, late, left early and absent before the session starts, saving nothing; excused may be entered ahead', async () => {
    const { o, s1, apps } = await cohort('seminar', { minSessions: 1 }, 2);
    for (const status of ['present', 'late', 'left_early', 'absent'] as const) {
      await expect(markAttendance(ctx, null, s1.id, [{ applicationId: apps[0].id, status }])).rejects.toMatchObject({
        status: 422,
        fields: { attendance: { key: 'error.attendanceNotYet', params: { from: '2026年11月24日(火) 13:30' } } },
      });
    }
    // The whole batch is refused, even its 公務等 line: nothing half-saved.
    await expect(markAttendance(ctx, null, s1.id, [{ applicationId: apps[1].id, status: 'excused' }, { applicationId: apps[0].id, status: 'present' }], 'api')).rejects.toMatchObject({ status: 422 });
    expect((await completionTable(ctx, o.id)).rows.every((r) => r.attendance.size === 0 && !r.certificate)).toBe(true);
    expect(await markAttendance(ctx, null, s1.id, [{ applicationId: apps[1].id, status: 'excused' }])).toEqual({ changed: 1 });
    ctx.clock.current = new Date('2026-11-24T04:30:00Z'); // 13:30 JST: it has started
    expect(await markAttendance(ctx, null, s1.id, [{ applicationId: apps[0].id, status: 'present' }])).toEqual({ changed: 1 });
  });

  it('dates a completion on the last session attended, never in the future', async () => {
    const { o, s1, apps } = await cohort('seminar', { minSessions: 1 }, 2);
    ctx.clock.current = AFTER_S1;
    await markAttendance(ctx, null, s1.id, [{ applicationId: apps[0].id, status: 'present' }]);
    // An override before any session: completed today, not on the day of 第2回 (2026-12-08).
    await overrideCompletion(ctx, null, apps[1].id, { completed: 'yes', reason: '補講を受講済み' });
    const rows = (await completionTable(ctx, o.id)).rows;
    for (const r of rows) {
      expect(r.completion?.completed_on).toBe('2026-11-24');
      expect(r.certificate?.completed_on).toBe('2026-11-24');
    }
  });
});

describe('previewing a change of sessions or rule', () => {
  async function completedCohort() {
    const c = await cohort('seminar', {}, 3);
    ctx.clock.current = AFTER_S1;
    await markAttendance(ctx, null, c.s1.id, c.apps.map((a) => ({ applicationId: a.id, status: 'present' })));
    ctx.clock.current = AFTER_S2;
    // A and B complete; C was absent from 第2回.
    await markAttendance(ctx, null, c.s2.id, [
      { applicationId: c.apps[0].id, status: 'present' },
      { applicationId: c.apps[1].id, status: 'late' },
      { applicationId: c.apps[2].id, status: 'absent' },
    ]);
    return c;
  }

  it('counts the completions lost and certificates revoked, writing nothing', async () => {
    const { o, s2, apps } = await completedCohort();
    const before = await completionTable(ctx, o.id);
    expect(before.rows.filter((r) => r.certificate).length).toBe(2);
    // A new session nobody has attended: under "every session", A and B lose their completion.
    expect(await previewCompletionChange(ctx, o.id, { addSession: { startsAt: new Date('2027-01-20T04:30:00Z'), endsAt: new Date('2027-01-20T07:30:00Z') } })).toEqual({ certificatesRevoked: 2, completionsLost: 2 });
    // Removing 第2回 loses nobody (C would gain, which is not a loss).
    expect(await previewCompletionChange(ctx, o.id, { removeSessionId: s2.id })).toEqual({ certificatesRevoked: 0, completionsLost: 0 });
    expect(await previewCompletionChange(ctx, o.id, { rule: { minSessions: 1 } })).toEqual({ certificatesRevoked: 0, completionsLost: 0 });
    expect(await previewCompletionChange(ctx, o.id, { rule: { assignment: true } })).toEqual({ certificatesRevoked: 2, completionsLost: 2 });
    // An override stands whatever the rule: B is kept.
    await overrideCompletion(ctx, null, apps[1].id, { completed: 'yes', reason: '補講を受講済み' });
    expect(await previewCompletionChange(ctx, o.id, { rule: { assignment: true } })).toEqual({ certificatesRevoked: 1, completionsLost: 1 });
    await expect(previewCompletionChange(ctx, o.id, { rule: { minSessions: 'many' } })).rejects.toMatchObject({ status: 422 });
    // Nothing was written.
    const after = await completionTable(ctx, o.id);
    expect(after.rows.map((r) => [r.completion?.completed, r.certificate?.number])).toEqual(before.rows.map((r) => [r.completion?.completed, r.certificate?.number]));
  });

  it('a rule change that revokes asks first (409 with the counts), then revokes exactly those', async () => {
    const { o, apps } = await completedCohort();
    const err = await updateCompletionRule(ctx, { id: 1 }, o.id, { rule: { assignment: true } }).catch((e) => e);
    expect(err).toMatchObject({ status: 409, code: 'confirmation_required', params: { certificates: 2, completions: 2 } });
    expect((await completionTable(ctx, o.id)).rows.filter((r) => r.certificate).length).toBe(2);
    // A change that revokes nothing needs no confirmation.
    expect(await updateCompletionRule(ctx, { id: 1 }, o.id, { rule: { minSessions: 1 } })).toMatchObject({ rule: { minSessions: 1 }, certificatesRevoked: 0, completionsLost: 0 });
    // C now completes under "at least 1 session".
    expect((await completionTable(ctx, o.id)).rows.filter((r) => r.certificate).length).toBe(3);
    expect(await updateCompletionRule(ctx, { id: 1 }, o.id, { rule: { minSessions: 2 }, confirm: true })).toMatchObject({ certificatesRevoked: 1, completionsLost: 1 });
    const rows = (await completionTable(ctx, o.id)).rows;
    expect(rows.find((r) => r.application.id === apps[2].id)!.completion?.completed).toBe(false);
    expect(rows.filter((r) => r.certificate).length).toBe(2);
    await expect(updateCompletionRule(ctx, { id: 1 }, o.id, { rule: { requiredSessionIds: [999999] } })).rejects.toMatchObject({ status: 422, fields: { completionRequiredSessions: { key: 'error.invalid' } } });
  });
});

describe('kiosk check-in', () => {
  it('accepts the code only for its participant on the session day, once; wrong and reused codes get a clear answer', async () => {
    const { s1, s2, apps } = await cohort('seminar', {}, 2);
    const other = await cohort('seminar', {}, 1);
    ctx.clock.current = new Date('2026-11-24T04:20:00Z'); // 13:20 JST on the day of 第1回
    expect(await kioskCheckIn(ctx, null, s1.id, { code: 'ZZZZ-ZZZZ' })).toEqual({ ok: false, reason: 'unknown' });
    expect(await kioskCheckIn(ctx, null, s1.id, { code: other.apps[0].participant_code })).toEqual({ ok: false, reason: 'other_session' });
    expect(await kioskCheckIn(ctx, null, s2.id, { code: apps[0].participant_code })).toEqual({ ok: false, reason: 'wrong_day', startsAt: s2.starts_at });
    ctx.clock.current = new Date('2026-11-24T03:50:00Z'); // 12:50 JST: more than 30 minutes before the start
    expect(await kioskCheckIn(ctx, null, s1.id, { code: apps[0].participant_code })).toEqual({ ok: false, reason: 'not_yet', opensAt: new Date('2026-11-24T04:00:00Z') });
    ctx.clock.current = new Date('2026-11-24T04:20:00Z');
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
    ctx.clock.current = AFTER_S2;
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
    // By the code printed on it, typed any way (lower case, dashes or not); never by the sequential number.
    const v = await verifyCertificate(ctx, cert.verification_code.toLowerCase());
    expect(Object.keys(v!).sort()).toEqual(['code', 'completedOn', 'name', 'number', 'programme', 'status', 'validUntil']);
    expect(v!.status).toBe('valid');
    expect(v!.code.replace(/-/g, '')).toBe(cert.verification_code);
    expect(await verifyCertificate(ctx, cert.number)).toBeNull();
    expect(await verifyCertificate(ctx, 'KYODO-2026-999999')).toBeNull();
    await expect(revokeCertificate(ctx, null, cert.number, { reason: '' })).rejects.toMatchObject({ status: 422 });
    await revokeCertificate(ctx, null, cert.number, { reason: '誤って発行したため' });
    expect((await verifyCertificate(ctx, v!.code))!.status).toBe('revoked');
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
    // Completed on the day of the override (第2回 had not taken place yet), never in the future.
    expect(entry.grantedOn).toBe('2026-11-24');
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
