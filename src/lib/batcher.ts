/**
 * Natural batching (decision 0015): work submitted under a key while a run for that key is in flight
 * waits, and everything that gathered goes together in the next run. Nothing waits on a timer: a lone
 * submission runs on the next turn of the event loop, and under load each run takes what arrived during
 * the previous one, so a hundred concurrent callers share a few runs instead of queueing for a hundred.
 *
 * `run` gets the items in arrival order and answers each one (a value or an error of its own); if it
 * throws, every item of that run fails with what it threw.
 */
export type Settled<R> = { ok: true; value: R } | { ok: false; error: unknown };

interface Pending<I, R> {
  item: I;
  resolve: (value: R) => void;
  reject: (error: unknown) => void;
}

export class Batcher<K, I, R> {
  readonly #queues = new Map<K, Pending<I, R>[]>();

  constructor(
    private readonly run: (key: K, items: I[]) => Promise<Settled<R>[]>,
    /** At most this many items in one run; the rest go in the next. */
    private readonly maxBatch = 250,
  ) {
    if (!Number.isInteger(maxBatch) || maxBatch < 1) throw new Error(`Batcher: maxBatch must be a positive integer, not ${maxBatch}`);
  }

  submit(key: K, item: I): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      const queue = this.#queues.get(key);
      if (queue) {
        queue.push({ item, resolve, reject });
        return;
      }
      const fresh: Pending<I, R>[] = [{ item, resolve, reject }];
      this.#queues.set(key, fresh);
      // Start after the requests already read from their sockets have had their turn to join: PGlite
      // answers without yielding to the event loop, so a run started at once would always run alone.
      setImmediate(() => void this.#drain(key, fresh));
    });
  }

  async #drain(key: K, queue: Pending<I, R>[]): Promise<void> {
    try {
      while (queue.length) {
        const batch = queue.splice(0, this.maxBatch);
        let results: Settled<R>[];
        try {
          results = await this.run(
            key,
            batch.map((p) => p.item),
          );
        } catch (error) {
          results = batch.map(() => ({ ok: false, error }));
        }
        batch.forEach((p, i) => {
          const r = results[i] ?? { ok: false, error: new Error('batch: no result for an item') };
          if (r.ok) p.resolve(r.value);
          else p.reject(r.error);
        });
      }
    } finally {
      this.#queues.delete(key);
    }
  }
}

/** One batcher per owner (say, per application context), made on first use and dropped with the owner. */
export function batcherPerOwner<O extends object, K, I, R>(make: (owner: O) => Batcher<K, I, R>): (owner: O) => Batcher<K, I, R> {
  const all = new WeakMap<O, Batcher<K, I, R>>();
  return (owner) => {
    let b = all.get(owner);
    if (!b) {
      b = make(owner);
      all.set(owner, b);
    }
    return b;
  };
}
