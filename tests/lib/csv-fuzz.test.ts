import fc from 'fast-check';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { CsvError, decodeCsvBytes, parseCsv, toCp932Text, toCsv } from '../../src/lib/csv.js';

/**
 * Whatever bytes arrive as a "CSV file", decoding never throws and parsing either gives rows or a
 * CsvError with a message in Japanese and English (never another kind of error, which would be a 500).
 */
const NAMES = ['髙橋 花子', '山﨑 太郎', '渡辺 健一', '㈱協働', 'ｶﾀｶﾅ', '①②', 'NPO法人 びわ湖', 'Ａｂｃ', '—', ''];
const cell = fc.oneof(
  fc.constantFrom(...NAMES),
  fc.string({ maxLength: 30 }),
  fc.string({ unit: 'grapheme', maxLength: 10 }),
  fc.constantFrom('"', '""', '"a"b', 'a"', '"\r\n"', ',', '\r', '\n', '\u0000', '\ufeff', '=1+1'),
);
const lineBreak = fc.constantFrom('\r\n', '\n', '\r');
const text = fc
  .tuple(fc.array(fc.array(cell, { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 20 }), lineBreak)
  .map(([rows, br]) => rows.map((r) => r.join(',')).join(br));
type Enc = 'utf-8' | 'utf-8-bom' | 'shift_jis';
const encode = (s: string, enc: Enc): Uint8Array =>
  enc === 'shift_jis' ? new Uint8Array(iconv.encode(s, 'cp932')) : enc === 'utf-8-bom' ? new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(s)]) : new TextEncoder().encode(s);

function parseOrCsvError(bytes: Uint8Array) {
  const decoded = decodeCsvBytes(bytes);
  expect(typeof decoded.text).toBe('string');
  try {
    return { ok: true as const, parsed: parseCsv(decoded.text), encoding: decoded.encoding };
  } catch (e) {
    expect(e).toBeInstanceOf(CsvError);
    const err = e as CsvError;
    expect(err.messageJa).toMatch(/[ぁ-んァ-ヶ一-龠]/);
    expect(err.messageEn.length).toBeGreaterThan(5);
    return { ok: false as const, error: err };
  }
}

describe('CSV decoding and parsing, fuzzed', () => {
  it('random bytes: decoded without throwing; parsed or refused with a CsvError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 3000 }), (bytes) => {
        parseOrCsvError(bytes);
      }),
      { numRuns: 400 },
    );
  });

  it('random CSV-like text in UTF-8, UTF-8 with BOM and Shift_JIS: same outcome, rows with line numbers in order', () => {
    fc.assert(
      fc.property(text, fc.constantFrom<Enc>('utf-8', 'utf-8-bom', 'shift_jis'), (s, enc) => {
        // What Shift_JIS cannot hold is not the point here: compare with the text that survives the encoding.
        const bytes = encode(s, enc);
        const r = parseOrCsvError(bytes);
        if (enc === 'utf-8-bom') expect(r.ok ? r.encoding : 'utf-8-bom').toBe('utf-8-bom');
        if (r.ok) {
          const lines = r.parsed.rows.map((x) => x.line);
          expect([...lines].sort((a, b) => a - b)).toEqual(lines);
          expect(lines.every((l) => l >= 2)).toBe(true);
          for (const row of r.parsed.rows) expect(Object.keys(row.cells).length).toBe(new Set(r.parsed.header).size);
        }
      }),
      { numRuns: 400 },
    );
  });

  it('a Shift_JIS file and its UTF-8 twin parse to the same cells', () => {
    // (U+2014 — is not in CP932; Windows writes ― U+2015.)
    const sjisSafe = fc.array(fc.array(fc.constantFrom(...NAMES.filter((n) => n && n !== '—'), 'あ', '漢字', 'カナ', 'abc', '123'), { minLength: 3, maxLength: 3 }), { minLength: 1, maxLength: 10 });
    fc.assert(
      fc.property(sjisSafe, (rows) => {
        const s = ['氏名,フリガナ,メモ', ...rows.map((r) => r.join(','))].join('\r\n');
        const a = parseOrCsvError(encode(s, 'shift_jis'));
        const b = parseOrCsvError(encode(s, 'utf-8'));
        expect(a.ok && b.ok).toBe(true);
        if (a.ok && b.ok) {
          expect(a.encoding).toBe('shift_jis');
          expect(a.parsed).toEqual(b.parsed);
        }
      }),
      { numRuns: 100 },
    );
  });

  it('broken quotes are refused naming a line', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('a', 'b', '髙', '1'), { minLength: 1, maxLength: 5 }), fc.nat(4), (cells, at) => {
        const rows = ['x,y', ...cells.map((c) => `${c},${c}`)];
        const i = 1 + (at % cells.length);
        rows[i] = `"${rows[i]}`; // an opening quote never closed
        const r = parseOrCsvError(new TextEncoder().encode(rows.join('\r\n')));
        expect(r.ok).toBe(false);
        if (!r.ok) {
          expect(['unclosed_quote', 'invalid']).toContain(r.error.code);
          expect(r.error.messageJa).toMatch(/行目/);
        }
      }),
      { numRuns: 100 },
    );
  });

  it('huge cells, huge rows and too many rows are refused with a clear error, not a crash', () => {
    for (const bytes of [
      new TextEncoder().encode(`a,b\r\n${'あ'.repeat(30_000)},x`), // 90 KB in one row
      new TextEncoder().encode(`a\r\n"${'x'.repeat(200_000)}"`),
      new TextEncoder().encode(`a\r\n${'1\r\n'.repeat(100_001)}`),
      new Uint8Array(iconv.encode(`氏名\r\n${'髙'.repeat(40_000)}`, 'cp932')),
    ]) {
      const r = parseOrCsvError(bytes);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(['row_too_long', 'too_many_rows']).toContain(r.error.code);
    }
  });
});

describe('Shift_JIS downloads', () => {
  it('keep 〜 − — ‖ ¢ £ ¬ – as their Windows (CP932) forms instead of "?"', () => {
    const cells = ['10:00〜12:00', '平成11〜18年度', '−5', '研修—現地', '‖', '¢£¬¦', 'a\u00a0b', 'Mean (1–5)'];
    const parsed = parseCsv(decodeCsvBytes(toCsv(['メモ'], cells.map((c) => [c]), { encoding: 'shift_jis' })).text);
    expect(parsed.rows.map((r) => r.cells['メモ'])).toEqual(['10:00～12:00', '平成11～18年度', '－5', '研修―現地', '∥', '￠￡￢￤', 'a b', 'Mean (1-5)']);
  });

  it('property: text made of characters CP932 can hold (after the usual mapping) round-trips', () => {
    const chars = fc.constantFrom(...'あいうアイウ漢字協働研修髙﨑①㈱〜−—‖ー・「」、。ＡＢ１２abc12 '.split(''));
    fc.assert(
      fc.property(fc.array(fc.array(fc.string({ unit: chars, minLength: 1, maxLength: 12 }), { minLength: 2, maxLength: 2 }), { minLength: 1, maxLength: 10 }), (rows) => {
        const parsed = parseCsv(decodeCsvBytes(toCsv(['x', 'y'], rows, { encoding: 'shift_jis' })).text);
        const expected = rows.filter((r) => r.some((c) => c.trim() !== '')).map((r) => r.map(toCp932Text));
        expect(parsed.rows.map((r) => [r.cells.x, r.cells.y])).toEqual(expected);
        expect(JSON.stringify(parsed.rows)).not.toContain('?');
      }),
      { numRuns: 200 },
    );
  });
});
