import { fieldMessage } from '../../i18n/index.js';
import { ServiceError } from '../../services/context.js';
import { listTiles, saveTiles } from '../../services/municipality-map.service.js';
import { apiError } from '../api-errors.js';
import type { ApiOp } from '../api.js';
import { tilesBody, tilesOut } from './schema.js';

const COLUMN = { code: 'map.col.code', name: 'map.col.name', x: 'map.col.x', y: 'map.col.y' } as const;

const tilesJson = (rows: Awaited<ReturnType<typeof listTiles>>) => ({ tiles: rows.map((x) => ({ code: x.code, name: x.name, x: x.x, y: x.y })) });

/** The squares of the 市町 tile map (admins), as the positions page keeps them. */
export function registerMapPositionsApi(op: ApiOp) {
  op({ method: 'GET', path: '/api/v1/reports/map/positions', summary: 'The squares of the 市町 tile map', access: ['admin'], response: tilesOut }, async (c) => c.json(tilesJson(await listTiles(c.get('ctx')))));
  op(
    {
      method: 'PUT',
      path: '/api/v1/reports/map/positions',
      summary: 'Replace the squares of the 市町 tile map: every square, each with its 団体コード, name and position; one left out is removed. A problem is named by its square (tiles.2.x); nothing is saved unless all are right.',
      access: ['admin'],
      body: tilesBody,
      labels: { tiles: 'map.positions.title' },
      response: tilesOut,
    },
    async (c, { body }) => {
      const t = c.get('t');
      // The same service as the page's form: rows code_<i>, name_<i>, x_<i>, y_<i>.
      const form = Object.fromEntries(body.tiles.flatMap((x, i) => [[`code_${i}`, x.code], [`name_${i}`, x.name], [`x_${i}`, String(x.x)], [`y_${i}`, String(x.y)]]));
      try {
        return c.json(tilesJson(await saveTiles(c.get('ctx'), c.get('user'), form)));
      } catch (e) {
        if (!(e instanceof ServiceError) || e.status !== 422) throw e;
        // x_3 → tiles.3.x, worded 「4件目の列（左から）」.
        const fields = Object.fromEntries(
          Object.entries(e.fields).map(([k, err]) => {
            const m = /^(code|name|x|y)_(\d+)$/.exec(k);
            if (!m) return [k, fieldMessage(t, k, err.key, err.params)];
            const label = t('map.api.tileField', { n: Number(m[2]) + 1, column: t(COLUMN[m[1] as keyof typeof COLUMN]) });
            return [`tiles.${m[2]}.${m[1]}`, t(err.key, { ...err.params, field: label })];
          }),
        );
        return apiError(c, 422, 'validation', t('form.errorSummary', { count: Object.keys(fields).length }), fields);
      }
    },
  );
}
