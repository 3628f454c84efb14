import { fiscalYearKpis } from '../../services/report.service.js';
import { apiError } from '../api-errors.js';
import type { ApiOp } from '../api.js';
import { fiscalYearPath, kpiOut, reportYearOf } from './schema.js';

export function registerReportApi(op: ApiOp) {
  op(
    { method: 'GET', path: '/api/v1/reports/fiscal-years/:fy', summary: 'The KPIs of a fiscal year (western year in which it begins), computed from records', access: ['admin'], params: fiscalYearPath, response: kpiOut },
    async (c, { params }) => {
      const fy = reportYearOf(params.fy);
      if (fy === null) return apiError(c, 404, 'not_found', c.get('t')('error.notFound'));
      return c.json(await fiscalYearKpis(c.get('ctx'), fy));
    },
  );
}
