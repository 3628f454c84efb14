import { describe, expect, it } from 'vitest';
import { compareKana, isKana, searchKey, sortByKana, toHiragana, toKatakana } from '../../src/domain/kana.js';

describe('kana', () => {
  it.each([
    ['カタカナ', 'かたかな'],
    ['ｶﾀｶﾅ', 'かたかな'],
    ['ヴァイオリン', 'ゔぁいおりん'],
    ['サトウ ハナコ', 'さとう はなこ'],
  ])('toHiragana(%s) = %s', (a, b) => expect(toHiragana(a)).toBe(b));

  it.each([
    ['たかだ まこと', 'タカダ マコト'],
    ['ﾀｶﾀﾞ', 'タカダ'],
    ['コーヒー', 'コーヒー'],
  ])('toKatakana(%s) = %s', (a, b) => expect(toKatakana(a)).toBe(b));

  it.each([
    ['ワタナベ ケンイチ', true],
    ['わたなべ', true],
    ['ﾜﾀﾅﾍﾞ', true],
    ['コーヒー・ハウス', true],
    ['渡辺', false],
    ['Watanabe', false],
    ['', false],
    ['   ', false],
  ])('isKana(%s) = %s', (s, ok) => expect(isKana(s)).toBe(ok));

  it.each([
    ['髙橋 花子', '髙橋花子'],
    ['山﨑　太郎', '山﨑太郎'],
    ['ＡＢＣ', 'abc'],
    ['タカハシ', 'たかはし'],
    ['ﾀｶﾊｼ', 'たかはし'],
  ])('searchKey(%s) = %s (異体字 kept)', (s, k) => expect(searchKey(s)).toBe(k));

  it('sorts 50音順 by フリガナ with the Japanese collator, stable', () => {
    const people = [
      { n: '渡辺', k: 'ワタナベ' },
      { n: '阿部', k: 'あべ' },
      { n: '伊藤', k: 'イトウ' },
      { n: '上田', k: 'うえだ' },
      { n: '加藤', k: 'カトウ' },
      { n: '後藤', k: 'ゴトウ' },
      { n: '阿部2', k: 'アベ' },
    ];
    expect(sortByKana(people, (p) => p.k).map((p) => p.n)).toEqual(['阿部', '阿部2', '伊藤', '上田', '加藤', '後藤', '渡辺']);
    expect(compareKana('カ', 'ガ')).toBeLessThan(0);
  });
});
