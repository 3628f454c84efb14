/**
 * Completion (修了) and coordinator validity: pure rules. Completion is recomputed whenever an
 * input changes; an admin's override, with its reason, wins over the computed result.
 */
export const ATTENDANCE_STATUSES = ['present', 'late', 'left_early', 'absent', 'excused'] as const;
export type AttendanceStatus = (typeof ATTENDANCE_STATUSES)[number];

/** Late arrival and early leaving still count as attending; 公務等 (excused) does not. */
export const ATTENDED: ReadonlySet<AttendanceStatus> = new Set(['present', 'late', 'left_early']);

export interface CompletionRule {
  minSessions?: number;
  requiredSessionIds?: number[];
  assignment?: boolean;
  signOff?: boolean;
}

export type AssignmentState = 'none' | 'submitted' | 'accepted' | 'returned';

export interface CompletionInputs {
  sessionIds: number[];
  attendance: ReadonlyMap<number, AttendanceStatus>;
  assignment: AssignmentState;
  signedOff: boolean;
  override: { completed: boolean } | null;
}

export type CompletionPart =
  | { kind: 'sessions'; met: boolean; attended: number; needed: number }
  | { kind: 'required_sessions'; met: boolean; missing: number[] }
  | { kind: 'assignment'; met: boolean; state: AssignmentState }
  | { kind: 'sign_off'; met: boolean }
  | { kind: 'override'; met: boolean };

export interface CompletionResult {
  completed: boolean;
  computed: boolean;
  parts: CompletionPart[];
}

/** Marks that say what happened at a session; only 公務等 (excused, known ahead) may be entered before it starts. */
export const HAPPENED: ReadonlySet<AttendanceStatus> = new Set(['present', 'late', 'left_early', 'absent']);

/** How many minutes before the start the venue's kiosk takes arrivals (the arrival itself has happened). */
export const KIOSK_OPENS_MINUTES_BEFORE = 30;

/**
 * When a mark may be recorded for a session starting at `startsAt`: null if it may be recorded at
 * `now`, else the instant from which it may. Nothing is recorded as having happened before it
 * happened: present, late, left early and absent wait for the start; excused (公務等) may be entered
 * ahead. The kiosk records arrivals, so it opens KIOSK_OPENS_MINUTES_BEFORE minutes before the start.
 */
export function attendanceOpensAt(status: AttendanceStatus, startsAt: Date, now: Date, via: 'admin' | 'api' | 'kiosk' = 'admin'): Date | null {
  if (!HAPPENED.has(status)) return null;
  const opens = via === 'kiosk' ? new Date(startsAt.getTime() - KIOSK_OPENS_MINUTES_BEFORE * 60_000) : startsAt;
  return now.getTime() >= opens.getTime() ? null : opens;
}

/**
 * The completion date (YYYY-MM-DD, Tokyo): the day of the last session attended (else the last
 * session held by `today`), never after `today`.
 */
export function completionDate(attendedDays: readonly string[], sessionDays: readonly string[], today: string): string {
  const latest = (xs: readonly string[]) => xs.reduce<string | null>((m, d) => (m === null || d > m ? d : m), null);
  const day = latest(attendedDays) ?? latest(sessionDays.filter((d) => d <= today)) ?? today;
  return day > today ? today : day;
}

/** With no rule set, the default is: attended every session. Required sessions that no longer exist are not asked for. */
export function evaluateCompletion(rule: CompletionRule, x: CompletionInputs): CompletionResult {
  const attended = x.sessionIds.filter((id) => {
    const s = x.attendance.get(id);
    return s !== undefined && ATTENDED.has(s);
  });
  const parts: CompletionPart[] = [];
  const hasSessionRule = rule.minSessions !== undefined || (rule.requiredSessionIds?.length ?? 0) > 0;
  const needed = rule.minSessions ?? (hasSessionRule ? 0 : x.sessionIds.length);
  parts.push({ kind: 'sessions', met: x.sessionIds.length > 0 && attended.length >= needed, attended: attended.length, needed });
  const required = (rule.requiredSessionIds ?? []).filter((id) => x.sessionIds.includes(id));
  if (required.length) {
    const missing = required.filter((id) => !attended.includes(id));
    parts.push({ kind: 'required_sessions', met: missing.length === 0, missing });
  }
  if (rule.assignment) parts.push({ kind: 'assignment', met: x.assignment === 'accepted', state: x.assignment });
  if (rule.signOff) parts.push({ kind: 'sign_off', met: x.signedOff });
  const computed = parts.every((p) => p.met);
  if (x.override) return { completed: x.override.completed, computed, parts: [...parts, { kind: 'override', met: x.override.completed }] };
  return { completed: computed, computed, parts };
}

export type CoordinatorStatus = 'active' | 'expiring' | 'expired';

/** Active until the end of its last valid day; "expiring" within `warnDays` of it. No end date: active. */
export function coordinatorStatus(validUntil: string | null, today: string, warnDays = 90): CoordinatorStatus {
  if (!validUntil) return 'active';
  if (today > validUntil) return 'expired';
  const days = (Date.parse(`${validUntil}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / 86_400_000;
  return days <= warnDays ? 'expiring' : 'active';
}

/** The last valid day, the day before the `years`-th anniversary (2026-12-11 + 3 years: 2029-12-10; from 29 Feb, the anniversary is 1 March). */
export function validUntil(from: string, years: number): string {
  const [y, m, d] = from.split('-').map(Number);
  const end = new Date(Date.UTC(y + years, m - 1, d));
  end.setUTCDate(end.getUTCDate() - 1);
  return end.toISOString().slice(0, 10);
}
