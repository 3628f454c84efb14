import { describe, expect, it } from 'vitest';
import { checkDigit, isValidLocalGovCode, prefectureCodeOf } from '../../src/domain/local-gov-code.js';

describe('全国地方公共団体コード', () => {
  it.each([
    ['252018', '大津市'],
    ['252026', '彦根市'],
    ['253839', '日野町'],
    ['254436', '多賀町'],
    ['011002', '札幌市'],
    ['130001', '東京都'],
    ['131016', '千代田区'],
  ])('%s (%s) is valid', (code) => {
    expect(isValidLocalGovCode(code)).toBe(true);
    expect(checkDigit(code.slice(0, 5))).toBe(Number(code[5]));
  });

  it.each([['252019'], ['25201'], ['2520188'], ['abcdef'], ['482010'], ['002011'], ['']])('%s is invalid', (code) => {
    expect(isValidLocalGovCode(code)).toBe(false);
  });

  it('names the prefecture', () => expect(prefectureCodeOf('252018')).toBe('25'));
});
