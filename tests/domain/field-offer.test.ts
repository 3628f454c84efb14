import { describe, expect, it } from 'vitest';
import { offerFiscalYears, offeringChoiceLabel, offeringRefusal, upcomingStarts } from '../../src/domain/field-offer.js';

const now = new Date('2026-11-30T09:00:00+09:00');

describe('which fiscal years an offer can be scheduled in', () => {
  it.each([
    ['one date this year', ['2027-02-18T04:30:00.000Z'], [2026]],
    ['a date next fiscal year (1 April, Tokyo)', ['2027-03-31T15:00:00.000Z'], [2027]],
    ['the last evening of this fiscal year', ['2027-03-31T14:59:00.000Z'], [2026]],
    ['dates in two years, in order', ['2027-05-10T04:00:00.000Z', '2027-01-20T04:30:00.000Z', '2027-02-01T04:30:00.000Z'], [2026, 2027]],
    ['a date already past counts for nothing', ['2026-11-01T04:00:00.000Z'], []],
    ['a 2011 date never offers the 平成23年度 course', ['2011-06-01T04:00:00.000Z', '2027-01-20T04:30:00.000Z'], [2026]],
  ])('%s', (_name, starts, years) => {
    expect(offerFiscalYears(starts, now)).toEqual(years);
  });

  it('keeps only the candidate dates still ahead', () => {
    expect(upcomingStarts(['2026-11-30T00:00:00.000Z', '2026-11-30T00:00:01.000Z', '2027-01-01T00:00:00.000Z'], now)).toEqual(['2026-11-30T00:00:01.000Z', '2027-01-01T00:00:00.000Z']);
  });
});

describe('an offering may receive the session only if its year contains the date and it is not finished or cancelled', () => {
  const start = new Date('2027-02-18T13:30:00+09:00');
  it.each([
    ['this year, open', { fiscal_year: 2026, cancelled_at: null }, start, null],
    ['the 平成23年度 course (2011)', { fiscal_year: 2011, cancelled_at: null }, start, 'finished'],
    ['last year (finished)', { fiscal_year: 2025, cancelled_at: null }, start, 'finished'],
    ['next year, but the date is this year', { fiscal_year: 2027, cancelled_at: null }, start, 'year'],
    ['next year, date in next year', { fiscal_year: 2027, cancelled_at: null }, new Date('2027-04-10T10:00:00+09:00'), null],
    ['cancelled (中止)', { fiscal_year: 2026, cancelled_at: new Date('2026-10-01T00:00:00Z') }, start, 'cancelled'],
  ])('%s', (_name, offering, at, refusal) => {
    expect(offeringRefusal(offering, at, now)).toBe(refusal);
  });
});

describe('an offering is named with its fiscal year exactly once', () => {
  it.each([
    ['協働コーディネーター養成講座（平成23年度）', 2011, 'ja', '協働コーディネーター養成講座（平成23年度）'],
    ['協働推進セミナー（令和8年度）', 2026, 'ja', '協働推進セミナー（令和8年度）'],
    ['協働推進セミナー（令和８年度）', 2026, 'ja', '協働推進セミナー（令和８年度）'],
    ['協働推進セミナー 第3回', 2026, 'ja', '協働推進セミナー 第3回（令和8年度）'],
    ['協働推進セミナー（令和元年度）', 2019, 'ja', '協働推進セミナー（令和元年度）'],
    ['2026年度 協働推進セミナー', 2026, 'ja', '2026年度 協働推進セミナー'],
    ['協働推進セミナー（令和8年度）', 2026, 'en', '協働推進セミナー（令和8年度）'],
    ['協働推進セミナー 第3回', 2026, 'en', '協働推進セミナー 第3回 (FY2026)'],
  ] as const)('%s (FY%i, %s)', (title, fy, lang, label) => {
    const l = offeringChoiceLabel(title, fy, lang);
    expect(l).toBe(label);
  });
});
