import type { Kysely } from 'kysely';
import { z } from 'zod';
import { isIsoDate, tokyoDateOf } from '../domain/calendar.js';
import { coordinatorStatus } from '../domain/completion.js';
import {
  ACTIVITY_KINDS,
  canDo,
  CONSULTATION_KINDS,
  CONSULTATION_OUTCOMES,
  type ConsultationAction,
  type ConsultationStatus,
  OPEN_STATUSES,
  practiceSince,
  rankCoordinators,
  rankPartners,
} from '../domain/matching.js';
import {
  consultationActions,
  type ConsultationFacts,
  type ConsultationRelation,
  consultationRelation,
  mayCloseConsultation,
  mayRespondToConsultation,
  mayTriageConsultations,
  mayViewConsultation,
  mayWithdrawConsultation,
  mayWorkOnConsultation,
} from '../domain/policies/consultation.js';
import { consultationRepository } from '../db/repositories/consultation.repository.js';
import { coordinatorRepository } from '../db/repositories/coordinator.repository.js';
import { partnerRepository } from '../db/repositories/partner.repository.js';
import { personRepository } from '../db/repositories/person.repository.js';
import { surveyRepository } from '../db/repositories/survey.repository.js';
import { unitRepository } from '../db/repositories/unit.repository.js';
import type { Consultation, Database } from '../db/schema.js';
import { type Lang, translator } from '../i18n/index.js';
import { intField, optionalId, optionalText, requiredText, validate } from '../lib/validation.js';
import { audit } from './audit.service.js';
import { type Actor, type AppContext, invalid, ServiceError } from './context.js';
import { enqueueMail } from './mail.service.js';
import { type CurrentUser } from './context.js';

const DAY = 86_400_000;
/** How long the requester's feedback questionnaire stays open after a case is closed. */
export const FEEDBACK_DAYS = 14;

const notFound = () => new ServiceError(404, 'not_found', 'error.notFound');
const cannot = (status: string) => new ServiceError(409, 'cannot_change', 'consultations.error.cannotChange', {}, { status });

const idField = () => z.coerce.number().int().positive().max(2147483647);
const list = (v: unknown) => (typeof v === 'string' ? v.split(/[、,，;\s]+/).map((x) => x.trim()).filter(Boolean) : v === undefined ? [] : v);
const ids = (v: unknown) => (v === undefined || v === '' ? [] : Array.isArray(v) ? v.filter((x) => x !== '') : [v]);
const blank = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : typeof v === 'string' ? v.trim() : v);
export const dateField = () => z.preprocess(blank, z.string({ message: 'consultations.error.date' }).refine(isIsoDate, { message: 'consultations.error.date' }));
export const optionalDate = () => z.preprocess(blank, z.string({ message: 'consultations.error.date' }).refine(isIsoDate, { message: 'consultations.error.date' }).optional());

export const consultationInputSchema = z
  .object({
    kind: z.enum(CONSULTATION_KINDS),
    title: requiredText(200),
    unitId: idField(),
    // A form sends text (子育て、福祉) or repeated checkboxes; JSON sends arrays. Left out: none.
    fields: z.preprocess(list, z.array(z.string().max(30)).max(20)).default([]),
    areas: z.preprocess(ids, z.array(idField()).max(50)).default([]),
    goal: requiredText(4000),
    desiredFrom: optionalDate(),
    desiredTo: optionalDate(),
    partnerInMind: optionalText(500),
    partnerId: optionalId(),
  })
  .superRefine((d, c) => {
    if (d.desiredFrom && d.desiredTo && d.desiredTo < d.desiredFrom) c.addIssue({ code: 'custom', path: ['desiredTo'], message: 'consultations.error.periodOrder' });
  });

// --- Who may do what ------------------------------------------------------------------------------
// The rules are pure functions in domain/policies/consultation.ts; here the facts are loaded and they are asked.

export type Relation = ConsultationRelation;

/** Whether the person works on the coordinators' desk (a coordinator flagged by an admin). */
export async function isOnDesk(db: Kysely<Database>, actor: Pick<CurrentUser, 'id' | 'roles'>): Promise<boolean> {
  return actor.roles.includes('coordinator') && (await consultationRepository.isDesk(db, actor.id));
}

