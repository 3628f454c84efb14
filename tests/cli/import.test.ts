import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { kyodo, useCliEnv } from './helpers.js';

/** `kyodo import …` from Excel, with its template and the progress it prints (issues 16 §2.4, 18 §3). */
const cli = useCliEnv('kyodo-cli-import-');

describe('kyodo import', () => {
  it('writes a template, imports it filled in as .xlsx printing progress, and refuses a bad roster naming the row', async () => {
    expect((await kyodo(cli.env, 'user', 'create', '--email', 'cli-import@pref.example.jp', '--password', 'cli-password-2026', '--name', 'CLI 管理', '--kana', 'シーエルアイ カンリ', '--role', 'admin')).code).toBe(0);
    const template = join(cli.dir, 'people.xlsx');
    const t = await kyodo(cli.env, 'import', 'template', 'people', template);
    expect(t.stdout).toContain(`template written: ${template}`);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(readFileSync(template) as unknown as ArrayBuffer);
    const ws = wb.worksheets[0];
    for (let i = 1; i <= 1200; i++) ws.getRow(i + 1).values = [`取込 職員${i}`, 'トリコミ ショクイン', `cli${i}@pref.example.jp`, String(i).padStart(6, '0'), '', '県', ''];
    await wb.xlsx.writeFile(template);
    const r = await kyodo(cli.env, 'import', 'people', template);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('1200 rows checked (xlsx)');
    expect(r.stdout).toContain('imported 1200 rows (xlsx): 1200 new, 0 updated, 0 unchanged (not written)');
    expect(r.stderr).toContain('importing: 0 / 1,200 rows (0%)');
    expect(r.stderr).toContain('importing: 1,200 / 1,200 rows (100%)');
    // The same file again, with one 職員番号's name corrected: one person changes, the rest are left as they are.
    ws.getRow(2).values = ['取込 職員一', 'トリコミ ショクイン', 'cli1@pref.example.jp', '000001', '', '県', ''];
    await wb.xlsx.writeFile(template);
    const again = await kyodo(cli.env, 'import', 'people', template);
    expect(again.stdout).toContain('imported 1200 rows (xlsx): 0 new, 1 updated, 1199 unchanged (not written)');

    const roster = join(cli.dir, 'roster.csv');
    await import('node:fs').then((fs) => fs.writeFileSync(roster, '職員番号,氏名\r\n000001,取込 職員1\r\n000002,別の 人\r\n'));
    const bad = await kyodo(cli.env, 'import', 'roster', '999999', roster);
    expect(bad.code).not.toBe(0);
    const usage = await kyodo(cli.env, 'import', 'roster', roster);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('kyodo import roster OFFERING_ID FILE');
  }, 240_000);
});
