import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { Database } from './schema.js';

/** The SQL type of a column written by `jsonInsert`. */
export type ColumnType = 'integer' | 'bigint' | 'text' | 'boolean' | 'timestamptz' | 'jsonb';

const NAME = /^[a-z_][a-z0-9_]*$/;
const TYPES: ReadonlySet<string> = new Set<ColumnType>(['integer', 'bigint', 'text', 'boolean', 'timestamptz', 'jsonb']);

/**
 * JSON text as PostgreSQL's jsonb takes it. `JSON.stringify` writes a lone UTF-16 surrogate as a
 * `\u` escape in the range D800–DFFF, which jsonb refuses: only then (or for text that merely looks like
 * one) are strings rewritten, the lone surrogate becoming U+FFFD as it does when a string is sent as an
 * ordinary parameter. The common case costs one `JSON.stringify` without a replacer and one search of its
 * result for `\u`.
 */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
export function jsonText(v: unknown): string {
  const text = JSON.stringify(v);
  // Most texts hold no escape at all: one indexOf, without the regular expression's allocations.
  if (!text.includes('\\u') || !/\\u[dD][89a-fA-F]/.test(text)) return text;
  return JSON.stringify(v, (_k, x) => (typeof x === 'string' ? x.replace(LONE_SURROGATE, '\ufffd') : x));
}

/** An `INSERT … SELECT` of many rows, not yet run: run it alone (`insertJsonRows`) or with others (`insertTogether`). */
export interface JsonInsert {
  readonly statement: RawBuilder<unknown>;
  readonly rows: number;
}

/**
 * Many rows with a single parameter: `INSERT … SELECT … FROM jsonb_to_recordset($1)` (decision 0015).
 * A multi-row VALUES list sends one parameter per value, which Kysely compiles, the driver encodes
 * and the server parses one by one; for the dozens of rows of a batch of applications that cost more
 * than writing them. One JSON text costs one `JSON.stringify` and one parse.
 *
 * `columns` names each column with its SQL type (names from the code, never from input). Dates go as
 * ISO instants. A `jsonb` column takes the value to store: it is sent as JSON text and cast, so that a
 * JSON `null` stays distinct from SQL NULL (`undefined` gives SQL NULL).
 */
export function jsonInsert(table: keyof Database & string, columns: Readonly<Record<string, ColumnType>>, rows: readonly object[]): JsonInsert {
  const names = Object.keys(columns);
  for (const n of [table, ...names]) if (!NAME.test(n)) throw new Error(`jsonInsert: bad name ${n}`);
  for (const n of names) if (!TYPES.has(columns[n])) throw new Error(`jsonInsert: bad type ${columns[n]} for ${n}`);
  // Each row with exactly the named columns (a loop, not map/fromEntries: this runs for every row of
  // every batch of applications and notices).
  const jsonb = names.map((n) => columns[n] === 'jsonb');
  const encoded: Record<string, unknown>[] = new Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i] as Record<string, unknown>;
    const row: Record<string, unknown> = {};
    for (let k = 0; k < names.length; k++) {
      const v = r[names[k]];
      row[names[k]] = jsonb[k] ? (v === undefined ? null : jsonText(v)) : (v ?? null);
    }
    encoded[i] = row;
  }
  const select = names.map((n) => (columns[n] === 'jsonb' ? `x.${n}::jsonb` : `x.${n}`)).join(', ');
  const record = names.map((n) => `${n} ${columns[n] === 'jsonb' ? 'text' : columns[n]}`).join(', ');
  return {
    statement: sql`INSERT INTO ${sql.raw(table)} (${sql.raw(names.join(', '))}) SELECT ${sql.raw(select)} FROM jsonb_to_recordset(${jsonText(encoded)}::jsonb) AS x(${sql.raw(record)})`,
    rows: rows.length,
  };
}

/** Runs one insert; with `returning`, gives back the rows written (in no particular order). */
export async function insertJsonRows<R = never>(db: Kysely<Database>, insert: JsonInsert, opts: { returning?: boolean } = {}): Promise<R[]> {
  if (!insert.rows) return [];
  return (await sql<R>`${insert.statement}${sql.raw(opts.returning ? ' RETURNING *' : '')}`.execute(db)).rows;
}

/**
 * Runs several inserts as one statement (data-modifying WITH clauses: one round trip, all or
 * nothing).
 *
 * With a `guard` (an UPDATE … RETURNING that matches a row only while what the rows were decided on
 * still holds), nothing is written unless the guard matched; the answer says whether it did.
 */
export async function insertTogether(db: Kysely<Database>, inserts: readonly JsonInsert[], guard?: RawBuilder<unknown>): Promise<boolean> {
  const { rows } = await togetherStatement(inserts, guard).execute(db);
  return Number(rows[0]?.n) > 0;
}

/** The statement `insertTogether` runs (built apart so that its SQL can be snapshotted: tests/db/query-snapshots.test.ts). */
export function togetherStatement(inserts: readonly JsonInsert[], guard?: RawBuilder<unknown>): RawBuilder<{ n: number }> {
  if (!inserts.length) throw new Error('insertTogether: nothing to insert');
  const when = guard ? sql` WHERE EXISTS (SELECT 1 FROM g)` : sql``;
  const parts = inserts.map((r, i) => sql`${sql.raw(`w${i}`)} AS (${r.statement}${when})`);
  const head = guard ? [sql`g AS (${guard})`, ...parts] : parts;
  return sql<{ n: number }>`WITH ${sql.join(head)} SELECT ${guard ? sql`(SELECT count(*) FROM g)` : sql`1`} AS n`;
}
