import { gapRepository } from '../db/repositories/gap.repository.js';
import { fiscalYearBounds, fiscalYearRange, tokyoDateOf } from '../domain/calendar.js';
import { meanInterval, pairChanges, shareOf, windowStart } from '../domain/gap.js';
import { COMPETENCIES, type Competency } from '../domain/survey.js';
import { consultationKpis, type ConsultationKpis } from './report.service.js';
import type { AppContext } from './context.js';
import { AFFILIATIONS, type Affiliation } from '../domain/values.js';

/**
 * The three gaps item (16) of the plan names, one indicator each, for a fiscal year (issue 21 §2).
 * Shares run from 0 to 1 (rounded half up to 3 places, i.e. one decimal of a percentage).
 */

/** A mean paired change (post − pre) with its size and 95% paired-t interval (decision 0019). */
export interface ChangeEstimate {
  /** Mean of the pairs' changes, rounded half up to 2 places; null when n = 0. */
  meanChange: number | null;
  /** Pairs: one per person and offering who answered both the pre and the post self-assessment. */
  n: number;
  /** 95% confidence interval (paired t), rounded to 2 places; null when n < 2. */
  ci95: [number, number] | null;
}

export interface UnderstandingIndicator extends ChangeEstimate {
  byCompetency: ({ competency: Competency } & ChangeEstimate)[];
  /** By cohort (offering of the year), in order of offering. */
  byCohort: ({ offeringId: number; title: string } & ChangeEstimate)[];
  /** By affiliation type of the person (県 / 市町 / 関係機関 / 協働相手); every type, n = 0 where none. */
  byAffiliation: ({ affiliation: Affiliation } & ChangeEstimate)[];
  /** By 部局 (the department above the person's unit); people outside the prefecture's tree are not listed. */
  byDepartment: ({ departmentId: number; name: string } & ChangeEstimate)[];
}

export interface OpportunityIndicator {
  /** Field trainings (現地研修 sessions) held in the year. */
  fieldTrainings: number;
  /** People (実人数) who took part in them. */
  participants: number;
  /** 所属 (課・室 and related agencies) that sent anyone to a session held in the three fiscal years up to this one. */
  unitsReached: number;
  units: number;
  unitsReachedShare: number;
  /** 市町 that sent anyone, same window. */
  municipalitiesReached: number;
  municipalities: number;
  municipalitiesReachedShare: number;
  /** Distinct partner organisations hosting the year's field trainings. */
  hostPartners: number;
}

export interface TalentIndicator {
  /** Coordinators whose certification stands at the end of the year (or today, for the current year). */
  activeCoordinators: number;
  coordinatorsByDepartment: { departmentId: number; name: string; coordinators: number }[];
  /** Every active 市町: its coordinators, and whether a consultation it filed in the three-year window was served. */
  coordinatorsByMunicipality: { unitId: number; name: string; coordinators: number; consulted: boolean }[];
  /** Consultations filed in the year that a coordinator took on or that closed with an outcome. */
  consultationsServed: number;
  /** All consultations filed in the year, by kind and outcome. */
  consultations: ConsultationKpis;
  /** 市町 with an active coordinator, or served by a consultation filed in the three fiscal years up to this one. */
  municipalitiesServed: number;
  municipalities: number;
  municipalitiesServedShare: number;
}

export interface GapIndicators {
  fiscalYear: number;
  understanding: UnderstandingIndicator;
  opportunity: OpportunityIndicator;
  talent: TalentIndicator;
}

