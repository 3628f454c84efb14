import { type Kysely, sql } from 'kysely';
import type { Database } from '../schema.js';
import { type ApiTokenScope, type Role } from '../../domain/values.js';

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
  findActiveByHashes(db: Kysely<Database>, hashes: readonly string[], now: Date, staleBefore: Date) {
    return db
      .with('used', (qb) =>
        qb
          .updateTable('api_tokens')
          .set({ last_used_at: now })
          .where('token_hash', 'in', hashes)
          .where('revoked_at', 'is', null)
          .where('expires_at', '>', now)
          .where((eb) => eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<', staleBefore)]))
          .where((eb) => eb.exists(eb.selectFrom('people').select('people.id').whereRef('people.id', '=', 'api_tokens.person_id').where('people.active', '=', true)))
          .returning('api_tokens.id'),
      )
      .selectFrom('api_tokens')
      .innerJoin('people', 'people.id', 'api_tokens.person_id')
      .select([
        'api_tokens.token_hash',
        'api_tokens.scope',
        'people.id',
        'people.name',
        'people.kana',
        'people.email',
        'people.unit_id',
        'people.affiliation',
        'people.locale',
        'people.active',
        sql<Role[]>`(SELECT coalesce(json_agg(r.role), '[]') FROM person_roles r WHERE r.person_id = people.id)`.as('roles'),
      ])
      .where('api_tokens.token_hash', 'in', hashes)
      .where('api_tokens.revoked_at', 'is', null)
      .where('api_tokens.expires_at', '>', now)
      .execute();
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
