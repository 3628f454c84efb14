import { type Kysely, sql } from 'kysely';

/**
 * Paper (issue 16 §3): 職名 on people (for the 受講者名簿), 持ち物 and the venue's access on sessions
 * (for the 受講決定通知), and the 文書番号 issued to each notice and certificate, kept so that a
 * document printed again carries the same number and date. Numbers run per fiscal year from 1, taken
 * under the year's counter row lock, so they have no gaps and no duplicates. Forward-only.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('people').addColumn('title', 'text').execute();
  await db.schema.alterTable('offering_sessions').addColumn('belongings', 'text', (c) => c.notNull().defaultTo('')).execute();
  await db.schema.alterTable('offering_sessions').addColumn('access', 'text', (c) => c.notNull().defaultTo('')).execute();
  await db.schema
    .createTable('document_counters')
    .addColumn('fiscal_year', 'integer', (c) => c.primaryKey())
    .addColumn('last_serial', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .createTable('issued_documents')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind IN ('decision_notice', 'unit_notice', 'certificate')`))
    /** What the document is about: an application id, `offering:unit`, or a certificate number. */
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('fiscal_year', 'integer', (c) => c.notNull())
    .addColumn('serial', 'integer', (c) => c.notNull())
    .addColumn('number', 'text', (c) => c.notNull())
    .addColumn('issued_on', 'date', (c) => c.notNull())
    .addColumn('issued_by', 'integer', (c) => c.references('people.id'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addUniqueConstraint('issued_documents_subject', ['kind', 'subject'])
    .addUniqueConstraint('issued_documents_serial', ['fiscal_year', 'serial'])
    .execute();
}
