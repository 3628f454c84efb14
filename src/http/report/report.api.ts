import { z } from 'zod';
import { formatFiscalYear } from '../../domain/calendar.js';
import { coverage, fiscalYearKpis, implementationTable, reportYearsWithKpis } from '../../services/report.service.js';
import { apiError } from '../api-errors.js';
import { type ApiOp, formatQuery, wantsFile } from '../api.js';
import { sendTable } from '../export.js';
import { covColumns, implColumns, kpiColumns, kpiLines, kpiTrendRows, trendColumns } from './presenter.js';
import { fiscalYearPath, kpiOut, reportYearOf } from './schema.js';

const formats = z.object(formatQuery());

const coverageItem = z.object({
  unitId: z.number().int(),
  kind: z.string().describe('department, division or municipality'),
  name: z.string(),
  department: z.string().nullable(),
  staff: z.number().int(),
  trained: z.number().int().describe('staff who completed a training (ever)'),
  share: z.number().nullable().describe('trained ÷ staff'),
  coordinators: z.number().int().describe('active certified coordinators'),
  fieldTrainingsHosted: z.number().int(),
  reasons: z.array(z.string()).describe('why to recruit here next: noneTrained, noCoordinator'),
});

const implementationItem = z.object({
  sessionId: z.number().int(),
  date: z.string().describe('YYYY-MM-DD (Tokyo)'),
  startsAt: z.string(),
  format: z.string(),
  theme: z.string(),
  lecturers: z.string(),
  audience: z.string(),
  participants: z.number().int().nullable().describe('null until the session is held'),
  held: z.boolean(),
});

export function registerReportApi(op: ApiOp) {
  op(
    {
      method: 'GET',
      path: '/api/v1/reports/trends',
      summary: 'The KPIs of every fiscal year with records, oldest first (the dashboard trends); or as CSV/xlsx (format), one column per year, as the dashboard downloads them',
      access: ['admin'],
      query: formats,
      response: z.object({ years: z.array(z.number().int()), kpis: z.array(kpiOut) }),
      formats: true,
    },
    async (c, { query }) => {
      const { years, kpis } = await reportYearsWithKpis(c.get('ctx'));
      if (wantsFile(query)) {
        const t = c.get('t');
        return sendTable(c, query.format, 'kpi-trends', '年度ごとの推移', trendColumns(years.map((y) => formatFiscalYear(y, 'ja'))), kpiTrendRows(kpis.map((k) => kpiLines(t, k))));
      }
      return c.json({ years, kpis });
    },
  );
  op(
    {
      method: 'GET',
      path: '/api/v1/reports/fiscal-years/:fy',
      summary: 'The KPIs of a fiscal year (western year in which it begins), computed from records; or the KPI table as CSV/xlsx (format), as the dashboard downloads it',
      access: ['admin'],
      params: fiscalYearPath,
      query: formats,
      response: kpiOut,
      formats: true,
    },
    async (c, { params, query }) => {
      const fy = reportYearOf(params.fy);
      if (fy === null) return apiError(c, 404, 'not_found', c.get('t')('error.notFound'));
      const k = await fiscalYearKpis(c.get('ctx'), fy);
      if (wantsFile(query)) return sendTable(c, query.format, `kpi-${fy}`, formatFiscalYear(fy, 'ja'), kpiColumns(formatFiscalYear(fy, 'ja')), kpiLines(c.get('t'), k));
      return c.json(k);
    },
  );
  op(
    {
      method: 'GET',
      path: '/api/v1/reports/fiscal-years/:fy/implementation',
      summary: 'The yearly implementation table (開催日 / 形式 / テーマ / 講師 / 対象 / 人数), one row a session; or as CSV/xlsx (format), as its page downloads it',
      access: ['admin'],
      params: fiscalYearPath,
      query: formats,
      response: z.object({ items: z.array(implementationItem) }),
      formats: true,
    },
    async (c, { params, query }) => {
      const fy = reportYearOf(params.fy);
      if (fy === null) return apiError(c, 404, 'not_found', c.get('t')('error.notFound'));
      const rows = await implementationTable(c.get('ctx'), fy);
      if (wantsFile(query)) return sendTable(c, query.format, `implementation-${fy}`, `${formatFiscalYear(fy, 'ja', 'wareki')}実施状況`, implColumns(c.get('t')), rows);
      return c.json({ items: rows.map((r) => ({ ...r, startsAt: r.startsAt.toISOString() })) });
    },
  );
  op(
    {
      method: 'GET',
      path: '/api/v1/reports/coverage',
      summary: 'Coverage by 部局・課 and 市町: staff, staff trained, coordinators, field trainings hosted, and where to recruit next (recruit=true: only those); or as CSV/xlsx (format)',
      access: ['admin'],
      query: formats.extend({ recruit: z.enum(['true', 'false'], { message: 'error.choice' }).optional().describe('true: only the units to recruit from next (the nominations download)') }),
      response: z.object({ items: z.array(coverageItem) }),
      formats: true,
    },
    async (c, { query }) => {
      const all = await coverage(c.get('ctx'));
      const rows = query.recruit === 'true' ? all.filter((x) => x.reasons.length) : all;
      if (wantsFile(query)) {
        const [name, sheet] = query.recruit === 'true' ? ['nominations', '推薦を働きかける所属'] : ['coverage', '研修の広がり'];
        return sendTable(c, query.format, name, sheet, covColumns(c.get('t')), rows);
      }
      return c.json({ items: rows });
    },
  );
}
