import { describe, expect, it } from 'vitest';
import { Batcher, batcherPerOwner, type Settled } from '../../src/lib/batcher.js';

/** A promise settled from outside. */
function deferred<T = void>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Lets the event loop turn once: everything queued with setImmediate before this call has run. */
const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

interface Call<K, I> {
  key: K;
  items: I[];
  /** Finishes this run: each item's answer is `answer(item)` unless given otherwise. */
  finish: (results?: Settled<string>[]) => void;
  fail: (error: unknown) => void;
}

/**
 * A `run` under the test's control: it records each call and the runs in flight (per key and overall),
 * and each run waits until the test finishes it, or finishes at once with `auto`.
 */
function recorder<K>(opts: { auto?: boolean } = {}) {
  const calls: Call<K, number>[] = [];
  const inFlight = new Map<K, number>();
  const maxInFlight = new Map<K, number>();
  let inFlightAll = 0;
  let maxInFlightAll = 0;
  const answer = (item: number) => `r${item}`;
  const run = async (key: K, items: number[]): Promise<Settled<string>[]> => {
    inFlight.set(key, (inFlight.get(key) ?? 0) + 1);
    maxInFlight.set(key, Math.max(maxInFlight.get(key) ?? 0, inFlight.get(key)!));
    inFlightAll++;
    maxInFlightAll = Math.max(maxInFlightAll, inFlightAll);
    const d = deferred<Settled<string>[]>();
    calls.push({
      key,
      items: [...items],
      finish: (results) => d.resolve(results ?? items.map((i) => ({ ok: true, value: answer(i) }))),
      fail: (error) => d.reject(error),
    });
    if (opts.auto) calls.at(-1)!.finish();
    try {
      return await d.promise;
    } finally {
      inFlight.set(key, inFlight.get(key)! - 1);
      inFlightAll--;
    }
  };
  return {
    run,
    calls,
    answer,
    maxInFlight: (key: K) => maxInFlight.get(key) ?? 0,
    maxInFlightAll: () => maxInFlightAll,
  };
}

describe('Batcher: what is submitted together runs together', () => {
  it('a lone submission runs on the next turn of the event loop, not at once nor on a microtask', async () => {
    const r = recorder<string>({ auto: true });
    const b = new Batcher(r.run);
    const p = b.submit('a', 1);
    expect(r.calls).toHaveLength(0);
    for (let i = 0; i < 10; i++) await Promise.resolve();
    expect(r.calls).toHaveLength(0);
    await turn();
    expect(r.calls.map((c) => c.items)).toEqual([[1]]);
    await expect(p).resolves.toBe('r1');
  });

  it.each([1, 2, 5, 40])('%i items submitted in the same tick for one key go to one run, in submission order', async (n) => {
    const r = recorder<string>({ auto: true });
    const b = new Batcher(r.run);
    const items = Array.from({ length: n }, (_, i) => (i * 7919) % 101); // not sorted
    const results = await Promise.all(items.map((i) => b.submit('a', i)));
    expect(r.calls.map((c) => [c.key, c.items])).toEqual([['a', items]]);
    expect(results).toEqual(items.map(r.answer));
  });

  it('items submitted while a run is in flight wait, and all go together into the next run', async () => {
    const r = recorder<string>();
    const b = new Batcher(r.run);
    const first = b.submit('a', 1);
    await turn();
    expect(r.calls.map((c) => c.items)).toEqual([[1]]);

    // Over several turns of the event loop, while run 1 is in flight: nothing starts.
    const waiting: Promise<string>[] = [];
    for (let i = 2; i <= 31; i++) {
      waiting.push(b.submit('a', i));
      if (i % 10 === 0) await turn();
    }
    await turn();
    expect(r.calls).toHaveLength(1);

    r.calls[0].finish();
    await expect(first).resolves.toBe('r1');
    await turn();
    expect(r.calls.map((c) => c.items)).toEqual([[1], Array.from({ length: 30 }, (_, i) => i + 2)]);

    // Something submitted while run 2 is in flight goes into run 3.
    const late = b.submit('a', 99);
    await turn();
    expect(r.calls).toHaveLength(2);
    r.calls[1].finish();
    expect(await Promise.all(waiting)).toEqual(Array.from({ length: 30 }, (_, i) => r.answer(i + 2)));
    await turn();
    expect(r.calls.map((c) => c.items)).toHaveLength(3);
    expect(r.calls[2].items).toEqual([99]);
    r.calls[2].finish();
    await expect(late).resolves.toBe('r99');
    expect(r.maxInFlight('a')).toBe(1);
  });

  it('runs of one key never overlap under a stream of submissions at random moments', async () => {
    const r = recorder<string>({ auto: true });
    const b = new Batcher(r.run);
    const all: Promise<string>[] = [];
    for (let i = 0; i < 200; i++) {
      all.push(b.submit('a', i));
      if (i % 3 === 0) await Promise.resolve();
      if (i % 17 === 0) await turn();
    }
    expect(await Promise.all(all)).toEqual(Array.from({ length: 200 }, (_, i) => r.answer(i)));
    expect(r.maxInFlight('a')).toBe(1);
    // Every item went to exactly one run, in submission order, and runs were shared.
    expect(r.calls.flatMap((c) => c.items)).toEqual(Array.from({ length: 200 }, (_, i) => i));
    expect(r.calls.length).toBeLessThan(200);
  });

  it('different keys run independently: their runs overlap, and one finishing does not wait for the other', async () => {
    const r = recorder<string>();
    const b = new Batcher(r.run);
    const a = b.submit('a', 1);
    const bb = b.submit('b', 2);
    await turn();
    expect(r.calls.map((c) => [c.key, c.items])).toEqual([
      ['a', [1]],
      ['b', [2]],
    ]);
    expect(r.maxInFlightAll()).toBe(2);

    // A second item for 'b' while both are in flight waits for 'b' only.
    const b2 = b.submit('b', 3);
    r.calls[1].finish();
    await expect(bb).resolves.toBe('r2');
    await turn();
    expect(r.calls.map((c) => [c.key, c.items])).toEqual([
      ['a', [1]],
      ['b', [2]],
      ['b', [3]],
    ]);
    r.calls[2].finish();
    await expect(b2).resolves.toBe('r3');

    r.calls[0].finish();
    await expect(a).resolves.toBe('r1');
    expect(r.maxInFlight('a')).toBe(1);
    expect(r.maxInFlight('b')).toBe(1);
  });

  it('tells keys apart by identity (Map semantics)', async () => {
    const r = recorder<object>({ auto: true });
    const b = new Batcher(r.run);
    const k1 = { id: 1 };
    const k2 = { id: 1 };
    await Promise.all([b.submit(k1, 1), b.submit(k2, 2), b.submit(k1, 3)]);
    expect(r.calls.map((c) => [c.key, c.items])).toEqual([
      [k1, [1, 3]],
      [k2, [2]],
    ]);
    expect(r.calls[0].key).toBe(k1);
    expect(r.calls[1].key).toBe(k2);
  });
});

