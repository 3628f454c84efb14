import type { ImportJobKind } from '../db/repositories/import-job.repository.js';
import { type Affiliation, AFFILIATIONS, type Role, ROLES, type UnitKind } from '../domain/values.js';
import { LANGS, type MessageKey, translator } from '../i18n/index.js';
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
  /**
   * The catalogue key of the header a list's download writes for this column: its Japanese and
   * English text are read as this column too, so that a downloaded list imports back as it is.
   */
  label?: MessageKey;
  /**
   * Read only to check it (the download writes it; an import never changes it): left out of the
   * templates, the column list on the upload page and the preview.
   */
  checkOnly?: boolean;
}

const col = (key: string, ja: string, required: boolean, width: number, example: string, choices?: readonly string[]): ImportColumn => ({ key, ja, required, width, example, choices });
/** A people column, also read under the header the people list's download writes (field labels, ja and en). */
const personCol = (key: string, ja: string, required: boolean, width: number, example: string, choices?: readonly string[], extra: Partial<ImportColumn> = {}): ImportColumn => ({
  ...col(key, ja, required, width, example, choices),
  label: `field.${key}` as MessageKey,
  ...extra,
});

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
  // Read by name, in any order (the people list's download puts 職名 after 職員番号). 職名 came later and
  // is last in the template, so that a template filled in by column position still fits.
  people: [
    personCol('name', '氏名', true, 16, '渡辺 健一'),
    personCol('kana', 'フリガナ', true, 18, 'ワタナベ ケンイチ'),
    personCol('email', 'メールアドレス', true, 28, 'k.watanabe@pref.example.jp'),
    personCol('staffNumber', '職員番号', false, 12, '012345'),
    personCol('unit', '所属', false, 24, '総務部/人事課'),
    personCol('affiliation', '所属区分', true, 12, '県', ['県', '市町', '関係機関', '協働相手']),
    personCol('roles', '役割', false, 20, '職員、所属長'),
    personCol('jobTitle', '職名', false, 16, '主査'),
    personCol('active', '状態', false, 8, '有効', ['有効', '無効'], { checkOnly: true }),
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

const translators = LANGS.map((lang) => translator(lang));
/** A catalogue text in every language, as a cell's word is compared (NFKC, trimmed, lower case). */
const spoken = (key: MessageKey) => translators.map((t) => t(key).normalize('NFKC').trim().toLowerCase());
/** Each column's other names: the download's header in every language, NFKC and lower-cased. */
const LABELS = new Map(
  Object.values(IMPORT_COLUMNS)
    .flat()
    .filter((c) => c.label)
    .map((c) => [c, new Set(spoken(c.label!))]),
);

export function columnOf(kind: ImportKind, header: string) {
  const h = headerName(header);
  const lower = h.toLowerCase();
  return IMPORT_COLUMNS[kind].find((c) => c.ja === h || c.key === h || !!LABELS.get(c)?.has(lower));
}

/** The columns a template offers and the upload page lists (not those read only to check them). */
export const templateColumns = (kind: ImportKind) => IMPORT_COLUMNS[kind].filter((c) => !c.checkOnly);

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
// The words a list's download writes (roles and affiliations in Japanese and English) read back as the values they stand for.
for (const r of ROLES) for (const w of spoken(`role.${r}`)) ROLE_WORDS[w] ??= r;
for (const a of AFFILIATIONS) for (const w of spoken(`affiliation.${a}`)) AFFILIATION_WORDS[w] ??= a;
/** 状態 as the download writes it, in either language. */
const ACTIVE_WORDS: Record<string, boolean> = Object.fromEntries([...spoken('common.active').map((w) => [w, true]), ...spoken('common.inactive').map((w) => [w, false])]);
/** A word of a cell as a value of `words`: as written, or ignoring case (Staff, STAFF). */
export const lookUp = <T>(words: Record<string, T>, w: string): T | undefined => (Object.hasOwn(words, w) ? words[w] : Object.hasOwn(words, w.toLowerCase()) ? words[w.toLowerCase()] : undefined);

/**
 * A roles cell as words: separated by 、 , ; (and by spaces, unless the whole piece is a role's name
 * with a space in it, as the English download writes 「Programme admin」).
 */
export function roleWords(cell: string | undefined): string[] {
  return word(cell)
    .split(/[、,;；]+/)
    .map((piece) => piece.trim())
    .filter(Boolean)
    .flatMap((piece) => (lookUp(ROLE_WORDS, piece) ? [piece] : piece.split(/\s+/)));
}

/** 状態 as the download writes it (有効・無効, Active・Inactive): true, false, or undefined for an empty cell; null for any other word. */
export function activeWord(cell: string | undefined): boolean | null | undefined {
  const w = word(cell);
  if (!w) return undefined;
  return lookUp(ACTIVE_WORDS, w) ?? null;
}

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
