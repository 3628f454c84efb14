import { type Kysely, sql } from 'kysely';
import { preparedMark } from '../prepared.js';
import type { Database, Person } from '../schema.js';
import { type ApiTokenScope, type Role } from '../../domain/values.js';

/** A live token with its person and the person's roles, as `findActiveByHashes` finds it. */
export interface ActiveToken {
  token_hash: string;
  scope: ApiTokenScope;
  id: number;
  name: string;
  kana: string;
  email: string;
  unit_id: number | null;
  affiliation: Person['affiliation'];
  locale: string | null;
  active: boolean;
  roles: Role[];
}

/**
 * The token look-up, built without running it so that tests/db/query-snapshots.test.ts can compile
 * it into src/db/queries/api-token.repository.sql.
 *
 * Costs per group, measured on PGlite (issue 18): the tokens are found by their unique index, their
 * people by primary key (`= ANY(ARRAY(…))`: a hash join would read every person), each read once and
 * shared by the mark and the answer, and the answer is one JSON value rather than eleven columns a
 * token (PGlite converts each value it returns in JavaScript).
 */
export const apiTokenStatements = {
  findActiveByHashes(hashes: readonly string[], now: Date, staleBefore: Date) {
    return sql<{ tokens: ActiveToken[] | null }>`${preparedMark}
      WITH t AS MATERIALIZED (
        SELECT id, token_hash, scope, person_id, last_used_at FROM api_tokens
        WHERE token_hash = ANY (ARRAY(SELECT jsonb_array_elements_text(${JSON.stringify(hashes)}::jsonb)))
          AND revoked_at IS NULL AND expires_at > ${now}),
      p AS MATERIALIZED (
        SELECT id, name, kana, email, unit_id, affiliation, locale, active FROM people
        WHERE id = ANY (ARRAY(SELECT person_id FROM t))),
      used AS (
        UPDATE api_tokens SET last_used_at = ${now}
        WHERE id = ANY (ARRAY(SELECT t.id FROM t JOIN p ON p.id = t.person_id WHERE p.active AND (t.last_used_at IS NULL OR t.last_used_at < ${staleBefore})))
          AND revoked_at IS NULL AND expires_at > ${now} AND (last_used_at IS NULL OR last_used_at < ${staleBefore}))
      SELECT json_agg(json_build_object(
          'token_hash', t.token_hash, 'scope', t.scope, 'id', p.id, 'name', p.name, 'kana', p.kana, 'email', p.email,
          'unit_id', p.unit_id, 'affiliation', p.affiliation, 'locale', p.locale, 'active', p.active,
          'roles', (SELECT coalesce(json_agg(r.role), '[]') FROM person_roles r WHERE r.person_id = p.id))) AS tokens
      FROM t JOIN p ON p.id = t.person_id`;
  },
};

export const apiTokenRepository = {
  async insert(db: Kysely<Database>, t: { personId: number; name: string; hash: string; prefix: string; scope?: ApiTokenScope; now: Date; expiresAt: Date }) {
    return db
      .insertInto('api_tokens')
      .values({ person_id: t.personId, name: t.name, token_hash: t.hash, prefix: t.prefix, scope: t.scope ?? 'write', created_at: t.now, expires_at: t.expiresAt })
      .returningAll()
      .executeTakeFirstOrThrow();
  },
  /**
   * The live tokens among these hashes, each with its person and the person's roles, for every bearer
   * request that arrived together (decision 0015). In the same statement, the tokens of active people
   * not marked used since `staleBefore` are marked used at `now`.
   */
  async findActiveByHashes(db: Kysely<Database>, hashes: readonly string[], now: Date, staleBefore: Date): Promise<ActiveToken[]> {
    const { rows } = await apiTokenStatements.findActiveByHashes(hashes, now, staleBefore).execute(db);
    return rows[0]?.tokens ?? [];
  },
  listForPerson(db: Kysely<Database>, personId: number) {
    return db.selectFrom('api_tokens').selectAll().where('person_id', '=', personId).orderBy('id', 'desc').execute();
  },
  /** Revokes every live token of a person (when the person is deactivated): reactivation does not bring them back. */
  revokeAllOf(db: Kysely<Database>, personId: number, now: Date) {
    return db.updateTable('api_tokens').set({ revoked_at: now }).where('person_id', '=', personId).where('revoked_at', 'is', null).returning('id').execute();
  },
  revoke(db: Kysely<Database>, id: number, personId: number, now: Date) {
    return db
      .updateTable('api_tokens')
      .set({ revoked_at: now })
      .where('id', '=', id)
      .where('person_id', '=', personId)
      .where('revoked_at', 'is', null)
      .returningAll()
      .executeTakeFirst();
  },
};