describe('Batcher: maxBatch', () => {
  it.each([
    { n: 7, max: 3, runs: [[0, 1, 2], [3, 4, 5], [6]] },
    { n: 6, max: 3, runs: [[0, 1, 2], [3, 4, 5]] },
    { n: 2, max: 5, runs: [[0, 1]] },
    { n: 3, max: 1, runs: [[0], [1], [2]] },
    { n: 5, max: 5, runs: [[0, 1, 2, 3, 4]] },
  ])('splits $n items with maxBatch $max into consecutive runs $runs, order kept', async ({ n, max, runs }) => {
    const r = recorder<string>({ auto: true });
    const b = new Batcher(r.run, max);
    const results = await Promise.all(Array.from({ length: n }, (_, i) => b.submit('a', i)));
    expect(r.calls.map((c) => c.items)).toEqual(runs);
    expect(results).toEqual(Array.from({ length: n }, (_, i) => r.answer(i)));
    expect(r.maxInFlight('a')).toBe(1);
  });

  it('runs the split parts one after the other: the second starts only when the first has finished', async () => {
    const r = recorder<string>();
    const b = new Batcher(r.run, 2);
    const ps = [1, 2, 3].map((i) => b.submit('a', i));
    await turn();
    expect(r.calls.map((c) => c.items)).toEqual([[1, 2]]);
    r.calls[0].finish();
    expect(await Promise.all(ps.slice(0, 2))).toEqual(['r1', 'r2']);
    await turn();
    expect(r.calls.map((c) => c.items)).toEqual([[1, 2], [3]]);
    r.calls[1].finish();
    await expect(ps[2]).resolves.toBe('r3');
  });

  it('defaults to 250 items a run', async () => {
    const r = recorder<string>({ auto: true });
    const b = new Batcher(r.run);
    await Promise.all(Array.from({ length: 251 }, (_, i) => b.submit('a', i)));
    expect(r.calls.map((c) => c.items.length)).toEqual([250, 1]);
  });
});

