import { z } from 'zod';
import { CONSULTATION_KINDS } from '../../domain/matching.js';
import { AFFILIATIONS, CONSULTATION_KPI_OUTCOMES } from '../../domain/values.js';
import { toId } from '../forms.js';

/**
 * The fiscal year in a report path, as text: a year the records cannot hold (or not a number at all)
 * is a report that does not exist, 404, not a malformed request.
 */
export const fiscalYearPath = z.object({ fy: z.string().max(20).describe('fiscal year: the western year in which it begins, e.g. 2025') });

/** The year of a report path, or null (404) outside 1989–2200. */
export function reportYearOf(text: string): number | null {
  const fy = toId(text);
  return fy >= 1989 && fy <= 2200 ? fy : null;
}

/** How consultations of a year count by kind and outcome (the KPIs and the gap indicators alike). */
export const consultationsByKind = z.array(z.object({ kind: z.enum(CONSULTATION_KINDS), total: z.number().int(), outcomes: z.object(Object.fromEntries(CONSULTATION_KPI_OUTCOMES.map((o) => [o, z.number().int()]))) }));

export const kpiOut = z.object({
  fiscalYear: z.number().int(),
  seminarsHeld: z.number().int(),
  fieldTrainingsHeld: z.number().int(),
  courseSessionsHeld: z.number().int(),
  attendances: z.number().int(),
  participants: z.object(Object.fromEntries(AFFILIATIONS.map((a) => [a, z.number().int()]))),
  participantsTotal: z.number().int(),
  unitsReached: z.number().int(),
  applications: z.number().int(),
  completions: z.number().int(),
  certificatesIssued: z.number().int(),
  coordinators: z.object({ newlyCertified: z.number().int(), cumulative: z.number().int(), active: z.number().int() }),
  surveys: z.array(z.object({ item: z.string(), mean: z.number().nullable(), n: z.number().int() })),
  competencyChange: z.array(z.object({ item: z.string(), n: z.number().int(), meanChange: z.number().nullable() })),
  consultations: z.object({
    total: z.number().int(),
    byKind: consultationsByKind,
  }).describe('consultations filed in the year, by kind and outcome (withdrawn, or still open)'),
});
