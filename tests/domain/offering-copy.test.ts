import { describe, expect, it } from 'vitest';
import { tokyoLocalToUtc } from '../../src/domain/calendar.js';
import { planSessionCopy, remapSessionIds, sameDateInYear, sameWeekdayIn, shiftInstantByYears } from '../../src/domain/offering-copy.js';

describe('same weekday in another fiscal year', () => {
  it.each([
    // date, from FY, to FY, expected (same weekday, nearest the same calendar date, inside the target year)
    ['2026-06-10', 2026, 2027, '2027-06-09'], // Wed → Wed
    ['2026-11-24', 2026, 2027, '2027-11-23'], // Tue → Tue (a holiday: planSessionCopy moves it)
    ['2026-04-01', 2026, 2027, '2027-04-07'], // Wed: 2027-03-31 would be FY2026, so a week later
    ['2028-02-29', 2027, 2028, '2029-02-27'], // leap day: Tue → Tue
    ['2026-06-10', 2026, 2024, '2024-06-12'], // backwards: Wed → Wed
    ['2026-06-10', 2026, 2029, '2029-06-13'], // three years on
  ])('%s (FY%i) → FY%i: %s', (date, from, to, expected) => {
    const out = sameWeekdayIn(date, from, to);
    expect(out).toBe(expected);
    expect(new Date(`${out}T00:00:00Z`).getUTCDay()).toBe(new Date(`${date}T00:00:00Z`).getUTCDay());
  });

  it.each([
    ['2028-02-29', 1, '2029-02-28'],
    ['2026-11-24', 1, '2027-11-24'],
    ['2027-01-31', -1, '2026-01-31'],
  ])('same calendar date: %s + %i year(s) = %s', (d, y, out) => {
    expect(sameDateInYear(d, y)).toBe(out);
  });
});

const at = (date: string, time: string) => tokyoLocalToUtc(date, time);

describe('sessions copied into FY2027: never on a weekend or a 祝日, and the move is said', () => {
  it.each([
    { name: 'a plain Wednesday stays on Wednesday', start: ['2026-06-10', '10:00'], end: ['2026-06-10', '16:30'], from: 2026, to: 2027, date: '2027-06-09', moved: null },
    { name: 'Tuesday → 勤労感謝の日: next working day', start: ['2026-11-24', '13:30'], end: ['2026-11-24', '17:00'], from: 2026, to: 2027, date: '2027-11-24', moved: { kind: 'holiday', name: '勤労感謝の日' } },
    { name: 'Wednesday → こどもの日: Thursday', start: ['2026-05-06', '09:30'], end: ['2026-05-06', '12:00'], from: 2026, to: 2027, date: '2027-05-06', moved: { kind: 'holiday', name: 'こどもの日' } },
    { name: 'a Saturday field training → Monday', start: ['2026-09-05', '09:00'], end: ['2026-09-05', '15:00'], from: 2026, to: 2027, date: '2027-09-06', moved: { kind: 'weekend' } },
    { name: 'two days whose second is 秋分の日: the first two working days in a row after', start: ['2026-09-23', '10:00'], end: ['2026-09-24', '16:00'], from: 2026, to: 2027, date: '2027-09-27', moved: { kind: 'holiday', name: '秋分の日' } },
    { name: 'the last Saturday of the year: the working day before (nothing after in the year)', start: ['2029-03-31', '10:00'], end: ['2029-03-31', '12:00'], from: 2028, to: 2029, date: '2030-03-29', moved: { kind: 'weekend' } },
  ])('$name', ({ start, end, from, to, date, moved }) => {
    const [p] = planSessionCopy([{ id: 1, startsAt: at(start[0], start[1]), endsAt: at(end[0], end[1]) }], from, to);
    expect(p.to).toBe(date);
    expect(p.moved).toEqual(moved);
    // The time of day and the length are kept.
    expect(p.startsAt.getTime()).toBe(at(date, start[1]).getTime());
    expect(p.endsAt.getTime() - p.startsAt.getTime()).toBe(at(end[0], end[1]).getTime() - at(start[0], start[1]).getTime());
    expect(p.to >= `${to}-04-01` && p.to <= `${to + 1}-03-31`).toBe(true);
  });

  it('English names the holiday in English', () => {
    const [p] = planSessionCopy([{ id: 1, startsAt: at('2026-11-24', '13:30'), endsAt: at('2026-11-24', '17:00') }], 2026, 2027, 'en');
    expect(p.moved).toEqual({ kind: 'holiday', name: 'Labor Thanksgiving Day' });
  });
});

describe('other dates of the copy', () => {
  it('application windows move by whole years, keeping the time', () => {
    expect(shiftInstantByYears(at('2026-10-01', '09:00'), 1).getTime()).toBe(at('2027-10-01', '09:00').getTime());
    expect(shiftInstantByYears(at('2028-02-29', '17:00'), 1).getTime()).toBe(at('2029-02-28', '17:00').getTime());
  });
  it('required sessions are renamed to the copies', () => {
    expect(remapSessionIds([3, 5], new Map([[3, 13], [5, 15]]))).toEqual([13, 15]);
    expect(remapSessionIds([3, 9], new Map([[3, 13]]))).toEqual([13]);
    expect(remapSessionIds(undefined, new Map())).toBeUndefined();
  });
});
