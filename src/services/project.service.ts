import type { Kysely } from 'kysely';
import { z } from 'zod';
import { compareSides, SCORE_MAX, SCORE_MIN, type SideScores, sideMean } from '../domain/evaluation.js';
import { consultationRepository } from '../db/repositories/consultation.repository.js';
import { coordinatorRepository } from '../db/repositories/coordinator.repository.js';
import { partnerRepository } from '../db/repositories/partner.repository.js';
import { personRepository } from '../db/repositories/person.repository.js';
import { projectRepository } from '../db/repositories/project.repository.js';
import { unitRepository } from '../db/repositories/unit.repository.js';
import type { CollaborationProject, Database, EvaluationCriterion } from '../db/schema.js';
import { translator } from '../i18n/index.js';
import { checkbox, type FieldErrors, optionalId, optionalText, requiredText, validate } from '../lib/validation.js';
import { audit } from './audit.service.js';
import { dateField, optionalDate } from './consultation.service.js';
import { type Actor, type AppContext, invalid, ServiceError } from './context.js';
import { enqueueMail } from './mail.service.js';
import { memberPartnerId } from './partner.service.js';
import { type CurrentUser } from './context.js';
import { isAdmin } from '../domain/policies/actor.js';
import { evaluationSide, type EvaluationSide, mayEditProject, maySeeAllSides, mayViewProject, type ProjectFacts, type ProjectRelation, projectRelation } from '../domain/policies/project.js';

const notFound = () => new ServiceError(404, 'not_found', 'error.notFound');
const idField = () => z.coerce.number().int().positive().max(2147483647);
const ids = (v: unknown) => (v === undefined || v === '' ? [] : Array.isArray(v) ? v.filter((x) => x !== '') : [v]);

/** A project's fields, without the rule across them (the API builds its documented body from these). */
export const projectFields = z.object({
  title: requiredText(200),
  unitId: idField(),
  partnerIds: z.preprocess(ids, z.array(idField()).min(1).max(20)),
  startsOn: dateField(),
  endsOn: optionalDate(),
  objective: requiredText(4000),
  coordinatorId: optionalId(),
  consultationIds: z.preprocess(ids, z.array(idField()).max(20)),
});

/** A project ends on or after the day it starts. */
export function periodOrder(d: { startsOn: string; endsOn?: string }, c: z.RefinementCtx) {
  if (d.endsOn && d.endsOn < d.startsOn) c.addIssue({ code: 'custom', path: ['endsOn'], message: 'consultations.error.periodOrder' });
}

export const projectInputSchema = projectFields.superRefine(periodOrder);

// --- Who may see a project ------------------------------------------------------------------------

export type { ProjectRelation } from '../domain/policies/project.js';

/** What the project policies judge by: the actor's organisation, the project's partners and cases. */
async function actorAndFacts(db: Kysely<Database>, actor: CurrentUser, p: CollaborationProject, partnerIds: number[]) {
  const partnerId = actor.roles.includes('partner') ? ((await personRepository.find(db, actor.id))?.partner_id ?? null) : null;
  const onLinkedCase = await projectRepository.onLinkedCase(db, p.id, actor.id);
  return { who: { ...actor, partnerId }, facts: { project: p, partnerIds, onLinkedCase } satisfies ProjectFacts };
}

/** The project, its partners and how the actor stands to it; 404 unless the policy lets the actor see it. */
async function visibleProject(db: Kysely<Database>, actor: CurrentUser, id: number) {
  const project = await projectRepository.find(db, id);
  if (!project) throw notFound();
  const partners = await projectRepository.partners(db, id);
  const { who, facts } = await actorAndFacts(
    db,
    actor,
    project,
    partners.map((p) => p.id),
  );
  if (!mayViewProject(who, facts)) throw notFound();
  return { project, partners, rel: projectRelation(who, facts) };
}

/** The projects a person may see: all for admins; a partner member's organisation's; else those of their unit or cases. */
export async function listProjects(ctx: AppContext, actor: CurrentUser) {
  if (isAdmin(actor)) return projectRepository.list(ctx.db, {});
  const rows = new Map<number, Awaited<ReturnType<typeof projectRepository.list>>[number]>();
  if (actor.roles.includes('partner')) {
    const pid = await memberPartnerId(ctx, actor);
    if (pid) for (const r of await projectRepository.list(ctx.db, { partnerId: pid })) rows.set(r.id, r);
  }
  if (actor.roles.some((r) => r !== 'partner')) for (const r of await projectRepository.list(ctx.db, { visibleTo: { personId: actor.id, unitId: actor.unitId } })) rows.set(r.id, r);
  return [...rows.values()].sort((a, b) => (a.starts_on < b.starts_on ? 1 : a.starts_on > b.starts_on ? -1 : b.id - a.id));
}