/** What the policies judge the case by, for this actor: their desk flag and their own assignment. */
async function factsOf(db: Kysely<Database>, actor: CurrentUser, c: Consultation): Promise<ConsultationFacts> {
  const [desk, a] = await Promise.all([isOnDesk(db, actor), consultationRepository.assignment(db, c.id, actor.id)]);
  return { consultation: c, desk, assignment: a?.status ?? null };
}

/** The case, if the actor may see it; otherwise 404 (its existence is not revealed). */
async function visible(db: Kysely<Database>, actor: CurrentUser, id: number, lock = false) {
  const c = await (lock ? consultationRepository.lock(db, id) : consultationRepository.find(db, id));
  if (!c) throw notFound();
  const facts = await factsOf(db, actor, c);
  if (!mayViewConsultation(actor, facts)) throw notFound();
  return { c, facts };
}

/** Refuses (404) before reading the input, so that a refusal never depends on what was sent. */
async function mustSee(ctx: AppContext, actor: CurrentUser, id: number, also: (f: ConsultationFacts) => boolean = () => true) {
  const { facts } = await visible(ctx.db, actor, id);
  if (!also(facts)) throw notFound();
}

/** May triage (admins and the desk), as a check on one case's facts. */
const triages = (actor: CurrentUser) => (f: ConsultationFacts) => mayTriageConsultations(actor, f.desk);

function allowed(c: Consultation, action: ConsultationAction) {
  if (!canDo(c.status as ConsultationStatus, action)) throw cannot(c.status);
}

// --- Mail -----------------------------------------------------------------------------------------

type Recipient = { email: string; name: string; locale: string | null };
const langOf = (p: { locale: string | null }): Lang => (p.locale === 'en' ? 'en' : 'ja');

async function mailTo(trx: Kysely<Database>, ctx: AppContext, to: Recipient[], subject: Parameters<ReturnType<typeof translator>>[0], body: Parameters<ReturnType<typeof translator>>[0], params: (t: ReturnType<typeof translator>) => Record<string, string | number>) {
  const seen = new Set<string>();
  for (const p of to) {
    if (seen.has(p.email)) continue;
    seen.add(p.email);
    const t = translator(langOf(p));
    const ps = { name: p.name, ...params(t) };
    await enqueueMail(trx, ctx, { to: p.email, subject: t(subject, ps), body: t(body, ps) });
  }
}

/** Admins and the desk: who is told about new requests and declined assignments. */
async function triagers(trx: Kysely<Database>): Promise<Recipient[]> {
  const admins = (await personRepository.list(trx, { role: 'admin', limit: 50 })).rows;
  const desk = (await consultationRepository.deskMembers(trx)).filter((d) => d.active);
  return [...admins.map((a) => ({ email: a.email, name: a.name, locale: a.locale })), ...desk];
}

const caseUrl = (ctx: AppContext, id: number) => `${ctx.config.baseUrl}/consultations/${id}`;

// --- Filing ---------------------------------------------------------------------------------------

/** A staff member of a unit or 市町 files a consultation request; admins and the desk are told. */
export async function fileConsultation(ctx: AppContext, actor: CurrentUser, input: Record<string, unknown>): Promise<Consultation> {
  const v = validate(consultationInputSchema, input);
  if (!v.ok) throw invalid(v.errors);
  const d = v.data;
  const result = await ctx.db.transaction().execute(async (trx) => {
    const unit = await unitRepository.find(trx, d.unitId);
    if (!unit || !unit.active) throw invalid({ unitId: { key: 'error.unitNotFound' } });
    for (const a of d.areas) {
      const u = await unitRepository.find(trx, a);
      if (!u || u.kind !== 'municipality') throw invalid({ areas: { key: 'error.choice' } });
    }
    if (d.partnerId && !(await partnerRepository.find(trx, d.partnerId))) throw invalid({ partnerId: { key: 'error.choice' } });
    const now = ctx.now();
    const row = await consultationRepository.insert(trx, {
      kind: d.kind,
      title: d.title,
      fields: JSON.stringify([...new Set(d.fields)]),
      area_unit_ids: JSON.stringify([...new Set(d.areas)]),
      goal: d.goal,
      desired_from: d.desiredFrom ?? null,
      desired_to: d.desiredTo ?? null,
      partner_in_mind: d.partnerInMind ?? '',
      partner_id: d.partnerId ?? null,
      requester_id: actor.id,
      unit_id: unit.id,
      status: 'new',
      outcome: null,
      feedback_survey_id: null,
      created_at: now,
      updated_at: now,
    });
    await audit(trx, ctx, actor, 'create', 'consultation', row.id, undefined, row);
    const params = (t: ReturnType<typeof translator>) => ({ title: row.title, kind: t(`consultations.kind.${row.kind}`), unit: unit.name, requester: actor.name, url: caseUrl(ctx, row.id) });
    await mailTo(trx, ctx, await triagers(trx), 'consultations.mail.newSubject', 'consultations.mail.newBody', params);
    await mailTo(trx, ctx, [actor], 'consultations.mail.receivedSubject', 'consultations.mail.receivedBody', params);
    return row;
  });
  ctx.kickOutbox();
  return result;
}