describe('Batcher: errors', () => {
  it('an item answered with an error rejects only that item', async () => {
    const r = recorder<string>();
    const b = new Batcher(r.run);
    const bad = new Error('定員を超えています');
    const settled = Promise.allSettled([1, 2, 3].map((i) => b.submit('a', i)));
    await turn();
    r.calls[0].finish([
      { ok: true, value: 'one' },
      { ok: false, error: bad },
      { ok: true, value: 'three' },
    ]);
    expect(await settled).toEqual([
      { status: 'fulfilled', value: 'one' },
      { status: 'rejected', reason: bad },
      { status: 'fulfilled', value: 'three' },
    ]);
    expect((await settled)[1]).toHaveProperty('reason', bad);
  });

  it('an item that run leaves without an answer is rejected, not left hanging', async () => {
    const r = recorder<string>();
    const b = new Batcher(r.run);
    const settled = Promise.allSettled([1, 2].map((i) => b.submit('a', i)));
    await turn();
    r.calls[0].finish([{ ok: true, value: 'one' }]);
    const [one, two] = await settled;
    expect(one).toEqual({ status: 'fulfilled', value: 'one' });
    expect(two.status).toBe('rejected');
    expect((two as PromiseRejectedResult).reason).toBeInstanceOf(Error);
  });

  it.each([
    ['rejects', (e: Error) => () => Promise.reject(e)],
    ['throws synchronously', (e: Error) => () => {
      throw e;
    }],
  ])('a run that %s rejects every item of that run with its error, and the key recovers', async (_label, failing) => {
    const boom = new Error('データベースに接続できません');
    let calls = 0;
    const runs: number[][] = [];
    const b = new Batcher<string, number, string>((_key, items) => {
      runs.push(items);
      if (++calls === 1) return (failing(boom) as () => Promise<Settled<string>[]>)();
      return Promise.resolve(items.map((i) => ({ ok: true as const, value: `r${i}` })));
    });
    const failed = await Promise.allSettled([1, 2, 3].map((i) => b.submit('a', i)));
    expect(failed).toEqual([1, 2, 3].map(() => ({ status: 'rejected', reason: boom })));
    for (const f of failed) expect((f as PromiseRejectedResult).reason).toBe(boom);

    expect(await Promise.all([b.submit('a', 4), b.submit('a', 5)])).toEqual(['r4', 'r5']);
    expect(runs).toEqual([[1, 2, 3], [4, 5]]);
  });

  it('items waiting behind a run that fails still go into the next run and can succeed', async () => {
    const r = recorder<string>();
    const b = new Batcher(r.run);
    const boom = new Error('boom');
    const first = Promise.allSettled([b.submit('a', 1), b.submit('a', 2)]);
    await turn();
    const second = Promise.allSettled([b.submit('a', 3), b.submit('a', 4)]);
    r.calls[0].fail(boom);
    expect(await first).toEqual([
      { status: 'rejected', reason: boom },
      { status: 'rejected', reason: boom },
    ]);
    await turn();
    expect(r.calls.map((c) => c.items)).toEqual([
      [1, 2],
      [3, 4],
    ]);
    r.calls[1].finish();
    expect(await second).toEqual([
      { status: 'fulfilled', value: 'r3' },
      { status: 'fulfilled', value: 'r4' },
    ]);
    expect(r.maxInFlight('a')).toBe(1);
  });

  it("one key's failing run does not touch another key's items", async () => {
    const r = recorder<string>();
    const b = new Batcher(r.run);
    const a = Promise.allSettled([b.submit('a', 1)]);
    const ok = b.submit('b', 2);
    await turn();
    r.calls[0].fail(new Error('a only'));
    r.calls[1].finish();
    expect((await a)[0].status).toBe('rejected');
    await expect(ok).resolves.toBe('r2');
  });
});

describe('batcherPerOwner', () => {
  it('gives the same batcher for the same owner, and a different one (made once) for each other owner', () => {
    const made: object[] = [];
    const forOwner = batcherPerOwner((owner: { name: string }) => {
      made.push(owner);
      return new Batcher<string, number, number>(async (_k, items) => items.map((i) => ({ ok: true, value: i })));
    });
    const x = { name: 'x' };
    const y = { name: 'x' }; // equal but not the same object
    const bx = forOwner(x);
    expect(bx).toBeInstanceOf(Batcher);
    expect(forOwner(x)).toBe(bx);
    const by = forOwner(y);
    expect(by).not.toBe(bx);
    expect(forOwner(y)).toBe(by);
    expect(made).toEqual([x, y]);
    expect(made[0]).toBe(x);
    expect(made[1]).toBe(y);
  });

  it("owners' batchers queue separately: the same key under two owners runs twice", async () => {
    const runs: [string, string, number[]][] = [];
    const forOwner = batcherPerOwner((owner: { name: string }) => {
      return new Batcher<string, number, number>(async (key, items) => {
        runs.push([owner.name, key, items]);
        return items.map((i) => ({ ok: true, value: i * 2 }));
      });
    });
    const x = { name: 'x' };
    const y = { name: 'y' };
    expect(await Promise.all([forOwner(x).submit('k', 1), forOwner(y).submit('k', 2), forOwner(x).submit('k', 3)])).toEqual([2, 4, 6]);
    expect(runs).toEqual([
      ['x', 'k', [1, 3]],
      ['y', 'k', [2]],
    ]);
  });
});
