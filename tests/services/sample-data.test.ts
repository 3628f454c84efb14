import { describe, expect, it } from 'vitest';
import { isKana } from '../../src/domain/kana.js';
import { SAMPLE_MUNICIPALITIES } from '../../src/services/sample-data/organisation.js';
import { samplePartnerRows, townStem } from '../../src/services/sample-data/partners.js';

/** Legal forms are not read in a フリガナ (NPO法人 びわ湖… → ビワコ…). */
const LEGAL_FORMS = /^(NPO法人|株式会社|社会福祉法人|一般社団法人|公益財団法人)\s*/;
const towns = SAMPLE_MUNICIPALITIES.map(([name, kana]) => townStem(name, kana));
const rows = samplePartnerRows(SAMPLE_MUNICIPALITIES.map(([name, kana]) => ({ name, kana })));

describe('sample partners: every フリガナ reads the whole name', () => {
  it('there are 40, each with a unique name and a non-empty katakana reading', () => {
    expect(rows).toHaveLength(40);
    expect(new Set(rows.map((r) => r[0])).size).toBe(40);
    for (const [name, kana] of rows) {
      expect(isKana(kana), `${name}: ${kana}`).toBe(true);
      expect(kana, name).toMatch(/^[ァ-ヶー・]+$/);
    }
  });

  it.each(rows.map((r) => [r[0], r[1]]))('%s → %s', (name, kana) => {
    const bare = name.replace(LEGAL_FORMS, '');
    // A name that begins with a 市町 (守山国際交流の会) is read from that 市町 (モリヤマ…).
    const town = towns.find(([stem]) => bare.startsWith(stem));
    if (town) expect(kana.startsWith(town[1]), `${name}: ${kana} should start with ${town[1]}`).toBe(true);
    // The endings are read too.
    if (bare.endsWith('の会')) expect(kana.endsWith('ノカイ') || kana.endsWith('カイ')).toBe(true);
    if (bare.endsWith('クラブ')) expect(kana.endsWith('クラブ')).toBe(true);
  });

  it('reads 守山国際交流の会 as モリヤマコクサイコウリュウノカイ (not コクサイコウリュウノカイ)', () => {
    const moriyama = rows.find((r) => r[0].includes('守山') && r[0].includes('国際交流'));
    expect(moriyama).toBeDefined();
    expect(moriyama![1]).toBe(`モリヤマコクサイコウリュウ${moriyama![0].endsWith('の会') ? 'ノカイ' : moriyama![0].endsWith('クラブ') ? 'クラブ' : ''}`);
  });

  it.each([
    ['守山市', 'モリヤマシ', ['守山', 'モリヤマ']],
    ['日野町', 'ヒノチョウ', ['日野', 'ヒノ']],
    ['東近江市', 'ヒガシオウミシ', ['東近江', 'ヒガシオウミ']],
  ])('the 市町 %s (%s) leaves %j', (name, kana, stem) => {
    expect(townStem(name, kana)).toEqual(stem);
  });
});
