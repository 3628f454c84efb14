import { raw } from 'hono/html';
import { escapeToBuffer } from 'hono/utils/html';
import type { Child } from 'hono/jsx';
import { fieldMessage, isMessageKey, type MessageKey, type Translate } from '../../i18n/index.js';
import type { FieldErrors } from '../../lib/validation.js';

export function CsrfField({ token }: { token: string }) {
  return <input type="hidden" name="_csrf" value={token} />;
}

/**
 * The error summary at the top of a form: a focusable list linking each message to its field.
 * `idPrefix`: the fields' idPrefix, so that each link reaches its own field when a page has several forms.
 * `labels`: a field's visible label where it is not the catalogue's `field.<name>` (an organisation's name is 団体名, not 氏名).
 */
export function ErrorSummary({ t, errors, idPrefix = '', labels = {} }: { t: Translate; errors?: FieldErrors | null; idPrefix?: string; labels?: Record<string, string> }) {
  const entries = Object.entries(errors ?? {});
  if (!entries.length) return null;
  const message = (f: string, e: FieldErrors[string]) => (labels[f] && isMessageKey(e.key) ? t(e.key, { field: labels[f], ...e.params }) : fieldMessage(t, f, e.key, e.params));
  return (
    <div class="error-summary" role="alert" tabindex={-1} id="error-summary">
      <h2>{t('form.errorSummary', { count: entries.length })}</h2>
      <ul>
        {entries.map(([f, e]) => (
          <li>{f === '_' ? message(f, e) : <a href={`#f-${idPrefix}${f}`}>{message(f, e)}</a>}</li>
        ))}
      </ul>
    </div>
  );
}

interface FieldBase {
  t: Translate;
  name: string;
  label: string;
  errors?: FieldErrors | null;
  required?: boolean;
  hint?: string;
  /** Search filters: no required/optional badge. */
  plain?: boolean;
  /** Distinguishes the ids of several forms on one page. */
  idPrefix?: string;
}

const fid = (p: { name: string; idPrefix?: string }) => `f-${p.idPrefix ?? ''}${p.name}`;

function FieldShell(p: FieldBase & { children: Child }) {
  const error = p.errors?.[p.name];
  return (
    <div class={`field${error ? ' field--error' : ''}`}>
      <label for={fid(p)}>
        {p.label}
        {p.plain ? null : <span class={p.required ? 'badge badge--required' : 'badge'}>{p.t(p.required ? 'common.required' : 'common.optional')}</span>}
      </label>
      {p.hint ? (
        <p class="hint" id={`${fid(p)}-hint`}>
          {p.hint}
        </p>
      ) : null}
      {error ? (
        <p class="field-error" id={`${fid(p)}-error`}>
          {labelledMessage(p, error)}
        </p>
      ) : null}
      {p.children}
    </div>
  );
}

/** A field's message names the field by the label the user sees next to it. */
function labelledMessage(p: FieldBase, error: FieldErrors[string]): string {
  return isMessageKey(error.key) && p.label ? p.t(error.key, { field: p.label, ...error.params }) : fieldMessage(p.t, p.name, error.key, error.params);
}

function describedBy(p: FieldBase): string | undefined {
  const ids = [p.hint ? `${fid(p)}-hint` : '', p.errors?.[p.name] ? `${fid(p)}-error` : ''].filter(Boolean);
  return ids.length ? ids.join(' ') : undefined;
}

export function TextField(
  p: FieldBase & { value?: string | null; type?: 'text' | 'email' | 'password' | 'search' | 'date' | 'datetime-local' | 'number'; autocomplete?: string; maxlength?: number },
) {
  return (
    <FieldShell {...p}>
      <input
        id={fid(p)}
        name={p.name}
        type={p.type ?? 'text'}
        value={p.type === 'password' ? undefined : (p.value ?? '')}
        required={p.required}
        aria-required={p.required ? 'true' : undefined}
        aria-invalid={p.errors?.[p.name] ? 'true' : undefined}
        aria-describedby={describedBy(p)}
        autocomplete={p.autocomplete}
        maxlength={p.maxlength}
      />
    </FieldShell>
  );
}

export function TextArea(p: FieldBase & { value?: string | null; rows?: number; maxlength?: number }) {
  return (
    <FieldShell {...p}>
      <textarea
        id={fid(p)}
        name={p.name}
        rows={p.rows ?? 4}
        maxlength={p.maxlength}
        required={p.required}
        aria-invalid={p.errors?.[p.name] ? 'true' : undefined}
        aria-describedby={describedBy(p)}
      >
        {p.value ?? ''}
      </textarea>
    </FieldShell>
  );
}

type SelectOption = { value: string | number; label: string };

/**
 * A select's options (the blank one, `options`, then `groups` under <optgroup> headings) written as one
 * string: the same markup and escaping JSX gives (checked byte for byte in tests/http/components-html.test.tsx),
 * without a node for each of a pick list's 50 units on every view.
 */
