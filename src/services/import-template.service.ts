import type { Translate } from '../i18n/index.js';
import { toCsv } from '../lib/csv.js';
import { importTemplateXlsx } from '../lib/spreadsheet.js';
import { type ImportKind, templateColumns } from './import-columns.js';

/** The mark a required column's name carries in a template (read back as the plain name). */
export const REQUIRED_MARK = '（必須）';

/**
 * A template to fill in for an import (issue 16 §2.4): as an Excel workbook (the header row in
 * Japanese, required columns marked, text cells, drop-down lists, and a sheet explaining each column
 * with an example) or as CSV (UTF-8 with BOM, the header line only).
 */
export async function importTemplate(kind: ImportKind, format: 'xlsx' | 'csv', t: Translate): Promise<{ filename: string; contentType: string; body: Uint8Array }> {
  const columns = templateColumns(kind);
  const base = `kyodo-import-${kind}`;
  if (format === 'csv')
    return {
      filename: `${base}.csv`,
      contentType: 'text/csv; charset=utf-8',
      body: toCsv(columns.map((c) => (c.required ? `${c.ja}${REQUIRED_MARK}` : c.ja)), []),
    };
  const body = await importTemplateXlsx(
    columns.map((c) => ({
      header: c.ja,
      required: c.required,
      width: c.width,
      description: t(`imports.help.${kind}.${c.key}` as never),
      example: c.example,
      choices: c.choices,
    })),
    {
      sheet: t('imports.template.sheet'),
      guideSheet: t('imports.template.guideSheet'),
      requiredMark: REQUIRED_MARK,
      guideHeaders: [t('imports.template.column'), t('imports.template.required'), t('imports.template.description'), t('imports.template.example')],
      yes: t('imports.template.yes'),
      no: t('imports.template.no'),
      guideLead: t('imports.template.guideLead', { kind: t(`imports.kind.${kind}`) }),
    },
  );
  return { filename: `${base}.xlsx`, contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', body: new Uint8Array(body) };
}
