import type { Insertable, Kysely } from 'kysely';
import { z } from 'zod';
import { formatTokyo, tokyoDateOf, fiscalYearOfDate } from '../domain/calendar.js';
import { ATTENDANCE_STATUSES, ATTENDED, type AssignmentState, type AttendanceStatus, type CompletionRule, attendanceOpensAt, completionDate, evaluateCompletion, validUntil } from '../domain/completion.js';
import { applicationRepository } from '../db/repositories/application.repository.js';
import { randomBytes } from 'node:crypto';
import { CODE_DIGITS, codeFromBytes, formatCode, normaliseCode } from '../domain/certificate-code.js';
import { maySubmitAssignment } from '../domain/policies/application.js';
import { sessionRepository } from '../db/repositories/session.repository.js';
import { certificateRepository } from '../db/repositories/certificate.repository.js';
import { completionRepository } from '../db/repositories/completion.repository.js';
import { coordinatorRepository } from '../db/repositories/coordinator.repository.js';
import { certificationChange, deriveCertification } from '../domain/coordinator-certification.js';
import { offeringRepository } from '../db/repositories/offering.repository.js';
import { personRepository } from '../db/repositories/person.repository.js';
import { programmeRepository } from '../db/repositories/programme.repository.js';
import type { CompletionTable, Database } from '../db/schema.js';
import { optionalText, requiredText, validate } from '../lib/validation.js';
import { audit } from './audit.service.js';
import { type Actor, type AppContext, invalid, ServiceError } from './context.js';
import { type CurrentUser } from './context.js';

type Trx = Kysely<Database>;

// ---------------------------------------------------------------------------------------------
// Completion: recomputed in the same transaction as every change of its inputs

/**
 * Recomputes one application's completion from its inputs. On becoming complete a certificate is
 * issued (and for the coordinator course, the certification granted or renewed); on losing it, the
 * certificate is revoked. Every change is audited.
 */
export async function recomputeCompletion(trx: Trx, ctx: AppContext, actor: Actor, applicationId: number): Promise<boolean> {
  const app = await applicationRepository.find(trx, applicationId);
  if (!app) return false;
  const offering = (await offeringRepository.find(trx, app.offering_id))!;
  const [sessions, attendance, assignment, before] = await Promise.all([
    offeringRepository.sessions(trx, offering.id),
    completionRepository.attendanceForApplication(trx, applicationId),
    completionRepository.findAssignment(trx, applicationId),
    completionRepository.findCompletion(trx, applicationId),
  ]);
  const result = evaluateFor(offering.completion_rule as CompletionRule, sessions.map((s) => s.id), attendance, assignment, before);
  // A cancelled or never-confirmed application does not complete.
  const completed = app.status === 'confirmed' && result.completed;
  // The completion date is the day of the last session attended, and never in the future.
  const today = tokyoDateOf(ctx.now());
  const attendedDays = sessions.filter((s) => attendance.some((a) => a.session_id === s.id && ATTENDED.has(a.status as AttendanceStatus))).map((s) => tokyoDateOf(s.starts_at));
  const newDay = completionDate(attendedDays, sessions.map((s) => tokyoDateOf(s.starts_at)), today);
  const kept = before?.completed && before.completed_on && before.completed_on <= today ? before.completed_on : null;
  const completedOn = completed ? (kept ?? newDay) : null;
  await completionRepository.saveCompletion(trx, {
    application_id: applicationId,
    completed,
    computed: result.computed,
    parts: JSON.stringify(result.parts),
    completed_on: completedOn,
    updated_at: ctx.now(),
    override_completed: before?.override_completed ?? null,
    override_reason: before?.override_reason ?? null,
    overridden_by: before?.overridden_by ?? null,
    signed_off_by: before?.signed_off_by ?? null,
    signed_off_at: before?.signed_off_at ?? null,
  });
  if ((before?.completed ?? false) !== completed) {
    await audit(trx, ctx, actor, completed ? 'completed' : 'completion_withdrawn', 'completion', applicationId, { completed: before?.completed ?? false }, { completed, parts: result.parts });
    if (completed) await issueCertificate(trx, ctx, actor, applicationId, completedOn!);
    else {
      const cert = await certificateRepository.standingForApplication(trx, applicationId);
      if (cert) await revokeCertificateRow(trx, ctx, actor, cert.id, cert.number, '修了の取消し（completion withdrawn）');
    }
  }
  return completed;
}

