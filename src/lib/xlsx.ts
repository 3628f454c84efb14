import ExcelJS from './lazy-exceljs.js';

export interface XlsxColumn {
  header: string;
  key: string;
  width?: number;
  /** Excel number format of the column's cells (e.g. '0.0' for a percentage with one place). */
  numFmt?: string;
}

export interface XlsxSheet {
  name: string;
  columns: XlsxColumn[];
  rows: Record<string, string | number | Date | null | undefined>[];
}

/** Excel's sheet-name rules: at most 31 characters, none of : \ / ? * [ ]. */
export function sheetName(name: string): string {
  return name.replace(/[:\\/?*[\]]/g, '_').slice(0, 31) || 'Sheet1';
}

/**
 * An xlsx workbook: bold frozen header, auto-filter. Strings are written as string cells, never as
 * formulas, so a value such as "=1+1" stays text.
 */
export async function toXlsx(sheets: XlsxSheet[]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Kyodo';
  for (const s of sheets) {
    const ws = wb.addWorksheet(sheetName(s.name), { views: [{ state: 'frozen', ySplit: 1 }] });
    ws.columns = s.columns.map((c) => ({ header: c.header, key: c.key, width: c.width ?? Math.min(60, Math.max(10, c.header.length * 2 + 4)) }));
    ws.getRow(1).font = { bold: true };
    s.columns.forEach((c, i) => {
      if (c.numFmt) ws.getColumn(i + 1).numFmt = c.numFmt;
    });
    for (const r of s.rows) {
      const row = ws.addRow({});
      s.columns.forEach((c, i) => {
        const v = r[c.key];
        // Assigning a plain string never creates a formula; exceljs only makes one from {formula}.
        row.getCell(i + 1).value = v === null || v === undefined ? null : v;
      });
    }
    if (s.columns.length) ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: s.columns.length } };
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

export interface LaidOutSheet {
  name: string;
  /** Column widths in characters. */
  widths: number[];
  /** Rows of cells; `null` leaves a cell empty (e.g. under a merge). */
  rows: (string | number | null)[][];
  /** Ranges to merge, e.g. 'B3:E3'. */
  merges?: string[];
  /** Rows (1-based) to set in bold. */
  bold?: number[];
  /** A4 portrait, fitted to one page wide. */
  a4?: boolean;
}

/**
 * A sheet laid out like a printed form (the plan-item sheet): given cells, merges, wrapped text and
 * thin borders on every non-empty row, A4 page set-up. Strings are never formulas.
 */
export async function toLaidOutXlsx(s: LaidOutSheet): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Kyodo';
  const ws = wb.addWorksheet(sheetName(s.name), s.a4 ? { pageSetup: { paperSize: 9, orientation: 'portrait', fitToPage: true, fitToWidth: 1, fitToHeight: 0 } } : {});
  ws.columns = s.widths.map((w) => ({ width: w }));
  for (const [i, cells] of s.rows.entries()) {
    const row = ws.getRow(i + 1);
    cells.forEach((v, j) => {
      const cell = row.getCell(j + 1);
      cell.value = v;
      cell.alignment = { wrapText: true, vertical: 'top' };
      if (cells.some((x) => x !== null && x !== '')) cell.border = { top: { style: 'thin' }, left: { style: 'thin' }, bottom: { style: 'thin' }, right: { style: 'thin' } };
    });
    if (s.bold?.includes(i + 1)) row.font = { bold: true };
  }
  for (const m of s.merges ?? []) ws.mergeCells(m);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** Reads every sheet as a header and rows of strings (for imports and tests). */
export async function readXlsx(buffer: Buffer | Uint8Array): Promise<{ name: string; header: string[]; rows: Record<string, string>[] }[]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buffer as unknown as ArrayBuffer);
  return wb.worksheets.map((ws) => {
    const header: string[] = [];
    ws.getRow(1).eachCell({ includeEmpty: true }, (cell, col) => {
      header[col - 1] = text(cell.value);
    });
    const rows: Record<string, string>[] = [];
    ws.eachRow((row, n) => {
      if (n === 1) return;
      const r: Record<string, string> = {};
      header.forEach((h, i) => {
        r[h] = text(row.getCell(i + 1).value);
      });
      rows.push(r);
    });
    return { name: ws.name, header, rows };
  });
}

function text(v: ExcelJS.CellValue): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'object') {
    if ('formula' in v) return `=${v.formula}`;
    if ('richText' in v) return v.richText.map((t) => t.text).join('');
    if ('text' in v) return String(v.text);
  }
  return String(v);
}
