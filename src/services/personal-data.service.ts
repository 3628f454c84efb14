import type { Kysely } from 'kysely';
import { z } from 'zod';
import { type AnswerValue, scaleRange, type SurveyQuestion } from '../domain/survey.js';
import { personalDataRepository } from '../db/repositories/personal-data.repository.js';
import { personRepository, type PersonWithRoles } from '../db/repositories/person.repository.js';
import type { Database } from '../db/schema.js';
import { requiredText, validate } from '../lib/validation.js';
import { audit } from './audit.service.js';
import { type Actor, type AppContext, invalid, ServiceError } from './context.js';
import { trainingHistory } from './history.service.js';

/**
 * Personal data (個人情報): what Kyodo holds about one person, for them to see and download, and
 * anonymisation of a person who has left, keeping every aggregate figure. See decision 0014.
 */

// ---------------------------------------------------------------------------------------------
// Export

export const EXPORT_FORMAT = 'kyodo-personal-data/1';

export interface PersonalDataExport {
  format: typeof EXPORT_FORMAT;
  generatedAt: string;
  /** Answers to anonymous surveys are stored with no identity (decision 0011), so they cannot be part of this. */
  anonymousSurveysNote: string;
  profile: {
    id: number;
    name: string;
    kana: string;
    email: string;
    staffNumber: string | null;
    jobTitle: string | null;
    unit: string | null;
    affiliation: string;
    roles: string[];
    active: boolean;
    locale: string | null;
    createdAt: string;
    updatedAt: string;
  };
  applications: {
    id: number;
    fiscalYear: number;
    programme: string;
    offering: string;
    status: string;
    seatGroup: string;
    appliedAt: string;
    decidedAt: string | null;
    endorsedAt: string | null;
    endorseComment: string | null;
    cancelledAt: string | null;
    cancelReason: string | null;
    participantCode: string;
    answers: Record<string, string>;
  }[];
  attendance: { applicationId: number; offering: string; session: string; startsAt: string; status: string; markedAt: string }[];
  completions: { applicationId: number; offering: string; completed: boolean; completedOn: string | null; overrideReason: string | null }[];
  certificates: { number: string; title: string; completedOn: string; validUntil: string | null; issuedAt: string; revokedAt: string | null }[];
  coordinator: {
    certification: { grantedOn: string; validUntil: string | null; renewedOn: string | null; revokedAt: string | null } | null;
    profile: { fields: string[]; availability: string; introduction: string } | null;
  };
  assignments: { applicationId: number; offering: string; status: string; submittedAt: string; fileName: string | null; fileSize: number | null; text: string | null }[];
  trainingHistory: { fiscalYear: number; programme: string | null; title: string; status: string; completed: boolean; certificateNumber: string | null; imported: boolean }[];
  surveyInvitations: { survey: string; kind: string; anonymous: boolean; invitedAt: string; respondedOn: string | null }[];
  surveyAnswers: { survey: string; kind: string; submittedOn: string; updatedOn: string; answers: { questionId: string; question: string; answer: AnswerValue }[] }[];
  /** Consultations (相談・支援依頼) asked for, assigned to, and worked on by the person. */
  consultations: {
    requested: { id: number; kind: string; title: string; status: string; createdAt: string; closedAt: string | null }[];
    assigned: { consultationId: number; title: string; status: string; assignedAt: string; respondedAt: string | null; declineReason: string | null }[];
    activities: { consultationId: number; onDate: string; minutes: number; kind: string; note: string }[];
    /** Collaboration projects the person coordinates or recorded. */
    projects: { id: number; title: string; role: 'coordinator' | 'recorder'; startsOn: string; endsOn: string | null }[];
    /** Project evaluations the person submitted for their side, with each criterion's score and comment. */
    evaluations: { projectId: number; title: string; side: string; submittedAt: string; scores: { criterion: string; score: number; comment: string }[] }[];
  };
  /** Messages from the training office to a cohort the person was in (their copy, as at /my/messages). */
  messages: { offering: string; fiscalYear: number; sentAt: string; subject: string; body: string }[];
  apiTokens: { name: string; prefix: string; createdAt: string; lastUsedAt: string | null; revokedAt: string | null }[];
  loginSessions: { createdAt: string; lastSeenAt: string; expiresAt: string; userAgent: string | null }[];
}

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);
const isoReq = (d: Date) => d.toISOString();

