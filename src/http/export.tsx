import type { Context } from 'hono';
import { UnencodableInShiftJis } from '../lib/csv.js';
import { type ExportColumn, exportTable } from '../lib/table-export.js';
import { apiError } from './api-errors.js';
import type { AppEnv } from './env.js';
import { page } from './page.js';

/**
 * Sends a table as CSV (UTF-8 with BOM, or Shift_JIS with ?encoding=shift_jis) or xlsx. When Shift_JIS
 * cannot hold a character (𠮷, ①… in some data), nothing is silently turned into "?": a page names the
 * characters and where they are, and offers UTF-8, Excel, or Shift_JIS with 〓 in their place.
 */
export async function sendTable<T>(
  c: Context,
  format: 'csv' | 'xlsx',
  filename: string,
  sheetName: string,
  columns: ExportColumn<T>[],
  rows: T[],
) {
  const fmt = format === 'xlsx' ? 'xlsx' : c.req.query('encoding') === 'shift_jis' ? 'csv-sjis' : 'csv';
  let out: Awaited<ReturnType<typeof exportTable>>;
  try {
    out = await exportTable(fmt, sheetName, columns, rows, { unencodable: c.req.query('unencodable') === 'geta' ? 'geta' : 'refuse' });
  } catch (e) {
    if (e instanceof UnencodableInShiftJis) return c.req.path.startsWith('/api/') ? unencodableJson(c as Context<AppEnv>, e) : unencodablePage(c as Context<AppEnv>, e);
    throw e;
  }
  const name = `${filename}.${out.extension}`;
  return c.body(out.body as Uint8Array<ArrayBuffer>, 200, {
    'Content-Type': out.contentType,
    'Content-Disposition': `attachment; filename="${encodeURIComponent(name).replace(/%/g, '_')}"; filename*=UTF-8''${encodeURIComponent(name)}`,
    'Cache-Control': 'no-store',
  });
}

/** The API's refusal: 422 JSON naming each character and where it first is (`fields.encoding`). */
function unencodableJson(c: Context<AppEnv>, e: UnencodableInShiftJis) {
  const t = c.get('t');
  const where = e.found.slice(0, 20).map((f) => `${f.char}${t('export.unencodableWhere', { row: f.row, column: f.column, code: `U+${f.char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}` })}`);
  if (e.found.length > 20) where.push(t('export.unencodableMore', { count: e.found.length - 20 }));
  return apiError(c, 422, 'unencodable', `${t('export.unencodableTitle')}: ${where.join(' ')}`, { encoding: `${t('export.unencodableLead', { count: e.found.length })} ${where.join(' ')}` });
}

function unencodablePage(c: Context<AppEnv>, e: UnencodableInShiftJis) {
  const t = c.get('t');
  const url = new URL(c.req.url);
  const withQuery = (change: (q: URLSearchParams) => void, path = url.pathname) => {
    const q = new URLSearchParams(url.search);
    change(q);
    const s = q.toString();
    return `${path}${s ? `?${s}` : ''}`;
  };
  const utf8 = withQuery((q) => q.delete('encoding'));
  const xlsx = withQuery((q) => q.delete('encoding'), url.pathname.replace(/\.csv$/, '.xlsx'));
  const geta = withQuery((q) => q.set('unencodable', 'geta'));
  const shown = e.found.slice(0, 20);
  return page(
    c,
    t('export.unencodableTitle'),
    <>
      <p>{t('export.unencodableLead', { count: e.found.length })}</p>
      <ul>
        {shown.map((f) => (
          <li>
            <span lang="ja" class="unencodable-char">
              {f.char}
            </span>
            {t('export.unencodableWhere', { row: f.row, column: f.column, code: `U+${f.char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}` })}
          </li>
        ))}
      </ul>
      {e.found.length > shown.length ? <p>{t('export.unencodableMore', { count: e.found.length - shown.length })}</p> : null}
      <ul class="actions">
        <li>
          <a class="button" href={utf8}>
            {t('export.unencodableUtf8')}
          </a>
        </li>
        {url.pathname.endsWith('.csv') ? (
          <li>
            <a class="button button--secondary" href={xlsx}>
              {t('common.downloadXlsx')}
            </a>
          </li>
        ) : null}
        <li>
          <a class="button button--secondary" href={geta}>
            {t('export.unencodableGeta')}
          </a>
        </li>
      </ul>
    </>,
    { status: 422 },
  );
}