export async function getProject(ctx: AppContext, actor: CurrentUser, id: number) {
  const { project, partners, rel } = await visibleProject(ctx.db, actor, id);
  const consultations = maySeeAllSides(rel) ? await projectRepository.consultations(ctx.db, id) : [];
  return { project, partners, consultations, relation: rel, canEdit: mayEditProject(actor, project) };
}

// --- Creating and editing -------------------------------------------------------------------------

async function checkProject(trx: Kysely<Database>, actor: CurrentUser, d: z.output<typeof projectInputSchema>) {
  const errors: FieldErrors = {};
  const unit = await unitRepository.find(trx, d.unitId);
  if (!unit) errors.unitId = { key: 'error.unitNotFound' };
  for (const p of d.partnerIds) if (!(await partnerRepository.find(trx, p))) errors.partnerIds = { key: 'error.choice' };
  if (d.coordinatorId) {
    const cert = await coordinatorRepository.findCertification(trx, d.coordinatorId);
    if (!cert || cert.revoked_at) errors.coordinatorId = { key: 'consultations.error.notCoordinator' };
  }
  const admin = actor.roles.includes('admin');
  for (const cid of d.consultationIds) {
    const c = await consultationRepository.find(trx, cid);
    const mine = c && (c.requester_id === actor.id || (await consultationRepository.assignment(trx, cid, actor.id))?.status === 'accepted');
    if (!c || (!admin && !mine)) errors.consultationIds = { key: 'error.choice' };
  }
  if (Object.keys(errors).length) throw invalid(errors);
}

const projectUrl = (ctx: AppContext, id: number) => `${ctx.config.baseUrl}/projects/${id}`;

/**
 * Records a collaboration project (admins and coordinators): its unit, partners, period, purpose,
 * coordinator and the consultations it came from. The partners' members are asked to evaluate it.
 */
export async function createProject(ctx: AppContext, actor: CurrentUser, input: Record<string, unknown>) {
  const v = validate(projectInputSchema, input);
  if (!v.ok) throw invalid(v.errors);
  const d = v.data;
  const result = await ctx.db.transaction().execute(async (trx) => {
    await checkProject(trx, actor, d);
    const now = ctx.now();
    const row = await projectRepository.insert(trx, {
      title: d.title,
      unit_id: d.unitId,
      purpose: d.objective,
      starts_on: d.startsOn,
      ends_on: d.endsOn ?? null,
      coordinator_id: d.coordinatorId ?? null,
      created_by: actor.id,
      created_at: now,
      updated_at: now,
    });
    const partnerIds = [...new Set(d.partnerIds)];
    const consultationIds = [...new Set(d.consultationIds)];
    await projectRepository.setLinks(trx, row.id, partnerIds, consultationIds);
    await audit(trx, ctx, actor, 'create', 'project', row.id, undefined, { ...row, partnerIds, consultationIds });
    for (const pid of partnerIds)
      for (const m of await partnerRepository.members(trx, pid)) {
        if (!m.active) continue;
        const t = translator('ja');
        await enqueueMail(trx, ctx, { to: m.email, subject: t('projects.mail.createdSubject', { title: row.title }), body: t('projects.mail.createdBody', { name: m.name, title: row.title, url: `${projectUrl(ctx, row.id)}/evaluation` }) });
      }
    return row;
  });
  ctx.kickOutbox();
  return result;
}

export async function updateProject(ctx: AppContext, actor: CurrentUser, id: number, input: Record<string, unknown>) {
  const seen = await visibleProject(ctx.db, actor, id);
  if (!mayEditProject(actor, seen.project)) throw notFound();
  const v = validate(projectInputSchema, input);
  if (!v.ok) throw invalid(v.errors);
  const d = v.data;
  return ctx.db.transaction().execute(async (trx) => {
    const before = await projectRepository.lock(trx, id);
    if (!before) throw notFound();
    await visibleProject(trx, actor, id);
    if (!mayEditProject(actor, before)) throw notFound();
    await checkProject(trx, actor, d);
    const beforeLinks = { partnerIds: (await projectRepository.partners(trx, id)).map((p) => p.id), consultationIds: (await projectRepository.consultations(trx, id)).map((c) => c.id) };
    const after = await projectRepository.update(trx, id, { title: d.title, unit_id: d.unitId, purpose: d.objective, starts_on: d.startsOn, ends_on: d.endsOn ?? null, coordinator_id: d.coordinatorId ?? null, updated_at: ctx.now() });
    const partnerIds = [...new Set(d.partnerIds)];
    const consultationIds = [...new Set(d.consultationIds)];
    await projectRepository.setLinks(trx, id, partnerIds, consultationIds);
    await audit(trx, ctx, actor, 'update', 'project', id, { ...before, ...beforeLinks }, { ...after, partnerIds, consultationIds });
    return after;
  });
}

