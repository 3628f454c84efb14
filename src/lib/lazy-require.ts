// Heavy CommonJS libraries loaded on first use instead of at start-up (issue 18 §5).
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const loaders: (() => unknown)[] = [];

/**
 * A stand-in for a CommonJS module that loads it the first time anything is read from it, called or
 * constructed (`new Lazy.Workbook()`, `Lazy(...)`, `new Lazy()`), then behaves as the module itself.
 */
export function lazyRequire<T extends object>(id: string): T {
  let mod: T | undefined;
  const load = (): T => (mod ??= require(id) as T);
  loaders.push(load);
  return new Proxy(function lazyModule() {} as unknown as T, {
    get: (_t, key) => Reflect.get(load(), key),
    has: (_t, key) => Reflect.has(load(), key),
    apply: (_t, self, args) => Reflect.apply(load() as (...a: unknown[]) => unknown, self, args),
    construct: (_t, args) => Reflect.construct(load() as new (...a: unknown[]) => object, args),
  });
}

/**
 * Loads every lazy module now, one per turn of the event loop: the server calls it a moment after it
 * starts listening, so that the first request that needs one does not wait for it.
 */
export async function warmLazyModules(): Promise<void> {
  for (const load of [...loaders]) {
    await new Promise<void>((r) => setImmediate(r));
    load();
  }
}
