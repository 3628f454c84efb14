import { z } from 'zod';
import { GRID_MAX } from '../../domain/tile-map.js';

/** One square of the 市町 tile map: the service checks each (団体コード, name, position) as the page's rows. */
const tile = z.object({
  code: z.string().max(10).describe('the 市町’s 全国地方公共団体コード (6 digits with its check digit, or 5)'),
  name: z.string().max(50).describe('the name on the square, e.g. 大津市'),
  x: z.number().int().describe(`column from the left, 0–${GRID_MAX}`),
  y: z.number().int().describe(`row from the top, 0–${GRID_MAX}`),
});

/** The whole set of squares: one left out is removed, as a row marked 削除する on the page. */
export const tilesBody = z.object({ tiles: z.array(tile).max(500).describe('every square of the map; nothing is saved unless all are right') });
export const tilesOut = z.object({ tiles: z.array(z.object({ code: z.string(), name: z.string(), x: z.number().int(), y: z.number().int() })).describe('in reading order (top to bottom, left to right)') });