// --- Reading --------------------------------------------------------------------------------------

export type ConsultationRow = Awaited<ReturnType<typeof consultationRepository.list>>[number];

/** The requests the actor filed. */
export function myRequests(ctx: AppContext, actor: CurrentUser) {
  return consultationRepository.list(ctx.db, { requesterId: actor.id });
}

/** The triage queue (admins and the desk): open cases, or those of one status/kind. Others get 404. */
/** Whether the actor works the desk's queue (/desk/consultations): an admin, or a coordinator on the desk. */
export async function mayUseDesk(ctx: AppContext, actor: CurrentUser): Promise<boolean> {
  return mayTriageConsultations(actor, await isOnDesk(ctx.db, actor));
}

export async function queue(ctx: AppContext, actor: CurrentUser, f: { status?: ConsultationStatus; kind?: string } = {}) {
  if (!(await mayUseDesk(ctx, actor))) throw notFound();
  return consultationRepository.list(ctx.db, { statuses: f.status ? [f.status] : OPEN_STATUSES, kind: f.kind });
}

/** Every case the actor may see: all for admins and the desk; else those they filed or are assigned to. */
export async function visibleConsultations(ctx: AppContext, actor: CurrentUser, f: { status?: ConsultationStatus; kind?: string } = {}) {
  const statuses = f.status ? [f.status] : undefined;
  if (mayTriageConsultations(actor, await isOnDesk(ctx.db, actor))) return consultationRepository.list(ctx.db, { statuses, kind: f.kind });
  const [mine, assigned] = await Promise.all([
    consultationRepository.list(ctx.db, { requesterId: actor.id, statuses, kind: f.kind }),
    consultationRepository.list(ctx.db, { assigneeId: actor.id, statuses, kind: f.kind }),
  ]);
  const seen = new Set<number>();
  return [...mine, ...assigned].filter((c) => !seen.has(c.id) && seen.add(c.id)).sort((a, b) => b.created_at.getTime() - a.created_at.getTime() || b.id - a.id);
}

/** One case with its assignments and log, and what the actor may do with it. */
export async function getConsultation(ctx: AppContext, actor: CurrentUser, id: number) {
  const { c, facts } = await visible(ctx.db, actor, id);
  const [row] = await consultationRepository.list(ctx.db, { ids: [c.id] });
  const [assignments, activities, partners, units] = await Promise.all([
    consultationRepository.assignments(ctx.db, c.id),
    consultationRepository.activities(ctx.db, c.id),
    partnerRepository.list(ctx.db, { includeInactive: true }),
    unitRepository.all(ctx.db),
  ]);
  const partnerName = new Map(partners.map((p) => [p.id, p.name]));
  const unitName = new Map(units.map((u) => [u.id, u.name]));
  return {
    consultation: row,
    areas: c.area_unit_ids.map((a) => unitName.get(a) ?? ''),
    assignments: assignments.map(({ email: _e, locale: _l, ...a }) => a),
    activities: activities.map((a) => ({ ...a, partners: a.partner_ids.map((p) => partnerName.get(p) ?? '') })),
    totalMinutes: activities.reduce((n, a) => n + a.minutes, 0),
    relation: consultationRelation(actor, facts),
    can: consultationActions(actor, facts),
  };
}

