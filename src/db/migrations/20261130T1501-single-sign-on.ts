import { type Kysely, sql } from 'kysely';

/**
 * Single sign-on (issue 20 §1, decision 0024). `sso_requests`: one row per sign-in sent to the
 * provider, keyed by the sha256 of its `state`, holding the nonce, the PKCE verifier and where to go
 * afterwards; taken (deleted) by the callback, and refused when older than 10 minutes.
 * `sessions.sso_id_token`: the id_token of a session begun through the provider, sent back as
 * `id_token_hint` at sign-out. Forward-only.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('sso_requests')
    .addColumn('state_hash', 'text', (c) => c.primaryKey())
    .addColumn('nonce', 'text', (c) => c.notNull())
    .addColumn('code_verifier', 'text', (c) => c.notNull())
    .addColumn('next', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await sql`CREATE INDEX sso_requests_created ON sso_requests (created_at)`.execute(db);
  await db.schema.alterTable('sessions').addColumn('sso_id_token', 'text').execute();
}
