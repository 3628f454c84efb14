import { type Kysely, sql } from 'kysely';
import type { Database, OfferingSession } from '../schema.js';

/** The revision numbers (iCalendar SEQUENCE) of sessions' calendar events (decision 0023). */
export const calendarInvitationRepository = {
  /**
   * Raises these sessions' SEQUENCE by one, for an update or a cancellation about to be sent, and
   * gives them back as they now are, in date order. Run under the offering's row lock, in the
   * transaction that queues the mail.
   */
  async nextRevision(db: Kysely<Database>, sessionIds: readonly number[]): Promise<OfferingSession[]> {
    if (!sessionIds.length) return [];
    const rows = await db
      .updateTable('offering_sessions')
      .set({ ical_sequence: sql`ical_sequence + 1` })
      .where('id', 'in', [...sessionIds])
      .returningAll()
      .execute();
    return rows.sort((a, b) => a.starts_at.getTime() - b.starts_at.getTime() || a.id - b.id);
  },
};
