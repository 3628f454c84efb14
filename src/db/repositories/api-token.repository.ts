import { type Kysely, sql } from 'kysely';
import type { ApiTokenScope, Database, Role } from '../schema.js';

export const apiTokenRepository = {
  async insert(db: Kysely<Database>, t: { personId: number; name: string; hash: string; prefix: string; scope?: ApiTokenScope; now: Date }) {
    return db
      .insertInto('api_tokens')
      .values({ person_id: t.personId, name: t.name, token_hash: t.hash, prefix: t.prefix, scope: t.scope ?? 'write', created_at: t.now })
      .returningAll()
      .executeTakeFirstOrThrow();
  },
  findActiveByHash(db: Kysely<Database>, hash: string) {
    return db
      .selectFrom('api_tokens')
      .selectAll()
      .where('token_hash', '=', hash)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
  },
  /**
   * The live tokens among these hashes, each with its person and the person's roles: one statement for
   * every bearer request that arrived together (decision 0015).
   */
  findActiveByHashes(db: Kysely<Database>, hashes: readonly string[]) {
    return db
      .selectFrom('api_tokens')
      .innerJoin('people', 'people.id', 'api_tokens.person_id')
      .select([
        'api_tokens.id as token_id',
        'api_tokens.token_hash',
        'api_tokens.scope',
        'api_tokens.last_used_at',
        'people.id',
        'people.name',
        'people.kana',
        'people.email',
        'people.unit_id',
        'people.affiliation',
        'people.locale',
        'people.active',
        sql<Role[]>`(SELECT coalesce(json_agg(r.role ORDER BY r.role), '[]') FROM person_roles r WHERE r.person_id = people.id)`.as('roles'),
      ])
      .where('api_tokens.token_hash', 'in', hashes)
      .where('api_tokens.revoked_at', 'is', null)
      .execute();
  },
  async markUsedMany(db: Kysely<Database>, ids: readonly number[], now: Date) {
    if (ids.length) await db.updateTable('api_tokens').set({ last_used_at: now }).where('id', 'in', ids).execute();
  },
  listForPerson(db: Kysely<Database>, personId: number) {
    return db.selectFrom('api_tokens').selectAll().where('person_id', '=', personId).orderBy('id', 'desc').execute();
  },
  async markUsed(db: Kysely<Database>, id: number, now: Date) {
    await db.updateTable('api_tokens').set({ last_used_at: now }).where('id', '=', id).execute();
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
