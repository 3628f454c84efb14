// Heavy libraries loaded on first use (issue 18 §5) behave as the libraries themselves.
import { describe, expect, it } from 'vitest';
import ExcelJS from '../../src/lib/lazy-exceljs.js';
import PDFDocument from '../../src/lib/lazy-pdfkit.js';
import { warmLazyModules } from '../../src/lib/lazy-require.js';
import { toXlsx } from '../../src/lib/xlsx.js';

describe('libraries loaded on first use', () => {
  it('writes a workbook that reads back, through the lazy exceljs', async () => {
    const buf = await toXlsx([{ name: '名簿', columns: [{ header: '氏名', key: 'name' }], rows: [{ name: '協働 太郎' }] }]);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(buf as unknown as ArrayBuffer);
    expect(wb.getWorksheet('名簿')?.getCell('A2').value).toBe('協働 太郎');
  });

  it('makes a PDF through the lazy pdfkit', async () => {
    const doc = new PDFDocument({ size: 'A4' });
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    const ended = new Promise((r) => doc.on('end', r));
    doc.text('Kyodo');
    doc.end();
    await ended;
    expect(Buffer.concat(chunks).subarray(0, 5).toString()).toBe('%PDF-');
    expect(doc).toBeInstanceOf(PDFDocument);
  });

  it('warms every lazy library without error', async () => {
    await expect(warmLazyModules()).resolves.toBeUndefined();
  });
});
