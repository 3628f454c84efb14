import type { Result, Router } from 'hono/router';

/**
 * Hono's router, remembering what each method and path matched.
 *
 * The app has over 800 routes and middleware entries, and paths such as `/admin/people/new` beside
 * `/admin/people/:id`, which Hono's RegExpRouter refuses: its default SmartRouter then falls back to
 * the TrieRouter, which walks the tree and builds new arrays on every request (about 1–2 µs and 4 KiB
 * of garbage a request, issue 18). A match depends only on the routes, the method and the path, so it
 * is kept and given again (read-only: Hono and the handlers only read it) for the same method and path.
 * Bounded: when `size` entries are kept, all are dropped and the cache fills again (paths carry ids,
 * so there is no end to them). Adding a route drops them too.
 */
export class MatchCache<T> implements Router<T> {
  readonly name: string;
  readonly #inner: Router<T>;
  readonly #size: number;
  readonly #matches = new Map<string, Result<T>>();

  constructor(inner: Router<T>, size = 2000) {
    this.#inner = inner;
    this.#size = size;
    this.name = `MatchCache(${inner.name})`;
  }

  add(method: string, path: string, handler: T): void {
    this.#matches.clear();
    this.#inner.add(method, path, handler);
  }

  match(method: string, path: string): Result<T> {
    const key = `${method} ${path}`;
    let found = this.#matches.get(key);
    if (found === undefined) {
      found = this.#inner.match(method, path);
      if (this.#matches.size >= this.#size) this.#matches.clear();
      this.#matches.set(key, found);
    }
    return found;
  }

  /** How many matches are kept (for tests). */
  get kept(): number {
    return this.#matches.size;
  }
}
