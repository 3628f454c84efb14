import { canDo, type ConsultationStatus } from '../matching.js';
import { isAdmin, type PolicyActor } from './actor.js';

/**
 * Who may see and work on a consultation (相談). A case is the business of those who filed it, the
 * coordinators it is offered to or accepted by, and those who triage: admins and the coordinators'
 * desk. To anyone else it does not exist (404, not 403): a refusal never reveals that it is there.
 *
 * What may happen in each status is the case's own life cycle (`canDo` in domain/matching.ts); these
 * rules say who may ask for it.
 */

export type AssignmentStatus = 'offered' | 'accepted' | 'declined';

/** What the policies judge a case by, as the service loaded it for the actor who asks. */
export interface ConsultationFacts {
  consultation: { requester_id: number; status: string; outcome: string | null };
  /** The actor's own assignment to the case (offered, accepted, declined), or null. */
  assignment: AssignmentStatus | null;
  /** Whether the actor works on the coordinators' desk (a coordinator flagged by an admin). */
  desk: boolean;
}

export interface ConsultationRelation {
  admin: boolean;
  /** On the coordinators' desk: sees the open queue and may triage. */
  desk: boolean;
  requester: boolean;
  assignment: AssignmentStatus | null;
}

/** How the actor stands to the case. The desk counts only for someone who has the coordinator role. */
export function consultationRelation(actor: PolicyActor | null | undefined, f: ConsultationFacts): ConsultationRelation {
  if (!actor) return { admin: false, desk: false, requester: false, assignment: null };
  return {
    admin: isAdmin(actor),
    desk: f.desk && actor.roles.includes('coordinator'),
    requester: f.consultation.requester_id === actor.id,
    assignment: f.assignment,
  };
}

/**
 * May triage: see every case and the open queue, read the suggestions and assign coordinators. Admins
 * and the desk (`onDesk`: the desk flag as the service loaded it).
 */
export function mayTriageConsultations(actor: PolicyActor | null | undefined, onDesk: boolean): boolean {
  return isAdmin(actor) || (!!actor && onDesk && actor.roles.includes('coordinator'));
}

/** May see the case: those who triage, its requester, and a coordinator it is offered to or accepted by. */
export function mayViewConsultation(actor: PolicyActor | null | undefined, f: ConsultationFacts): boolean {
  const r = consultationRelation(actor, f);
  return r.admin || r.desk || r.requester || r.assignment === 'offered' || r.assignment === 'accepted';
}

/** May accept or decline the case: a coordinator it is offered to (and who has not answered yet). */
export function mayRespondToConsultation(actor: PolicyActor | null | undefined, f: ConsultationFacts): boolean {
  return !!actor && f.assignment === 'offered';
}

/** May log activities and close the case: the coordinator who accepted it, or an admin. */
export function mayWorkOnConsultation(actor: PolicyActor | null | undefined, f: ConsultationFacts): boolean {
  return isAdmin(actor) || (!!actor && f.assignment === 'accepted');
}

/**
 * May close the case now: someone who works on it, while its status lets it close; a coordinator only
 * once it is in progress (an admin may also close a case that nobody has taken up).
 */
export function mayCloseConsultation(actor: PolicyActor | null | undefined, f: ConsultationFacts): boolean {
  const status = f.consultation.status as ConsultationStatus;
  return mayWorkOnConsultation(actor, f) && canDo(status, 'close') && (isAdmin(actor) || status === 'in_progress');
}

/** May withdraw the case: its requester, or an admin. */
export function mayWithdrawConsultation(actor: PolicyActor | null | undefined, f: ConsultationFacts): boolean {
  return isAdmin(actor) || (!!actor && f.consultation.requester_id === actor.id);
}

/** May record a collaboration project from the case: an admin or its accepted coordinator, once it closed with a project started. */
export function mayStartProjectFromConsultation(actor: PolicyActor | null | undefined, f: ConsultationFacts): boolean {
  return mayWorkOnConsultation(actor, f) && f.consultation.status === 'closed' && f.consultation.outcome === 'project_started';
}

/** What the actor may do with the case now: who they are (the rules above) and what its status allows. */
export function consultationActions(actor: PolicyActor | null | undefined, f: ConsultationFacts) {
  const status = f.consultation.status as ConsultationStatus;
  const r = consultationRelation(actor, f);
  return {
    triage: mayTriageConsultations(actor, r.desk) && canDo(status, 'assign'),
    respond: mayRespondToConsultation(actor, f) && canDo(status, 'accept'),
    log: mayWorkOnConsultation(actor, f) && canDo(status, 'log'),
    close: mayCloseConsultation(actor, f),
    withdraw: mayWithdrawConsultation(actor, f) && canDo(status, 'withdraw'),
    createProject: mayStartProjectFromConsultation(actor, f),
  };
}
