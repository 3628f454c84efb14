/**
 * Collaboration-project evaluation: both sides (the prefecture unit and each partner) score the same
 * criteria from 1 to 5; the comparison puts the views side by side and marks the gaps. Pure.
 */
import { roundHalfUp } from './rounding.js';

export const SCORE_MIN = 1;
export const SCORE_MAX = 5;
/** A difference of this much or more between the sides is highlighted. */
export const GAP_THRESHOLD = 2;

export interface SideScores {
  /** Criterion id → score and comment. */
  [criterionId: number]: { score: number; comment: string } | undefined;
}

export interface ComparisonRow {
  criterionId: number;
  unit: { score: number; comment: string } | null;
  partners: { partnerId: number; score: number | null; comment: string; gap: number | null; highlight: boolean }[];
  /** The largest gap (absolute) between the unit and any partner, or null if a side has not scored. */
  maxGap: number | null;
  highlight: boolean;
}

/**
 * One row per criterion: the unit's score, each partner's score and its gap to the unit's
 * (partner − unit). A gap of GAP_THRESHOLD or more, either way, is highlighted.
 */
export function compareSides(criteria: readonly { id: number }[], unit: SideScores | null, partners: readonly { partnerId: number; scores: SideScores | null }[]): ComparisonRow[] {
  return criteria.map((c) => {
    const u = unit?.[c.id] ?? null;
    const ps = partners.map((p) => {
      const s = p.scores?.[c.id] ?? null;
      const gap = s && u ? s.score - u.score : null;
      return { partnerId: p.partnerId, score: s?.score ?? null, comment: s?.comment ?? '', gap, highlight: gap !== null && Math.abs(gap) >= GAP_THRESHOLD };
    });
    const gaps = ps.map((p) => p.gap).filter((g): g is number => g !== null);
    const maxGap = gaps.length ? gaps.reduce((m, g) => (Math.abs(g) > Math.abs(m) ? g : m), gaps[0]) : null;
    return { criterionId: c.id, unit: u, partners: ps, maxGap, highlight: ps.some((p) => p.highlight) };
  });
}

/** The mean of a side's scores over the given criteria (two decimals), or null if none. */
export function sideMean(criteria: readonly { id: number }[], s: SideScores | null): number | null {
  const xs = criteria.map((c) => s?.[c.id]?.score).filter((x): x is number => typeof x === 'number');
  return xs.length ? roundHalfUp(xs.reduce((a, b) => a + b, 0) / xs.length, 2) : null;
}

/** The criteria every installation starts with (seeded by the consultations migration; admins may edit them). */
export const DEFAULT_CRITERIA: { code: string; label: string; labelEn: string }[] = [
  { code: 'roles', label: 'お互いの役割分担が明確だった', labelEn: 'Roles were clear' },
  { code: 'goals', label: '事業の目標を共有できた', labelEn: 'Goals were shared' },
  { code: 'differences', label: '立場や考え方の違いを話し合い、調整できた', labelEn: 'Differences were worked out' },
  { code: 'information', label: '必要な情報を互いに共有できた', labelEn: 'Information was shared' },
  { code: 'results', label: '事業の成果を共有できた', labelEn: 'Results were shared' },
  { code: 'again', label: 'また一緒に協働したい', labelEn: 'Would collaborate again' },
];
