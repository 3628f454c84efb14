import type { DataValidation } from 'exceljs';
import ExcelJS from './lazy-exceljs.js';
import { CsvError, type ParsedCsv } from './csv.js';

/** An xlsx (or any Office Open XML) file starts as a zip archive. */
export function isZip(bytes: Uint8Array): boolean {
  return bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

/** Excel 97–2003 (.xls) and other OLE compound files. */
export function isLegacyOffice(bytes: Uint8Array): boolean {
  return [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1].every((b, i) => bytes[i] === b);
}

const pad2 = (n: number) => String(n).padStart(2, '0');

/**
 * A cell as the person who typed it reads it:
 * - a date (Excel keeps wall-clock dates without a zone; exceljs gives them as UTC) as the Tokyo date
 *   typed, `2011-04-01`, with ` 13:30` when it has a time;
 * - a number with a zero-padded format (`000000`) padded as shown, so 職員番号 00123 stays 00123;
 *   other numbers without float noise or exponent;
 * - a formula by its result, a hyperlink (an email Excel turned into a link) by its text.
 */
export function cellText(cell: { value: ExcelJS.CellValue; numFmt?: string }): string {
  return valueText(cell.value, cell.numFmt);
}

function valueText(v: ExcelJS.CellValue | undefined, numFmt?: string): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) {
    if (Number.isNaN(v.getTime())) return '';
    const date = `${v.getUTCFullYear()}-${pad2(v.getUTCMonth() + 1)}-${pad2(v.getUTCDate())}`;
    const secs = v.getUTCHours() * 3600 + v.getUTCMinutes() * 60 + v.getUTCSeconds();
    return secs ? `${date} ${pad2(v.getUTCHours())}:${pad2(v.getUTCMinutes())}` : date;
  }
  if (typeof v === 'number') {
    const zeros = numFmt && /^0+$/.exec(numFmt.replace(/[\\"]/g, ''));
    if (zeros && Number.isInteger(v) && v >= 0) return String(v).padStart(zeros[0].length, '0');
    if (Number.isInteger(v)) return Math.abs(v) < 1e21 ? String(v) : BigInt(v).toString();
    return String(Number(v.toPrecision(15)));
  }
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'string') return v;
  if (typeof v === 'object') {
    if ('richText' in v && Array.isArray(v.richText)) return v.richText.map((t) => t.text).join('');
    if ('formula' in v || 'sharedFormula' in v) return valueText((v as ExcelJS.CellFormulaValue).result as ExcelJS.CellValue, numFmt);
    if ('hyperlink' in v) return valueText((v as ExcelJS.CellHyperlinkValue).text as ExcelJS.CellValue);
    if ('text' in v) return valueText((v as { text: ExcelJS.CellValue }).text);
    if ('error' in v) return String((v as ExcelJS.CellErrorValue).error);
  }
  return String(v);
}

const fail = (ja: string, en: string, line?: number) => new CsvError('invalid', ja, en, line);

/**
 * Reads the data sheet of an xlsx as a header and rows of text, with each row's number in the sheet
 * (so a report names the row the person sees in Excel). The data sheet is the first sheet whose first
 * row names a known column (`isColumn`), else the first sheet. Structural problems throw a CsvError
 * (the same refusals as a CSV: no header, an unnamed or repeated column, too many rows).
 */
export async function readXlsxRows(bytes: Uint8Array, isColumn: (header: string) => boolean, opts: { maxRows?: number } = {}): Promise<ParsedCsv & { sheet: string }> {
  const maxRows = opts.maxRows ?? 100_000;
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
  } catch {
    throw fail(
      'Excelファイル（.xlsx）として読み取れません。Excelで開いて「Excel ブック（*.xlsx）」またはCSVで保存し直してください。',
      'The file cannot be read as an Excel workbook (.xlsx). Open it in Excel and save it as "Excel Workbook (*.xlsx)" or as CSV.',
    );
  }
  const sheets = wb.worksheets.filter((ws) => ws.state !== 'hidden' && ws.state !== 'veryHidden');
  if (!sheets.length) throw new CsvError('empty', 'ファイルにシートがありません。', 'The workbook has no sheet.');
  const headerOf = (ws: ExcelJS.Worksheet) => {
    const cells: string[] = [];
    ws.getRow(1).eachCell({ includeEmpty: true }, (cell, col) => {
      cells[col - 1] = cellText(cell).trim();
    });
    return Array.from(cells, (c) => c ?? '');
  };
  const ws = sheets.find((s) => headerOf(s).some((h) => h && isColumn(h))) ?? sheets[0];
  let fullHeader = headerOf(ws);
  if (!fullHeader.some((h) => h)) throw new CsvError('empty', `シート「${ws.name}」の1行目に列名がありません。`, `Row 1 of sheet "${ws.name}" has no column names.`, 1);
  let width = fullHeader.length;
  while (width > 0 && fullHeader[width - 1] === '') width--;
  fullHeader = fullHeader.slice(0, width);
  const unnamed = fullHeader.findIndex((h) => h === '');
  if (unnamed >= 0)
    throw new CsvError(
      'empty_header',
      `1行目の${unnamed + 1}列目（${columnLetter(unnamed + 1)}列）に列名がありません。列名を入れるか、使わない列を削除してください。`,
      `Column ${columnLetter(unnamed + 1)} in row 1 has no name. Name it, or delete the column if it is not used.`,
      1,
    );
  const seen = new Set<string>();
  for (const h of fullHeader) {
    if (seen.has(h)) throw new CsvError('duplicate_header', `1行目の列名「${h}」が重複しています。`, `Column "${h}" appears twice in row 1.`, 1);
    seen.add(h);
  }
  const rows: ParsedCsv['rows'] = [];
  let problem: CsvError | null = null;
  ws.eachRow({ includeEmpty: false }, (row, line) => {
    if (line === 1 || problem) return;
    const cells: Record<string, string> = {};
    let any = false;
    row.eachCell({ includeEmpty: false }, (cell, col) => {
      const text = cellText(cell);
      if (col > width) {
        if (text.trim())
          problem = new CsvError(
            'column_count',
            `${line}行目の${columnLetter(col)}列に値がありますが、その列には1行目に列名がありません。`,
            `Row ${line} has a value in column ${columnLetter(col)}, which has no name in row 1.`,
            line,
          );
        return;
      }
      cells[fullHeader[col - 1]] = text;
      if (text.trim()) any = true;
    });
    if (!any) return;
    for (const h of fullHeader) cells[h] ??= '';
    rows.push({ line, cells });
    if (rows.length > maxRows) problem = new CsvError('too_many_rows', `行数が多すぎます（${maxRows}行まで）。`, `Too many rows (max ${maxRows}).`);
  });
  if (problem) throw problem;
  return { header: fullHeader, rows, sheet: ws.name };
}

