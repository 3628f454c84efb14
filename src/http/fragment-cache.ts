import { raw } from 'hono/html';
import type { Child } from 'hono/jsx';

/**
 * The rendered HTML of a pure view, kept under a key that names every input the view reads (its
 * figures, the language, the year asked …), as fragment caches do. A change to any input is a new key,
 * so a kept fragment is never out of date: the view is rendered again on the first request after it,
 * and the least recently used fragment is forgotten once `size` are kept. Only for views that read
 * nothing but their props (no clock, no request, no CSRF token: those belong outside the fragment).
 */
export function fragmentCache(size: number) {
  const kept = new Map<string, string>();
  /**
   * The fragment kept under this key, if any, as the most recently used (a loader that finds it may skip
   * reading what drawing it needs, and uses what it got here, which no later eviction can take away).
   */
  const peek = (key: string): Child | undefined => {
    const html = kept.get(key);
    if (html === undefined) return undefined;
    kept.delete(key);
    kept.set(key, html);
    return raw(html);
  };
  const fragment = (key: string, render: () => Child): Child => {
    const found = peek(key);
    if (found !== undefined) return found;
    const node = render();
    const html: unknown = node !== null && typeof node === 'object' ? node.toString() : String(node ?? '');
    if (typeof html !== 'string') throw new Error('fragmentCache: the view must render synchronously');
    // Flatten the concatenated string now, once (V8 flattens a string to convert it to a number), not
    // again each time a page containing it is sent.
    void Number(html);
    if (kept.size >= size) kept.delete(kept.keys().next().value!);
    kept.set(key, html);
    return raw(html);
  };
  return Object.assign(fragment, { peek });
}
