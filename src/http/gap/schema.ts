import { z } from 'zod';
import { COMPETENCIES } from '../../domain/survey.js';
import { AFFILIATIONS } from '../../domain/values.js';
import { consultationsByKind } from '../report/schema.js';

const share = z.number().min(0).max(1);
const estimate = {
  meanChange: z.number().nullable().describe('mean paired change (post − pre), 2 places; null when n = 0'),
  n: z.number().int().describe('pairs: people × cohorts who answered both self-assessments'),
  ci95: z.tuple([z.number(), z.number()]).nullable().describe('95% paired-t interval [lo, hi]; null when n < 2 (decision 0019)'),
};

export const gapsOut = z.object({
  fiscalYear: z.number().int(),
  understanding: z.object({
    ...estimate,
    byCompetency: z.array(z.object({ competency: z.enum(COMPETENCIES), ...estimate })),
    byCohort: z.array(z.object({ offeringId: z.number().int(), title: z.string(), ...estimate })),
    byAffiliation: z.array(z.object({ affiliation: z.enum(AFFILIATIONS), ...estimate })),
    byDepartment: z.array(z.object({ departmentId: z.number().int(), name: z.string(), ...estimate })),
  }),
  opportunity: z.object({
    fieldTrainings: z.number().int().describe('field trainings (現地研修) held in the year'),
    participants: z.number().int().describe('people who took part in them'),
    unitsReached: z.number().int(),
    units: z.number().int(),
    unitsReachedShare: share.describe('share of 所属 (課・室, related agencies) that sent anyone in the three fiscal years up to this one, 0–1'),
    municipalitiesReached: z.number().int(),
    municipalities: z.number().int(),
    municipalitiesReachedShare: share.describe('share of 市町 that sent anyone in the three fiscal years up to this one, 0–1'),
    hostPartners: z.number().int().describe('distinct partner organisations hosting the year’s field trainings'),
  }),
  talent: z.object({
    activeCoordinators: z.number().int().describe('coordinators whose certification stands at the end of the year (today for the current year)'),
    coordinatorsByDepartment: z.array(z.object({ departmentId: z.number().int(), name: z.string(), coordinators: z.number().int() })),
    coordinatorsByMunicipality: z.array(z.object({ unitId: z.number().int(), name: z.string(), coordinators: z.number().int(), consulted: z.boolean() })),
    consultationsServed: z.number().int().describe('consultations filed in the year that a coordinator took on or that closed with an outcome'),
    consultations: z.object({
      total: z.number().int(),
      byKind: consultationsByKind,
    }),
    municipalitiesServed: z.number().int(),
    municipalities: z.number().int(),
    municipalitiesServedShare: share.describe('share of 市町 with an active coordinator or served by a consultation in the three fiscal years up to this one, 0–1'),
  }),
});
