import { isAdmin, type PolicyActor } from './actor.js';
import type { PartnerActor } from './partner.js';

/**
 * Who may see, edit and evaluate a collaboration project (協働事業). A project has two sides: the
 * unit's and each partner organisation's. Whoever is on neither side does not see it (404, not 403).
 */

/** What the policies judge a project by, as the service loaded it. */
export interface ProjectFacts {
  project: { unit_id: number; coordinator_id: number | null; created_by: number | null };
  /** The project's partner organisations. */
  partnerIds: readonly number[];
  /** Whether the actor filed, or accepted an assignment to, one of the consultations the project came from. */
  onLinkedCase: boolean;
}

export interface ProjectRelation {
  admin: boolean;
  /** The unit's side: admins, the unit's staff, its creator and coordinator, and those of its consultations. */
  unitSide: boolean;
  /** The actor's own organisation, when it is one of the project's partners. */
  partnerId: number | null;
}

/** How the actor stands to the project. A partner member is never on the unit's side through their unit alone. */
export function projectRelation(actor: PartnerActor | null | undefined, f: ProjectFacts): ProjectRelation {
  if (!actor) return { admin: false, unitSide: false, partnerId: null };
  const admin = isAdmin(actor);
  const member = actor.roles.includes('partner') ? actor.partnerId : null;
  const partnerId = member !== null && f.partnerIds.includes(member) ? member : null;
  const p = f.project;
  const unitSide =
    admin ||
    p.coordinator_id === actor.id ||
    p.created_by === actor.id ||
    (actor.unitId !== undefined && actor.unitId !== null && actor.unitId === p.unit_id && !actor.roles.every((r) => r === 'partner')) ||
    f.onLinkedCase;
  return { admin, unitSide, partnerId };
}

/** May see the project: either side. */
export function mayViewProject(actor: PartnerActor | null | undefined, f: ProjectFacts): boolean {
  const rel = projectRelation(actor, f);
  return rel.unitSide || rel.partnerId !== null;
}

/** May edit the project: admins, its creator and its coordinator. */
export function mayEditProject(actor: PolicyActor | null | undefined, project: ProjectFacts['project']): boolean {
  return !!actor && (isAdmin(actor) || project.created_by === actor.id || project.coordinator_id === actor.id);
}

/** Sees the consultations the project came from and every partner's side: the unit's side only. */
export function maySeeAllSides(rel: ProjectRelation): boolean {
  return rel.unitSide;
}

export type EvaluationSide = { side: 'unit' | 'partner'; partnerId: number | null };

/**
 * The side the actor evaluates for: their organisation's (partner members), or the unit's; `wanted`
 * chooses when the actor is on both. Null when the actor may not evaluate (the side wanted is not theirs).
 */
export function evaluationSide(rel: ProjectRelation, wanted?: unknown): EvaluationSide | null {
  if ((wanted === 'partner' || (wanted !== 'unit' && !rel.unitSide)) && rel.partnerId !== null) return { side: 'partner', partnerId: rel.partnerId };
  if (wanted !== 'partner' && rel.unitSide) return { side: 'unit', partnerId: null };
  return null;
}

/** May evaluate the project for some side (or for the side `wanted`). */
export function mayEvaluateProject(actor: PartnerActor | null | undefined, f: ProjectFacts, wanted?: unknown): boolean {
  return evaluationSide(projectRelation(actor, f), wanted) !== null;
}
