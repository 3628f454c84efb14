/**
 * Consultations (相談・支援依頼): their kinds, statuses and outcomes, and the rules that rank
 * coordinators and partner organisations for a request. Pure: callers pass the data and "today".
 *
 * Every suggestion carries its score's parts, so that the page can say why a candidate ranked
 * where it did; the admin may always assign someone else.
 */
import { type CoordinatorStatus, coordinatorStatus } from './completion.js';
import { compareKana } from './kana.js';

/** The three kinds of support the plan names: 橋渡し, 企画・調整, 事業評価の支援・助言. */
export const CONSULTATION_KINDS = ['bridge', 'planning', 'evaluation'] as const;
export type ConsultationKind = (typeof CONSULTATION_KINDS)[number];

export const CONSULTATION_STATUSES = ['new', 'assigned', 'in_progress', 'closed', 'withdrawn'] as const;
export type ConsultationStatus = (typeof CONSULTATION_STATUSES)[number];

export const CONSULTATION_OUTCOMES = ['project_started', 'advice_given', 'referred', 'no_fit'] as const;
export type ConsultationOutcome = (typeof CONSULTATION_OUTCOMES)[number];

export const ACTIVITY_KINDS = ['meeting', 'contact', 'research', 'advice', 'other'] as const;
export type ActivityKind = (typeof ACTIVITY_KINDS)[number];

/** Statuses in which a case is still open (counts toward a coordinator's load). */
export const OPEN_STATUSES: readonly ConsultationStatus[] = ['new', 'assigned', 'in_progress'];

export type ConsultationAction = 'assign' | 'accept' | 'decline' | 'log' | 'close' | 'withdraw';

/**
 * What may happen to a case in each status. A declined assignment with nobody left returns the
 * case to `new` (the service decides that); closing and withdrawing are final.
 */
const ALLOWED: Record<ConsultationStatus, readonly ConsultationAction[]> = {
  new: ['assign', 'close', 'withdraw'],
  assigned: ['assign', 'accept', 'decline', 'close', 'withdraw'],
  in_progress: ['assign', 'accept', 'decline', 'log', 'close', 'withdraw'],
  closed: [],
  withdrawn: [],
};

export function canDo(status: ConsultationStatus, action: ConsultationAction): boolean {
  return ALLOWED[status].includes(action);
}

// --- Ranking --------------------------------------------------------------------------------------

export interface MatchRequest {
  kind: ConsultationKind;
  fields: readonly string[];
  areaUnitIds: readonly number[];
  /** yyyy-mm-dd, Asia/Tokyo. */
  today: string;
}

export type ScorePartKey = 'fields' | 'areas' | 'load' | 'experience' | 'certification' | 'fieldTrainings' | 'projects';

export interface ScorePart {
  key: ScorePartKey;
  points: number;
  max: number;
  /** What the points were given for: the matching fields or areas, or a count. */
  matched?: string[];
  count?: number;
}

export interface Suggestion<T> {
  candidate: T;
  score: number;
  parts: ScorePart[];
  /** False for a coordinator whose certification has lapsed: listed last, never suggested first. */
  eligible: boolean;
}

export const COORDINATOR_WEIGHTS = { fields: 40, areas: 20, load: 20, experience: 10, certification: 10 } as const;
export const PARTNER_WEIGHTS = { fields: 50, areas: 20, fieldTrainings: 15, projects: 15 } as const;
/** Each open case takes this much off the load part. */
export const LOAD_STEP = 5;
/** Each past case of the same kind adds this much, up to the part's maximum. */
export const EXPERIENCE_STEP = 2;
/** Each field training hosted, or project, adds this much, up to the part's maximum. */
export const HISTORY_STEP = 5;

const norm = (s: string) => s.normalize('NFKC').trim();

/** The requested fields the candidate works in (compared after NFKC), in the request's order. */
export function matchedFields(requested: readonly string[], offered: readonly string[]): string[] {
  const have = new Set(offered.map(norm));
  return [...new Set(requested.map(norm))].filter((f) => f && have.has(f));
}

function fieldsPart(req: MatchRequest, offered: readonly string[], max: number): ScorePart {
  const wanted = [...new Set(req.fields.map(norm))].filter(Boolean);
  const matched = matchedFields(wanted, offered);
  return { key: 'fields', points: wanted.length ? Math.round((max * matched.length) / wanted.length) : 0, max, matched };
}

function areasPart(req: MatchRequest, offered: readonly number[], max: number, areaName: (id: number) => string): ScorePart {
  const matched = req.areaUnitIds.filter((id) => offered.includes(id));
  return { key: 'areas', points: matched.length ? max : 0, max, matched: matched.map(areaName) };
}

