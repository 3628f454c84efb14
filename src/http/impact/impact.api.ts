import { z } from 'zod';
import { IMPACT_GROUPINGS } from '../../domain/values.js';
import { impact } from '../../services/survey.service.js';
import { type ApiOp, formatQuery, query, wantsFile } from '../api.js';
import { sendTable } from '../export.js';
import { impactExport } from './presenter.js';

const changeOut = z.object({
  group: z.string().describe('the cohort, unit or affiliation; empty in overall'),
  item: z.string().describe('the competency'),
  n: z.number().int().describe('people who answered the item both before and after'),
  meanPre: z.number().nullable(),
  meanPost: z.number().nullable(),
  meanChange: z.number().nullable(),
  distribution: z.array(z.number().int()).describe('how many changed by -4 … +4'),
  improved: z.number().int(),
  same: z.number().int(),
  declined: z.number().int(),
});

const impactOut = z.object({ groups: z.array(z.string()), byGroup: z.array(changeOut), overall: z.array(changeOut), people: z.number().int() });

/** Pre/post change of the self-assessments (admins), as on the impact page. */
export function registerImpactApi(op: ApiOp) {
  op(
    {
      method: 'GET',
      path: '/api/v1/reports/impact',
      summary: 'The paired pre/post change of the competency self-assessments, by cohort, unit or affiliation (by), of a fiscal year (fy) or one offering; or as CSV/xlsx (format), as the impact page downloads it',
      access: ['admin'],
      query: z.object({ fy: query.fiscalYear(), offering: query.id('one offering'), by: query.oneOf(IMPACT_GROUPINGS, 'grouping: cohort (default), unit or affiliation'), ...formatQuery() }),
      response: impactOut,
      formats: true,
    },
    async (c, { query: q }) => {
      const f = { fiscalYear: q.fy, offeringId: q.offering, by: q.by ?? 'cohort' };
      const data = await impact(c.get('ctx'), f);
      if (wantsFile(q)) {
        const { columns, rows } = impactExport(c.get('t'), f.by, data);
        return sendTable(c, q.format, `impact-${f.by}`, c.get('t')('impact.title'), columns, rows);
      }
      return c.json(data);
    },
  );
}
