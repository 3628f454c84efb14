import type { Kysely } from 'kysely';
import type { Database } from '../schema.js';

/** Single sign-on: the sign-ins waiting for the provider's callback, and the id_token kept with a session. */
export const ssoRepository = {
  async insertRequest(db: Kysely<Database>, r: { stateHash: string; nonce: string; codeVerifier: string; next: string; now: Date }): Promise<void> {
    await db.insertInto('sso_requests').values({ state_hash: r.stateHash, nonce: r.nonce, code_verifier: r.codeVerifier, next: r.next, created_at: r.now }).execute();
  },
  /** Takes (deletes and returns) the request with this state, if it was made after `notBefore`: each is good once. */
  takeRequest(db: Kysely<Database>, stateHash: string, notBefore: Date) {
    return db
      .deleteFrom('sso_requests')
      .where('state_hash', '=', stateHash)
      .where('created_at', '>', notBefore)
      .returning(['nonce', 'code_verifier', 'next'])
      .executeTakeFirst();
  },
  /** Drops requests whose callback never came. */
  async deleteRequestsBefore(db: Kysely<Database>, before: Date): Promise<void> {
    await db.deleteFrom('sso_requests').where('created_at', '<=', before).execute();
  },
  async setSessionIdToken(db: Kysely<Database>, sessionId: string, idToken: string): Promise<void> {
    await db.updateTable('sessions').set({ sso_id_token: idToken }).where('id', '=', sessionId).execute();
  },
  async sessionIdToken(db: Kysely<Database>, sessionId: string): Promise<string | null> {
    const row = await db.selectFrom('sessions').select('sso_id_token').where('id', '=', sessionId).executeTakeFirst();
    return row?.sso_id_token ?? null;
  },
};
