import type { jaCompletion } from './ja-completion.js';

/** English messages for completion (spread into en.ts): the same keys as ja-completion.ts. */
export const enCompletion: Record<keyof typeof jaCompletion, string> = {
  'error.confirmRevokeRequired': 'Confirm the withdrawal: tick "{field}".',
  'attendance.sheet': 'Sign-in sheet',
  'attendance.sheetTitle': 'Sign-in sheet: {title}',
  'error.completionRuleRevokes': 'This completion rule would withdraw the completion of {completions} people and revoke {certificates} certificates. Change it on the completion page, where you are asked to confirm.',
  'error.attendanceNotYet': 'This session starts at {fromEn}. Present, late, left early and absent can be recorded once it has started (excused can be entered ahead).',
  'completion.confirmRevoke': 'This change would withdraw the completion of {completions} people and revoke {certificates} certificates. Confirm and run it again.',
  'completion.ruleEdit': 'Change the completion rule',
  'completion.ruleHint': 'With no minimum and no required session, completion needs every session attended.',
  'completion.ruleAll': 'Every session attended',
  'completion.ruleMin': 'At least {n} sessions attended',
  'completion.ruleRequired': 'Required sessions: {titles}',
  'completion.ruleSaved': 'The completion rule was changed. Completions withdrawn: {completions}; certificates revoked: {certificates}.',
  'completion.confirmTitle': 'Confirm the change of the completion rule',
  'completion.confirmLead': 'This change withdraws completions as follows. Revoked certificates show as revoked on the verification page.',
  'completion.confirmCompletions': 'Completions withdrawn: {n}',
  'completion.confirmCertificates': 'Certificates revoked: {n}',
  'completion.confirmDo': 'Confirm and change the rule',
  'completion.confirmRevokeCheck': 'I confirm withdrawing {completions} completions and revoking {certificates} certificates',
  'attendance.notYetTitle': 'Attendance for this session cannot be recorded yet',
  'attendance.notYet': 'This session starts at {from}. Present, late, left early and absent can be recorded once it has started. Excused can be entered ahead.',
  'kiosk.not_yet': 'Check-in opens at {from}. Please wait a moment.',
  'kiosk.backToAttendance': 'Back to attendance (staff)',
};