/** The pure completion rule applied to one application's stored inputs. */
function evaluateFor(
  rule: CompletionRule,
  sessionIds: number[],
  attendance: readonly { session_id: number; status: string }[],
  assignment: { status: AssignmentState } | undefined,
  record: { signed_off_at: Date | null; override_completed: boolean | null } | undefined,
) {
  return evaluateCompletion(rule, {
    sessionIds,
    attendance: new Map(attendance.map((a) => [a.session_id, a.status as AttendanceStatus])),
    assignment: assignment?.status ?? 'none',
    signedOff: !!record?.signed_off_at,
    override: record?.override_completed === null || record?.override_completed === undefined ? null : { completed: record.override_completed },
  });
}

/** Recomputes every confirmed participant of an offering (after its rule or its sessions changed), in the caller's transaction. */
export async function recomputeOfferingCompletions(trx: Trx, ctx: AppContext, actor: Actor, offeringId: number): Promise<void> {
  for (const a of await applicationRepository.confirmedForSession(trx, offeringId)) await recomputeCompletion(trx, ctx, actor, a.id);
}

export const completionRuleSchema = z
  .object({
    minSessions: z.number().int().min(0).max(100).optional(),
    requiredSessionIds: z.array(z.number().int().positive().max(2147483647)).max(100).optional(),
    assignment: z.boolean().optional(),
    signOff: z.boolean().optional(),
  })
  .strict();

export type CompletionChange = { addSession?: { startsAt: Date; endsAt: Date }; removeSessionId?: number; rule?: CompletionRule | unknown };
export type CompletionChangeEffect = { certificatesRevoked: number; completionsLost: number };

/**
 * What a change of an offering's sessions or completion rule would do, without writing anything:
 * how many current completions would be lost and how many standing certificates revoked. Uses
 * the same pure rule as the recomputation that follows the change.
 */
export async function previewCompletionChange(ctx: AppContext, offeringId: number, change: CompletionChange, db: Trx = ctx.db): Promise<CompletionChangeEffect> {
  let rule: CompletionRule | undefined;
  if (change.rule !== undefined) {
    const v = validate(completionRuleSchema, change.rule);
    if (!v.ok) throw invalid({ completionRule: { key: 'error.invalid' } });
    rule = v.data;
  }
  const offering = await offeringRepository.find(db, offeringId);
  if (!offering) throw new ServiceError(404, 'not_found', 'error.offeringNotFound');
  const [sessions, participants, attendance, assignments, completions, certificates] = await Promise.all([
    offeringRepository.sessions(db, offeringId),
    applicationRepository.confirmedForSession(db, offeringId),
    completionRepository.attendanceForOffering(db, offeringId),
    completionRepository.assignmentsForOffering(db, offeringId),
    completionRepository.completionsForOffering(db, offeringId),
    certificateRepository.forOffering(db, offeringId),
  ]);
  const sessionIds = sessions.map((s) => s.id).filter((id) => id !== change.removeSessionId);
  if (change.addSession) sessionIds.push(-1); // the new session: nobody has attended it yet
  const effect: CompletionChangeEffect = { certificatesRevoked: 0, completionsLost: 0 };
  for (const p of participants) {
    const record = completions.find((c) => c.application_id === p.id);
    if (!record?.completed) continue;
    const after = evaluateFor(
      rule ?? (offering.completion_rule as CompletionRule),
      sessionIds,
      attendance.filter((a) => a.application_id === p.id),
      assignments.find((a) => a.application_id === p.id),
      record,
    );
    if (after.completed) continue;
    effect.completionsLost++;
    if (certificates.some((c) => c.application_id === p.id)) effect.certificatesRevoked++;
  }
  return effect;
}

