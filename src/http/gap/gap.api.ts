import { gapIndicators, gapTrend } from '../../services/gap.service.js';
import { reportYears } from '../../services/report.service.js';
import { trendColumns } from '../report/presenter.js';
import { apiError } from '../api-errors.js';
import { z } from 'zod';
import { formatFiscalYear } from '../../domain/calendar.js';
import { type ApiOp, formatQuery, wantsFile } from '../api.js';
import { sendTable } from '../export.js';
import { gapColumns, gapLines, gapTrendRows } from './presenter.js';
import { fiscalYearPath, reportYearOf } from '../report/schema.js';
import { gapsOut } from './schema.js';

export function registerGapApi(op: ApiOp) {
  op(
    {
      method: 'GET',
      path: '/api/v1/reports/gap-trends',
      summary: 'The three gap indicators of every fiscal year with records, oldest first; or as CSV/xlsx (format), one column per year, as the gaps page downloads them',
      access: ['admin'],
      query: z.object(formatQuery()),
      response: z.object({ years: z.array(z.number().int()), gaps: z.array(gapsOut) }),
      formats: true,
    },
    async (c, { query }) => {
      const ctx = c.get('ctx');
      const years = await reportYears(ctx);
      const gaps = years.length ? await gapTrend(ctx, years[0]!, years[years.length - 1]!) : [];
      if (wantsFile(query)) {
        const t = c.get('t');
        return sendTable(c, query.format, 'gap-trends', '3つの課題の指標の推移', trendColumns(years.map((y) => formatFiscalYear(y, 'ja'))), gapTrendRows(gaps.map((g) => gapLines(t, g))));
      }
      return c.json({ years, gaps });
    },
  );
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
