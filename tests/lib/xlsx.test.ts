import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { exportTable } from '../../src/lib/table-export.js';
import { readXlsx, toXlsx } from '../../src/lib/xlsx.js';

const soffice = ['/usr/bin/soffice', '/usr/bin/libreoffice'].find((p) => existsSync(p));

describe('xlsx', () => {
  it('writes Japanese sheets that exceljs reads back, 1,000 rows', async () => {
    const rows = Array.from({ length: 1000 }, (_, i) => ({ name: `職員${i}`, kana: `ショクイン${i}`, n: i }));
    const buf = await toXlsx([{ name: '職員一覧', columns: [{ header: '氏名', key: 'name' }, { header: 'フリガナ', key: 'kana' }, { header: '番号', key: 'n' }], rows }]);
    const [sheet] = await readXlsx(buf);
    expect(sheet.name).toBe('職員一覧');
    expect(sheet.header).toEqual(['氏名', 'フリガナ', '番号']);
    expect(sheet.rows).toHaveLength(1000);
    expect(sheet.rows[999]).toEqual({ 氏名: '職員999', フリガナ: 'ショクイン999', 番号: '999' });
  });

  it('keeps formula-looking strings as text, never formulas', async () => {
    const buf = await toXlsx([{ name: 's', columns: [{ header: 'v', key: 'v' }], rows: [{ v: '=HYPERLINK("http://x","y")' }, { v: '+1' }] }]);
    const [sheet] = await readXlsx(buf);
    expect(sheet.rows.map((r) => r.v)).toEqual(['=HYPERLINK("http://x","y")', '+1']);
    // Opened as Excel would: a formula cell has a formula; these must be plain strings.
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(buf as unknown as ArrayBuffer);
    const cells = [2, 3].map((r) => wb.worksheets[0].getRow(r).getCell(1));
    expect(cells.map((c) => c.type)).toEqual([ExcelJS.ValueType.String, ExcelJS.ValueType.String]);
    expect(cells.map((c) => c.formula)).toEqual([undefined, undefined]);
  });

  it.runIf(soffice)('LibreOffice opens an exported table as Excel users would', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kyodo-lo-'));
    try {
      const out = await exportTable('xlsx', '職員', [{ header: '氏名', value: (r: { n: string }) => r.n }, { header: '式', value: () => '=1+1' }], [{ n: '髙橋 花子' }, { n: '山﨑 太郎' }]);
      writeFileSync(join(dir, 'people.xlsx'), out.body);
      execFileSync(soffice!, ['--headless', '--norestore', `-env:UserInstallation=file://${dir}/profile`, '--convert-to', 'csv:Text - txt - csv (StarCalc):44,34,76', '--outdir', dir, join(dir, 'people.xlsx')], {
        stdio: 'ignore',
        timeout: 120_000,
      });
      const csv = readFileSync(join(dir, 'people.csv'), 'utf8');
      expect(csv.trim().split(/\r?\n/)).toEqual(['氏名,式', '髙橋 花子,=1+1', '山﨑 太郎,=1+1']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 150_000);
});
