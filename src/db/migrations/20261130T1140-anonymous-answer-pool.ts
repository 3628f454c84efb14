import { type Kysely, sql } from 'kysely';

/**
 * Anonymous survey answers wait here, sealed with a key that is not in the database, until they are
 * written to survey_responses in a shuffled batch of at least the minimum number of answers (decision
 * 0018). A row carries nothing in the clear but its survey. Forward-only.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('survey_answer_pool')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('survey_id', 'integer', (c) => c.notNull().references('surveys.id').onDelete('cascade'))
    .addColumn('sealed', 'text', (c) => c.notNull())
    .execute();
  await sql`CREATE INDEX survey_answer_pool_survey ON survey_answer_pool (survey_id)`.execute(db);
}