/** A change that would revoke certificates or withdraw completions, refused until the admin confirms it. */
export function confirmationRequired(effect: CompletionChangeEffect): ServiceError {
  return new ServiceError(409, 'confirmation_required', 'completion.confirmRevoke', {}, { certificates: effect.certificatesRevoked, completions: effect.completionsLost });
}

/**
 * Changes an offering's completion rule and recomputes everyone confirmed. When that would
 * withdraw completions or revoke certificates, it is refused (409, with the counts) unless
 * `confirm` is set: the admin is told how many, and asked first.
 */
export async function updateCompletionRule(ctx: AppContext, actor: Actor, offeringId: number, input: { rule?: unknown; confirm?: unknown }): Promise<{ rule: CompletionRule } & CompletionChangeEffect> {
  const v = validate(completionRuleSchema, input.rule ?? {});
  if (!v.ok) throw invalid(Object.fromEntries(Object.entries(v.errors).map(([k, e]) => [k === 'requiredSessionIds' ? 'completionRequiredSessions' : k === 'minSessions' ? 'completionMinSessions' : k, e])));
  const rule: CompletionRule = Object.fromEntries(Object.entries(v.data).filter(([, x]) => x !== undefined && x !== false && !(Array.isArray(x) && !x.length)));
  const confirmed = input.confirm === true || input.confirm === 'on' || input.confirm === 'yes' || input.confirm === 'true';
  const result = await ctx.db.transaction().execute(async (trx) => {
    const before = await offeringRepository.lock(trx, offeringId);
    if (!before) throw new ServiceError(404, 'not_found', 'error.offeringNotFound');
    const sessions = await offeringRepository.sessions(trx, offeringId);
    const unknown = (rule.requiredSessionIds ?? []).filter((id) => !sessions.some((s) => s.id === id));
    if (unknown.length) throw invalid({ completionRequiredSessions: { key: 'error.invalid' } });
    const effect = await previewCompletionChange(ctx, offeringId, { rule }, trx);
    if ((effect.certificatesRevoked > 0 || effect.completionsLost > 0) && !confirmed) throw confirmationRequired(effect);
    const after = await offeringRepository.update(trx, offeringId, { completion_rule: JSON.stringify(rule), updated_at: ctx.now() });
    await audit(trx, ctx, actor, 'update_completion_rule', 'offering', offeringId, { completion_rule: before.completion_rule }, { completion_rule: rule, ...effect });
    await recomputeOfferingCompletions(trx, ctx, actor, offeringId);
    return { rule: (after?.completion_rule ?? rule) as CompletionRule, ...effect };
  });
  return result;
}

async function issueCertificate(trx: Trx, ctx: AppContext, actor: Actor, applicationId: number, completedOn: string) {
  if (await certificateRepository.standingForApplication(trx, applicationId)) return;
  const app = (await applicationRepository.find(trx, applicationId))!;
  const offering = (await offeringRepository.find(trx, app.offering_id))!;
  const programme = (await programmeRepository.find(trx, offering.programme_id))!;
  const years = ctx.config.coordinatorValidYears;
  const isCourse = programme.kind === 'coordinator_course';
  const cert = await certificateRepository.insert(trx, {
    number: await certificateRepository.nextNumber(trx, fiscalYearOfDate(completedOn)),
    verification_code: codeFromBytes(randomBytes(CODE_DIGITS / 2)),
    application_id: applicationId,
    person_id: app.person_id,
    programme_id: programme.id,
    title: offering.title,
    completed_on: completedOn,
    valid_until: isCourse && years > 0 ? validUntil(completedOn, years) : null,
    issued_at: ctx.now(),
  });
  await audit(trx, ctx, actor, 'issue', 'certificate', cert.number, undefined, cert);
  if (isCourse || programme.kind === 'follow_up') await followCertificates(trx, ctx, actor, app.person_id, cert.id);
}

/**
 * Brings a person's coordinator certification in line with their standing certificates of the course and
 * of follow-up trainings (decision 0030), after the certificate `changedId` was issued or revoked, in the
 * caller's transaction: granted (with the coordinator role), renewed, set back (a renewal revoked) or
 * revoked (no course certificate left: the row is kept, the role removed). Every change is audited.
 */
