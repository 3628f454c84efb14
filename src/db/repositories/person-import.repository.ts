import { type Kysely, sql } from 'kysely';
import { maintainAfterBulkWrite } from '../database.js';
import { jsonText } from '../json-rows.js';
import type { Database } from '../schema.js';

/** How one row of a people file meets the people already registered (staff number first, then email). */
export interface PersonMatch {
  line: number;
  /** The person the row names: by staff number if one holds it, else by email (case-insensitive). */
  id: number | null;
  matched_by: 'staffNumber' | 'email' | null;
  name: string | null;
  kana: string | null;
  email: string | null;
  staff_number: string | null;
  unit_id: number | null;
  /** The matched person's 職名 (shown in the preview beside the file's). */
  title: string | null;
  active: boolean | null;
  affiliation: string | null;
  unit_name: string | null;
  /** The matched person's roles, in order (to tell whether the row changes them). */
  roles: string[] | null;
  /** Whoever holds the row's email now (another person than `id` means the email is taken). */
  email_owner: number | null;
}

/** A people row ready to write: a new person (`is_new`, with an id from `newIds`) or an update of person `id`. */
export interface PersonWrite {
  line: number;
  id: number;
  is_new: boolean;
  name: string;
  kana: string;
  email: string;
  staff_number: string | null;
  unit_id: number | null;
  affiliation: string;
  search_key: string;
  /** 職名 to hold afterwards (null: none). */
  title: string | null;
  /** The roles to hold afterwards; null keeps an existing person's roles. */
  roles: string[] | null;
  /** The audit entry's `before` (the person as stored, secrets left out); its `after` is built from the row itself. */
  before: unknown;
}

/**
 * People imports as set-based work (issue 18 §3): every row of a chunk travels as one JSON parameter,
 * and a chunk costs two statements — one to match, one to write — not six a row.
 */
