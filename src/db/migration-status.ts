import { sql } from 'kysely';
import type { Db } from './database.js';
import { migrationNames } from './migrate.js';

/** Migrations this build knows that the database has not applied yet (all of them if none ran). */
export async function pendingMigrations(db: Db): Promise<string[]> {
  try {
    const r = await sql<{ name: string }>`SELECT name FROM kysely_migration`.execute(db);
    const applied = new Set(r.rows.map((x) => x.name));
    return migrationNames.filter((n) => !applied.has(n));
  } catch (e) {
    if ((e as { code?: string }).code === '42P01') return [...migrationNames]; // no migration table yet
    throw e;
  }
}