/** Everything Kyodo holds that is about the person (not other people's data), in one consistent read. */
export async function exportPersonalData(ctx: AppContext, personId: number): Promise<PersonalDataExport> {
  return ctx.db.transaction().execute(async (trx) => {
    const p = await personRepository.find(trx, personId);
    if (!p) throw new ServiceError(404, 'not_found', 'error.notFound');
    const [{ applications, attendance, completions, certificates, certification, profile, assignments, invitations, responses, tokens, sessions }, history, consultations, messages] = await Promise.all([
      personalDataRepository.heldAbout(trx, personId),
      trainingHistory({ ...ctx, db: trx }, { personId }),
      consultationsOf(trx, personId),
      personalDataRepository.messagesReceived(trx, personId),
    ]);
    return {
      format: EXPORT_FORMAT,
      generatedAt: ctx.now().toISOString(),
      anonymousSurveysNote: 'Answers to anonymous surveys are stored with no identity and cannot be linked to anyone, so they are not part of this export.',
      profile: profileOf(p),
      applications: applications.map((a) => ({
        id: a.id,
        fiscalYear: a.fiscal_year,
        programme: a.programme,
        offering: a.offering,
        status: a.status,
        seatGroup: a.seat_group,
        appliedAt: isoReq(a.applied_at),
        decidedAt: iso(a.decided_at),
        endorsedAt: iso(a.endorsed_at),
        endorseComment: a.endorse_comment,
        cancelledAt: iso(a.cancelled_at),
        cancelReason: a.cancel_reason,
        participantCode: a.participant_code,
        answers: a.answers ?? {},
      })),
      attendance: attendance.map((t) => ({ applicationId: t.application_id, offering: t.offering, session: t.session, startsAt: isoReq(t.starts_at), status: t.status, markedAt: isoReq(t.marked_at) })),
      completions: completions.map((c) => ({ applicationId: c.application_id, offering: c.offering, completed: c.completed, completedOn: c.completed_on, overrideReason: c.override_reason })),
      certificates: certificates.map((c) => ({ number: c.number, title: c.title, completedOn: c.completed_on, validUntil: c.valid_until, issuedAt: isoReq(c.issued_at), revokedAt: iso(c.revoked_at) })),
      coordinator: {
        certification: certification
          ? { grantedOn: certification.granted_on, validUntil: certification.valid_until, renewedOn: certification.renewed_on, revokedAt: iso(certification.revoked_at) }
          : null,
        profile: profile ? { fields: profile.fields, availability: profile.availability, introduction: profile.introduction } : null,
      },
      assignments: assignments.map((s) => ({ applicationId: s.application_id, offering: s.offering, status: s.status, submittedAt: isoReq(s.submitted_at), fileName: s.file_name, fileSize: s.file_size, text: s.text })),
      trainingHistory: history.map((h) => ({ fiscalYear: h.fiscalYear, programme: h.programme, title: h.title, status: h.status, completed: h.completed, certificateNumber: h.certificateNumber, imported: h.imported })),
      surveyInvitations: invitations.map((i) => ({ survey: i.title, kind: i.kind, anonymous: i.anonymous, invitedAt: isoReq(i.invited_at), respondedOn: i.responded_on })),
      surveyAnswers: responses.map((r) => ({
        survey: r.title,
        kind: r.kind,
        // Named answers always carry their days (only anonymous ones have none, and are not here).
        submittedOn: r.submitted_on ?? '',
        updatedOn: r.updated_on ?? '',
        answers: answersWithQuestions(r.questions, r.answers),
      })),
      consultations,
      messages: messages.map((m) => ({ offering: m.offering, fiscalYear: m.fiscal_year, sentAt: isoReq(m.created_at), subject: m.subject, body: m.body })),
      apiTokens: tokens.map((t) => ({ name: t.name, prefix: t.prefix, createdAt: isoReq(t.created_at), lastUsedAt: iso(t.last_used_at), revokedAt: iso(t.revoked_at) })),
      loginSessions: sessions.map((s) => ({ createdAt: isoReq(s.created_at), lastSeenAt: isoReq(s.last_seen_at), expiresAt: isoReq(s.expires_at), userAgent: s.user_agent })),
    };
  });
}

function profileOf(p: PersonWithRoles): PersonalDataExport['profile'] {
  return {
    id: p.id,
    name: p.name,
    kana: p.kana,
    email: p.email,
    staffNumber: p.staff_number,
    jobTitle: p.title,
    unit: p.unit_name,
    affiliation: p.affiliation,
    roles: p.roles,
    active: p.active,
    locale: p.locale,
    createdAt: isoReq(p.created_at),
    updatedAt: isoReq(p.updated_at),
  };
}

function answersWithQuestions(questions: SurveyQuestion[], answers: Record<string, AnswerValue>) {
  const byId = new Map(questions.map((q) => [q.id, q]));
  const ordered = [...questions.map((q) => q.id).filter((id) => id in answers), ...Object.keys(answers).filter((id) => !byId.has(id))];
  // A scale's numbers say what they mean in the question's heading, as in every export (5：そう思う〜1：そう思わない).
  const heading = (q: SurveyQuestion) => (q.type === 'scale5' || q.type === 'matrix' ? `${q.label}（${scaleRange(q)}）` : q.label);
  return ordered.map((id) => ({ questionId: id, question: byId.has(id) ? heading(byId.get(id)!) : id, answer: answers[id] }));
}

