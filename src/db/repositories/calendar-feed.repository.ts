import type { Kysely } from 'kysely';
import type { Database } from '../schema.js';

/** What the personal calendar feed reads: the token's owner and the sessions they are confirmed for. */
export const calendarFeedRepository = {
  /** The active person whose secret feed token this is. */
  personByToken(db: Kysely<Database>, token: string) {
    return db.selectFrom('people').select(['id', 'name', 'locale']).where('calendar_token', '=', token).where('active', '=', true).executeTakeFirst();
  },
  /** Every session of every offering where the person is confirmed, earliest first. */
  confirmedSessions(db: Kysely<Database>, personId: number) {
    return db
      .selectFrom('applications')
      .innerJoin('offerings', 'offerings.id', 'applications.offering_id')
      .innerJoin('offering_sessions', 'offering_sessions.offering_id', 'offerings.id')
      .select([
        'offering_sessions.id',
        'offering_sessions.title',
        'offering_sessions.starts_at',
        'offering_sessions.ends_at',
        'offering_sessions.venue',
        'offering_sessions.belongings',
        'offering_sessions.access',
        'offerings.title as offering_title',
        'applications.participant_code',
      ])
      .where('applications.person_id', '=', personId)
      .where('applications.status', '=', 'confirmed')
      .orderBy('offering_sessions.starts_at')
      .execute();
  },
};
