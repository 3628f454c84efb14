import { isAdmin, type PolicyActor } from './actor.js';

/** What the survey policies judge: whether this actor was asked to answer the survey. */
export interface SurveyInvitationFacts {
  invited: boolean;
}

/**
 * Who may answer a survey (and see their own answer): only those asked. An admin who was not asked
 * answers nothing on anyone's behalf; to anyone not asked the survey does not exist (404, not 403).
 */
export function mayAnswerSurvey(actor: PolicyActor | null | undefined, s: SurveyInvitationFacts): boolean {
  return !!actor && s.invited;
}

/** Who may read a survey's questions: those asked to answer it, and the training office. */
export function mayViewSurvey(actor: PolicyActor | null | undefined, s: SurveyInvitationFacts): boolean {
  return mayAnswerSurvey(actor, s) || isAdmin(actor);
}
