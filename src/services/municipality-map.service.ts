import { z } from 'zod';
import { fiscalYearBounds, fiscalYearRange, tokyoDateOf } from '../domain/calendar.js';
import { classBreaks, GRID_MAX, type MapClass, type TilePosition, tileProblems } from '../domain/tile-map.js';
import { municipalityMapRepository, type TileRow } from '../db/repositories/municipality-map.repository.js';
import type { MessageKey } from '../i18n/index.js';
import { type FieldErrors, intField, lgCodeField, requiredText, validate } from '../lib/validation.js';
import { audit } from './audit.service.js';
import { type Actor, type AppContext, invalid } from './context.js';
import type { MapIndicator } from '../domain/values.js';

export interface MapTile extends TilePosition {
  /** The 市町 in the organisation directory with this code; null when there is none. */
  unitId: number | null;
  /** null when the tile's 市町 is not in the directory (nothing to count). */
  value: number | null;
}

export interface MunicipalityMap {
  fiscalYear: number;
  indicator: MapIndicator;
  tiles: MapTile[];
  classes: MapClass[];
  /** 市町 of the directory that have no square (add them on the positions page). */
  unplaced: { unitId: number; code: string; name: string; value: number }[];
}

/** The squares, in reading order (top to bottom, left to right). */
export function listTiles(ctx: AppContext): Promise<TileRow[]> {
  return municipalityMapRepository.tiles(ctx.db);
}

/**
 * Each 市町's figure for the year:
 * - participants: its staff who took part in a session held in the three fiscal years up to this one;
 * - fieldTrainings / hostPartners: field trainings held in the year at partners serving it, and those partners;
 * - coordinators: its staff whose coordinator certification stands at the end of the year (today, for the current year);
 * - consultationsServed: consultations filed in the year by it or for it that a coordinator took on or closed with an outcome.
 */
async function countsOf(ctx: AppContext, fy: number, indicator: MapIndicator): Promise<Map<number, number>> {
  const now = ctx.now();
  const { startUtc, endUtcExclusive } = fiscalYearBounds(fy);
  const repo = municipalityMapRepository;
  switch (indicator) {
    case 'participants':
      return repo.participants(ctx.db, fiscalYearBounds(fy - 2).startUtc, endUtcExclusive, now);
    case 'fieldTrainings':
      return (await repo.fieldTrainings(ctx.db, startUtc, endUtcExclusive, now)).sessions;
    case 'hostPartners':
      return (await repo.fieldTrainings(ctx.db, startUtc, endUtcExclusive, now)).partners;
    case 'coordinators': {
      const asOf = now.getTime() < endUtcExclusive.getTime() ? tokyoDateOf(now) : fiscalYearRange(fy).end;
      return repo.activeCoordinators(ctx.db, asOf, new Date(`${asOf}T23:59:59.999+09:00`));
    }
    case 'consultationsServed':
      return repo.consultationsServed(ctx.db, startUtc, endUtcExclusive);
  }
}

export async function municipalityMap(ctx: AppContext, fiscalYear: number, indicator: MapIndicator): Promise<MunicipalityMap> {
  const [tiles, municipalities, counts] = await Promise.all([
    municipalityMapRepository.tiles(ctx.db),
    municipalityMapRepository.municipalities(ctx.db),
    countsOf(ctx, fiscalYear, indicator),
  ]);
  const byCode = new Map(municipalities.map((m) => [m.code, m]));
  const mapTiles = tiles.map((t): MapTile => {
    const m = byCode.get(t.code);
    return { ...t, unitId: m?.id ?? null, value: m ? (counts.get(m.id) ?? 0) : null };
  });
  const placed = new Set(tiles.map((t) => t.code));
  const unplaced = municipalities.filter((m) => !placed.has(m.code)).map((m) => ({ unitId: m.id, code: m.code, name: m.name, value: counts.get(m.id) ?? 0 }));
  return { fiscalYear, indicator, tiles: mapTiles, classes: classBreaks(mapTiles.map((t) => t.value)), unplaced };
}

const tileSchema = z.object({
  code: lgCodeField().refine((v) => v !== undefined, { message: 'error.required' }),
  name: requiredText(50),
  x: intField(0, GRID_MAX),
  y: intField(0, GRID_MAX),
});

const PROBLEM_KEYS: Record<'duplicateCode' | 'positionTaken', MessageKey> = {
  duplicateCode: 'map.error.duplicateCode',
  positionTaken: 'map.error.positionTaken',
};

/**
 * Saves the whole set of squares from the positions form: rows `code_<i>`, `name_<i>`, `x_<i>`,
 * `y_<i>` and `remove_<i>`; a row left wholly blank (the form's empty row for a new 市町) is
 * ignored. Every problem is named by its row's field (`x_3`); nothing is saved unless all are right.
 */
export async function saveTiles(ctx: AppContext, actor: Actor, form: Record<string, unknown>): Promise<TileRow[]> {
  const indices = [...new Set(Object.keys(form).flatMap((k) => /^(?:code|name|x|y)_(\d{1,3})$/.exec(k)?.[1] ?? []))].map(Number).sort((a, b) => a - b);
  const text = (k: string) => (typeof form[k] === 'string' ? (form[k] as string) : '');
  const errors: FieldErrors = {};
  const rows: { index: number; tile: TileRow }[] = [];
  for (const i of indices) {
    if (form[`remove_${i}`] === 'on') continue;
    const raw = { code: text(`code_${i}`), name: text(`name_${i}`), x: text(`x_${i}`), y: text(`y_${i}`) };
    if (Object.values(raw).every((v) => v.trim() === '')) continue;
    const v = validate(tileSchema, raw);
    if (!v.ok) {
      for (const [f, e] of Object.entries(v.errors)) errors[`${f}_${i}`] = e;
      continue;
    }
    rows.push({ index: i, tile: { code: v.data.code!, name: v.data.name, x: v.data.x, y: v.data.y } });
  }
  for (const p of tileProblems(rows.map((r) => r.tile))) {
    const key = `${p.field}_${rows[p.index].index}`;
    errors[key] ??= { key: PROBLEM_KEYS[p.problem] };
  }
  if (Object.keys(errors).length) throw invalid(errors);
  const tiles = rows.map((r) => r.tile);
  return ctx.db.transaction().execute(async (trx) => {
    const before = await municipalityMapRepository.tiles(trx);
    await municipalityMapRepository.replaceTiles(trx, tiles, ctx.now());
    const after = await municipalityMapRepository.tiles(trx);
    // Only the squares that changed, each as its name and position: 高島市（0, 1） → 高島市（0, 0）.
    const key = (t: TileRow) => `${t.code}|${t.name}|${t.x}|${t.y}`;
    const words = (t: TileRow) => `${t.name}（${t.x}, ${t.y}）`;
    const gone = before.filter((b) => !after.some((a) => key(a) === key(b))).map(words);
    const come = after.filter((a) => !before.some((b) => key(b) === key(a))).map(words);
    await audit(trx, ctx, actor, 'update', 'municipality_tiles', null, { tiles: gone }, { tiles: come });
    return after;
  });
}
