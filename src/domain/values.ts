/**
 * The fixed lists of values that every layer shares (roles, kinds, statuses), and their types. The
 * database's CHECK constraints, the zod schemas, the pages' selects and the catalogues' labels all
 * follow these lists; a value is added here first. Lists that belong to one rule live beside it
 * (application statuses in selection.ts, attendance in completion.ts, consultations in matching.ts).
 */
import { CONSULTATION_OUTCOMES } from './matching.js';

export const UNIT_KINDS = ['department', 'division', 'municipality', 'agency'] as const;
export type UnitKind = (typeof UNIT_KINDS)[number];

export const AFFILIATIONS = ['prefecture', 'municipality', 'agency', 'partner'] as const;
export type Affiliation = (typeof AFFILIATIONS)[number];

export const ROLES = ['admin', 'approver', 'staff', 'coordinator', 'partner'] as const;
export type Role = (typeof ROLES)[number];

export const API_TOKEN_SCOPES = ['read', 'write'] as const;
export type ApiTokenScope = (typeof API_TOKEN_SCOPES)[number];

export const PARTNER_TYPES = ['community', 'npo', 'voluntary', 'company', 'university', 'other'] as const;
export type PartnerType = (typeof PARTNER_TYPES)[number];

export const SURVEY_KINDS = ['post_session', 'host', 'pre', 'post', 'feedback', 'general'] as const;
export type SurveyKind = (typeof SURVEY_KINDS)[number];

export const PROGRESS_STATUSES = ['done', 'on_track', 'delayed'] as const;
export type ProgressStatus = (typeof PROGRESS_STATUSES)[number];

/**
 * The 市町 tile map (issue 21 §3): per-市町 figures for one opportunity or talent indicator, on the
 * squares an admin placed. Each figure counts what the same-named figure of the gap indicators
 * counts, for the 市町 alone.
 */
export const MAP_INDICATORS = ['participants', 'fieldTrainings', 'hostPartners', 'coordinators', 'consultationsServed'] as const;
export type MapIndicator = (typeof MAP_INDICATORS)[number];

export const MAP_INDICATOR_GROUP: Record<MapIndicator, 'opportunity' | 'talent'> = {
  participants: 'opportunity',
  fieldTrainings: 'opportunity',
  hostPartners: 'opportunity',
  coordinators: 'talent',
  consultationsServed: 'talent',
};

export function isMapIndicator(v: unknown): v is MapIndicator {
  return typeof v === 'string' && (MAP_INDICATORS as readonly string[]).includes(v);
}

export const CONSULTATION_KPI_OUTCOMES = [...CONSULTATION_OUTCOMES, 'withdrawn', 'open'] as const;
export type ConsultationKpiOutcome = (typeof CONSULTATION_KPI_OUTCOMES)[number];

export const TEMPLATE_PURPOSES = ['post_session', 'host', 'competency', 'feedback', 'general'] as const;

export const IMPACT_GROUPINGS = ['cohort', 'unit', 'affiliation'] as const;
export type ImpactGrouping = (typeof IMPACT_GROUPINGS)[number];

export const PARTNER_FIELDS = ['福祉', '環境', 'まちづくり', '子育て', '防災', '国際', '文化', '教育', '観光', '農業'] as const;

export const SESSION_FORMATS = ['lecture', 'workshop', 'field', 'online'] as const;

export const PROGRAMME_KINDS = ['seminar', 'coordinator_course', 'follow_up', 'other'] as const;
