/**
 * Anonymous answers are written in batches (decision 0018). Pure rules: when a batch is due, what each
 * respondent's answer finally is, how many older answers are written again with it, and a shuffle.
 * Randomness comes from the caller.
 */
export interface PooledAnswer<A = unknown, S = unknown> {
  kind: 'new' | 'edit';
  /** sha256 of the respondent's edit key: the only way back to "their" answer, held by them alone. */
  editKeyHash: string;
  answers: A;
  scores: S[];
  /** When it was given, inside the sealed box only: orders a respondent's own changes. */
  at: number;
}

/** A batch is written when `min` answers wait, or, once answering has closed, whatever waits. */
export function batchDue(waiting: number, min: number, closed: boolean): boolean {
  return waiting > 0 && (closed || waiting >= min);
}

/** Older answers written again with a batch smaller than `min`, so that every batch holds at least `min` rows where there are that many. */
export function paddingFor(batch: number, others: number, min: number): number {
  return Math.max(0, Math.min(others, min - batch));
}

/** Each respondent's latest answer among those waiting (by edit key), in no particular order. */
export function latestPerRespondent<A, S>(waiting: readonly PooledAnswer<A, S>[]): PooledAnswer<A, S>[] {
  const latest = new Map<string, PooledAnswer<A, S>>();
  for (const a of waiting) {
    const had = latest.get(a.editKeyHash);
    if (!had || a.at >= had.at) latest.set(a.editKeyHash, { ...a, kind: had?.kind === 'new' || a.kind === 'new' ? 'new' : 'edit' });
  }
  return [...latest.values()];
}

/** Fisher–Yates with the caller's `randomInt(n)` (0 ≤ r < n). */
export function shuffled<T>(xs: readonly T[], randomInt: (n: number) => number): T[] {
  const out = [...xs];
  for (let i = out.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}
