/**
 * Rules of the office's paper (issue 16 §3): the 文書番号, who may issue notices and which ones an
 * issue numbers, how a notice to a 所属 is addressed, and the order of a 受講者名簿. Pure: no I/O, no
 * clock.
 */
import { compareKana } from './kana.js';
import { isAdmin, type PolicyActor } from './policies/actor.js';

export const DOCUMENT_KINDS = ['decision_notice', 'unit_notice', 'certificate'] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];

/** 「協働第123号」: the configured prefix, then the year's serial. */
export function formatDocumentNumber(prefix: string, serial: number): string {
  if (!Number.isSafeInteger(serial) || serial < 1) throw new RangeError(`not a serial: ${serial}`);
  return `${prefix}第${serial}号`;
}

/**
 * The blank a notice not yet issued shows where its number goes: 「協働第　　号」. Viewing or
 * downloading a notice never numbers it; only issuing does.
 */
export function blankDocumentNumber(prefix: string): string {
  return `${prefix}第　　号`;
}

/** Who may issue the office's notices (give them their 文書番号 and date): the training office only. */
export function mayIssueNotices(actor: PolicyActor | null | undefined): boolean {
  return isAdmin(actor);
}

/**
 * What one issue numbers: exactly the notices without a number yet, in the order they are printed
 * (so the serials run down the printed pile). Notices already issued keep theirs: never renumbered.
 */
export function noticesToIssue<T extends { doc: unknown | null }>(notices: readonly T[]): T[] {
  return notices.filter((n) => n.doc === null);
}

/** The subject a unit's notice is kept under: one notice per offering and 所属 (unit null: people with no 所属). */
export function unitNoticeSubject(offeringId: number, unitId: number | null): string {
  return `${offeringId}:${unitId ?? 'none'}`;
}

/** Endings of a unit's name that take 長 for its head: 総務課 → 総務課長. */
const HEADED = ['課', '室', '所', '局', '部', 'センター', '事務所', '課室'];

export interface UnitHead {
  name: string;
  /** 職名, such as 課長; null when not recorded. */
  title: string | null;
}

/**
 * The 宛名 of a unit's notice: its head by position (and name when known), else 「○○ 所属長 様」.
 * A head is an approver of the unit whose 職名 ends in 長 (課長, 室長…); with only approvers of no
 * such 職名 the position is still named from the unit's name (総務課 → 総務課長 様).
 */
export function unitAddressee(unitName: string | null, approvers: readonly UnitHead[]): string {
  if (!unitName) return '所属長 様';
  const head = approvers.find((a) => a.title?.trim().endsWith('長'));
  if (head) {
    const title = head.title!.trim();
    const position = unitName.endsWith(title.slice(0, -1)) && title.length > 1 ? `${unitName}長` : `${unitName} ${title}`;
    return `${position} ${head.name} 様`;
  }
  if (approvers.length && HEADED.some((e) => unitName.endsWith(e))) return `${unitName}長 様`;
  return `${unitName} 所属長 様`;
}

/** A 受講者名簿 in 50音順 of フリガナ (never the kanji), then 職員番号 for equal readings. */
export function rosterOrder<T extends { kana: string; staffNumber: string | null }>(rows: readonly T[]): T[] {
  return rows
    .map((row, i) => ({ row, i }))
    .sort((a, b) => compareKana(a.row.kana, b.row.kana) || (a.row.staffNumber ?? '').localeCompare(b.row.staffNumber ?? '') || a.i - b.i)
    .map((x) => x.row);
}
