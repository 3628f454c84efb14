import { gapIndicators } from '../../services/gap.service.js';
import { apiError } from '../api-errors.js';
import type { ApiOp } from '../api.js';
import { fiscalYearPath, reportYearOf } from '../report/schema.js';
import { gapsOut } from './schema.js';

export function registerGapApi(op: ApiOp) {
  op(
    {
      method: 'GET',
      path: '/api/v1/reports/fiscal-years/:fy/gaps',
      summary: 'The three gap indicators of a fiscal year (understanding with a 95% interval, opportunity, facilitation talent), computed from records',
      access: ['admin'],
      params: fiscalYearPath,
      response: gapsOut,
    },
    async (c, { params }) => {
      const fy = reportYearOf(params.fy);
      if (fy === null) return apiError(c, 404, 'not_found', c.get('t')('error.notFound'));
      return c.json(await gapIndicators(c.get('ctx'), fy));
    },
  );
}
