import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fiscalYearOf, fiscalYearOfDate } from '../../src/domain/calendar.js';
import { apply } from '../../src/services/application.service.js';
import { markAttendance, revokeCertificate, updateCompletionRule } from '../../src/services/completion.service.js';
import { toCurrentUser } from '../../src/services/context.js';
import { coordinatorDirectory } from '../../src/services/coordinator.service.js';
import { addSession, createProgramme } from '../../src/services/offering.service.js';
import { getPerson } from '../../src/services/person.service.js';
import { fiscalYearKpis } from '../../src/services/report.service.js';
import { createTestDb, type TestDb, testContext } from '../support/db.js';
import { makeUser } from '../support/http.js';
import { makeOffering } from '../support/offerings.js';

/**
 * Decision 0030: a coordinator certification follows the certificates it rests on. Revoking the course
 * certificate (by an admin, or by a completion rule that withdraws the completion) revokes the
 * certification with it; revoking a renewal's certificate sets the validity back; completing the course
 * again grants it again. What a 研修担当 would check: the directory, the person's roles, the dashboard's
 * active coordinators, the audit log.
 */

let tdb: TestDb;
let ctx: ReturnType<typeof testContext>;

beforeAll(async () => {
  tdb = await createTestDb();
  ctx = testContext(tdb);
});
afterAll(() => tdb.close());

const ALL_STATUSES = ['active', 'expiring', 'expired'] as const;

const programmes: Partial<Record<'coordinator_course' | 'follow_up', number>> = {};
async function programmeOf(kind: 'coordinator_course' | 'follow_up') {
  programmes[kind] ??= (await createProgramme(ctx, null, { name: kind === 'coordinator_course' ? '協働コーディネーター養成講座' : 'フォローアップ研修', kind, firstFiscalYear: 2020 })).id;
  return programmes[kind];
}

/** An offering of the programme with one session on `day` (13:30–16:30 in Tokyo), open for applications that morning. */
async function offeringOn(kind: 'coordinator_course' | 'follow_up', day: string, sessions: string[] = [day]) {
  ctx.clock.current = new Date(`${day}T01:00:00Z`); // 10:00 in Tokyo
  const o = await makeOffering(ctx, { programmeId: await programmeOf(kind), fiscalYear: fiscalYearOfDate(day), capacity: 10 });
  const added = [];
  for (const d of sessions) added.push(await addSession(ctx, null, o.id, { title: `${d}の回`, format: 'workshop', startsAt: `${d}T13:30:00+09:00`, endsAt: `${d}T16:30:00+09:00` }));
  return { o, sessions: added };
}

/** The person takes part in a one-session offering on `day` and completes it; its certificate. */
async function complete(personId: number, kind: 'coordinator_course' | 'follow_up', day: string) {
  const { o, sessions } = await offeringOn(kind, day);
  await apply(ctx, toCurrentUser((await getPerson(ctx, personId))!), o.id, {});
  ctx.clock.current = new Date(`${day}T08:00:00Z`); // 17:00 in Tokyo, after the session
  await markAttendance(ctx, null, sessions[0]!.id, [{ personId, status: 'present' }]);
  return certificateOf(personId, o.id);
}

async function certificateOf(personId: number, offeringId: number) {
  return tdb.db
    .selectFrom('certificates')
    .innerJoin('applications', 'applications.id', 'certificates.application_id')
    .selectAll('certificates')
    .where('certificates.person_id', '=', personId)
    .where('applications.offering_id', '=', offeringId)
    .executeTakeFirstOrThrow();
}

const certification = (personId: number) => tdb.db.selectFrom('coordinator_certifications').selectAll().where('person_id', '=', personId).executeTakeFirst();
const inDirectory = async (personId: number) => (await coordinatorDirectory(ctx, { statuses: [...ALL_STATUSES] })).some((e) => e.personId === personId);
const roles = async (personId: number) => (await getPerson(ctx, personId))!.roles;
const coordinators = async () => (await fiscalYearKpis(ctx, fiscalYearOf(ctx.now()))).coordinators;
const auditOf = (personId: number) =>
  tdb.db.selectFrom('audit_log').select(['action', 'before', 'after']).where('entity', '=', 'coordinator_certification').where('entity_id', '=', String(personId)).orderBy('id').execute();

