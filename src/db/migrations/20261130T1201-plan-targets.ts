import { type Kysely, sql } from 'kysely';

/**
 * Numeric targets (数値目標) of a plan measure per fiscal year, each tied to a KPI Kyodo computes, and
 * the office's own rating of each year's progress on the plan's rating scale (A/B/C by default).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('plan_targets')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('measure_id', 'integer', (c) => c.notNull().references('plan_measures.id').onDelete('cascade'))
    .addColumn('fiscal_year', 'integer', (c) => c.notNull())
    .addColumn('kpi', 'text', (c) => c.notNull())
    .addColumn('target', sql`numeric(12,2)`, (c) => c.notNull().check(sql`target > 0`))
    .addColumn('updated_by', 'integer', (c) => c.references('people.id'))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await sql`CREATE UNIQUE INDEX plan_targets_uq ON plan_targets (measure_id, fiscal_year, kpi)`.execute(db);
  await db.schema.alterTable('plans').addColumn('rating_labels', 'jsonb', (c) => c.notNull().defaultTo(sql`'["A","B","C"]'::jsonb`)).execute();
  await db.schema.alterTable('plan_progress').addColumn('rating', 'text').execute();
}