async function followCertificates(trx: Trx, ctx: AppContext, actor: Actor, personId: number, changedId: number) {
  await coordinatorRepository.lockHolder(trx, personId);
  const certificates = await coordinatorRepository.certificationCertificates(trx, personId);
  if (!certificates.some((c) => c.id === changedId)) return; // not a certificate of the course or of a follow-up
  const stored = await coordinatorRepository.findCertification(trx, personId);
  const years = ctx.config.coordinatorValidYears;
  const derived = (standing: (c: (typeof certificates)[number]) => boolean) =>
    deriveCertification(
      certificates.filter(standing).map((c) => ({ id: c.id, completedOn: c.completed_on, kind: c.kind })),
      years,
    );
  // Now, and as it was before this certificate was issued (it did not stand) or revoked (it stood).
  const after = derived((c) => !c.revoked_at);
  const before = derived((c) => (c.id === changedId ? c.revoked_at !== null : !c.revoked_at));
  const change = certificationChange(
    stored ? { grantedOn: stored.granted_on, validUntil: stored.valid_until, renewedOn: stored.renewed_on, certificateId: stored.certificate_id, revoked: stored.revoked_at !== null } : null,
    before,
    after,
  );
  if (change.action === 'none') return;
  const roles = await personRepository.roles(trx, personId);
  if (change.action === 'revoke') {
    const row = await coordinatorRepository.revokeCertification(trx, personId, ctx.now());
    if (!row) return;
    const kept = roles.filter((r) => r !== 'coordinator');
    if (kept.length !== roles.length) await personRepository.setRoles(trx, personId, kept);
    await audit(trx, ctx, actor, 'revoke', 'coordinator_certification', personId, { ...stored, roles }, { ...row, roles: kept });
    return;
  }
  const next = change.certification;
  const row = { person_id: personId, granted_on: next.grantedOn, valid_until: next.validUntil, renewed_on: next.renewedOn, certificate_id: next.certificateId, updated_at: ctx.now() };
  await coordinatorRepository.saveCertification(trx, row);
  const withRole: typeof roles = roles.includes('coordinator') ? roles : [...roles, 'coordinator'];
  if (!roles.includes('coordinator')) await personRepository.setRoles(trx, personId, withRole);
  await audit(trx, ctx, actor, change.action, 'coordinator_certification', personId, stored ? { ...stored, roles } : undefined, { ...row, revoked_at: null, roles: withRole });
}

/** Revokes a certificate and, when it was one a coordinator certification rested on, follows it there (decision 0030). */
async function revokeCertificateRow(trx: Trx, ctx: AppContext, actor: Actor, id: number, number: string, reason: string) {
  const row = await certificateRepository.revoke(trx, id, ctx.now(), reason);
  if (!row) return;
  await audit(trx, ctx, actor, 'revoke', 'certificate', number, { revoked_at: null }, { revoked_at: row.revoked_at, reason });
  await followCertificates(trx, ctx, actor, row.person_id, row.id);
}

export async function revokeCertificate(ctx: AppContext, actor: Actor, number: string, input: { reason?: unknown }) {
  const v = validate(z.object({ reason: requiredText(500) }), input);
  if (!v.ok) throw invalid(v.errors);
  await ctx.db.transaction().execute(async (trx) => {
    const cert = await certificateRepository.findByNumber(trx, number);
    if (!cert) throw new ServiceError(404, 'not_found', 'error.notFound');
    if (cert.revoked_at) throw new ServiceError(409, 'revoked', 'error.alreadyRevoked');
    await revokeCertificateRow(trx, ctx, actor, cert.id, cert.number, v.data.reason);
  });
}

// ---------------------------------------------------------------------------------------------
// Attendance

export const attendanceEntrySchema = z.object({
  applicationId: z.coerce.number().int().positive().max(2147483647).optional(),
  personId: z.coerce.number().int().positive().max(2147483647).optional(),
  status: z.enum(ATTENDANCE_STATUSES),
});