function optionsHtml(p: { value?: string | number | null; options: SelectOption[]; groups?: { label: string; options: SelectOption[] }[]; blank?: string }): string {
  const selected = String(p.value ?? '');
  let out = p.blank !== undefined ? `<option value="">${escapeHtml(String(p.blank))}</option>` : '';
  const add = (os: SelectOption[]) => {
    for (const o of os) {
      const v = String(o.value);
      out += `<option value="${escapeHtml(v)}"${v === selected ? ' selected=""' : ''}>${escapeHtml(String(o.label))}</option>`;
    }
  };
  add(p.options);
  for (const g of p.groups ?? []) {
    out += `<optgroup label="${escapeHtml(String(g.label))}">`;
    add(g.options);
    out += '</optgroup>';
  }
  return out;
}

/** `groups`: options under <optgroup> headings, after `options`. */
export function SelectField(p: FieldBase & { value?: string | number | null; options: SelectOption[]; groups?: { label: string; options: SelectOption[] }[]; blank?: string }) {
  return (
    <FieldShell {...p}>
      <select
        id={fid(p)}
        name={p.name}
        required={p.required}
        aria-required={p.required ? 'true' : undefined}
        aria-invalid={p.errors?.[p.name] ? 'true' : undefined}
        aria-describedby={describedBy(p)}
      >
        {raw(optionsHtml(p))}
      </select>
    </FieldShell>
  );
}

export function CheckboxGroup(p: FieldBase & { values: string[]; options: { value: string; label: string }[] }) {
  const error = p.errors?.[p.name];
  return (
    <fieldset class={`field${error ? ' field--error' : ''}`} id={fid(p)} aria-describedby={describedBy(p)}>
      <legend>{p.label}</legend>
      {error ? (
        <p class="field-error" id={`${fid(p)}-error`}>
          {labelledMessage(p, error)}
        </p>
      ) : null}
      {p.options.map((o) => (
        <label class="check">
          <input type="checkbox" name={p.name} value={o.value} checked={p.values.includes(o.value)} /> {o.label}
        </label>
      ))}
    </fieldset>
  );
}

export interface Column<T> {
  key: string;
  label: string;
  sortable?: boolean;
  /** Right-aligned figures (class "num"). */
  numeric?: boolean;
  /** The row's heading cell (<th scope="row">), usually the first column. */
  rowHeader?: boolean;
  /** A class on the column's cells (print widths and the like). */
  class?: string;
  cell: (row: T) => Child;
}

/**
 * Every table in the product (issue 19): server-side sorting (links with aria-sort) and paging when
 * `basePath` is given; works without JavaScript. On a narrow screen each row stacks into a card, each
 * cell labelled with its column's heading (data-label), unless `stack` is false (wide figure tables
 * that scroll instead).
 */
const cellClass = (c: { numeric?: boolean; class?: string }) => [c.numeric ? 'num' : '', c.class ?? ''].filter(Boolean).join(' ') || undefined;

/** Text as typed into a textarea: escaped by JSX, its line breaks kept as <br />. */
export function Lines({ text }: { text: string }) {
  return (
    <>
      {text
        .trim()
        .split(/\r\n?|\n/)
        .map((line, i) => (i ? <><br />{line}</> : line))}
    </>
  );
}

/** Hono's own escaping (what JSX does to text and attributes), so that both bodies are byte for byte the same. */
export const escapeHtml = (s: string) => {
  const buf: [string] = [''];
  escapeToBuffer(s, buf);
  return buf[0];
};
const attr = (name: string, v: string | undefined) => (v === undefined || v === null ? '' : ` ${name}="${escapeHtml(String(v))}"`);

function childHtml(v: unknown): string | null {
  if (typeof v === 'string') return escapeHtml(v);
  if (v === null || v === undefined || typeof v === 'boolean') return '';
  if (typeof v === 'number') return String(v);
  if (Array.isArray(v)) {
    let out = '';
    for (const x of v) {
      const h = childHtml(x);
      if (h === null) return null;
      out += h;
    }
    return out;
  }
  if (v instanceof Promise) return null;
  // A JSX node or an already escaped string (raw/html``): its own rendering, when it is synchronous.
  const h = (v as { toString(): unknown }).toString();
  if (typeof h === 'string' || h instanceof String) return String(h);
  return null;
}

/**
 * The body rows of a DataTable, written as one string: the same markup JSX gives (<tr id class>, then
 * <th scope="row" data-label class> or <td data-label class> per column), escaped the same way, without
 * building and walking a node tree for every cell of a 50-row page (two thirds of a list's rendering
 * time, docs/performance.md, 30 Nov afternoon). A cell may still be any JSX; a cell whose rendering is
 * asynchronous makes the whole body fall back to JSX.
 */
