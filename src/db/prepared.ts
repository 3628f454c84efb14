import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import pg from 'pg';

// Named prepared statements for the few statements on the hot paths (decision 0029).
//
// A statement that starts with `preparedMark` is sent to PostgreSQL as a named prepared statement:
// parsed once per connection, and after its first executions run on a cached plan (PostgreSQL's
// plan_cache_mode 'auto'). Every other statement stays unnamed, so the server keeps no plan for the
// many texts that vary (IN lists, optional filters). On PGlite the mark is only a comment.

/** The comment that marks a statement to prepare. */
const MARK = '/* prepared */ ';

/** Put first in a statement that runs on every request of a hot path and whose text never varies. */
export const preparedMark = sql.raw(MARK);

/** Distinct marked texts kept per process; beyond this, marked statements run unnamed (and say so once). */
const MAX_NAMED = 64;
const names = new Map<string, string>();
let overflowed = false;

/** The statement name of a marked text, or null: unmarked, or too many distinct marked texts. */
export function preparedName(text: string): string | null {
  if (!text.startsWith(MARK)) return null;
  let name = names.get(text);
  if (name) return name;
  if (names.size >= MAX_NAMED) {
    if (!overflowed) {
      overflowed = true;
      process.emitWarning(`more than ${MAX_NAMED} distinct prepared statements: the rest run unprepared (a marked statement's text varies)`);
    }
    return null;
  }
  name = `k_${createHash('sha1').update(text).digest('hex').slice(0, 20)}`;
  names.set(text, name);
  return name;
}

/** A node-postgres client that sends marked statements as named prepared statements. */
class Preparing extends pg.Client {
  // One implementation for pg's overloads: a marked text with its values becomes a named query; any
  // other call goes on unchanged.
  queryPrepared(...args: unknown[]): unknown {
    const [text, values] = args;
    if (typeof text === 'string' && args.length <= 2 && (values === undefined || Array.isArray(values))) {
      const name = preparedName(text);
      if (name) return super.query({ name, text, values: values as unknown[] | undefined });
    }
    return (super.query as (...a: unknown[]) => unknown).apply(this, args);
  }
}
Preparing.prototype.query = Preparing.prototype.queryPrepared as typeof pg.Client.prototype.query;

export const PreparingClient: typeof pg.Client = Preparing;