// --- Suggestions ----------------------------------------------------------------------------------

/** Ranked coordinators and partner organisations for a case, each with its score's parts (admins and the desk). */
export async function suggestions(ctx: AppContext, actor: CurrentUser, id: number) {
  const { c, facts } = await visible(ctx.db, actor, id);
  if (!mayTriageConsultations(actor, facts.desk)) throw notFound();
  const [coordinators, partners, { req, areaName }] = await Promise.all([
    consultationRepository.coordinatorCandidates(ctx.db, c.kind),
    rankedPartners(ctx, c),
    matchingRequest(ctx, c),
  ]);
  const unitOf = new Map(coordinators.map((x) => [x.id, x.unit_name]));
  return {
    consultation: c,
    coordinators: rankCoordinators(
      req,
      coordinators.map((x) => ({
        personId: x.id,
        name: x.name,
        kana: x.kana,
        fields: (x.fields as string[] | null) ?? [],
        areaUnitIds: (x.area_unit_ids as number[] | null) ?? [],
        openCases: Number(x.open_cases ?? 0),
        pastCasesOfKind: Number(x.past_cases ?? 0),
        validUntil: x.valid_until,
        revoked: x.revoked_at !== null,
      })),
      areaName,
    ).map((s) => ({ ...s, unitName: unitOf.get(s.candidate.personId) ?? null })),
    partners,
  };
}

/** What the ranking matches a case by, and the names of its areas (for the reasons). */
async function matchingRequest(ctx: AppContext, c: Consultation) {
  const units = await unitRepository.all(ctx.db);
  const unitName = new Map(units.map((u) => [u.id, u.name]));
  const areaName = (uid: number) => unitName.get(uid) ?? String(uid);
  return { req: { kind: c.kind, fields: c.fields, areaUnitIds: c.area_unit_ids, today: tokyoDateOf(ctx.now()) }, areaName };
}

/** Partner organisations ranked for the case (domain/matching.ts), each with its score's parts. */
async function rankedPartners(ctx: AppContext, c: Consultation) {
  const [partners, { req, areaName }] = await Promise.all([consultationRepository.partnerCandidates(ctx.db, ctx.now()), matchingRequest(ctx, c)]);
  return rankPartners(
    req,
    partners.map((p) => ({ partnerId: p.id, name: p.name, kana: p.kana, fields: p.fields, areaUnitIds: p.area_unit_ids, fieldTrainingsHosted: Number(p.hosted ?? 0), projects: Number(p.projects ?? 0) })),
    areaName,
  );
}

/**
 * The ranked partner organisations, with their reasons, for a coordinator working on the case
 * (issue 16 §2.6): those who triage see them with the coordinators (`suggestions`); a coordinator the
 * case is offered to or accepted by sees the partners, to bridge to them. Anyone else: 404.
 */
export async function partnerSuggestions(ctx: AppContext, actor: CurrentUser, id: number) {
  const { c, facts } = await visible(ctx.db, actor, id);
  const assigned = facts.assignment === 'offered' || facts.assignment === 'accepted';
  if (!assigned && !mayTriageConsultations(actor, facts.desk)) throw notFound();
  return { consultation: c, partners: await rankedPartners(ctx, c) };
}

// --- Assigning and responding ---------------------------------------------------------------------

export const assignSchema = z.object({ personIds: z.preprocess(ids, z.array(idField()).min(1).max(10)) });

/**
 * Admins and the desk assign one or more coordinators (the suggestions' order is advice: anyone
 * whose certification is standing may be chosen, suggested or not). Each is mailed and asked to accept or decline.
 */
