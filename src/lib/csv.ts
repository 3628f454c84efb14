import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import iconv from 'iconv-lite';

export type CsvEncoding = 'utf-8-bom' | 'utf-8' | 'shift_jis';

export class CsvError extends Error {
  constructor(
    public readonly code: 'unclosed_quote' | 'row_too_long' | 'too_many_rows' | 'empty' | 'column_count' | 'duplicate_header' | 'empty_header' | 'invalid',
    public readonly messageJa: string,
    public readonly messageEn: string,
    public readonly line?: number,
  ) {
    super(messageEn);
    this.name = 'CsvError';
  }
}

/** UTF-8 with BOM, UTF-8 without (strictly valid), else Shift_JIS as Windows writes it (CP932). */
export function decodeCsvBytes(bytes: Uint8Array): { text: string; encoding: CsvEncoding } {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf)
    return { text: new TextDecoder('utf-8').decode(bytes.subarray(3)), encoding: 'utf-8-bom' };
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), encoding: 'utf-8' };
  } catch {
    return { text: iconv.decode(Buffer.from(bytes), 'cp932'), encoding: 'shift_jis' };
  }
}

export interface ParsedCsv {
  header: string[];
  rows: { line: number; cells: Record<string, string> }[];
}

/** Parses CSV with a header line. Structural problems throw a CsvError naming the line. */
export function parseCsv(text: string, opts: { maxRowBytes?: number; maxRows?: number } = {}): ParsedCsv {
  const maxRowBytes = opts.maxRowBytes ?? 64 * 1024;
  const maxRows = opts.maxRows ?? 100_000;
  if (!text.trim()) throw new CsvError('empty', 'ファイルが空です。', 'The file is empty.');
  // NUL never belongs in a CSV (it is what a UTF-16 "Unicode text" file or a binary file looks like),
  // and PostgreSQL cannot store it in text: refuse the file here, naming the line (found by fuzzing).
  const nul = text.indexOf('\u0000');
  if (nul >= 0) {
    const line = (text.slice(0, nul).match(/\r\n|\r|\n/g)?.length ?? 0) + 1;
    throw new CsvError(
      'invalid',
      `${line}行目にCSVでは使えない文字（NUL）があります。UTF-16（Unicodeテキスト）やExcelブックではなく、CSV（UTF-8またはShift_JIS）で保存し直してください。`,
      `Line ${line} contains a character CSV cannot hold (NUL). Save the file as CSV (UTF-8 or Shift_JIS), not UTF-16 "Unicode text" or a workbook.`,
      line,
    );
  }
  let records: { record: string[]; info: { lines: number; empty_lines: number } }[];
  try {
    records = parse(text, {
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
      max_record_size: maxRowBytes,
      bom: true,
    }) as unknown as { record: string[]; info: { lines: number; empty_lines: number } }[];
  } catch (e) {
    const err = e as { code?: string; lines?: number; message: string };
    const line = err.lines;
    if (err.code === 'CSV_QUOTE_NOT_CLOSED')
      throw new CsvError('unclosed_quote', `${line ?? '?'}行目付近で引用符（"）が閉じられていません。`, `A quote (") is not closed near line ${line ?? '?'}.`, line);
    if (err.code === 'CSV_MAX_RECORD_SIZE')
      throw new CsvError('row_too_long', `${line ?? '?'}行目が長すぎます（1行${Math.round(maxRowBytes / 1024)}KBまで）。`, `Line ${line ?? '?'} is too long (max ${Math.round(maxRowBytes / 1024)} KB).`, line);
    throw new CsvError('invalid', `${line ?? '?'}行目付近の形式が正しくありません。`, `The file is malformed near line ${line ?? '?'}.`, line);
  }
  if (!records.length) throw new CsvError('empty', 'ファイルが空です。', 'The file is empty.');
  const fullHeader = records[0].record.map((h) => h.replace(/^\ufeff/, '').trim());
  // Excel often writes empty columns after the last one ("氏名,フリガナ,,"): those are ignored when
  // every row leaves them empty too. An unnamed column in the middle, or one holding data, is named.
  let width = fullHeader.length;
  while (width > 0 && fullHeader[width - 1] === '' && records.slice(1).every((r) => (r.record[width - 1] ?? '').trim() === '')) width--;
  const header = fullHeader.slice(0, width);
  const unnamed = header.findIndex((h) => h === '');
  if (unnamed >= 0)
    throw new CsvError(
      'empty_header',
      `1行目の${unnamed + 1}列目に列名がありません。列名を入れるか、使わない列を削除してください。`,
      `Column ${unnamed + 1} in line 1 has no name. Name it, or delete the column if it is not used.`,
      1,
    );
  const seen = new Set<string>();
  for (const h of header) {
    if (h && seen.has(h)) throw new CsvError('duplicate_header', `1行目の列名「${h}」が重複しています。`, `Column "${h}" appears twice in line 1.`, 1);
    seen.add(h);
  }
  if (records.length - 1 > maxRows)
    throw new CsvError('too_many_rows', `行数が多すぎます（${maxRows}行まで）。`, `Too many rows (max ${maxRows}).`);
  const rows: ParsedCsv['rows'] = [];
  // A record's first line: the line after the previous record (which spans one line plus the line
  // breaks inside its quoted cells), plus the empty lines skipped since.
  const breaks = (record: string[]) => record.reduce((n, c) => n + (c.match(/\r\n|\r|\n/g)?.length ?? 0), 0);
  let next = 1 + breaks(records[0].record) + 1;
  let prevEmpty = records[0].info.empty_lines;
  for (const { record, info } of records.slice(1)) {
    const line = next + (info.empty_lines - prevEmpty);
    next = line + 1 + breaks(record);
    prevEmpty = info.empty_lines;
    if (record.every((c) => c.trim() === '')) continue;
    // The ignored trailing columns are empty (checked above): drop them from the row too.
    if (record.length === fullHeader.length) record.length = header.length;
    if (record.length !== header.length)
      throw new CsvError(
        'column_count',
        `${line}行目の列の数（${record.length}）が1行目（${header.length}）と違います。`,
        `Line ${line} has ${record.length} columns; line 1 has ${header.length}.`,
        line,
      );
    rows.push({ line, cells: Object.fromEntries(header.map((h, i) => [h, record[i]])) });
  }
  return { header, rows };
}

