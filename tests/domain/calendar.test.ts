import { describe, expect, it } from 'vitest';
import {
  dayCheck,
  eraOf,
  fiscalYearBounds,
  fiscalYearOf,
  fiscalYearOfDate,
  fiscalYearRange,
  formatFiscalYear,
  formatTokyo,
  formatWareki,
  parseFiscalYear,
  sessionDateWarnings,
  tokyoDateOf,
  tokyoLocalToUtc,
} from '../../src/domain/calendar.js';

describe('fiscal year (1 April – 31 March, judged in Tokyo)', () => {
  it.each([
    ['2026-04-01', 2026],
    ['2026-03-31', 2025],
    ['2027-03-31', 2026],
    ['2019-04-01', 2019],
    ['2011-04-01', 2011],
    ['2000-02-29', 1999],
  ])('%s → FY%i', (date, fy) => {
    expect(fiscalYearOfDate(date)).toBe(fy);
  });

  it.each([
    ['2027-03-31T14:59:59Z', 2026], // 23:59:59 JST on 31 March
    ['2027-03-31T15:00:00Z', 2027], // 00:00 JST on 1 April
    ['2026-03-31T15:00:00Z', 2026],
  ])('instant %s → FY%i', (iso, fy) => {
    expect(fiscalYearOf(new Date(iso))).toBe(fy);
  });

  it('has Tokyo-midnight bounds', () => {
    expect(fiscalYearRange(2026)).toEqual({ start: '2026-04-01', end: '2027-03-31' });
    const b = fiscalYearBounds(2026);
    expect(b.startUtc.toISOString()).toBe('2026-03-31T15:00:00.000Z');
    expect(b.endUtcExclusive.toISOString()).toBe('2027-03-31T15:00:00.000Z');
  });
});

describe('wareki, with 元年 and the era boundaries', () => {
  it.each([
    ['2019-04-30', '平成', 31, '平成31年4月30日'],
    ['2019-05-01', '令和', 1, '令和元年5月1日'],
    ['1989-01-07', '昭和', 64, '昭和64年1月7日'],
    ['1989-01-08', '平成', 1, '平成元年1月8日'],
    ['1926-12-24', '大正', 15, '大正15年12月24日'],
    ['1926-12-25', '昭和', 1, '昭和元年12月25日'],
    ['1912-07-29', '明治', 45, '明治45年7月29日'],
    ['1912-07-30', '大正', 1, '大正元年7月30日'],
    ['2026-11-24', '令和', 8, '令和8年11月24日'],
  ])('%s is %s %i', (date, era, year, text) => {
    expect(eraOf(date).era.name).toBe(era);
    expect(eraOf(date).year).toBe(year);
    expect(formatWareki(date)).toBe(text);
  });

  it.each([
    [1988, '昭和63年度 (1988)', 'S63', 'FY1988 (Showa 63)'],
    [1989, '平成元年度 (1989)', 'H1', 'FY1989 (Heisei 1)'],
    [1999, '平成11年度 (1999)', 'H11', 'FY1999 (Heisei 11)'],
    [2006, '平成18年度 (2006)', 'H18', 'FY2006 (Heisei 18)'],
    [2011, '平成23年度 (2011)', 'H23', 'FY2011 (Heisei 23)'],
    [2014, '平成26年度 (2014)', 'H26', 'FY2014 (Heisei 26)'],
    [2018, '平成30年度 (2018)', 'H30', 'FY2018 (Heisei 30)'],
    [2019, '令和元年度 (2019)', 'R1', 'FY2019 (Reiwa 1)'], // began 平成31年4月1日, named 令和元年度 by convention
    [2020, '令和2年度 (2020)', 'R2', 'FY2020 (Reiwa 2)'],
    [2026, '令和8年度 (2026)', 'R8', 'FY2026 (Reiwa 8)'],
  ])('FY%i → %s', (fy, ja, short, en) => {
    expect(formatFiscalYear(fy)).toBe(ja);
    expect(formatFiscalYear(fy, 'ja', 'short')).toBe(short);
    expect(formatFiscalYear(fy, 'en')).toBe(en);
  });

  it.each([
    ['2026', 2026],
    ['FY2026', 2026],
    ['令和8年度', 2026],
    ['令和８年度', 2026],
    ['令和元年度', 2019],
    ['R8', 2026],
    ['H23', 2011],
    ['平成23年度', 2011],
    ['昭和63年度', 1988],
    ['平成', null],
    ['平成31年度', 2019],
    ['平成32年度', null],
    ['平成99', null],
    ['令和0年度', null],
    ['next year', null],
  ])('parses %s', (text, fy) => {
    expect(parseFiscalYear(text)).toBe(fy);
  });
});

describe('Asia/Tokyo display, whatever the server time zone', () => {
  it.each([
    ['2026-11-24T05:30:00Z', 'ja', 'datetime', '2026年11月24日(火) 14:30'],
    ['2026-11-24T15:30:00Z', 'ja', 'date', '2026年11月25日(水)'],
    ['2026-11-24T05:30:00Z', 'en', 'datetime', '24 Nov 2026 (Tue) 14:30'],
    ['2026-12-31T15:00:00Z', 'ja', 'time', '00:00'],
  ] as const)('%s (%s %s) → %s', (iso, lang, style, text) => {
    expect(formatTokyo(new Date(iso), lang, style)).toBe(text);
  });

  it('converts Tokyo wall-clock time to UTC and back', () => {
    const d = tokyoLocalToUtc('2026-04-01', '09:30');
    expect(d.toISOString()).toBe('2026-04-01T00:30:00.000Z');
    expect(tokyoDateOf(new Date('2026-03-31T15:00:00Z'))).toBe('2026-04-01');
    expect(() => tokyoLocalToUtc('2026-02-30', '09:00')).toThrow(RangeError);
    expect(() => tokyoLocalToUtc('2026-02-01', '25:00')).toThrow(RangeError);
  });
});

describe('weekends and national holidays', () => {
  it.each([
    ['2026-11-03', false, '文化の日'],
    ['2026-11-23', false, '勤労感謝の日'],
    ['2026-11-24', false, null],
    ['2026-11-28', true, null],
    ['2026-11-29', true, null],
    ['2025-05-06', false, '休日'], // 振替休日: 4 May 2025 fell on a Sunday
    ['2019-05-01', false, '休日'], // the accession day, a one-off holiday
    ['2027-01-01', false, '元日'],
  ])('%s: weekend %s, holiday %s', (date, weekend, holiday) => {
    const c = dayCheck(date);
    expect(c.weekend).toBe(weekend);
    if (holiday === '休日') expect(c.holiday).toMatch(/休日|即位/);
    else expect(c.holiday).toBe(holiday);
  });

  it('warns for each weekend or holiday day a session touches', () => {
    const w = sessionDateWarnings(tokyoLocalToUtc('2026-11-21', '10:00'), tokyoLocalToUtc('2026-11-23', '17:00'));
    expect(w).toEqual([
      { date: '2026-11-21', kind: 'weekend' },
      { date: '2026-11-22', kind: 'weekend' },
      { date: '2026-11-23', kind: 'holiday', name: '勤労感謝の日' },
    ]);
    expect(sessionDateWarnings(tokyoLocalToUtc('2026-11-24', '13:00'), tokyoLocalToUtc('2026-11-24', '17:00'))).toEqual([]);
  });
});