export async function assignCoordinators(ctx: AppContext, actor: CurrentUser, id: number, input: Record<string, unknown>) {
  await mustSee(ctx, actor, id, triages(actor));
  const v = validate(assignSchema, input);
  if (!v.ok) throw invalid(v.errors);
  const result = await ctx.db.transaction().execute(async (trx) => {
    const { c, facts } = await visible(trx, actor, id, true);
    if (!mayTriageConsultations(actor, facts.desk)) throw notFound();
    allowed(c, 'assign');
    const people = [];
    for (const pid of [...new Set(v.data.personIds)]) {
      const p = await personRepository.find(trx, pid);
      const cert = p ? await coordinatorRepository.findCertification(trx, pid) : undefined;
      if (!p || !p.active || !cert || cert.revoked_at || coordinatorStatus(cert.valid_until, tokyoDateOf(ctx.now())) === 'expired') throw invalid({ personIds: { key: 'consultations.error.notCoordinator' } });
      people.push(p);
    }
    const now = ctx.now();
    const before = await consultationRepository.assignments(trx, c.id);
    for (const p of people) {
      const existing = before.find((a) => a.person_id === p.id);
      if (existing && existing.status !== 'declined') continue;
      await consultationRepository.upsertAssignment(trx, { consultation_id: c.id, person_id: p.id, assigned_by: actor.id, assigned_at: now });
      await mailTo(trx, ctx, [p], 'consultations.mail.assignedSubject', 'consultations.mail.assignedBody', (t) => ({ title: c.title, kind: t(`consultations.kind.${c.kind}`), url: caseUrl(ctx, c.id) }));
    }
    const status = c.status === 'new' ? 'assigned' : c.status;
    const after = await consultationRepository.update(trx, c.id, { status, updated_at: now });
    await audit(trx, ctx, actor, 'assign', 'consultation', c.id, { status: c.status, assignees: before.filter((a) => a.status !== 'declined').map((a) => a.person_id) }, { status, assignees: people.map((p) => p.id) });
    return after;
  });
  ctx.kickOutbox();
  return result;
}

export const declineSchema = z.object({ reason: requiredText(1000) });

/** The assigned coordinator accepts (the case is then in progress) or declines with a reason. */
export async function respondToAssignment(ctx: AppContext, actor: CurrentUser, id: number, accept: boolean, input: Record<string, unknown> = {}) {
  await mustSee(ctx, actor, id);
  const v = accept ? ({ ok: true, data: { reason: null } } as const) : validate(declineSchema, input);
  if (!v.ok) throw invalid(v.errors);
  const result = await ctx.db.transaction().execute(async (trx) => {
    const { c, facts } = await visible(trx, actor, id, true);
    if (!mayRespondToConsultation(actor, facts)) throw new ServiceError(409, 'not_offered', 'consultations.error.notOffered');
    allowed(c, accept ? 'accept' : 'decline');
    const now = ctx.now();
    await consultationRepository.respond(trx, c.id, actor.id, accept ? 'accepted' : 'declined', v.data.reason, now);
    const remaining = (await consultationRepository.assignments(trx, c.id)).filter((a) => a.status !== 'declined');
    const status: ConsultationStatus = accept ? 'in_progress' : remaining.some((a) => a.status === 'accepted') ? 'in_progress' : remaining.length ? 'assigned' : 'new';
    const after = await consultationRepository.update(trx, c.id, { status, updated_at: now });
    await audit(trx, ctx, actor, accept ? 'accept' : 'decline', 'consultation', c.id, { status: c.status, assignment: 'offered' }, { status, assignment: accept ? 'accepted' : 'declined', reason: v.data.reason });
    const params = (t: ReturnType<typeof translator>) => ({ title: c.title, coordinator: actor.name, reason: v.data.reason ?? '', status: t(`consultations.status.${status}`), url: caseUrl(ctx, c.id) });
    if (accept) {
      const requester = await personRepository.find(trx, c.requester_id);
      if (requester) await mailTo(trx, ctx, [requester], 'consultations.mail.acceptedSubject', 'consultations.mail.acceptedBody', params);
    } else await mailTo(trx, ctx, await triagers(trx), 'consultations.mail.declinedSubject', 'consultations.mail.declinedBody', params);
    return after;
  });
  ctx.kickOutbox();
  return result;
}

// --- Activity log -----------------------------------------------------------------------------------

export const activitySchema = z.object({
  onDate: dateField(),
  minutes: intField(0, 1440),
  kind: z.enum(ACTIVITY_KINDS),
  note: requiredText(2000),
  partnerIds: z.preprocess(ids, z.array(idField()).max(20)).default([]),
});

