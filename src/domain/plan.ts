/** The plan's conventions: measure labels, the years a sheet shows. Pure. */

const IROHA = 'アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワ';

/** ア, イ, ウ … for the measures of an item, in order (then ア2, イ2 … past the 44th). */
export function measureLabel(index: number): string {
  const n = IROHA.length;
  return `${IROHA[index % n]}${index >= n ? Math.floor(index / n) + 1 : ''}`;
}

/** The years a plan-item sheet shows: the plan period, then each later year up to the current one. */
export function sheetYears(first: number, last: number, current: number): number[] {
  const end = Math.max(last, Math.min(current, first + 30));
  return Array.from({ length: end - first + 1 }, (_, i) => first + i);
}