export interface CoordinatorCandidate {
  personId: number;
  name: string;
  kana: string;
  fields: readonly string[];
  areaUnitIds: readonly number[];
  /** Cases offered to or accepted by them that are still open. */
  openCases: number;
  /** Closed cases of the same kind they worked on. */
  pastCasesOfKind: number;
  validUntil: string | null;
  revoked: boolean;
}

function certificationPart(c: CoordinatorCandidate, today: string): { part: ScorePart; status: CoordinatorStatus | 'revoked' } {
  const status = c.revoked ? 'revoked' : coordinatorStatus(c.validUntil, today);
  const max = COORDINATOR_WEIGHTS.certification;
  return { part: { key: 'certification', points: status === 'active' ? max : status === 'expiring' ? max / 2 : 0, max }, status };
}

function byScore<T>(kana: (t: T) => string, id: (t: T) => number) {
  return (a: Suggestion<T>, b: Suggestion<T>) =>
    Number(b.eligible) - Number(a.eligible) || b.score - a.score || compareKana(kana(a.candidate), kana(b.candidate)) || id(a.candidate) - id(b.candidate);
}

/**
 * Ranks coordinators: expertise fields (share of the requested fields they cover), areas (any
 * requested 市町 they serve), current open load (fewer is better), past closed cases of the same
 * kind, and a certification still valid (less while it is about to expire). A lapsed or revoked
 * certification makes a candidate ineligible: listed after everyone else. Ties: 50音順.
 */
export function rankCoordinators(req: MatchRequest, candidates: readonly CoordinatorCandidate[], areaName: (id: number) => string = String): Suggestion<CoordinatorCandidate>[] {
  const w = COORDINATOR_WEIGHTS;
  return candidates
    .map((c) => {
      const cert = certificationPart(c, req.today);
      const parts: ScorePart[] = [
        fieldsPart(req, c.fields, w.fields),
        areasPart(req, c.areaUnitIds, w.areas, areaName),
        { key: 'load', points: Math.max(0, w.load - LOAD_STEP * Math.max(0, c.openCases)), max: w.load, count: c.openCases },
        { key: 'experience', points: Math.min(w.experience, EXPERIENCE_STEP * Math.max(0, c.pastCasesOfKind)), max: w.experience, count: c.pastCasesOfKind },
        cert.part,
      ];
      const eligible = cert.status === 'active' || cert.status === 'expiring';
      return { candidate: c, parts, score: parts.reduce((n, p) => n + p.points, 0), eligible };
    })
    .sort(byScore((c) => c.kana, (c) => c.personId));
}

export interface PartnerCandidate {
  partnerId: number;
  name: string;
  kana: string;
  fields: readonly string[];
  areaUnitIds: readonly number[];
  /** Field trainings held at the organisation's sites. */
  fieldTrainingsHosted: number;
  /** Collaboration projects it has taken part in. */
  projects: number;
}

/** Ranks partner organisations: fields, areas, field trainings hosted and past projects. Ties: 50音順. */
export function rankPartners(req: MatchRequest, candidates: readonly PartnerCandidate[], areaName: (id: number) => string = String): Suggestion<PartnerCandidate>[] {
  const w = PARTNER_WEIGHTS;
  return candidates
    .map((p) => {
      const parts: ScorePart[] = [
        fieldsPart(req, p.fields, w.fields),
        areasPart(req, p.areaUnitIds, w.areas, areaName),
        { key: 'fieldTrainings', points: Math.min(w.fieldTrainings, HISTORY_STEP * Math.max(0, p.fieldTrainingsHosted)), max: w.fieldTrainings, count: p.fieldTrainingsHosted },
        { key: 'projects', points: Math.min(w.projects, HISTORY_STEP * Math.max(0, p.projects)), max: w.projects, count: p.projects },
      ];
      return { candidate: p, parts, score: parts.reduce((n, x) => n + x.points, 0), eligible: true };
    })
    .sort(byScore((p) => p.kana, (p) => p.partnerId));
}

// --- Coordinator practice -----------------------------------------------------------------------

export interface PracticeCase {
  /** yyyy-mm-dd on which the case closed. */
  closedOn: string;
  status: 'closed' | 'withdrawn';
  /** Minutes this coordinator logged on the case. */
  minutes: number;
}

/**
 * A coordinator's practice since the certification was granted or last renewed: the closed cases
 * they worked on (withdrawn ones do not count) and the time they logged on them. This is the record
 * shown for renewal of the certification.
 */
export function practiceSince(cases: readonly PracticeCase[], since: string | null): { cases: number; minutes: number } {
  const counted = cases.filter((c) => c.status === 'closed' && (!since || c.closedOn >= since));
  return { cases: counted.length, minutes: counted.reduce((n, c) => n + Math.max(0, c.minutes), 0) };
}