/** An accepted coordinator (or an admin) logs a dated activity: time spent, partners contacted, meetings. */
export async function logActivity(ctx: AppContext, actor: CurrentUser, id: number, input: Record<string, unknown>) {
  await mustSee(ctx, actor, id);
  const v = validate(activitySchema, input);
  if (!v.ok) throw invalid(v.errors);
  return ctx.db.transaction().execute(async (trx) => {
    const { c, facts } = await visible(trx, actor, id, true);
    if (!mayWorkOnConsultation(actor, facts)) throw new ServiceError(409, 'not_assigned', 'consultations.error.notAccepted');
    allowed(c, 'log');
    if (v.data.onDate > tokyoDateOf(ctx.now())) throw invalid({ onDate: { key: 'consultations.error.futureDate' } });
    for (const p of v.data.partnerIds) if (!(await partnerRepository.find(trx, p))) throw invalid({ partnerIds: { key: 'error.choice' } });
    const row = await consultationRepository.insertActivity(trx, {
      consultation_id: c.id,
      person_id: actor.id,
      on_date: v.data.onDate,
      minutes: v.data.minutes,
      kind: v.data.kind,
      note: v.data.note,
      partner_ids: JSON.stringify([...new Set(v.data.partnerIds)]),
      created_at: ctx.now(),
    });
    await consultationRepository.update(trx, c.id, { updated_at: ctx.now() });
    await audit(trx, ctx, actor, 'create', 'consultation_activity', row.id, undefined, row);
    return row;
  });
}

// --- Closing and withdrawing ----------------------------------------------------------------------

export const closeSchema = z.object({ outcome: z.enum(CONSULTATION_OUTCOMES), note: optionalText(2000) });

/**
 * Closes a case with its outcome, and asks the requester for feedback through the consultation
 * feedback questionnaire (named, open for two weeks), in the same transaction.
 */
export async function closeConsultation(ctx: AppContext, actor: CurrentUser, id: number, input: Record<string, unknown>) {
  await mustSee(ctx, actor, id);
  const v = validate(closeSchema, input);
  if (!v.ok) throw invalid(v.errors);
  const result = await ctx.db.transaction().execute(async (trx) => {
    const { c, facts } = await visible(trx, actor, id, true);
    if (!mayWorkOnConsultation(actor, facts)) throw new ServiceError(409, 'not_assigned', 'consultations.error.notAccepted');
    allowed(c, 'close');
    if (!mayCloseConsultation(actor, facts)) throw cannot(c.status);
    const now = ctx.now();
    const requester = await personRepository.find(trx, c.requester_id);
    let surveyId: number | null = null;
    const template = await surveyRepository.findTemplateByCode(trx, 'consultation-feedback');
    if (template && requester) {
      const t = translator('ja');
      const survey = await surveyRepository.insert(trx, {
        template_id: template.id,
        kind: 'feedback',
        title: t('consultations.feedbackTitle', { title: c.title }),
        anonymous: template.anonymous,
        offering_id: null,
        session_id: null,
        questions: JSON.stringify(template.questions),
        opens_at: now,
        closes_at: new Date(now.getTime() + FEEDBACK_DAYS * DAY),
        created_by: actor.id,
        created_at: now,
      });
      if (survey) {
        surveyId = survey.id;
        await surveyRepository.invite(trx, survey.id, [requester.id], now);
        await audit(trx, ctx, actor, 'create', 'survey', survey.id, undefined, { ...survey, invited: 1, consultationId: c.id });
      }
    }
    const after = await consultationRepository.update(trx, c.id, { status: 'closed', outcome: v.data.outcome, outcome_note: v.data.note ?? '', feedback_survey_id: surveyId, closed_at: now, closed_by: actor.id, updated_at: now });
    await audit(trx, ctx, actor, 'close', 'consultation', c.id, { status: c.status, outcome: c.outcome }, { status: 'closed', outcome: v.data.outcome, note: v.data.note ?? '', feedbackSurveyId: surveyId });
    if (requester)
      await mailTo(trx, ctx, [requester], 'consultations.mail.closedSubject', 'consultations.mail.closedBody', (t) => ({
        title: c.title,
        outcome: t(`consultations.outcome.${v.data.outcome}`),
        note: v.data.note ?? '',
        url: caseUrl(ctx, c.id),
        survey: surveyId ? `${ctx.config.baseUrl}/surveys/${surveyId}` : '',
      }));
    return after;
  });
  ctx.kickOutbox();
  return result;
}

