import type { Context } from 'hono';
import { type ExportColumn, exportTable } from '../lib/table-export.js';

/** Sends a table as CSV (UTF-8 with BOM, or Shift_JIS with ?encoding=shift_jis) or xlsx. */
export async function sendTable<T>(
  c: Context,
  format: 'csv' | 'xlsx',
  filename: string,
  sheetName: string,
  columns: ExportColumn<T>[],
  rows: T[],
) {
  const fmt = format === 'xlsx' ? 'xlsx' : c.req.query('encoding') === 'shift_jis' ? 'csv-sjis' : 'csv';
  const out = await exportTable(fmt, sheetName, columns, rows);
  const name = `${filename}.${out.extension}`;
  return c.body(out.body as Uint8Array<ArrayBuffer>, 200, {
    'Content-Type': out.contentType,
    'Content-Disposition': `attachment; filename="${encodeURIComponent(name).replace(/%/g, '_')}"; filename*=UTF-8''${encodeURIComponent(name)}`,
    'Cache-Control': 'no-store',
  });
}