// --- Evaluation -----------------------------------------------------------------------------------

export function listCriteria(ctx: AppContext, opts: { activeOnly?: boolean } = {}) {
  return projectRepository.criteria(ctx.db, opts);
}

type ScoreMap = SideScores;

async function scoresOf(db: Kysely<Database>, evaluationIds: number[]) {
  const rows = await projectRepository.scores(db, evaluationIds);
  const out = new Map<number, ScoreMap>();
  for (const r of rows) {
    const m = out.get(r.evaluation_id) ?? {};
    m[r.criterion_id] = { score: r.score, comment: r.comment };
    out.set(r.evaluation_id, m);
  }
  return out;
}

/**
 * Both sides' views side by side: the unit's and each partner's scores per criterion with the gaps
 * highlighted. A partner member sees the unit's side and their own organisation's only.
 */
export async function evaluationView(ctx: AppContext, actor: CurrentUser, id: number) {
  const { project, partners, rel } = await visibleProject(ctx.db, actor, id);
  const [all, evaluations] = await Promise.all([projectRepository.criteria(ctx.db), projectRepository.evaluations(ctx.db, id)]);
  const scores = await scoresOf(
    ctx.db,
    evaluations.map((e) => e.id),
  );
  const scored = new Set([...scores.values()].flatMap((m) => Object.keys(m).map(Number)));
  const criteria = all.filter((c) => c.active || scored.has(c.id));
  const shownPartners = maySeeAllSides(rel) ? partners : partners.filter((p) => p.id === rel.partnerId);
  const unitEval = evaluations.find((e) => e.side === 'unit') ?? null;
  const sides = shownPartners.map((p) => {
    const e = evaluations.find((x) => x.side === 'partner' && x.partner_id === p.id) ?? null;
    return { partner: p, evaluation: e, scores: e ? (scores.get(e.id) ?? {}) : null };
  });
  const unitScores = unitEval ? (scores.get(unitEval.id) ?? {}) : null;
  return {
    project,
    relation: rel,
    criteria,
    unit: { evaluation: unitEval, scores: unitScores, mean: sideMean(criteria, unitScores) },
    partners: sides.map((s) => ({ ...s, mean: sideMean(criteria, s.scores) })),
    rows: compareSides(
      criteria,
      unitScores,
      sides.map((s) => ({ partnerId: s.partner.id, scores: s.scores })),
    ),
  };
}

/** The side the actor evaluates for (the policy decides); 409 when the side asked for is not theirs. */
function sideOf(rel: ProjectRelation, wanted: unknown): EvaluationSide {
  const side = evaluationSide(rel, wanted);
  if (!side) throw new ServiceError(409, 'no_side', 'projects.error.noSide');
  return side;
}

/** What one side has entered so far (for the form). */
export async function myEvaluation(ctx: AppContext, actor: CurrentUser, id: number, wanted?: unknown) {
  const { project, rel } = await visibleProject(ctx.db, actor, id);
  const side = sideOf(rel, wanted);
  const criteria = await projectRepository.criteria(ctx.db, { activeOnly: true });
  const e = await projectRepository.findEvaluation(ctx.db, id, side.side, side.partnerId);
  const scores = e ? ((await scoresOf(ctx.db, [e.id])).get(e.id) ?? {}) : {};
  const partner = side.partnerId ? await partnerRepository.find(ctx.db, side.partnerId) : null;
  return { project, side, partnerName: partner?.name ?? null, criteria, scores, submitted: !!e };
}

