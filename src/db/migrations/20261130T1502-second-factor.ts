import { sql, type Kysely } from 'kysely';

/**
 * A TOTP second factor (issue 20 §1, decision 0025). `second_factors` holds one person's authenticator:
 * the secret sealed with the answer key (decision 0018's seal), the one shown but not yet confirmed, and
 * the last time step used (a code is good once). Recovery codes are stored hashed, each spent once. A
 * pending sign-in is a password that was right, waiting for its second factor: a random token stored
 * hashed, with where to go next, five minutes and a count of wrong codes. Forward-only.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('second_factors')
    .addColumn('person_id', 'integer', (c) => c.primaryKey().references('people.id').onDelete('cascade'))
    .addColumn('secret_sealed', 'text')
    .addColumn('confirmed_at', 'timestamptz')
    .addColumn('pending_secret_sealed', 'text')
    .addColumn('last_used_step', 'bigint')
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await sql`ALTER TABLE second_factors ADD CONSTRAINT second_factors_confirmed_check CHECK ((secret_sealed IS NULL) = (confirmed_at IS NULL))`.execute(db);

  await db.schema
    .createTable('second_factor_recovery_codes')
    .addColumn('person_id', 'integer', (c) => c.notNull().references('people.id').onDelete('cascade'))
    .addColumn('code_hash', 'text', (c) => c.notNull())
    .addColumn('used_at', 'timestamptz')
    .addPrimaryKeyConstraint('second_factor_recovery_codes_pkey', ['person_id', 'code_hash'])
    .execute();

  await db.schema
    .createTable('pending_sign_ins')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('person_id', 'integer', (c) => c.notNull().references('people.id').onDelete('cascade'))
    .addColumn('next', 'text', (c) => c.notNull())
    .addColumn('throttle_keys', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.createIndex('pending_sign_ins_person_idx').on('pending_sign_ins').column('person_id').execute();
}
