/**
 * Rules about applications (申込) that do not depend on seats: who may decide on one, which answers it
 * still owes, what the applicant is shown. Pure: no I/O, no clock.
 */
import { type ApplicationStatus, LIVE_STATUSES } from './selection.js';

/** An application question as the offering asks it. */
export interface ApplicationQuestion {
  id: string;
  label: string;
  required: boolean;
}

type ApplicationState = ApplicationStatus;

// ---------------------------------------------------------------------------------------------
// Endorsement (推薦・承認): nobody decides on their own case

export type EndorseRefusal = 'own_application' | 'not_approver';

export interface EndorseActor {
  id: number;
  roles: readonly string[];
  unitId: number | null;
}

/**
 * Why the actor may not endorse or return the application, or null when they may: an admin, or an
 * approver of the applicant's unit, but never the applicant themselves (an approver who applied, or an
 * admin who applied).
 */
export function endorseRefusal(actor: EndorseActor, applicant: { id: number; unitId: number | null }): EndorseRefusal | null {
  if (actor.id === applicant.id) return 'own_application';
  if (actor.roles.includes('admin')) return null;
  if (actor.roles.includes('approver') && actor.unitId !== null && actor.unitId === applicant.unitId) return null;
  return 'not_approver';
}

/**
 * Why an admin may not decide (選考: confirm, waitlist, not select) on the application, or null: nobody
 * decides on their own case, so an admin who applied leaves the decision to another admin.
 */
export function decisionRefusal(actor: { id: number }, applicant: { id: number }): 'own_application' | null {
  return actor.id === applicant.id ? 'own_application' : null;
}

/**
 * Whom to ask for an applicant's endorsement: the approvers of the applicant's unit other than the
 * applicant; when there is none, the admins (other than the applicant). `fallback` says which.
 */
export function endorsersFor<P extends { id: number; unit_id: number | null }>(
  applicant: { id: number; unit_id: number | null },
  approvers: readonly P[],
  admins: readonly P[],
): { to: P[]; fallback: boolean } {
  const own = applicant.unit_id === null ? [] : approvers.filter((a) => a.unit_id === applicant.unit_id && a.id !== applicant.id);
  if (own.length) return { to: own, fallback: false };
  return { to: admins.filter((a) => a.id !== applicant.id), fallback: true };
}

// ---------------------------------------------------------------------------------------------
// Answers to the offering's questions

/** The required questions the answers leave blank. */
export function unansweredRequired(questions: readonly ApplicationQuestion[], answers: Readonly<Record<string, string>>): ApplicationQuestion[] {
  return questions.filter((q) => q.required && !String(answers[q.id] ?? '').trim());
}

export interface AnswerLine {
  id: string;
  /** The question's text; the id for an answer to a question the offering no longer asks. */
  question: string;
  answer: string;
  required: boolean;
}

/**
 * The answers as a reader needs them: in the order of the questions, each with its text (never the
 * internal id such as q1), then any answer to a question the offering no longer asks.
 */
export function answerSheet(questions: readonly ApplicationQuestion[], answers: Readonly<Record<string, string>>): AnswerLine[] {
  const asked = new Set(questions.map((q) => q.id));
  return [
    ...questions.map((q) => ({ id: q.id, question: q.label, answer: String(answers[q.id] ?? ''), required: q.required })),
    ...Object.entries(answers)
      .filter(([id, v]) => !asked.has(id) && String(v).trim())
      .map(([id, v]) => ({ id, question: id, answer: String(v), required: false })),
  ];
}

/**
 * Whether the answers of an application are still owed by the applicant: it was taken with answers
 * pending and is still live. A pending application that has been cancelled or decided against owes
 * nothing more.
 */
export function owesAnswers(app: { status: ApplicationState; answers_pending: boolean }): boolean {
  return app.answers_pending && LIVE_STATUSES.includes(app.status);
}

// ---------------------------------------------------------------------------------------------
// What the applicant is shown

/** A 受講決定通知 exists only for a confirmed application. */
export function hasDecisionNotice(status: ApplicationState): boolean {
  return status === 'confirmed';
}

export interface CancellationEffect {
  /** The seat this cancellation frees goes to the first on the waiting list. */
  promotesNext: boolean;
  /** The person loses their place on the waiting list. */
  losesWaitlistPlace: boolean;
}

/**
 * What a cancellation (辞退) will do, for the confirmation step: a confirmed seat passes to the next
 * person waiting while promotion is open; a waiting person loses their place. Neither comes back.
 */
export function cancellationEffect(input: {
  status: ApplicationState;
  waitlistKept: boolean;
  waiting: number;
  promotionCutoff: Date | null;
  now: Date;
}): CancellationEffect {
  const promotionOpen = input.waitlistKept && (!input.promotionCutoff || input.now < input.promotionCutoff);
  return {
    promotesNext: input.status === 'confirmed' && promotionOpen && input.waiting > 0,
    losesWaitlistPlace: input.status === 'waitlisted',
  };
}
