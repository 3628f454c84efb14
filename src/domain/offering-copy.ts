/**
 * Copying an offering into another fiscal year (issue 16 §2.1): each session goes to the same weekday
 * in the target year, near the same calendar date, and never onto a weekend or a national holiday
 * (祝日): such a session moves to the next working day (or, at the very end of the fiscal year, the
 * working day before), and the move is reported. Pure: no clock, no I/O.
 */
import { dayCheck, fiscalYearRange, type IsoDate, nextDate, tokyoDateOf } from './calendar.js';

const DAY_MS = 86_400_000;

function dayNumber(date: IsoDate): number {
  const [y, m, d] = date.split('-').map(Number);
  return Date.UTC(y, m - 1, d) / DAY_MS;
}
function fromDayNumber(n: number): IsoDate {
  return new Date(n * DAY_MS).toISOString().slice(0, 10);
}
export function addDays(date: IsoDate, days: number): IsoDate {
  return fromDayNumber(dayNumber(date) + days);
}

/** The same month and day `years` later (29 February becomes 28 February in a common year). */
export function sameDateInYear(date: IsoDate, years: number): IsoDate {
  const [y, m, d] = date.split('-').map(Number);
  const ty = y + years;
  const last = new Date(Date.UTC(ty, m, 0)).getUTCDate();
  return `${ty}-${String(m).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

/**
 * The same weekday as `date`, nearest to its calendar date in the fiscal year `toFy` (the date
 * counted from its own fiscal year `fromFy`), kept inside the target fiscal year.
 */
export function sameWeekdayIn(date: IsoDate, fromFy: number, toFy: number): IsoDate {
  const target = sameDateInYear(date, toFy - fromFy);
  const diff = dayNumber(target) - dayNumber(date);
  let out = addDays(date, Math.round(diff / 7) * 7);
  const { start, end } = fiscalYearRange(toFy);
  while (out < start) out = addDays(out, 7);
  while (out > end) out = addDays(out, -7);
  return out;
}

/** Why a day cannot take a session: a holiday (with its name) or a weekend; null for a working day. */
export function dayOff(date: IsoDate, lang: 'ja' | 'en' = 'ja'): { kind: 'weekend' | 'holiday'; name?: string } | null {
  const c = dayCheck(date, lang);
  if (c.holiday) return { kind: 'holiday', name: c.holiday };
  if (c.weekend) return { kind: 'weekend' };
  return null;
}

/** Whether every day of a span of `days` days from `date` is a working day. */
function spanIsWorking(date: IsoDate, days: number): boolean {
  for (let i = 0, d = date; i < days; i++, d = nextDate(d)) if (dayOff(d)) return false;
  return true;
}

export interface SessionToCopy {
  id: number;
  startsAt: Date;
  endsAt: Date;
}

export interface SessionCopyPlan {
  id: number;
  startsAt: Date;
  endsAt: Date;
  /** The Tokyo date of the source session, of its same-weekday placement, and of the copy. */
  from: IsoDate;
  sameWeekday: IsoDate;
  to: IsoDate;
  /** Set when the same-weekday date was a weekend or a holiday and the copy moved to `to`. */
  moved: { kind: 'weekend' | 'holiday'; name?: string } | null;
}

/**
 * Where each session of an offering of fiscal year `fromFy` goes in fiscal year `toFy`. Times of day
 * and lengths are kept (Tokyo has no daylight saving time, so moving by whole days keeps the clock).
 */
export function planSessionCopy(sessions: readonly SessionToCopy[], fromFy: number, toFy: number, lang: 'ja' | 'en' = 'ja'): SessionCopyPlan[] {
  const { start, end } = fiscalYearRange(toFy);
  return sessions.map((s) => {
    const from = tokyoDateOf(s.startsAt);
    const lastDay = tokyoDateOf(new Date(Math.max(s.startsAt.getTime(), s.endsAt.getTime() - 1)));
    const span = dayNumber(lastDay) - dayNumber(from) + 1;
    const sameWeekday = sameWeekdayIn(from, fromFy, toFy);
    let to = sameWeekday;
    let moved: SessionCopyPlan['moved'] = null;
    if (!spanIsWorking(to, span)) {
      const firstOff = Array.from({ length: span }, (_, i) => addDays(sameWeekday, i))
        .map((d) => dayOff(d, lang))
        .find(Boolean);
      moved = firstOff ?? null;
      let found: IsoDate | null = null;
      for (let d = nextDate(to); addDays(d, span - 1) <= end; d = nextDate(d))
        if (spanIsWorking(d, span)) {
          found = d;
          break;
        }
      if (!found)
        for (let d = addDays(to, -1); d >= start; d = addDays(d, -1))
          if (spanIsWorking(d, span)) {
            found = d;
            break;
          }
      to = found ?? to;
    }
    const shift = (dayNumber(to) - dayNumber(from)) * DAY_MS;
    return { id: s.id, startsAt: new Date(s.startsAt.getTime() + shift), endsAt: new Date(s.endsAt.getTime() + shift), from, sameWeekday, to, moved };
  });
}

/** An instant moved by whole years on the Tokyo calendar, keeping the time of day (for application windows). */
export function shiftInstantByYears(instant: Date, years: number): Date {
  const from = tokyoDateOf(instant);
  const to = sameDateInYear(from, years);
  return new Date(instant.getTime() + (dayNumber(to) - dayNumber(from)) * DAY_MS);
}

/** A completion rule's required sessions, renamed to the copies' ids (sessions not copied are dropped). */
export function remapSessionIds(ids: readonly number[] | undefined, map: ReadonlyMap<number, number>): number[] | undefined {
  if (!ids) return undefined;
  return ids.flatMap((id) => (map.has(id) ? [map.get(id)!] : []));
}
