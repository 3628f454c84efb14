import { sql, type Kysely } from 'kysely';

/**
 * Calendar invitations (iTIP, issue 20 §3, decision 0023). Each session keeps the SEQUENCE of the
 * last invitation, update or cancellation sent for its UID, so that every later one carries a higher
 * number and calendar clients (Outlook, Exchange) apply it. A queued mail may carry one iCalendar
 * object (`text/calendar; method=REQUEST` or `CANCEL`), sent as an alternative part and as an .ics
 * attachment. Forward-only.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE offering_sessions ADD COLUMN ical_sequence integer NOT NULL DEFAULT 0`.execute(db);
  await sql`ALTER TABLE outbox ADD COLUMN calendar_method text, ADD COLUMN calendar_ics text`.execute(db);
  await sql`ALTER TABLE outbox ADD CONSTRAINT outbox_calendar_check
    CHECK ((calendar_method IS NULL AND calendar_ics IS NULL) OR (calendar_method IN ('REQUEST', 'CANCEL') AND calendar_ics IS NOT NULL))`.execute(db);
}
