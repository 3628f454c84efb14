import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('plans')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('first_fiscal_year', 'integer', (c) => c.notNull())
    .addColumn('last_fiscal_year', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .addCheckConstraint('plans_period', sql`last_fiscal_year >= first_fiscal_year`)
    .execute();

  await db.schema
    .createTable('plan_items')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('plan_id', 'integer', (c) => c.notNull().references('plans.id'))
    .addColumn('number', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('owning_units', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('situation', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('approach', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('direction', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await sql`CREATE UNIQUE INDEX plan_items_number_uq ON plan_items (plan_id, number)`.execute(db);

  // A measure belongs to one item (its home) and may be listed again under others (【再掲】).
  await db.schema
    .createTable('plan_measures')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('plan_id', 'integer', (c) => c.notNull().references('plans.id'))
    .addColumn('home_item_id', 'integer', (c) => c.notNull().references('plan_items.id'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('programme_ids', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('plan_item_measures')
    .addColumn('item_id', 'integer', (c) => c.notNull().references('plan_items.id').onDelete('cascade'))
    .addColumn('measure_id', 'integer', (c) => c.notNull().references('plan_measures.id').onDelete('cascade'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('plan_item_measures_pk', ['item_id', 'measure_id'])
    .execute();

  // The schedule grid: one cell per measure and fiscal year, with its text and a continuation arrow.
  await db.schema
    .createTable('plan_schedule_cells')
    .addColumn('measure_id', 'integer', (c) => c.notNull().references('plan_measures.id').onDelete('cascade'))
    .addColumn('fiscal_year', 'integer', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('arrow', 'boolean', (c) => c.notNull().defaultTo(false))
    .addPrimaryKeyConstraint('plan_schedule_cells_pk', ['measure_id', 'fiscal_year'])
    .execute();

  // Yearly progress of an item (measure_id 0) or of one of its measures.
  await db.schema
    .createTable('plan_progress')
    .addColumn('item_id', 'integer', (c) => c.notNull().references('plan_items.id').onDelete('cascade'))
    .addColumn('measure_id', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('fiscal_year', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.check(sql`status IN ('done','on_track','delayed')`))
    .addColumn('results', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('changes', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('further', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('updated_by', 'integer', (c) => c.references('people.id'))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('plan_progress_pk', ['item_id', 'measure_id', 'fiscal_year'])
    .execute();
}
