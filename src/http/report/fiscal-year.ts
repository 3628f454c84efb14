import { fiscalYearOf, formatFiscalYear } from '../../domain/calendar.js';
import type { Lang } from '../../i18n/index.js';
import { toId } from '../forms.js';
import type { Ctx } from '../router.js';

/**
 * The fiscal year of a report page's ?fy=. Out of 1950–2100 (e.g. ?fy=1), the current year: there is
 * no wareki to print for year 1.
 */
export function askedFiscalYear(c: Ctx): number {
  const asked = toId(c.req.query('fy'));
  return asked >= 1950 && asked <= 2100 ? asked : fiscalYearOf(c.get('ctx').now());
}

/** The years of records, and the one asked for (which may lie outside them). */
export function yearsWith(years: readonly number[], fy: number): number[] {
  return years.includes(fy) ? [...years] : [...years, fy].sort((a, b) => a - b);
}

/**
 * Axis labels on two short lines (平成23 / 2011; FY2011 / H23): ten or twenty years stay readable.
 * `wareki`: the years' `formatFiscalYear(y, lang, 'wareki')`, when the caller has them already.
 */
export function axisLines(years: readonly number[], lang: Lang, wareki?: readonly string[]): string[][] {
  return years.map((y, i) => (lang === 'ja' ? [(wareki?.[i] ?? formatFiscalYear(y, lang, 'wareki')).replace(/年度$/, ''), String(y)] : [String(y), formatFiscalYear(y, 'en', 'short')]));
}
