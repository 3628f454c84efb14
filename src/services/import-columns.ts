import type { ImportJobKind } from '../db/repositories/import-job.repository.js';
import type { Affiliation, Role, UnitKind } from '../domain/values.js';
import type { FieldErrors } from '../lib/validation.js';

/** A file's rows as read (line number and cells by column key), and one row's refusals. */
export type SourceRows = { line: number; cells: Record<string, string> }[];
export type RowErrors = { line: number; errors: FieldErrors };

export type ImportKind = ImportJobKind;
export const IMPORT_KINDS: readonly ImportKind[] = ['people', 'units', 'history', 'partners', 'roster'];

export interface ImportColumn {
  key: string;
  /** The column's name in the file (Japanese, as users write it). */
  ja: string;
  required: boolean;
  /** Width in the template, in characters. */
  width: number;
  /** An example value, shown in the template's explanation sheet. */
  example: string;
  /** The words the column accepts (a drop-down list in the template). */
  choices?: readonly string[];
}

const col = (key: string, ja: string, required: boolean, width: number, example: string, choices?: readonly string[]): ImportColumn => ({ key, ja, required, width, example, choices });

/** Column names: Japanese as users write them, or the English keys; "（必須）" marks are ignored when read. */
export const IMPORT_COLUMNS: Record<ImportKind, ImportColumn[]> = {
  units: [
    col('kind', '種別', true, 12, '課・室', ['部局', '課・室', '市町', '関係機関']),
    col('name', '組織名', true, 24, '人事課'),
    col('kana', 'フリガナ', true, 24, 'ジンジカ'),
    col('parent', '上位組織', false, 24, '総務部'),
    col('code', '団体コード', false, 12, '252018'),
  ],
  partners: [
    col('name', '団体名', true, 30, 'NPO法人 びわこ環境ネット'),
    col('kana', 'フリガナ', true, 30, 'ビワコカンキョウネット'),
    col('type', '種別', true, 12, 'NPO法人', ['地域団体', 'NPO法人', '任意団体', '企業', '大学', 'その他']),
    col('fields', '分野', false, 20, '環境、まちづくり'),
    col('areas', '活動地域', false, 20, '大津市、草津市'),
    col('contactName', '担当者', false, 16, '湖南 花子'),
    col('contactEmail', 'メールアドレス', false, 28, 'info@biwako-net.example.jp'),
    col('contactPhone', '電話番号', false, 16, '077-000-0000'),
    col('description', '説明', false, 40, '琵琶湖の水辺の保全活動をしています。'),
  ],
  history: [
    col('staffNumber', '職員番号', false, 12, '012345'),
    col('email', 'メールアドレス', false, 28, 'k.watanabe@pref.example.jp'),
    col('fiscalYear', '年度', true, 10, '平成23年度'),
    col('programme', '研修事業', false, 24, '協働推進セミナー'),
    col('title', '研修名', true, 30, '協働推進セミナー（第1回）'),
    col('completed', '修了', true, 8, '修了', ['修了', '未修了']),
    col('note', '備考', false, 30, ''),
  ],
  people: [
    col('name', '氏名', true, 16, '渡辺 健一'),
    col('kana', 'フリガナ', true, 18, 'ワタナベ ケンイチ'),
    col('email', 'メールアドレス', true, 28, 'k.watanabe@pref.example.jp'),
    col('staffNumber', '職員番号', false, 12, '012345'),
    col('unit', '所属', false, 24, '総務部/人事課'),
    col('affiliation', '所属区分', true, 12, '県', ['県', '市町', '関係機関', '協働相手']),
    col('roles', '役割', false, 20, '職員、所属長'),
  ],
  roster: [
    col('staffNumber', '職員番号', false, 12, '012345'),
    col('email', 'メールアドレス', false, 28, 'k.watanabe@pref.example.jp'),
    col('name', '氏名', true, 16, '渡辺 健一'),
  ],
};

/** A header cell as a column name: NFKC, trimmed, without a required mark (「氏名（必須）」, 「氏名*」, 「※氏名」). */
export function headerName(h: string): string {
  return h
    .normalize('NFKC')
    .trim()
    .replace(/\s*[(（]必須[)）]$/, '')
    .replace(/\s*\*$/, '')
    .replace(/^※\s*/, '')
    .trim();
}

export function columnOf(kind: ImportKind, header: string) {
  const h = headerName(header);
  return IMPORT_COLUMNS[kind].find((c) => c.ja === h || c.key === h);
}

export const KIND_WORDS: Record<string, UnitKind> = {
  部局: 'department', 部: 'department', department: 'department',
  '課・室': 'division', 課: 'division', 室: 'division', division: 'division',
  市町: 'municipality', 市: 'municipality', 町: 'municipality', municipality: 'municipality',
  関係機関: 'agency', agency: 'agency',
};
export const AFFILIATION_WORDS: Record<string, Affiliation> = {
  県: 'prefecture', 県職員: 'prefecture', prefecture: 'prefecture',
  市町: 'municipality', 市町職員: 'municipality', municipality: 'municipality',
  関係機関: 'agency', agency: 'agency',
  協働相手: 'partner', partner: 'partner',
};
export const ROLE_WORDS: Record<string, Role> = {
  研修担当: 'admin', 管理者: 'admin', admin: 'admin',
  所属長: 'approver', 所属研修担当: 'approver', 承認者: 'approver', approver: 'approver',
  職員: 'staff', staff: 'staff',
  協働コーディネーター: 'coordinator', コーディネーター: 'coordinator', coordinator: 'coordinator',
  協働相手: 'partner', partner: 'partner',
};
export const PARTNER_TYPE_WORDS: Record<string, string> = {
  地域団体: 'community', 自治会: 'community', NPO法人: 'npo', NPO: 'npo', 任意団体: 'voluntary', 企業: 'company', 大学: 'university', その他: 'other',
  community: 'community', npo: 'npo', voluntary: 'voluntary', company: 'company', university: 'university', other: 'other',
};
export const YES = new Set(['修了', '済', 'はい', 'yes', 'true', '1', '○', '〇']);
export const NO = new Set(['未修了', '未', 'いいえ', 'no', 'false', '0', '×']);

export const word = (v: string | undefined) => (v ?? '').normalize('NFKC').trim();

/** A row that cannot be applied as the database stands now: the whole import is rolled back, naming it. */
export class RowConflict extends Error {
  constructor(
    public line: number,
    public field: string,
    public key: string,
    public params?: Record<string, string | number>,
  ) {
    super(`line ${line}: ${field} ${key}`);
  }
}