/** Marks attendance in bulk for one session; later changes are audited with before and after. */
export async function markAttendance(
  ctx: AppContext,
  actor: Actor,
  sessionId: number,
  entries: unknown,
  via: 'admin' | 'api' = 'admin',
): Promise<{ changed: number }> {
  const v = validate(z.array(attendanceEntrySchema).max(5000), entries);
  if (!v.ok) throw invalid({ attendance: { key: 'error.invalid' } });
  return ctx.db.transaction().execute(async (trx) => {
    const session = await offeringRepository.findSession(trx, sessionId);
    if (!session) throw new ServiceError(404, 'not_found', 'error.notFound');
    await offeringRepository.lock(trx, session.offering_id);
    // Nothing is recorded as having happened before it happened (公務等 may be entered ahead).
    for (const e of v.data) {
      const opens = attendanceOpensAt(e.status, session.starts_at, ctx.now(), via);
      if (opens) throw notYet(opens);
    }
    const confirmed = await applicationRepository.confirmedForSession(trx, session.offering_id);
    let changed = 0;
    const touched = new Set<number>();
    for (const e of v.data) {
      const app = confirmed.find((a) => (e.applicationId ? a.id === e.applicationId : a.person_id === e.personId));
      if (!app) throw invalid({ attendance: { key: 'error.notParticipant', params: { id: e.applicationId ?? e.personId ?? 0 } } });
      const before = await completionRepository.findAttendance(trx, sessionId, app.id);
      if (before?.status === e.status) continue;
      await completionRepository.upsertAttendance(trx, { session_id: sessionId, application_id: app.id, status: e.status, via, marked_by: actor?.id ?? null, marked_at: ctx.now() });
      await audit(trx, ctx, actor, before ? 'attendance_changed' : 'attendance_marked', 'attendance', `${sessionId}:${app.id}`, before ? { status: before.status } : undefined, { status: e.status, via });
      touched.add(app.id);
      changed++;
    }
    for (const id of touched) await recomputeCompletion(trx, ctx, actor, id);
    return { changed };
  });
}

/** The refusal of a mark entered too early, with the moment from which it may be recorded. */
function notYet(opens: Date): ServiceError {
  return new ServiceError(422, 'not_yet', 'error.attendanceNotYet', { attendance: { key: 'error.attendanceNotYet', params: { from: formatTokyo(opens, 'ja'), fromEn: formatTokyo(opens, 'en') } } }, {
    from: formatTokyo(opens, 'ja'),
    fromEn: formatTokyo(opens, 'en'),
  });
}

export type KioskResult =
  | { ok: true; name: string; status: 'present' | 'late' }
  | { ok: false; reason: 'unknown' | 'other_session' | 'already' }
  | { ok: false; reason: 'wrong_day'; startsAt: Date }
  | { ok: false; reason: 'not_yet'; opensAt: Date };

/**
 * Self check-in at the venue: the participant code works only for a confirmed participant of
 * this session's offering, and only on the session's day (Tokyo), from KIOSK_OPENS_MINUTES_BEFORE
 * minutes before the start. Arriving more than 15 minutes after the start is recorded as late.
 */
