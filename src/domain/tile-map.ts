/**
 * The 市町 tile map (タイルマップ, issue 21 §3): one square per 市町 on a grid, coloured by a count.
 * Pure rules: the classes a value falls in (each with words for its range, so the legend reads
 * without colour) and the checks on a set of positions.
 */

export interface TilePosition {
  code: string;
  name: string;
  x: number;
  y: number;
}

export interface MapClass {
  /** 0 for the class of zero, then 1, 2, 3 from light to dark. */
  index: number;
  min: number;
  max: number;
  /** The range in figures: 「0」, 「1〜2」, 「3」. */
  range: string;
  /** Fill and the text colour that reads on it (contrast ≥ 4.5:1, JIS X 8341-3 AA). */
  fill: string;
  text: string;
}

/** Light to dark; the darkest takes white text. 0 is white with a grey border. */
export const CLASS_COLOURS: readonly { fill: string; text: string }[] = [
  { fill: '#ffffff', text: '#1a1a1a' },
  { fill: '#d9e6ff', text: '#1a1a1a' },
  { fill: '#7096f8', text: '#1a1a1a' },
  { fill: '#0031d8', text: '#ffffff' },
];

/**
 * Classes for whole-number counts: 0 on its own, then the positive values up to the largest split
 * into at most three ranges of equal width (whole numbers, none empty of possible values).
 */
export function classBreaks(values: readonly (number | null)[]): MapClass[] {
  const max = Math.max(0, ...values.filter((v): v is number => v !== null && Number.isFinite(v)).map((v) => Math.ceil(v)));
  const out: MapClass[] = [{ index: 0, min: 0, max: 0, range: '0', ...CLASS_COLOURS[0] }];
  if (max === 0) return out;
  const step = Math.ceil(max / 3);
  for (let lo = 1; lo <= max; lo += step) {
    const hi = Math.min(max, lo + step - 1);
    // With fewer than three ranges, use the darker colours so the largest is always the darkest.
    out.push({ index: 0, min: lo, max: hi, range: lo === hi ? String(lo) : `${lo}〜${hi}`, fill: '', text: '' });
  }
  const positives = out.length - 1;
  for (let i = 1; i <= positives; i++) {
    const shade = 3 - (positives - i);
    Object.assign(out[i], { index: shade, ...CLASS_COLOURS[shade] });
  }
  return out;
}

/** The class a value falls in (null: no figure, e.g. a tile with no 市町 in the directory). */
export function classOf(classes: readonly MapClass[], value: number | null): MapClass | null {
  if (value === null) return null;
  return classes.find((c) => value >= c.min && value <= c.max) ?? classes[classes.length - 1] ?? null;
}

export const GRID_MAX = 19;

export type TileProblem = { index: number; field: 'code' | 'x' | 'y'; problem: 'duplicateCode' | 'positionTaken' };

/**
 * What is wrong with a set of tiles as a whole: a code used twice, or two squares on one position.
 * The later of the two is named (the first keeps its place).
 */
export function tileProblems(tiles: readonly Pick<TilePosition, 'code' | 'x' | 'y'>[]): TileProblem[] {
  const codes = new Map<string, number>();
  const positions = new Map<string, number>();
  const out: TileProblem[] = [];
  tiles.forEach((t, index) => {
    if (codes.has(t.code)) out.push({ index, field: 'code', problem: 'duplicateCode' });
    else codes.set(t.code, index);
    const at = `${t.x},${t.y}`;
    if (positions.has(at)) out.push({ index, field: 'x', problem: 'positionTaken' });
    else positions.set(at, index);
  });
  return out;
}

/** Columns and rows the tiles need (at least 1 × 1). */
export function gridSize(tiles: readonly Pick<TilePosition, 'x' | 'y'>[]): { columns: number; rows: number } {
  return { columns: Math.max(1, ...tiles.map((t) => t.x + 1)), rows: Math.max(1, ...tiles.map((t) => t.y + 1)) };
}

/** Relative luminance and contrast ratio (WCAG 2.x), for checking the colours above. */
export function contrastRatio(a: string, b: string): number {
  const lum = (hex: string) => {
    const [r, g, bl] = [1, 3, 5].map((i) => {
      const c = Number.parseInt(hex.slice(i, i + 2), 16) / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p);
  return (x + 0.05) / (y + 0.05);
}
