import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('partners')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('kana', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull().check(sql`type IN ('community','npo','voluntary','company','university','other')`))
    .addColumn('fields', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('area_unit_ids', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('contact_name', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('contact_email', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('contact_phone', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('search_key', 'text', (c) => c.notNull())
    .addColumn('active', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await sql`CREATE INDEX partners_search_trgm ON partners USING gin (search_key gin_trgm_ops)`.execute(db);
  await sql`CREATE UNIQUE INDEX partners_name_uq ON partners (name)`.execute(db);

  await db.schema
    .createTable('partner_sites')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('partner_id', 'integer', (c) => c.notNull().references('partners.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('address', 'text', (c) => c.notNull())
    .addColumn('what_to_see', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('accessibility', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('capacity', 'integer', (c) => c.notNull().check(sql`capacity > 0`))
    .addColumn('active', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('partner_sites_partner_idx').on('partner_sites').column('partner_id').execute();

  await db.schema.alterTable('people').addColumn('partner_id', 'integer', (c) => c.references('partners.id')).execute();
  await db.schema.alterTable('offering_sessions').addColumn('site_id', 'integer', (c) => c.references('partner_sites.id')).execute();
  await db.schema.alterTable('offering_sessions').addColumn('host_partner_id', 'integer', (c) => c.references('partners.id')).execute();
  await db.schema.createIndex('offering_sessions_host_idx').on('offering_sessions').column('host_partner_id').execute();

  await db.schema
    .createTable('field_offers')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('partner_id', 'integer', (c) => c.notNull().references('partners.id'))
    .addColumn('site_id', 'integer', (c) => c.notNull().references('partner_sites.id'))
    .addColumn('theme', 'text', (c) => c.notNull())
    .addColumn('candidate_starts', 'jsonb', (c) => c.notNull())
    .addColumn('duration_minutes', 'integer', (c) => c.notNull())
    .addColumn('capacity', 'integer', (c) => c.notNull())
    .addColumn('preparation', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status IN ('offered','accepted','declined','withdrawn')`))
    .addColumn('decline_reason', 'text')
    .addColumn('session_id', 'integer', (c) => c.references('offering_sessions.id'))
    .addColumn('created_by', 'integer', (c) => c.references('people.id'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('decided_by', 'integer', (c) => c.references('people.id'))
    .addColumn('decided_at', 'timestamptz')
    .execute();

  await db.schema
    .createTable('host_messages')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('session_id', 'integer', (c) => c.notNull().references('offering_sessions.id').onDelete('cascade'))
    .addColumn('partner_id', 'integer', (c) => c.notNull().references('partners.id'))
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('created_by', 'integer', (c) => c.references('people.id'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .execute();

  await sql`ALTER TABLE import_jobs DROP CONSTRAINT import_jobs_kind_check`.execute(db);
  await sql`ALTER TABLE import_jobs ADD CONSTRAINT import_jobs_kind_check CHECK (kind IN ('units','people','history','partners'))`.execute(db);
}