export async function kioskCheckIn(ctx: AppContext, actor: Actor, sessionId: number, input: { code?: unknown }): Promise<KioskResult> {
  const v = validate(z.object({ code: requiredText(20) }), input);
  if (!v.ok) throw invalid(v.errors);
  const code = v.data.code.normalize('NFKC').toUpperCase().replace(/[^A-Z0-9]/g, '').replace(/^(.{4})(.{4})$/, '$1-$2');
  return ctx.db.transaction().execute(async (trx) => {
    const session = await offeringRepository.findSession(trx, sessionId);
    if (!session) throw new ServiceError(404, 'not_found', 'error.notFound');
    const app = await completionRepository.findByCode(trx, code);
    if (!app || app.status !== 'confirmed') return { ok: false, reason: 'unknown' } as const;
    if (app.offering_id !== session.offering_id) return { ok: false, reason: 'other_session' } as const;
    const now = ctx.now();
    if (tokyoDateOf(now) !== tokyoDateOf(session.starts_at)) return { ok: false, reason: 'wrong_day', startsAt: session.starts_at } as const;
    const opensAt = attendanceOpensAt('present', session.starts_at, now, 'kiosk');
    if (opensAt) return { ok: false, reason: 'not_yet', opensAt } as const;
    const before = await completionRepository.findAttendance(trx, sessionId, app.id);
    if (before && (before.status === 'present' || before.status === 'late')) return { ok: false, reason: 'already' } as const;
    const status = now.getTime() > session.starts_at.getTime() + 15 * 60_000 ? 'late' : 'present';
    await completionRepository.upsertAttendance(trx, { session_id: sessionId, application_id: app.id, status, via: 'kiosk', marked_by: actor?.id ?? null, marked_at: now });
    await audit(trx, ctx, actor, 'check_in', 'attendance', `${sessionId}:${app.id}`, before ? { status: before.status } : undefined, { status, via: 'kiosk' });
    await recomputeCompletion(trx, ctx, actor, app.id);
    return { ok: true, name: app.person_name, status } as const;
  });
}

// ---------------------------------------------------------------------------------------------
// Override and sign-off

/**
 * Changes a manual input of completion (override or sign-off) under the offering's lock, keeping
 * everything else of the record, then recomputes.
 */
async function changeCompletionInput(
  ctx: AppContext,
  actor: Actor,
  applicationId: number,
  patch: (before: Awaited<ReturnType<typeof completionRepository.findCompletion>>) => Partial<Insertable<CompletionTable>>,
  auditEntry: (before: Awaited<ReturnType<typeof completionRepository.findCompletion>>) => { action: string; before?: unknown; after: unknown },
) {
  return ctx.db.transaction().execute(async (trx) => {
    const app = await applicationRepository.find(trx, applicationId);
    if (!app) throw new ServiceError(404, 'not_found', 'error.notFound');
    await offeringRepository.lock(trx, app.offering_id);
    const before = await completionRepository.findCompletion(trx, applicationId);
    await completionRepository.saveCompletion(trx, {
      application_id: applicationId,
      completed: before?.completed ?? false,
      computed: before?.computed ?? false,
      parts: JSON.stringify(before?.parts ?? []),
      completed_on: before?.completed_on ?? null,
      override_completed: before?.override_completed ?? null,
      override_reason: before?.override_reason ?? null,
      overridden_by: before?.overridden_by ?? null,
      signed_off_by: before?.signed_off_by ?? null,
      signed_off_at: before?.signed_off_at ?? null,
      ...patch(before),
      updated_at: ctx.now(),
    });
    const entry = auditEntry(before);
    await audit(trx, ctx, actor, entry.action, 'completion', applicationId, entry.before, entry.after);
    return recomputeCompletion(trx, ctx, actor, applicationId);
  });
}

export async function overrideCompletion(ctx: AppContext, actor: Actor, applicationId: number, input: { completed?: unknown; reason?: unknown }) {
  const v = validate(z.object({ completed: z.enum(['yes', 'no', 'clear']), reason: optionalText(500) }), input);
  if (!v.ok) throw invalid(v.errors);
  if (v.data.completed !== 'clear' && !v.data.reason) throw invalid({ reason: { key: 'error.required' } });
  const override = v.data.completed === 'clear' ? null : v.data.completed === 'yes';
  return changeCompletionInput(
    ctx,
    actor,
    applicationId,
    () => ({ override_completed: override, override_reason: override === null ? null : v.data.reason!, overridden_by: override === null ? null : (actor?.id ?? null) }),
    (before) => ({ action: 'override', before: { override: before?.override_completed ?? null }, after: { override, reason: v.data.reason ?? null } }),
  );
}

export async function signOff(ctx: AppContext, actor: CurrentUser, applicationId: number) {
  return changeCompletionInput(
    ctx,
    actor,
    applicationId,
    () => ({ signed_off_by: actor.id, signed_off_at: ctx.now() }),
    () => ({ action: 'sign_off', after: { signed_off_by: actor.id } }),
  );
}

// ---------------------------------------------------------------------------------------------
// Assignment (課題)