/** Excel's letter for a column number: 1 → A, 27 → AA. */
export function columnLetter(n: number): string {
  let s = '';
  for (let k = n; k > 0; k = Math.floor((k - 1) / 26)) s = String.fromCharCode(65 + ((k - 1) % 26)) + s;
  return s;
}

export interface TemplateColumn {
  header: string;
  required: boolean;
  /** Width in characters. */
  width: number;
  description: string;
  example: string;
  /** The words the column accepts, offered as a drop-down list in Excel. */
  choices?: readonly string[];
}

export interface TemplateText {
  sheet: string;
  guideSheet: string;
  requiredMark: string;
  guideHeaders: [column: string, required: string, description: string, example: string];
  yes: string;
  no: string;
  /** A line above the guide's table. */
  guideLead: string;
}

/**
 * An import template: the data sheet (header row only, required columns marked in words and colour,
 * every cell formatted as text so that 職員番号 00123 stays 00123 and 2011/4/1 is not turned into a
 * date serial, drop-down lists where a column takes fixed words), and a second sheet explaining each
 * column with an example.
 */
export async function importTemplateXlsx(columns: readonly TemplateColumn[], text: TemplateText, rows = 1000): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Kyodo';
  const ws = wb.addWorksheet(text.sheet, { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = columns.map((c) => ({ header: c.required ? `${c.header}${text.requiredMark}` : c.header, width: c.width, style: { numFmt: '@' } }));
  const head = ws.getRow(1);
  head.font = { bold: true };
  columns.forEach((c, i) => {
    const cell = head.getCell(i + 1);
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: c.required ? 'FFFCE4D6' : 'FFF2F2F2' } };
    cell.border = { bottom: { style: 'thin' } };
    cell.note = c.description;
    if (c.choices?.length && c.choices.join(',').length < 250) {
      const letter = columnLetter(i + 1);
      (ws as unknown as { dataValidations: { add(range: string, v: DataValidation): void } }).dataValidations.add(`${letter}2:${letter}${rows + 1}`, {
        type: 'list',
        allowBlank: !c.required,
        formulae: [`"${c.choices.join(',')}"`],
        showErrorMessage: false,
      });
    }
  });
  const guide = wb.addWorksheet(text.guideSheet);
  guide.columns = [{ width: 18 }, { width: 8 }, { width: 70 }, { width: 36 }];
  guide.addRow([text.guideLead]).font = { bold: true };
  guide.addRow([]);
  const gh = guide.addRow(text.guideHeaders);
  gh.font = { bold: true };
  for (const c of columns) {
    const r = guide.addRow([c.header, c.required ? text.yes : text.no, c.description, c.example]);
    r.alignment = { wrapText: true, vertical: 'top' };
    r.getCell(4).numFmt = '@';
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}
