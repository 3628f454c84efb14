import fc from 'fast-check';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { CsvError, decodeCsvBytes, neutraliseFormula, parseCsv, restoreNeutralised, toCsv, UnencodableInShiftJis } from '../../src/lib/csv.js';

const HEADER = ['氏名', 'フリガナ', 'メモ'];
const ROWS = [
  ['髙橋 花子', 'タカハシ ハナコ', '①番，"引用"あり'],
  ['山﨑 太郎', 'ヤマザキ タロウ', '改行\nあり'],
  ['㈱協働', 'カブシキガイシャキョウドウ', ''],
];

describe('CSV', () => {
  it.each(['utf-8', 'shift_jis'] as const)('round-trips Japanese text in %s', (encoding) => {
    const bytes = toCsv(HEADER, ROWS, { encoding });
    const decoded = decodeCsvBytes(bytes);
    expect(decoded.encoding).toBe(encoding === 'utf-8' ? 'utf-8-bom' : 'shift_jis');
    const parsed = parseCsv(decoded.text);
    expect(parsed.header).toEqual(HEADER);
    expect(parsed.rows.map((r) => HEADER.map((h) => r.cells[h]))).toEqual(ROWS);
    expect(parsed.rows.map((r) => r.line)).toEqual([2, 3, 5]); // the quoted line break spans two lines
  });

  it('never turns a character Shift_JIS cannot hold into "?" without a word (issue 17)', () => {
    const rows = [['𠮷田 一郎', 'ヨシダ イチロウ', '🎉と〜']];
    const err = (() => {
      try {
        toCsv(HEADER, rows, { encoding: 'shift_jis' });
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(UnencodableInShiftJis);
    expect((err as UnencodableInShiftJis).found).toEqual([
      { char: '𠮷', row: 2, column: '氏名' },
      { char: '🎉', row: 2, column: 'メモ' },
    ]);
    const text = iconv.decode(Buffer.from(toCsv(HEADER, rows, { encoding: 'shift_jis', unencodable: 'geta' })), 'cp932');
    expect(text).toContain('〓田 一郎');
    expect(text).toContain('〓と～'); // the wave dash is CP932's own ～, not lost
    expect(text).not.toContain('?');
    // UTF-8 keeps everything as it is.
    expect(new TextDecoder().decode(toCsv(HEADER, rows).slice(3))).toContain('𠮷田 一郎,ヨシダ イチロウ,🎉と〜');
  });

  it('writes a BOM and CRLF for Excel', () => {
    const bytes = toCsv(['a'], [['b']]);
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(new TextDecoder().decode(bytes.slice(3))).toBe('a\r\nb\r\n');
  });

  it.each([
    ['UTF-8 with BOM', new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode('氏名\r\n協働')]), 'utf-8-bom'],
    ['UTF-8', new TextEncoder().encode('氏名\r\n協働'), 'utf-8'],
    ['Shift_JIS', new Uint8Array(iconv.encode('氏名\r\n協働', 'cp932')), 'shift_jis'],
  ])('detects %s', (_l, bytes, encoding) => {
    const d = decodeCsvBytes(bytes);
    expect(d.encoding).toBe(encoding);
    expect(parseCsv(d.text).rows[0].cells['氏名']).toBe('協働');
  });

  it.each([
    ['unclosed quote', 'a,b\r\n1,"2\r\n3,4', 'unclosed_quote'],
    ['column count', 'a,b\r\n1,2\r\n3', 'column_count'],
    ['duplicate header', 'a,a\r\n1,2', 'duplicate_header'],
    ['empty', '  \r\n', 'empty'],
    ['huge row', `a\r\n${'x'.repeat(70_000)}`, 'row_too_long'],
  ])('refuses %s with a clear error', (_l, text, code) => {
    try {
      parseCsv(text);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(CsvError);
      expect((e as CsvError).code).toBe(code);
      expect((e as CsvError).messageJa).toMatch(/[ぁ-んァ-ヶ一-龠]/);
    }
  });

  it('names the line of a column-count error', () => {
    expect(() => parseCsv('a,b\r\n1,2\r\n3')).toThrow(expect.objectContaining({ line: 3 }));
  });

  it.each([
    ['=1+1', "'=1+1"],
    ['+SUM(A1)', "'+SUM(A1)"],
    ['-2+3', "'-2+3"],
    ['@cmd', "'@cmd"],
    ['\tx', "'\tx"],
    ['協働', '協働'],
    ['a=b', 'a=b'],
  ])('neutralises formula %j', (input, out) => expect(neutraliseFormula(input)).toBe(out));

  it('property: any cells survive toCsv → decode → parse, formulas neutralised', () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.string({ unit: 'grapheme', maxLength: 20 }), { minLength: 2, maxLength: 2 }), { maxLength: 20 }), (rows) => {
        const bytes = toCsv(['x', 'y'], rows);
        const parsed = parseCsv(decodeCsvBytes(bytes).text);
        const expected = rows.filter((r) => r.some((c) => neutraliseFormula(c).trim() !== '')).map((r) => r.map(neutraliseFormula));
        expect(parsed.rows.map((r) => [r.cells.x, r.cells.y])).toEqual(expected);
      }),
      { numRuns: 200 },
    );
  });
});

/**
 * The guard stays whole (OWASP: every cell starting with = + - @ TAB CR, also a lone 「-」 or 「-1」), and
 * an import takes off exactly the apostrophe it adds, so that our own download imports back unchanged.
 */
describe('the formula guard and its inverse for imports', () => {
  it.each([
    ['-', "'-"],
    ['-1', "'-1"],
    ['ー', 'ー'],
    ['－', '－'],
  ])('still neutralises %j (a lone 「-」 as well)', (input, out) => expect(neutraliseFormula(input)).toBe(out));

  it.each([
    ["'-", '-'],
    ["'-1", '-1'],
    ["'=1+1", '=1+1'],
    ["'+81-77-000", '+81-77-000'],
    ["'@SUM(A1)", '@SUM(A1)'],
    ["'\tx", '\tx'],
    ["'\rx", '\rx'],
    // Anything else keeps its apostrophe: it was not the guard's.
    ["'", "'"],
    ["'abc", "'abc"],
    ["''-", "''-"],
    ["協働'-", "協働'-"],
    ['-', '-'],
    ['', ''],
  ])('restoreNeutralised(%j) is %j', (input, out) => expect(restoreNeutralised(input)).toBe(out));

  it('property: a value written by the guard and read back through CSV is the value (unless it starts with the guard\'s own mark)', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'grapheme', maxLength: 12 }), { minLength: 1, maxLength: 10 }), (cells) => {
        const values = cells.filter((v) => !/^'[=+\-@\t\r]/.test(v) && v.trim() !== '');
        fc.pre(values.length > 0);
        const parsed = parseCsv(decodeCsvBytes(toCsv(['x'], values.map((v) => [v]))).text);
        expect(parsed.rows.map((r) => restoreNeutralised(r.cells.x))).toEqual(values);
      }),
      { numRuns: 200 },
    );
  });
});

describe('CSV line numbers', () => {
  it.each([
    ['plain', 'a\r\n1\r\n2\r\n3', [2, 3, 4]],
    ['empty lines skipped', 'a\r\n1\r\n\r\n2\r\n\r\n\r\n3', [2, 4, 7]],
    ['multi-line cell', 'a\r\n"x\r\ny"\r\n2', [2, 4]],
  ])('%s', (_l, text, lines) => {
    expect(parseCsv(text).rows.map((r) => r.line)).toEqual(lines);
  });
});