export const personImportRepository = {
  /** Matches many rows at once, in one statement; only the rows that match someone come back. */
  async match(db: Kysely<Database>, rows: readonly { line: number; staff_number: string | null; email: string }[]): Promise<PersonMatch[]> {
    if (!rows.length) return [];
    // The matches come back as one JSON text: on PGlite every value of a result is converted in
    // JavaScript, and a re-imported HR file matches every one of its 50,000 rows (14 values each).
    const { rows: out } = await sql<{ matches: string }>`
      WITH x AS (SELECT * FROM json_to_recordset(${jsonText(rows)}::json) AS x(line int, staff_number text, email text)),
      m AS (
        SELECT x.line, ps.id AS by_staff, pe.id AS by_email
        FROM x
        LEFT JOIN people ps ON ps.staff_number IS NOT NULL AND ps.staff_number = x.staff_number
        LEFT JOIN people pe ON lower(pe.email) = lower(x.email))
      SELECT coalesce(json_agg(json_build_array(m.line, coalesce(m.by_staff, m.by_email),
          CASE WHEN m.by_staff IS NOT NULL THEN 'staffNumber' ELSE 'email' END,
          p.name, p.kana, p.email, p.staff_number, p.title, p.active, p.affiliation, p.unit_id, u.name,
          (SELECT coalesce(json_agg(r.role ORDER BY r.role), '[]') FROM person_roles r WHERE r.person_id = p.id),
          m.by_email) ORDER BY m.line), '[]')::text AS matches
      FROM m LEFT JOIN people p ON p.id = coalesce(m.by_staff, m.by_email) LEFT JOIN units u ON u.id = p.unit_id
      WHERE m.by_staff IS NOT NULL OR m.by_email IS NOT NULL`.execute(db);
    type Tuple = [number, number, 'staffNumber' | 'email', string, string, string, string | null, string | null, boolean, string, number | null, string | null, string[], number | null];
    return (JSON.parse(out[0]!.matches) as Tuple[]).map(([line, id, matched_by, name, kana, email, staff_number, title, active, affiliation, unit_id, unit_name, roles, email_owner]) => ({
      line,
      id,
      matched_by,
      name,
      kana,
      email,
      staff_number,
      title,
      active,
      affiliation,
      unit_id,
      unit_name,
      roles,
      email_owner,
    }));
  },

  /**
   * These people as stored, with their roles and without secrets (the audit entries' `before`), by id:
   * read only for the people an import will change, not for every row it matches.
   */
  async stored(db: Kysely<Database>, ids: readonly number[]): Promise<Map<number, Record<string, unknown>>> {
    if (!ids.length) return new Map();
    const { rows } = await sql<{ id: number; before: Record<string, unknown> }>`
      SELECT p.id, (to_jsonb(p) - 'password_hash' - 'search_key') || jsonb_build_object('roles', (SELECT coalesce(jsonb_agg(r.role ORDER BY r.role), '[]'::jsonb) FROM person_roles r WHERE r.person_id = p.id)) AS before
      FROM people p WHERE p.id IN (SELECT value::int FROM json_array_elements_text(${jsonText(ids)}::json))`.execute(db);
    return new Map(rows.map((r) => [Number(r.id), r.before]));
  },

  /** New people ids, drawn beforehand so that a chunk's rows, roles and audit entries are written without reading ids back. */
  async newIds(db: Kysely<Database>, n: number): Promise<number[]> {
    if (n <= 0) return [];
    const { rows } = await sql<{ ids: number[] }>`SELECT coalesce(array_agg(nextval(pg_get_serial_sequence('people', 'id'))), '{}') AS ids FROM generate_series(1, ${n}::int)`.execute(db);
    return rows[0].ids.map(Number);
  },

  /**
   * Writes a chunk in one statement: updates the matched people, inserts the new ones (ids from
   * `newIds`), sets roles (removing those no longer held, adding the new ones) and appends an audit
   * entry for each row. Every part joins the chunk's rows by person id only.
   */
  async write(db: Kysely<Database>, rows: readonly PersonWrite[], audit: { at: Date; actorId: number | null }): Promise<{ updated: number; inserted: number }> {
    if (!rows.length) return { updated: 0, inserted: 0 };
    const at = audit.at.toISOString();
    const { rows: out } = await sql<{ updated: number; inserted: number }>`
      WITH x AS (
        SELECT * FROM json_to_recordset(${jsonText(rows)}::json)
          AS x(line int, id int, is_new boolean, name text, kana text, email text, staff_number text, title text, unit_id int, affiliation text, search_key text, roles text[], before jsonb)),
      upd AS (
        UPDATE people p SET name = x.name, kana = x.kana, email = x.email, staff_number = x.staff_number,
          title = x.title, unit_id = x.unit_id,
          affiliation = x.affiliation, search_key = x.search_key, updated_at = ${at}::timestamptz
        FROM x WHERE NOT x.is_new AND p.id = x.id
        RETURNING p.id),
      ins AS (
        INSERT INTO people (id, name, kana, email, staff_number, title, unit_id, affiliation, search_key, created_at, updated_at)
        SELECT x.id, x.name, x.kana, x.email, x.staff_number, x.title, x.unit_id, x.affiliation, x.search_key, ${at}::timestamptz, ${at}::timestamptz
        FROM x WHERE x.is_new ORDER BY x.line
        RETURNING id),
      gone AS (
        DELETE FROM person_roles r USING x
        WHERE NOT x.is_new AND x.roles IS NOT NULL AND r.person_id = x.id AND r.role <> ALL (x.roles)
        RETURNING 1),
      added AS (
        INSERT INTO person_roles (person_id, role)
        SELECT x.id, role FROM x CROSS JOIN LATERAL unnest(x.roles) AS role
        WHERE x.roles IS NOT NULL
        ON CONFLICT DO NOTHING
        RETURNING 1),
      audited AS (
        INSERT INTO audit_log (at, actor_id, action, entity, entity_id, before, after)
        SELECT ${at}::timestamptz, ${audit.actorId}::int, CASE WHEN x.is_new THEN 'import_create' ELSE 'import_update' END, 'person',
          x.id::text, x.before,
          jsonb_build_object('id', x.id, 'name', x.name, 'kana', x.kana, 'email', x.email, 'staff_number', x.staff_number,
            'title', x.title, 'unit_id', x.unit_id,
            'affiliation', x.affiliation, 'roles', coalesce(to_jsonb(x.roles), x.before -> 'roles'))
        FROM x ORDER BY x.line
        RETURNING 1)
      SELECT (SELECT count(*) FROM upd) AS updated, (SELECT count(*) FROM ins) AS inserted,
        (SELECT count(*) FROM gone) + (SELECT count(*) FROM added) + (SELECT count(*) FROM audited) AS other`.execute(db);
    return { updated: Number(out[0].updated), inserted: Number(out[0].inserted) };
  },

  /**
   * Brings these tables up to date after a bulk write: statistics, and on PGlite (no autovacuum) VACUUM too
   * (db/database.ts `maintainAfterBulkWrite`).
   */
  async analyze(db: Kysely<Database>, tables: readonly string[]): Promise<void> {
    await maintainAfterBulkWrite(db, tables);
  },
};
