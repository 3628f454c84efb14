import type { MessageKey, Params } from '../../i18n/index.js';
import { SUCCESS_CRITERIA, type SuccessCriterion } from './criteria.js';
import type { AxeResults, ManualCheck } from './schema.js';

/**
 * The JIS X 8341-3:2016 試験結果 from the browser tests' axe runs and the checks done by hand: one verdict per
 * success criterion (A and AA), the conformance claim, the pages tested and the test period.
 *
 * A criterion is 不適合 when an axe rule for it failed on any page or a check found it failing; otherwise 適合
 * when a rule passed somewhere or a check found it met; otherwise 適用なし when every rule for it found nothing
 * to apply to, or a check said so; otherwise 未確認. The claim (JIS X 8341-3:2016, WCAG 2.0 criteria only) is
 * 準拠 when every criterion is 適合 or 適用なし, else 一部準拠 (WAIC 対応度表記ガイドライン 2016年3月版).
 */
export type Verdict = 'pass' | 'fail' | 'na' | 'untested';
export type Source = 'auto' | 'browserTest' | 'hand';
/** A note on a criterion: a message, or a reference to the n-th check of the manual list (from 1). */
export type Note = { key: MessageKey; params?: Params } | { check: number; result: ManualCheck['result'] };

export interface CriterionResult extends SuccessCriterion {
  verdict: Verdict;
  by: Source[];
  notes: Note[];
}

export interface TestedPage {
  path: string;
  title: string;
  viewport: string;
  violations: number;
}

export interface AccessibilityReport {
  tool: string;
  claim: 'full' | 'partial';
  criteria: CriterionResult[];
  counts: Record<Verdict, number>;
  pages: TestedPage[];
  distinctUrls: number;
  period: { from: string; to: string } | null;
  manual: readonly ManualCheck[];
}

export function accessibilityReport(results: AxeResults, manual: readonly ManualCheck[]): AccessibilityReport {
  // Pages are counted by URL and screen size, however many steps of a journey checked them.
  const distinct = (list: AxeResults['pages']) => new Set(list.map((p) => `${p.path} ${p.viewport}`)).size;
  const pagesWith = (rule: string, kind: 'passes' | 'incomplete' | 'violations') =>
    distinct(results.pages.filter((p) => (kind === 'violations' ? p.violations.some((v) => v.rule === rule) : p[kind].includes(rule))));

  const criteria = SUCCESS_CRITERIA.map((sc): CriterionResult => {
    const rules = Object.entries(results.rules)
      .filter(([, r]) => r.criteria.includes(sc.id))
      .map(([id]) => id)
      .sort();
    const violated = rules.map((rule) => ({ rule, pages: pagesWith(rule, 'violations') })).filter((r) => r.pages > 0);
    const passed = rules.filter((rule) => pagesWith(rule, 'passes') > 0);
    const passedPages = distinct(results.pages.filter((p) => p.passes.some((r) => passed.includes(r))));
    const incomplete = rules.map((rule) => ({ rule, pages: pagesWith(rule, 'incomplete') })).filter((r) => r.pages > 0);
    const auto: Verdict | null = violated.length ? 'fail' : passed.length ? 'pass' : rules.length && !incomplete.length && results.pages.length ? 'na' : null;

    const checks = manual.filter((m) => m.criteria.includes(sc.id));
    const numbered = manual.flatMap((m, i) => (m.criteria.includes(sc.id) ? [{ check: i + 1, result: m.result }] : []));
    const by: Source[] = [];
    if (auto) by.push('auto');
    if (checks.some((m) => m.by === 'browser-test')) by.push('browserTest');
    if (checks.some((m) => m.by === 'hand')) by.push('hand');
    const verdicts = [auto, ...checks.map((m) => m.result)];
    const verdict: Verdict = verdicts.includes('fail') ? 'fail' : verdicts.includes('pass') ? 'pass' : verdicts.includes('na') ? 'na' : 'untested';

    const notes: Note[] = [
      ...violated.map((v): Note => ({ key: 'accessibility.note.violated', params: { rule: v.rule, pages: v.pages } })),
      ...(passed.length ? [{ key: 'accessibility.note.passed', params: { rules: passed.length, pages: passedPages } } as Note] : []),
      ...incomplete.map((v): Note => ({ key: 'accessibility.note.incomplete', params: { rule: v.rule, pages: v.pages } })),
      ...(auto === 'na' ? [{ key: 'accessibility.note.inapplicable' } as Note] : []),
      ...numbered,
      ...(verdict === 'untested' ? [{ key: 'accessibility.note.untested' } as Note] : []),
    ];
    return { ...sc, verdict, by, notes };
  });

  const counts: Record<Verdict, number> = { pass: 0, fail: 0, na: 0, untested: 0 };
  for (const c of criteria) counts[c.verdict]++;
  const claim = criteria.filter((c) => c.since === '2.0').every((c) => c.verdict === 'pass' || c.verdict === 'na') ? 'full' : 'partial';

  // One row per URL and screen size: the same page checked at several steps of a journey counts once, with
  // every violation found on it.
  const byPage = new Map<string, TestedPage>();
  for (const p of results.pages) {
    const key = `${p.path} ${p.viewport}`;
    const found = byPage.get(key) ?? { path: p.path, title: p.title, viewport: p.viewport, violations: 0 };
    found.violations += p.violations.reduce((n, v) => n + v.nodes, 0);
    byPage.set(key, found);
  }
  const pages = [...byPage.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : a.viewport < b.viewport ? -1 : a.viewport > b.viewport ? 1 : 0));
  const dates = [...Object.values(results.runs), ...manual.map((m) => m.date)].sort();
  return {
    tool: results.tool,
    claim,
    criteria,
    counts,
    pages,
    distinctUrls: new Set(pages.map((p) => p.path)).size,
    period: dates.length ? { from: dates[0]!, to: dates[dates.length - 1]! } : null,
    manual,
  };
}
