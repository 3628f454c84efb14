import { z } from 'zod';
import { CONSULTATION_KINDS } from '../../domain/matching.js';
import { fiscalYearKpis } from '../../services/report.service.js';
import { apiError } from '../api-errors.js';
import { toId } from '../forms.js';
import type { ApiOp } from '../api.js';
import { AFFILIATIONS, CONSULTATION_KPI_OUTCOMES } from '../../domain/values.js';

const kpiOut = z.object({
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
    byKind: z.array(z.object({ kind: z.enum(CONSULTATION_KINDS), total: z.number().int(), outcomes: z.object(Object.fromEntries(CONSULTATION_KPI_OUTCOMES.map((o) => [o, z.number().int()]))) })),
  }).describe('consultations filed in the year, by kind and outcome (withdrawn, or still open)'),
});

export function registerReportsApi(op: ApiOp) {
  op({ method: 'GET', path: '/api/v1/reports/fiscal-years/:fy', summary: 'The KPIs of a fiscal year (western year in which it begins), computed from records', access: ['admin'], response: kpiOut }, async (c) => {
    const fy = toId(c.req.param('fy'));
    if (fy < 1989 || fy > 2200) return apiError(c, 404, 'not_found', c.get('t')('error.notFound'));
    return c.json(await fiscalYearKpis(c.get('ctx'), fy));
  });
}