const ALLOWED_TYPES: Record<string, string[]> = {
  'application/pdf': ['pdf'],
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': ['docx'],
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': ['xlsx'],
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': ['pptx'],
  'text/plain': ['txt'],
  'image/png': ['png'],
  'image/jpeg': ['jpg', 'jpeg'],
};

/** Checks the file's own bytes, not only its name: PDF, Office (zip), PNG, JPEG or UTF-8 text. */
export function sniffType(name: string, bytes: Uint8Array): string | null {
  const ext = name.toLowerCase().split('.').pop() ?? '';
  const starts = (...b: number[]) => b.every((x, i) => bytes[i] === x);
  let type: string | null = null;
  if (starts(0x25, 0x50, 0x44, 0x46)) type = 'application/pdf';
  else if (starts(0x89, 0x50, 0x4e, 0x47)) type = 'image/png';
  else if (starts(0xff, 0xd8, 0xff)) type = 'image/jpeg';
  else if (starts(0x50, 0x4b, 0x03, 0x04)) type = Object.keys(ALLOWED_TYPES).find((t) => t.startsWith('application/vnd.openxml') && ALLOWED_TYPES[t].includes(ext)) ?? null;
  else if (ext === 'txt') {
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(bytes);
      type = 'text/plain';
    } catch {
      type = null;
    }
  }
  return type && ALLOWED_TYPES[type].includes(ext) ? type : null;
}

