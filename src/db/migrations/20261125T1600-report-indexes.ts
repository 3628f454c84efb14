import { type Kysely, sql } from 'kysely';

/**
 * Indexes for the yearly report, the dashboard, coverage and the plan-item sheet, found with
 * EXPLAIN ANALYZE on ten years of records (bench/reports.ts, docs/performance.md). Without them the
 * report read all 300,000 applications and every certificate for one year's figures, and on
 * PostgreSQL its cost estimates crossed `jit_above_cost`, adding JIT compilation to every call.
 */
export async function up(db: Kysely<any>): Promise<void> {
  // A session's attendance counted by status, and who attended (session → application), from the index alone.
  await sql`CREATE INDEX attendance_session_status_idx ON attendance (session_id, status) INCLUDE (application_id)`.execute(db);
  // A year's applications reached through its offerings, with id and person, from the index alone.
  await sql`CREATE INDEX applications_offering_cover_idx ON applications (offering_id, status) INCLUDE (id, person_id)`.execute(db);
  // Certificates issued in a fiscal year.
  await sql`CREATE INDEX certificates_issued_idx ON certificates (issued_at) WHERE revoked_at IS NULL`.execute(db);
}
