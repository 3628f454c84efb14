import { z } from 'zod';
import { MAP_INDICATORS } from '../../domain/values.js';
import { municipalityMap } from '../../services/municipality-map.service.js';
import { apiError } from '../api-errors.js';
import { type ApiOp, formatQuery, query, wantsFile } from '../api.js';
import { sendTable } from '../export.js';
import { fiscalYearPath, reportYearOf } from '../report/schema.js';
import { exportColumns, exportRows } from './presenter.js';

const tileOut = z.object({
  code: z.string().describe('全国地方公共団体コード'),
  name: z.string(),
  x: z.number().int(),
  y: z.number().int(),
  unitId: z.number().int().nullable().describe('the 市町 in the organisation directory, or null'),
  value: z.number().nullable().describe('the figure; null when the 市町 is not in the directory'),
});

const mapOut = z.object({
  fiscalYear: z.number().int(),
  indicator: z.enum(MAP_INDICATORS),
  tiles: z.array(tileOut).describe('by 団体コード'),
  unplaced: z.array(z.object({ unitId: z.number().int(), code: z.string(), name: z.string(), value: z.number() })).describe('市町 of the directory without a square'),
});

/** The 市町 tile map's figures (GET only; the positions are edited on their page). */
export function registerMunicipalityMapApi(op: ApiOp) {
  op(
    {
      method: 'GET',
      path: '/api/v1/reports/fiscal-years/:fy/map',
      summary: 'The figure of each 市町 on the tile map for a fiscal year (indicator: participants by default); or as CSV/xlsx (format), as the map page downloads it',
      access: ['admin'],
      params: fiscalYearPath,
      query: z.object({ indicator: query.oneOf(MAP_INDICATORS, 'what to count (participants by default)'), ...formatQuery() }),
      response: mapOut,
      formats: true,
    },
    async (c, { params, query: q }) => {
      const fy = reportYearOf(params.fy);
      if (fy === null) return apiError(c, 404, 'not_found', c.get('t')('error.notFound'));
      const m = await municipalityMap(c.get('ctx'), fy, q.indicator ?? 'participants');
      if (wantsFile(q)) return sendTable(c, q.format, `municipality-map-${m.indicator}-${m.fiscalYear}`, c.get('t')('map.title'), exportColumns(c.get('t'), m), exportRows(m));
      return c.json({
        fiscalYear: m.fiscalYear,
        indicator: m.indicator,
        tiles: exportRows(m).map((x) => ({ code: x.code, name: x.name, x: x.x, y: x.y, unitId: x.unitId, value: x.value })),
        unplaced: m.unplaced,
      });
    },
  );
}