describe('a coordinator certification follows its certificates', () => {
  it('the course certificate revoked: the certification is revoked, the role removed, the person leaves the directory and the active count; completing the course again grants it again', async () => {
    const p = await makeUser(ctx, ['staff']);
    const cert = await complete(p.id, 'coordinator_course', '2026-11-24');
    expect(await certification(p.id)).toMatchObject({ granted_on: '2026-11-24', valid_until: '2029-11-23', renewed_on: null, certificate_id: cert.id, revoked_at: null });
    expect(await inDirectory(p.id)).toBe(true);
    expect(await roles(p.id)).toEqual(['coordinator', 'staff']);
    const standing = await coordinators(); // the dashboard's figures, now stored (decision 0022)

    ctx.clock.current = new Date('2026-11-25T01:00:00Z');
    await revokeCertificate(ctx, null, cert.number, { reason: '受講記録の誤りにより誤って発行したため' });
    const revoked = await certification(p.id);
    expect(revoked?.revoked_at?.toISOString()).toBe('2026-11-25T01:00:00.000Z');
    // The row is kept as it was: the grant still counts among those ever certified.
    expect(revoked).toMatchObject({ granted_on: '2026-11-24', valid_until: '2029-11-23', certificate_id: cert.id });
    expect(await inDirectory(p.id)).toBe(false);
    expect(await roles(p.id)).toEqual(['staff']);
    expect(await coordinators()).toEqual({ ...standing, active: standing.active - 1 });
    const entry = (await auditOf(p.id)).at(-1)!;
    expect(entry.action).toBe('revoke');
    expect(entry.before).toMatchObject({ revoked_at: null, roles: ['coordinator', 'staff'] });
    expect(entry.after).toMatchObject({ revoked_at: '2026-11-25T01:00:00.000Z', roles: ['staff'] });

    // Completing the course again grants it again, from the new certificate.
    const again = await complete(p.id, 'coordinator_course', '2026-12-08');
    expect(await certification(p.id)).toMatchObject({ granted_on: '2026-12-08', valid_until: '2029-12-07', renewed_on: null, certificate_id: again.id, revoked_at: null });
    expect(await inDirectory(p.id)).toBe(true);
    expect(await roles(p.id)).toEqual(['coordinator', 'staff']);
    expect((await coordinators()).active).toBe(standing.active);
    expect((await auditOf(p.id)).map((e) => e.action)).toEqual(['grant', 'revoke', 'grant']);
  });

  it('a renewal’s certificate revoked: the validity is the grant’s again, and the coordinator stays', async () => {
    const p = await makeUser(ctx, ['staff']);
    const course = await complete(p.id, 'coordinator_course', '2026-11-24');
    const followUp = await complete(p.id, 'follow_up', '2027-12-10');
    expect(await certification(p.id)).toMatchObject({ granted_on: '2026-11-24', valid_until: '2030-12-09', renewed_on: '2027-12-10', certificate_id: followUp.id });

    ctx.clock.current = new Date('2027-12-11T01:00:00Z');
    const before = await coordinators();
    await revokeCertificate(ctx, null, followUp.number, { reason: '出席の記録の誤り' });
    expect(await certification(p.id)).toMatchObject({ granted_on: '2026-11-24', valid_until: '2029-11-23', renewed_on: null, certificate_id: course.id, revoked_at: null });
    expect((await coordinatorDirectory(ctx, { statuses: [...ALL_STATUSES] })).find((e) => e.personId === p.id)).toMatchObject({ grantedOn: '2026-11-24', validUntil: '2029-11-23' });
    expect(await roles(p.id)).toEqual(['coordinator', 'staff']);
    expect(await coordinators()).toEqual(before);
    const entry = (await auditOf(p.id)).at(-1)!;
    expect(entry).toMatchObject({
      action: 'update',
      before: { valid_until: '2030-12-09', renewed_on: '2027-12-10', certificate_id: followUp.id },
      after: { valid_until: '2029-11-23', renewed_on: null, certificate_id: course.id },
    });
    expect((await auditOf(p.id)).map((e) => e.action)).toEqual(['grant', 'renew', 'update']);
  });

  it('a follow-up before any course certificate renews nothing, and revoking it changes nothing', async () => {
    const p = await makeUser(ctx, ['staff']);
    const followUp = await complete(p.id, 'follow_up', '2026-11-24');
    expect(await certification(p.id)).toBeUndefined();
    await revokeCertificate(ctx, null, followUp.number, { reason: '誤って発行したため' });
    expect(await certification(p.id)).toBeUndefined();
    expect(await roles(p.id)).toEqual(['staff']);
    expect(await auditOf(p.id)).toEqual([]);
  });

  it('a completion rule that withdraws the course completion (confirmed) revokes the certification as an admin’s revocation does', async () => {
    const { o, sessions } = await offeringOn('coordinator_course', '2026-11-24', ['2026-11-24', '2026-12-08']);
    await updateCompletionRule(ctx, null, o.id, { rule: { minSessions: 1 } });
    const p = await makeUser(ctx, ['staff']);
    await apply(ctx, toCurrentUser((await getPerson(ctx, p.id))!), o.id, {});
    ctx.clock.current = new Date('2026-11-24T08:00:00Z');
    await markAttendance(ctx, null, sessions[0]!.id, [{ personId: p.id, status: 'present' }]);
    const cert = await certificateOf(p.id, o.id);
    expect(await certification(p.id)).toMatchObject({ granted_on: '2026-11-24', certificate_id: cert.id, revoked_at: null });
    const standing = await coordinators();

    // Every session required: the completion would be lost, so the admin is asked first, and nothing changes.
    await expect(updateCompletionRule(ctx, null, o.id, { rule: {} })).rejects.toMatchObject({ status: 409 });
    expect((await certification(p.id))?.revoked_at).toBeNull();
    expect(await roles(p.id)).toContain('coordinator');

    await updateCompletionRule(ctx, null, o.id, { rule: {}, confirm: true });
    expect((await certification(p.id))?.revoked_at).not.toBeNull();
    expect(await inDirectory(p.id)).toBe(false);
    expect(await roles(p.id)).toEqual(['staff']);
    expect(await coordinators()).toEqual({ ...standing, active: standing.active - 1 });
    expect((await auditOf(p.id)).map((e) => e.action)).toEqual(['grant', 'revoke']);
  });
});
