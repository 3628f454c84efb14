import { fiscalYearOf, formatFiscalYear, type Lang } from './calendar.js';

/**
 * Field-training offers (現地研修の受入れの申出): which offerings an offer may be scheduled into.
 * Pure rules: callers pass "now".
 */

/** The offer's candidate dates that have not yet passed, in their given order. */
export function upcomingStarts(candidateStarts: readonly string[], now: Date): string[] {
  return candidateStarts.filter((s) => new Date(s).getTime() > now.getTime());
}

/**
 * The fiscal years an offer can be scheduled in: those of its candidate dates still ahead, in order.
 * A fiscal year that has ended is never among them (its offerings are finished).
 */
export function offerFiscalYears(candidateStarts: readonly string[], now: Date): number[] {
  const current = fiscalYearOf(now);
  const years = upcomingStarts(candidateStarts, now).map((s) => fiscalYearOf(new Date(s)));
  return [...new Set(years)].filter((fy) => fy >= current).sort((a, b) => a - b);
}

export type OfferingRefusal = 'cancelled' | 'finished' | 'year';

/**
 * Why an offering cannot receive a session starting at `start`, or null when it can: it must not be
 * cancelled, nor finished (its fiscal year over), and its fiscal year must contain the date.
 */
export function offeringRefusal(offering: { fiscal_year: number; cancelled_at?: Date | null }, start: Date, now: Date): OfferingRefusal | null {
  if (offering.cancelled_at) return 'cancelled';
  if (offering.fiscal_year < fiscalYearOf(now)) return 'finished';
  if (fiscalYearOf(start) !== offering.fiscal_year) return 'year';
  return null;
}

/**
 * An offering's name in a list of choices, with its fiscal year exactly once: titles such as
 * 「協働推進セミナー（令和8年度）」 already carry it.
 */
export function offeringChoiceLabel(title: string, fiscalYear: number, lang: Lang): string {
  const names = [formatFiscalYear(fiscalYear, 'ja', 'wareki'), formatFiscalYear(fiscalYear, 'en', 'wareki'), `${fiscalYear}年度`, `FY${fiscalYear}`, `FY ${fiscalYear}`];
  const normalised = title.normalize('NFKC');
  if (names.some((n) => normalised.includes(n.normalize('NFKC')))) return title;
  return lang === 'en' ? `${title} (FY${fiscalYear})` : `${title}（${formatFiscalYear(fiscalYear, 'ja', 'wareki')}）`;
}
