import type { Kysely } from 'kysely';
import type { ApiTokenScope, Database } from '../schema.js';

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