/** Accepts the form's flat fields (score_<id>, comment_<id>) or the API's list of {criterionId, score, comment}. */
function readScores(criteria: EvaluationCriterion[], input: Record<string, unknown>, lang: 'ja' | 'en') {
  const flat: Record<string, unknown> = { ...input };
  if (Array.isArray(input.scores))
    for (const s of input.scores as unknown[])
      if (s && typeof s === 'object') {
        const x = s as Record<string, unknown>;
        flat[`score_${String(x.criterionId)}`] = x.score;
        flat[`comment_${String(x.criterionId)}`] = x.comment;
      }
  const errors: FieldErrors = {};
  const out: { criterion_id: number; score: number; comment: string }[] = [];
  for (const c of criteria) {
    const label = lang === 'en' && c.label_en ? c.label_en : c.label;
    const raw = flat[`score_${c.id}`];
    const n = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : Number.NaN;
    if (!Number.isInteger(n) || n < SCORE_MIN || n > SCORE_MAX) errors[`score_${c.id}`] = { key: 'projects.error.score', params: { criterion: label } };
    const comment = flat[`comment_${c.id}`];
    if (comment !== undefined && comment !== null && typeof comment !== 'string') errors[`comment_${c.id}`] = { key: 'projects.error.comment', params: { criterion: label, max: 1000 } };
    else if (typeof comment === 'string' && comment.trim().length > 1000) errors[`comment_${c.id}`] = { key: 'projects.error.comment', params: { criterion: label, max: 1000 } };
    if (!errors[`score_${c.id}`] && !errors[`comment_${c.id}`]) out.push({ criterion_id: c.id, score: n, comment: typeof comment === 'string' ? comment.trim() : '' });
  }
  return { errors, scores: out };
}

/** One side scores every active criterion (1–5) with a comment each; saving again replaces its scores. */
export async function saveEvaluation(ctx: AppContext, actor: CurrentUser, id: number, input: Record<string, unknown>, lang: 'ja' | 'en' = 'ja') {
  return ctx.db.transaction().execute(async (trx) => {
    const { project, rel } = await visibleProject(trx, actor, id);
    await projectRepository.lock(trx, id);
    const side = sideOf(rel, input.side);
    const criteria = await projectRepository.criteria(trx, { activeOnly: true });
    const { errors, scores } = readScores(criteria, input, lang);
    if (Object.keys(errors).length) throw invalid(errors);
    const existing = await projectRepository.findEvaluation(trx, id, side.side, side.partnerId);
    const before = existing ? ((await scoresOf(trx, [existing.id])).get(existing.id) ?? {}) : undefined;
    const evaluationId = await projectRepository.saveEvaluation(trx, { project_id: project.id, side: side.side, partner_id: side.partnerId, submitted_by: actor.id, at: ctx.now() }, scores, existing?.id ?? null);
    await audit(trx, ctx, actor, existing ? 'update' : 'create', 'project_evaluation', evaluationId, before ? { side: side.side, partnerId: side.partnerId, scores: before } : undefined, { projectId: project.id, side: side.side, partnerId: side.partnerId, scores });
    return { evaluationId, side };
  });
}

// --- Criteria (admins) ----------------------------------------------------------------------------

const criterionSchema = z.object({ label: requiredText(200), labelEn: optionalText(200), active: checkbox() });

export async function addCriterion(ctx: AppContext, actor: Actor, input: Record<string, unknown>) {
  const v = validate(criterionSchema, { ...input, active: 'on' });
  if (!v.ok) throw invalid(v.errors);
  return ctx.db.transaction().execute(async (trx) => {
    const all = await projectRepository.criteria(trx);
    const now = ctx.now();
    const row = await projectRepository.insertCriterion(trx, { code: null, label: v.data.label, label_en: v.data.labelEn ?? '', position: Math.max(0, ...all.map((c) => c.position)) + 10, active: true, created_at: now, updated_at: now });
    await audit(trx, ctx, actor, 'create', 'evaluation_criterion', row.id, undefined, row);
    return row;
  });
}

/** Edits a criterion's wording or retires it; evaluations already made keep their scores. */
export async function updateCriterion(ctx: AppContext, actor: Actor, id: number, input: Record<string, unknown>) {
  const v = validate(criterionSchema, input);
  if (!v.ok) throw invalid(v.errors);
  return ctx.db.transaction().execute(async (trx) => {
    const before = await projectRepository.findCriterion(trx, id);
    if (!before) throw notFound();
    const after = await projectRepository.updateCriterion(trx, id, { label: v.data.label, label_en: v.data.labelEn ?? '', active: v.data.active, updated_at: ctx.now() });
    await audit(trx, ctx, actor, 'update', 'evaluation_criterion', id, before, after);
    return after;
  });
}

// --- A partner's history --------------------------------------------------------------------------

/** The projects a partner organisation took part in, and the consultations that concerned it. */
export async function partnerHistory(ctx: AppContext, partnerId: number, opts: { consultations: boolean }) {
  const [projects, consultations] = await Promise.all([projectRepository.list(ctx.db, { partnerId }), opts.consultations ? consultationRepository.list(ctx.db, { partnerId }) : Promise.resolve([])]);
  return { projects, consultations };
}