function bodyRows<T>(rows: readonly T[], columns: Column<T>[], rowId?: (row: T) => string | undefined, rowClass?: (row: T) => string | undefined): Child {
  const heads = columns.map((c) => `${c.rowHeader ? '<th scope="row"' : '<td'}${attr('data-label', c.label)}${attr('class', cellClass(c))}>`);
  const tails = columns.map((c) => (c.rowHeader ? '</th>' : '</td>'));
  let out = '';
  for (const r of rows) {
    out += `<tr${attr('id', rowId?.(r))}${attr('class', rowClass?.(r))}>`;
    for (let i = 0; i < columns.length; i++) {
      const h = childHtml(columns[i]!.cell(r));
      if (h === null) return rows.map((x) => bodyRowJsx(x, columns, rowId, rowClass));
      out += heads[i] + h + tails[i];
    }
    out += '</tr>';
  }
  return raw(out);
}

function bodyRowJsx<T>(r: T, columns: Column<T>[], rowId?: (row: T) => string | undefined, rowClass?: (row: T) => string | undefined) {
  return (
    <tr id={rowId?.(r)} class={rowClass?.(r)}>
      {columns.map((c) =>
        c.rowHeader ? (
          <th scope="row" data-label={c.label} class={cellClass(c)}>
            {c.cell(r)}
          </th>
        ) : (
          <td data-label={c.label} class={cellClass(c)}>
            {c.cell(r)}
          </td>
        ),
      )}
    </tr>
  );
}

export function DataTable<T>(p: {
  t: Translate;
  caption: Child;
  columns: Column<T>[];
  rows: readonly T[];
  sort?: string;
  dir?: 'asc' | 'desc';
  query?: Record<string, string | undefined>;
  /** Where the sort links point; without it no column sorts. */
  basePath?: string;
  /** An id for a row (anchors such as #programme-3). */
  rowId?: (row: T) => string | undefined;
  rowClass?: (row: T) => string | undefined;
  /** Rows after the body, e.g. totals. */
  foot?: Child;
  /** What an empty table says (default: 該当するものはありません). */
  empty?: Child;
  stack?: boolean;
  class?: string;
  /** Visually hidden caption (the page heading already says it). */
  captionHidden?: boolean;
}) {
  const link = (extra: Record<string, string>) => {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries({ ...p.query, ...extra })) if (v) q.set(k, v);
    return `${p.basePath}?${q.toString()}`;
  };
  const tableClass = ['data-table', p.stack === false ? '' : 'data-table--stack', p.class ?? ''].filter(Boolean).join(' ');
  return (
    <div class="table-wrap">
      <table class={tableClass}>
        <caption class={p.captionHidden ? 'visually-hidden' : undefined}>{p.caption}</caption>
        <thead>
          <tr>
            {p.columns.map((c) => {
              const active = p.sort === c.key;
              const next = active && p.dir === 'asc' ? 'desc' : 'asc';
              return (
                <th scope="col" class={c.numeric ? 'num' : undefined} aria-sort={c.sortable && active ? (p.dir === 'desc' ? 'descending' : 'ascending') : undefined}>
                  {c.sortable && p.basePath ? (
                    <a href={link({ sort: c.key, dir: next, page: '' })} title={p.t(next === 'asc' ? 'common.sortAsc' : 'common.sortDesc')}>
                      {c.label}
                      <span aria-hidden="true">{active ? (p.dir === 'desc' ? ' ▼' : ' ▲') : ''}</span>
                    </a>
                  ) : (
                    c.label
                  )}
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody>
          {p.rows.length ? (
            bodyRows(p.rows, p.columns, p.rowId, p.rowClass)
          ) : (
            <tr>
              <td colspan={p.columns.length}>{p.empty ?? p.t('common.noResults')}</td>
            </tr>
          )}
        </tbody>
        {p.foot ? <tfoot>{p.foot}</tfoot> : null}
      </table>
    </div>
  );
}

export function Pager(p: { t: Translate; page: number; pages: number; total: number; basePath: string; query: Record<string, string | undefined> }) {
  const link = (page: number) => {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries({ ...p.query, page: String(page) })) if (v) q.set(k, v);
    return `${p.basePath}?${q.toString()}`;
  };
  return (
    <nav class="pager" aria-label={p.t('common.page', { page: p.page, pages: p.pages, total: p.total })}>
      {p.page > 1 ? <a href={link(p.page - 1)} rel="prev">{p.t('common.previous')}</a> : null}
      <span>{p.t('common.page', { page: p.page, pages: p.pages, total: p.total })}</span>
      {p.page < p.pages ? <a href={link(p.page + 1)} rel="next">{p.t('common.next')}</a> : null}
    </nav>
  );
}

export function Downloads({ t, base, query }: { t: Translate; base: string; query?: string }) {
  const q = query ? `?${query}` : '';
  const sep = query ? '&' : '?';
  return (
    <p class="downloads">
      {t('common.download')}: <a href={`${base}.csv${q}`}>{t('common.downloadCsv')}</a> ・{' '}
      <a href={`${base}.csv${q}${sep}encoding=shift_jis`}>{t('common.downloadCsvSjis')}</a> ・ <a href={`${base}.xlsx${q}`}>{t('common.downloadXlsx')}</a>
    </p>
  );
}

export function msg(t: Translate, key: MessageKey) {
  return t(key);
}