/** The three gap indicators of a fiscal year, computed from records. */
export async function gapIndicators(ctx: AppContext, fiscalYear: number): Promise<GapIndicators> {
  const fy = fiscalYear;
  const now = ctx.now();
  const { startUtc, endUtcExclusive } = fiscalYearBounds(fy);
  const windowFrom = fiscalYearBounds(windowStart(fy)).startUtc;
  // Coordinators as at the end of the year, or today for the current (or a future) year.
  const { end } = fiscalYearRange(fy);
  const asOf = now.getTime() < endUtcExclusive.getTime() ? tokyoDateOf(now) : end;
  const [scores, field, reach, coordinators, served, consultations, municipalities, departments] = await Promise.all([
    gapRepository.pairScores(ctx.db, fy, COMPETENCIES),
    gapRepository.fieldTrainings(ctx.db, startUtc, endUtcExclusive, now),
    gapRepository.reach(ctx.db, windowFrom, endUtcExclusive, now),
    gapRepository.activeCoordinators(ctx.db, asOf),
    gapRepository.consultationsServed(ctx.db, startUtc, endUtcExclusive),
    consultationKpis(ctx, startUtc, endUtcExclusive),
    gapRepository.municipalities(ctx.db, windowFrom, endUtcExclusive),
    gapRepository.departments(ctx.db),
  ]);

  // Understanding: one observation per pair (person × offering).
  const keyOf = (r: { person_id: number; offering_id: number }) => `${r.offering_id}:${r.person_id}`;
  const changes = pairChanges(scores.map((r) => ({ key: keyOf(r), item: r.item, pre: r.pre, post: r.post })));
  const pairInfo = new Map(scores.map((r) => [keyOf(r), r]));
  const estimateOf = (keep: (r: (typeof scores)[number]) => boolean) => meanInterval([...changes].filter(([k]) => keep(pairInfo.get(k)!)).map(([, c]) => c));
  const cohorts = [...new Map(scores.map((r) => [r.offering_id, r.offering_title])).entries()];
  const depts = new Map<number, string>();
  for (const r of scores) if (r.department_id !== null) depts.set(r.department_id, r.department_name ?? '');
  const understanding: UnderstandingIndicator = {
    ...meanInterval([...changes.values()]),
    byCompetency: COMPETENCIES.map((competency) => ({ competency, ...meanInterval(scores.filter((r) => r.item === competency).map((r) => r.post - r.pre)) })),
    byCohort: cohorts.map(([offeringId, title]) => ({ offeringId, title, ...estimateOf((r) => r.offering_id === offeringId) })),
    byAffiliation: AFFILIATIONS.map((affiliation) => ({ affiliation, ...estimateOf((r) => r.affiliation === affiliation) })),
    byDepartment: departments.filter((d) => depts.has(d.id)).map((d) => ({ departmentId: d.id, name: d.name, ...estimateOf((r) => r.department_id === d.id) })),
  };

  const opportunity: OpportunityIndicator = {
    fieldTrainings: field.sessions,
    participants: field.participants,
    unitsReached: reach.unitsReached,
    units: reach.units,
    unitsReachedShare: shareOf(reach.unitsReached, reach.units),
    municipalitiesReached: reach.municipalitiesReached,
    municipalities: reach.municipalities,
    municipalitiesReachedShare: shareOf(reach.municipalitiesReached, reach.municipalities),
    hostPartners: field.hosts,
  };

  const byDept = new Map<number, number>();
  const byMuni = new Map<number, number>();
  for (const c of coordinators) {
    if (c.department_id !== null) byDept.set(c.department_id, (byDept.get(c.department_id) ?? 0) + 1);
    if (c.unit_kind === 'municipality' && c.unit_id !== null) byMuni.set(c.unit_id, (byMuni.get(c.unit_id) ?? 0) + 1);
  }
  const municipalitiesServed = municipalities.filter((m) => m.served || byMuni.has(m.id)).length;
  const talent: TalentIndicator = {
    activeCoordinators: coordinators.length,
    coordinatorsByDepartment: departments.map((d) => ({ departmentId: d.id, name: d.name, coordinators: byDept.get(d.id) ?? 0 })),
    coordinatorsByMunicipality: municipalities.map((m) => ({ unitId: m.id, name: m.name, coordinators: byMuni.get(m.id) ?? 0, consulted: m.served })),
    consultationsServed: served,
    consultations,
    municipalitiesServed,
    municipalities: municipalities.length,
    municipalitiesServedShare: shareOf(municipalitiesServed, municipalities.length),
  };
  return { fiscalYear: fy, understanding, opportunity, talent };
}

/** The indicators for each fiscal year from `fromFy` to `toFy` inclusive, oldest first. */
export async function gapTrend(ctx: AppContext, fromFy: number, toFy: number): Promise<GapIndicators[]> {
  // Independent years: on PostgreSQL they run side by side on the pool; PGlite takes them in turn.
  return Promise.all(Array.from({ length: Math.max(0, toFy - fromFy + 1) }, (_, i) => gapIndicators(ctx, fromFy + i)));
}