export async function submitAssignment(ctx: AppContext, actor: CurrentUser, applicationId: number, input: { text?: unknown; file?: { name: string; bytes: Uint8Array } | null }) {
  const v = validate(z.object({ text: optionalText(20_000) }), { text: input.text });
  if (!v.ok) throw invalid(v.errors);
  const file = input.file && input.file.bytes.length ? input.file : null;
  if (!v.data.text && !file) throw invalid({ text: { key: 'error.assignmentEmpty' } });
  let type: string | null = null;
  if (file) {
    if (file.bytes.length > ctx.config.uploadMaxBytes) throw invalid({ file: { key: 'error.fileTooLarge', params: { mb: Math.round(ctx.config.uploadMaxBytes / 1048576) } } });
    type = sniffType(file.name, file.bytes);
    if (!type) throw invalid({ file: { key: 'error.fileType' } });
  }
  return ctx.db.transaction().execute(async (trx) => {
    const app = await applicationRepository.find(trx, applicationId);
    if (!app || !maySubmitAssignment(actor, app)) throw new ServiceError(404, 'not_found', 'error.notFound');
    if (app.status !== 'confirmed') throw new ServiceError(409, 'cannot_change', 'error.cannotChange', {}, { status: app.status });
    const before = await completionRepository.findAssignment(trx, applicationId);
    if (before?.status === 'accepted') throw new ServiceError(409, 'accepted', 'error.assignmentAccepted');
    await completionRepository.saveAssignment(trx, {
      application_id: applicationId,
      text: v.data.text ?? null,
      file_name: file ? file.name.replace(/[\\/\r\n"]/g, '_').slice(0, 200) : null,
      file_type: type,
      file_size: file ? file.bytes.length : null,
      file_data: file ? file.bytes : null,
      status: 'submitted',
      submitted_at: ctx.now(),
      review_comment: null,
      reviewed_by: null,
      reviewed_at: null,
    });
    await audit(trx, ctx, actor, before ? 'resubmit' : 'submit', 'assignment', applicationId, before ? { status: before.status } : undefined, { status: 'submitted', file: file?.name ?? null, size: file?.bytes.length ?? null });
    await recomputeCompletion(trx, ctx, actor, applicationId);
  });
}

export async function reviewAssignment(ctx: AppContext, actor: Actor, applicationId: number, input: { decision?: unknown; comment?: unknown }) {
  const v = validate(z.object({ decision: z.enum(['accept', 'return']), comment: optionalText(2000) }), input);
  if (!v.ok) throw invalid(v.errors);
  return ctx.db.transaction().execute(async (trx) => {
    const before = await completionRepository.findAssignment(trx, applicationId);
    if (!before) throw new ServiceError(404, 'not_found', 'error.notFound');
    const status = v.data.decision === 'accept' ? 'accepted' : 'returned';
    await completionRepository.reviewAssignment(trx, applicationId, { status, review_comment: v.data.comment ?? null, reviewed_by: actor?.id ?? null, reviewed_at: ctx.now() });
    await audit(trx, ctx, actor, `assignment_${status}`, 'assignment', applicationId, { status: before.status }, { status, comment: v.data.comment ?? null });
    return recomputeCompletion(trx, ctx, actor, applicationId);
  });
}

export function getAssignment(ctx: AppContext, applicationId: number) {
  return completionRepository.findAssignment(ctx.db, applicationId);
}

// ---------------------------------------------------------------------------------------------
// Queries

/** One row per confirmed participant: attendance per session, assignment, completion, certificate. */
export async function completionTable(ctx: AppContext, offeringId: number) {
  const [participants, sessions, attendance, assignments, completions, certificates] = await Promise.all([
    applicationRepository.confirmedForSession(ctx.db, offeringId),
    offeringRepository.sessions(ctx.db, offeringId),
    completionRepository.attendanceForOffering(ctx.db, offeringId),
    completionRepository.assignmentsForOffering(ctx.db, offeringId),
    completionRepository.completionsForOffering(ctx.db, offeringId),
    certificateRepository.forOffering(ctx.db, offeringId),
  ]);
  const rows = participants
    .map((p) => ({
      application: p,
      attendance: new Map(attendance.filter((a) => a.application_id === p.id).map((a) => [a.session_id, a.status as AttendanceStatus])),
      assignment: assignments.find((a) => a.application_id === p.id) ?? null,
      completion: completions.find((c) => c.application_id === p.id) ?? null,
      certificate: certificates.find((c) => c.application_id === p.id) ?? null,
    }))
    .sort((a, b) => (a.application.person_kana < b.application.person_kana ? -1 : a.application.person_kana > b.application.person_kana ? 1 : 0));
  return { sessions, rows };
}

export function getCertificate(ctx: AppContext, number: string) {
  return certificateRepository.findByNumber(ctx.db, number);
}

export function certificatesForOffering(ctx: AppContext, offeringId: number) {
  return certificateRepository.forOffering(ctx.db, offeringId);
}

export function certificatesForPerson(ctx: AppContext, personId: number) {
  return certificateRepository.forPerson(ctx.db, personId);
}

/** Verification misses allowed per address within the login lock window, before it is paused (issue 17). */
export const VERIFY_MISSES_PER_ADDRESS = 20;

/**
 * The public verification, by the certificate's unguessable code (never by its sequential number):
 * only number, name, programme, date and validity. Misses are counted per address; an address past
 * VERIFY_MISSES_PER_ADDRESS is refused with 429 until the window passes, hits included.
 */
export async function verifyCertificate(ctx: AppContext, input: string, meta: { ip: string } = { ip: 'local' }) {
  const now = ctx.now();
  const key = `verify|${meta.ip}`;
  const windowMs = ctx.config.loginLockMinutes * 60_000;
  const misses = await sessionRepository.peekAttempts(ctx.db, key, now, windowMs);
  if (misses > VERIFY_MISSES_PER_ADDRESS) throw new ServiceError(429, 'throttled', 'verify.throttled', {}, { minutes: ctx.config.loginLockMinutes });
  const code = normaliseCode(input);
  const c = code ? await certificateRepository.findByCode(ctx.db, code) : undefined;
  if (!c) {
    await sessionRepository.countAttempt(ctx.db, key, now, windowMs);
    return null;
  }
  const today = tokyoDateOf(ctx.now());
  const valid = !c.revoked_at && (!c.valid_until || c.valid_until >= today);
  return {
    number: c.number,
    code: formatCode(c.verification_code),
    name: c.person_name,
    programme: c.programme_name,
    completedOn: c.completed_on,
    validUntil: c.valid_until,
    status: c.revoked_at ? ('revoked' as const) : valid ? ('valid' as const) : ('expired' as const),
  };
}