/** The characters that start a spreadsheet formula (OWASP, CSV injection): = + - @ TAB CR. */
const FORMULA_START = /^[=+\-@\t\r]/;
/** A cell as `neutraliseFormula` writes it: an apostrophe followed by one of those characters. */
const NEUTRALISED = /^'[=+\-@\t\r]/;

/**
 * Neutralises spreadsheet formulas (CSV injection): a cell starting with = + - @ TAB or CR gets a
 * leading apostrophe, so Excel shows it as text. This includes negative numbers written as text;
 * numbers passed as numbers are not touched.
 *
 * Every such cell, with no exception: also a lone 「-」 (a common "none" mark in Japanese sheets) or
 * 「-1」. OWASP's advice (CSV Injection) is to escape every cell starting with these characters, and
 * telling harmless ones apart is where such guards have been bypassed; the apostrophe costs nothing
 * on our own round trip, because our imports take it off again (`restoreNeutralised`).
 */
export function neutraliseFormula(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

/**
 * The inverse of `neutraliseFormula`, for cells read by an import: a leading apostrophe followed by
 * = + - @ TAB or CR (exactly what the guard adds) is removed, so that a list downloaded from Kyodo
 * imports back as it was (「'-」 → 「-」, 「'-1」 → 「-1」), as a spreadsheet that hides the apostrophe
 * would show it. Any other apostrophe stays (「'abc」, 「''-」). The one value this cannot give back
 * is one that itself starts with such an apostrophe (「'-」 typed as data); none of the values an
 * import reads (names, kana, addresses, staff numbers, codes, words) does on purpose. Never applied
 * to a download: what is written stays neutralised.
 */
export function restoreNeutralised(value: string): string {
  return NEUTRALISED.test(value) ? value.slice(1) : value;
}

export type CsvCell = string | number | null | undefined | Date;

/**
 * Characters that Japanese text is full of but that CP932 (Windows Shift_JIS) holds under another code
 * point: WAVE DASH 〜 is ～ there, MINUS SIGN − is －, and so on (the "wave dash problem"). Without this,
 * a Shift_JIS download turns every 〜 into "?".
 */
const CP932_EQUIVALENTS: Record<string, string> = {
  '\u301c': '\uff5e', // 〜 → ～
  '\u2016': '\u2225', // ‖ → ∥
  '\u2212': '\uff0d', // − → －
  '\u2014': '\u2015', // — → ―
  '\u00a2': '\uffe0', // ¢ → ￠
  '\u00a3': '\uffe1', // £ → ￡
  '\u00ac': '\uffe2', // ¬ → ￢
  '\u00a6': '\uffe4', // ¦ → ￤
  '\u00a0': ' ', // no-break space → space
  '\u2013': '-', // – (EN DASH, as in "1–5" or what Word makes of " - ") → hyphen-minus: CP932 has no dash of its width
};
export function toCp932Text(text: string): string {
  return text.replace(/[\u301c\u2016\u2212\u2014\u00a2\u00a3\u00ac\u00a6\u00a0\u2013]/g, (ch) => CP932_EQUIVALENTS[ch]);
}

const cp932Ok = new Map<string, boolean>();
/** Can CP932 hold this character (after the equivalents above)? */
function inCp932(ch: string): boolean {
  let ok = cp932Ok.get(ch);
  if (ok === undefined) {
    ok = iconv.decode(iconv.encode(ch, 'cp932'), 'cp932') === ch;
    cp932Ok.set(ch, ok);
  }
  return ok;
}

/** A character Shift_JIS cannot hold, and where it first occurs (row 1 is the header). */
export interface Unencodable {
  char: string;
  row: number;
  column: string;
}

/**
 * Thrown instead of writing "?" for a character Shift_JIS (CP932) cannot hold, such as 𠮷 or 髙 in
 * some fonts' forms: the caller tells the user which, and offers UTF-8 or a marked substitute.
 */
export class UnencodableInShiftJis extends Error {
  constructor(readonly found: Unencodable[]) {
    super(`Shift_JIS cannot hold: ${found.map((f) => f.char).join(' ')}`);
    this.name = 'UnencodableInShiftJis';
  }
}

/** The GETA MARK 〓, which Japanese systems print for a character they cannot show. */
export const GETA = '\u3013';

/** CSV for Excel: CRLF, UTF-8 with BOM (default) or Shift_JIS (CP932, no BOM); strings neutralised. */
export function toCsv(
  header: string[],
  rows: CsvCell[][],
  opts: { encoding?: 'utf-8' | 'shift_jis'; unencodable?: 'refuse' | 'geta' } = {},
): Uint8Array {
  const cell = (v: CsvCell) =>
    v === null || v === undefined ? '' : v instanceof Date ? v.toISOString() : typeof v === 'number' ? String(v) : neutraliseFormula(v);
  const cells = [header.map(cell), ...rows.map((r) => r.map(cell))];
  if (opts.encoding === 'shift_jis') {
    const table = cells.map((r) => r.map(toCp932Text));
    const found: Unencodable[] = [];
    const seen = new Set<string>();
    table.forEach((r, i) =>
      r.forEach((v, j) => {
        for (const ch of v) {
          if (ch.charCodeAt(0) < 0x80 || ch === '\r' || ch === '\n' || inCp932(ch)) continue;
          if (!seen.has(ch)) {
            seen.add(ch);
            found.push({ char: ch, row: i + 1, column: table[0]![j] ?? '' });
          }
        }
      }),
    );
    if (found.length && opts.unencodable !== 'geta') throw new UnencodableInShiftJis(found);
    const subst = found.length ? table.map((r) => r.map((v) => [...v].map((ch) => (seen.has(ch) ? GETA : ch)).join(''))) : table;
    return new Uint8Array(iconv.encode(stringify(subst, { record_delimiter: '\r\n' }), 'cp932'));
  }
  const text = stringify(cells, { record_delimiter: '\r\n' });
  const body = new TextEncoder().encode(text);
  const out = new Uint8Array(body.length + 3);
  out.set([0xef, 0xbb, 0xbf]);
  out.set(body, 3);
  return out;
}