/**
 * Consultations the person asked for, was assigned to, or logged work on. Extension point: when a
 * table about people is added, add it here (its read in personal-data.repository.ts) and to
 * `anonymisePerson` below (`clearTraces`).
 */
async function consultationsOf(trx: Kysely<Database>, personId: number): Promise<PersonalDataExport['consultations']> {
  const { requested, assigned, activities, projects, evaluations, scores } = await personalDataRepository.consultationsOf(trx, personId);
  return {
    requested: requested.map((c) => ({ id: c.id, kind: c.kind, title: c.title, status: c.status, createdAt: isoReq(c.created_at), closedAt: iso(c.closed_at) })),
    assigned: assigned.map((a) => ({ consultationId: a.consultation_id, title: a.title, status: a.status, assignedAt: isoReq(a.assigned_at), respondedAt: iso(a.responded_at), declineReason: a.decline_reason })),
    activities: activities.map((a) => ({ consultationId: a.consultation_id, onDate: a.on_date, minutes: a.minutes, kind: a.kind, note: a.note })),
    projects: projects.map((p) => ({ id: p.id, title: p.title, role: p.coordinator_id === personId ? 'coordinator' : 'recorder', startsOn: p.starts_on, endsOn: p.ends_on })),
    evaluations: evaluations.map((e) => ({
      projectId: e.project_id,
      title: e.title,
      side: e.side,
      submittedAt: isoReq(e.submitted_at),
      scores: scores.filter((x) => x.evaluation_id === e.id).map((x) => ({ criterion: x.label, score: x.score, comment: x.comment })),
    })),
  };
}

// ---------------------------------------------------------------------------------------------
// Anonymisation

/** The domain of anonymised addresses: `.invalid` is reserved (RFC 2606), so no mail can ever reach it. */
const ANONYMOUS_DOMAIN = 'anonymised.invalid';

export function anonymisedEmail(id: number): string {
  return `person-${id}@${ANONYMOUS_DOMAIN}`;
}

export function isAnonymised(p: { id: number; email: string }): boolean {
  return p.email === anonymisedEmail(p.id);
}

export const anonymiseSchema = z.object({
  reason: requiredText(500),
  confirm: z.preprocess((v) => v === true || v === 'true' || v === 'on' || v === 'yes', z.literal(true, { message: 'operations.error.confirm' })),
});

export interface AnonymiseResult {
  id: number;
  name: string;
}

/**
 * Anonymises a person who has left: name, フリガナ, email and staff number are replaced; login is
 * disabled (no password, inactive) and every session, API token, one-time link and calendar feed is
 * revoked; free text they wrote about themselves (application answers, cancellation reasons,
 * assignment texts and files, coordinator profile) is cleared; mail not yet sent to them is dropped.
 * What the reports count is kept: the person row (its id, unit, affiliation), applications,
 * attendance, completions, certificates, survey scores, consultations. One transaction, audited
 * (without the erased values: writing them into the append-only log would defeat the purpose).
 */
export async function anonymisePerson(ctx: AppContext, actor: Actor & object, id: number, input: Record<string, unknown>): Promise<AnonymiseResult> {
  const v = validate(anonymiseSchema, input);
  if (!v.ok) throw invalid(v.errors);
  if (actor.id === id) throw new ServiceError(409, 'self', 'operations.anonymise.self');
  return ctx.db.transaction().execute(async (trx) => {
    // Lock the person row: two admins anonymising at once do it once.
    const locked = await personalDataRepository.lockPerson(trx, id);
    if (!locked) throw new ServiceError(404, 'not_found', 'error.notFound');
    if (isAnonymised(locked)) throw new ServiceError(409, 'already_anonymised', 'operations.anonymise.already');
    const now = ctx.now();
    const name = `匿名化済み ${id}`;
    const kana = 'トクメイカズミ';
    const email = anonymisedEmail(id);
    const oldEmail = locked.email;
    await personalDataRepository.overwritePerson(trx, id, {
      name,
      kana,
      email,
      staff_number: null,
      title: null,
      search_key: `anonymised|${id}`,
      active: false,
      password_hash: null,
      locale: null,
      calendar_token: null,
      updated_at: now,
    });
    const counts = await personalDataRepository.clearTraces(trx, id, oldEmail, now);
    await audit(
      trx,
      ctx,
      actor,
      'anonymise',
      'person',
      id,
      { replaced: ['name', 'kana', 'email', 'staff_number', 'title'], active: locked.active },
      { name, email, active: false, reason: v.data.reason, cleared: counts },
    );
    return { id, name };
  });
}
