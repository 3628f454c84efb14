import { describe, expect, it } from 'vitest';
import { batchDue, latestPerRespondent, paddingFor, shuffled } from '../../src/domain/answer-batch.js';

describe('anonymous answer batches (decision 0018)', () => {
  it.each([
    [0, 5, false, false],
    [0, 5, true, false],
    [4, 5, false, false],
    [5, 5, false, true],
    [7, 5, false, true],
    [1, 5, true, true],
  ])('%s waiting, minimum %s, closed %s → due %s', (waiting, min, closed, due) => {
    expect(batchDue(waiting, min, closed)).toBe(due);
  });

  it.each([
    [1, 10, 5, 4],
    [3, 1, 5, 1],
    [5, 10, 5, 0],
    [8, 10, 5, 0],
    [2, 0, 5, 0],
  ])('a batch of %s with %s older answers and minimum %s writes %s of them again', (batch, others, min, pad) => {
    expect(paddingFor(batch, others, min)).toBe(pad);
  });

  it("keeps each respondent's latest answer; a change to a waiting answer is still a new one", () => {
    const a = (editKeyHash: string, kind: 'new' | 'edit', at: number, v: number) => ({ kind, editKeyHash, answers: { v }, scores: [], at });
    const latest = latestPerRespondent([a('k1', 'new', 1, 1), a('k2', 'edit', 2, 2), a('k1', 'edit', 3, 3), a('k2', 'edit', 4, 4)]);
    expect(latest.map((x) => [x.editKeyHash, x.kind, x.answers.v]).sort()).toEqual([
      ['k1', 'new', 3],
      ['k2', 'edit', 4],
    ]);
  });

  it('shuffles with the given randomness, keeping every item', () => {
    const xs = [1, 2, 3, 4, 5];
    expect(shuffled(xs, () => 0)).toEqual([2, 3, 4, 5, 1]);
    expect(shuffled(xs, (n) => n - 1)).toEqual(xs);
    expect([...shuffled(xs, (n) => Math.floor(n / 2))].sort()).toEqual(xs);
  });
});
