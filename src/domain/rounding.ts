/**
 * One rounding rule for every figure Kyodo shows or exports: round half up (half away from zero),
 * done on decimal digits so that 1.005 rounds to 1.01 and 2/3 to 66.7 %, never truncated.
 * Percentages carry PERCENT_PLACES decimals everywhere: pages, charts, CSV/xlsx and the API.
 */
export const PERCENT_PLACES = 1;

/** `x` rounded half up to `places` decimals. */
export function roundHalfUp(x: number, places = 0): number {
  if (!Number.isFinite(x)) return x;
  const sign = x < 0 ? -1 : 1;
  const shifted = Number(`${Math.abs(x)}e${places}`);
  return sign * Number(`${Math.round(shifted)}e-${places}`);
}

/** part / whole as a percentage rounded half up to PERCENT_PLACES decimals; null when whole is 0. */
export function percent(part: number, whole: number, places = PERCENT_PLACES): number | null {
  if (!(whole > 0)) return null;
  // Integer arithmetic where possible: floor((2·part·10^(p+2) + whole) / (2·whole)) is exact half-up.
  if (Number.isInteger(part) && Number.isInteger(whole) && part >= 0) {
    const scale = 10 ** (places + 2);
    return Math.floor((2 * part * scale + whole) / (2 * whole)) / 10 ** places;
  }
  return roundHalfUp((part * 100) / whole, places);
}

/** A percentage as text with its fixed number of places ("66.7%"), or an em dash when there is none. */
export function formatPercent(value: number | null, places = PERCENT_PLACES): string {
  return value === null ? '—' : `${value.toFixed(places)}%`;
}
