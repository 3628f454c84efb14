import { gapIndicators } from '../../services/gap.service.js';
import { apiError } from '../api-errors.js';
import { z } from 'zod';
import { formatFiscalYear } from '../../domain/calendar.js';
import { type ApiOp, formatQuery, wantsFile } from '../api.js';
import { sendTable } from '../export.js';
import { gapColumns, gapLines } from './presenter.js';
import { fiscalYearPath, reportYearOf } from '../report/schema.js';
import { gapsOut } from './schema.js';

export function registerGapApi(op: ApiOp) {
  op(
    {
      method: 'GET',
      path: '/api/v1/reports/fiscal-years/:fy/gaps',
      summary: 'The three gap indicators of a fiscal year (understanding with a 95% interval, opportunity, facilitation talent), computed from records; or their lines as CSV/xlsx (format), as the gaps page downloads them',
      access: ['admin'],
      params: fiscalYearPath,
      query: z.object(formatQuery()),
      response: gapsOut,
      formats: true,
    },
    async (c, { params, query }) => {
      const fy = reportYearOf(params.fy);
      if (fy === null) return apiError(c, 404, 'not_found', c.get('t')('error.notFound'));
      const g = await gapIndicators(c.get('ctx'), fy);
      // As a file: the lines of the gaps page's download, one column for the year.
      if (wantsFile(query)) return sendTable(c, query.format, `gaps-${fy}`, formatFiscalYear(fy, 'ja'), gapColumns(formatFiscalYear(fy, 'ja')), gapLines(c.get('t'), g));
      return c.json(g);
    },
  );
}
