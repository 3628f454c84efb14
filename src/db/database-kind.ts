import type { Kysely } from 'kysely';

// Which database a Kysely instance talks to, for the few statements that differ (maintenance: PGlite has no
// autovacuum). Marked by the instance's adapter, which Kysely shares with every transaction and every
// `withPlugin` copy made from it.
const pgliteAdapters = new WeakSet<object>();

/** Called by `kyselyOnPglite` on each Kysely it makes. */
export function markPglite(db: Kysely<any>): void {
  pgliteAdapters.add(db.getExecutor().adapter);
}

/** Does this Kysely instance (or a transaction or plugin copy of it) run on PGlite? */
export function isPglite(db: Kysely<any>): boolean {
  return pgliteAdapters.has(db.getExecutor().adapter);
}