export const withdrawSchema = z.object({ reason: optionalText(1000) });

/** The requester (or an admin) withdraws a case that is still open; the coordinators are told. */
export async function withdrawConsultation(ctx: AppContext, actor: CurrentUser, id: number, input: Record<string, unknown> = {}) {
  await mustSee(ctx, actor, id, (f) => mayWithdrawConsultation(actor, f));
  const v = validate(withdrawSchema, input);
  if (!v.ok) throw invalid(v.errors);
  const result = await ctx.db.transaction().execute(async (trx) => {
    const { c, facts } = await visible(trx, actor, id, true);
    if (!mayWithdrawConsultation(actor, facts)) throw notFound();
    allowed(c, 'withdraw');
    const now = ctx.now();
    const after = await consultationRepository.update(trx, c.id, { status: 'withdrawn', outcome_note: v.data.reason ?? '', closed_at: now, closed_by: actor.id, updated_at: now });
    await audit(trx, ctx, actor, 'withdraw', 'consultation', c.id, { status: c.status }, { status: 'withdrawn', reason: v.data.reason ?? '' });
    const assigned = (await consultationRepository.assignments(trx, c.id)).filter((a) => a.status !== 'declined');
    await mailTo(trx, ctx, assigned, 'consultations.mail.withdrawnSubject', 'consultations.mail.withdrawnBody', () => ({ title: c.title, reason: v.data.reason ?? '', url: caseUrl(ctx, c.id) }));
    return after;
  });
  ctx.kickOutbox();
  return result;
}

// --- The coordinator's workspace ------------------------------------------------------------------

/**
 * My cases (offered and open), my load, and my history (closed and withdrawn), with the practice
 * since my certification was granted or last renewed, which is the record shown for its renewal.
 */
export async function workspace(ctx: AppContext, actor: CurrentUser) {
  const [cases, cert, desk] = await Promise.all([consultationRepository.casesOf(ctx.db, actor.id), coordinatorRepository.findCertification(ctx.db, actor.id), isOnDesk(ctx.db, actor)]);
  const rows = cases.map((c) => ({ ...c, minutes: Number(c.minutes ?? 0) }));
  const open = rows.filter((c) => (OPEN_STATUSES as readonly string[]).includes(c.status));
  const history = rows.filter((c) => c.status === 'closed' || c.status === 'withdrawn');
  const since = cert ? (cert.renewed_on ?? cert.granted_on) : null;
  const practice = practiceSince(
    history.map((h) => ({ closedOn: h.closed_at ? tokyoDateOf(h.closed_at) : '', status: h.status as 'closed' | 'withdrawn', minutes: h.minutes })),
    since,
  );
  return {
    open,
    load: { offered: open.filter((c) => c.assignment_status === 'offered').length, accepted: open.filter((c) => c.assignment_status === 'accepted').length },
    history,
    certification: cert ?? null,
    since,
    practice,
    desk,
  };
}

// --- The desk -------------------------------------------------------------------------------------

export function deskMembers(ctx: AppContext) {
  return consultationRepository.deskMembers(ctx.db);
}

/** An admin puts a coordinator on the desk or takes them off. */
export async function setDesk(ctx: AppContext, actor: Actor, input: Record<string, unknown>) {
  const v = validate(z.object({ personId: idField(), desk: z.enum(['on', 'off']) }), input);
  if (!v.ok) throw invalid(v.errors);
  await ctx.db.transaction().execute(async (trx) => {
    const p = await personRepository.find(trx, v.data.personId);
    if (!p || !p.roles.includes('coordinator')) throw invalid({ personId: { key: 'consultations.error.notCoordinator' } });
    const before = await consultationRepository.isDesk(trx, p.id);
    const desk = v.data.desk === 'on';
    await consultationRepository.setDesk(trx, p.id, desk, ctx.now());
    await audit(trx, ctx, actor, desk ? 'desk_add' : 'desk_remove', 'coordinator_profile', p.id, { desk: before }, { desk });
  });
}

/** People with the coordinator role, 50音順 (for the desk page and the admin's override). */
export async function coordinatorsForChoice(ctx: AppContext) {
  return (await personRepository.list(ctx.db, { role: 'coordinator', limit: 1000 })).rows;
}
