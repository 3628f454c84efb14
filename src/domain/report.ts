/**
 * Report rules: shares, where to recruit next, and the open-data event layout. Pure.
 */
import { percent } from './rounding.js';

/** A share as a percentage with one decimal, rounded half up like every percentage (2/3: 66.7). */
export function share(part: number, whole: number): number | null {
  return percent(part, whole);
}

export type RecruitReason = 'noneTrained' | 'noCoordinator';

/** Why a unit is where to recruit next: nobody trained, or no active coordinator. Units with no staff are not listed. */
export function recruitReasons(u: { staff: number; trained: number; coordinators: number }): RecruitReason[] {
  if (u.staff <= 0) return [];
  const r: RecruitReason[] = [];
  if (u.trained === 0) r.push('noneTrained');
  if (u.coordinators === 0) r.push('noCoordinator');
  return r;
}

/**
 * The columns of the 自治体標準オープンデータセット「イベント一覧」 (Digital Agency), in order.
 * Kyodo fills what it knows and leaves the rest empty, as the layout allows.
 */
export const EVENT_DATASET_COLUMNS = [
  '都道府県コード又は市区町村コード',
  'NO',
  '都道府県名',
  '市区町村名',
  'イベント名',
  'イベント名_カナ',
  'イベント名_英語',
  '開始日',
  '終了日',
  '開始時間',
  '終了時間',
  '開始日時特記事項',
  '説明',
  '料金(基本)',
  '料金(詳細)',
  '連絡先名称',
  '連絡先電話番号',
  '連絡先内線番号',
  '主催者',
  '場所名称',
  '住所',
  '方書',
  '緯度',
  '経度',
  'アクセス方法',
  '駐車場情報',
  '定員',
  '参加申込終了日',
  '参加申込終了時間',
  '参加申込方法',
  'URL',
  '備考',
] as const;
export type EventDatasetRow = Record<(typeof EVENT_DATASET_COLUMNS)[number], string>;

export function eventRow(values: Partial<EventDatasetRow>): EventDatasetRow {
  return Object.fromEntries(EVENT_DATASET_COLUMNS.map((c) => [c, values[c] ?? ''])) as EventDatasetRow;
}
