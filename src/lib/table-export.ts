import { toCsv } from './csv.js';
import { toXlsx } from './xlsx.js';

export interface ExportColumn<T> {
  header: string;
  value: (row: T) => string | number | null | undefined | Date;
  width?: number;
  /** A number shown with this many decimal places (already rounded half up): CSV writes them, xlsx formats the cell, so both read like the page. */
  places?: number;
}

export type ExportFormat = 'csv' | 'csv-sjis' | 'xlsx';

/** One table, three formats: CSV (UTF-8 with BOM), CSV (Shift_JIS) and xlsx. */
export async function exportTable<T>(
  format: ExportFormat,
  sheetName: string,
  columns: ExportColumn<T>[],
  rows: T[],
  /** Shift_JIS only: a character it cannot hold is written as 〓 (the default, for machine readers) or refused (UnencodableInShiftJis). */
  opts: { unencodable?: 'refuse' | 'geta' } = {},
): Promise<{ body: Uint8Array; contentType: string; extension: string }> {
  if (format === 'xlsx') {
    const keyed = rows.map((r) => Object.fromEntries(columns.map((c, i) => [`c${i}`, c.value(r)])));
    const body = await toXlsx([{ name: sheetName, columns: columns.map((c, i) => ({ header: c.header, key: `c${i}`, width: c.width, numFmt: c.places === undefined ? undefined : c.places > 0 ? `0.${'0'.repeat(c.places)}` : '0' })), rows: keyed }]);
    return { body: new Uint8Array(body), contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', extension: 'xlsx' };
  }
  const body = toCsv(
    columns.map((c) => c.header),
    rows.map((r) =>
      columns.map((c) => {
        const v = c.value(r);
        return typeof v === 'number' && c.places !== undefined && Number.isFinite(v) ? v.toFixed(c.places) : v;
      }),
    ),
    { encoding: format === 'csv-sjis' ? 'shift_jis' : 'utf-8', unencodable: opts.unencodable ?? 'geta' },
  );
  return { body, contentType: `text/csv; charset=${format === 'csv-sjis' ? 'Shift_JIS' : 'UTF-8'}`, extension: 'csv' };
}
