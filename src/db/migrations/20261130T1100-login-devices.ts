import { type Kysely, sql } from 'kysely';

/**
 * Known devices (OWASP "device cookies", decision 0017): a browser that has logged in to an account
 * holds a random cookie; its hash is kept here with the account. A login that presents it is counted
 * against that device alone, so failures from other browsers on the same address (a shared proxy)
 * cannot lock the account's owner out. Forward-only.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('login_devices')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('person_id', 'integer', (c) => c.notNull().references('people.id').onDelete('cascade'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('last_used_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await sql`CREATE INDEX login_devices_person ON login_devices (person_id)`.execute(db);
}
