import { type Kysely, sql } from 'kysely';
import type { Database } from './schema.js';

/** The SQL type of a column written by `insertJsonRows`. */
export type ColumnType = 'integer' | 'bigint' | 'text' | 'boolean' | 'timestamptz' | 'jsonb';

const NAME = /^[a-z_][a-z0-9_]*$/;

/**
 * Inserts many rows with a single parameter: `INSERT … SELECT … FROM jsonb_to_recordset($1)`
 * (decision 0015). A multi-row VALUES list sends one parameter per value, which Kysely compiles, the
 * driver encodes and the server parses one by one; for the dozens of rows of a batch of applications
 * that cost more than writing them. One JSON text costs one `JSON.stringify` and one parse.
 *
 * `columns` names each column with its SQL type (names from the code, never from input). Dates go as
 * ISO instants. A `jsonb` column takes the value to store: it is sent as JSON text and cast, so that a
 * JSON `null` stays distinct from SQL NULL (`undefined` gives SQL NULL).
 */
export async function insertJsonRows<R = never>(
  db: Kysely<Database>,
  table: keyof Database & string,
  columns: Readonly<Record<string, ColumnType>>,
  rows: readonly object[],
  opts: { returning?: boolean } = {},
): Promise<R[]> {
  if (!rows.length) return [];
  const names = Object.keys(columns);
  for (const n of [table, ...names]) if (!NAME.test(n)) throw new Error(`insertJsonRows: bad name ${n}`);
  const encoded = (rows as readonly Record<string, unknown>[]).map((r) =>
    Object.fromEntries(names.map((n) => [n, columns[n] === 'jsonb' ? (r[n] === undefined ? null : JSON.stringify(r[n])) : (r[n] ?? null)])),
  );
  const select = names.map((n) => (columns[n] === 'jsonb' ? `x.${n}::jsonb` : `x.${n}`)).join(', ');
  const record = names.map((n) => `${n} ${columns[n] === 'jsonb' ? 'text' : columns[n]}`).join(', ');
  const result = await sql<R>`INSERT INTO ${sql.raw(table)} (${sql.raw(names.join(', '))}) SELECT ${sql.raw(select)} FROM jsonb_to_recordset(${JSON.stringify(encoded)}::jsonb) AS x(${sql.raw(record)})${sql.raw(opts.returning ? ' RETURNING *' : '')}`.execute(db);
  return result.rows;
}
