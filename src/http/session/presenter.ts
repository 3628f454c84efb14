import type { OfferingSession } from '../../db/schema.js';

/** A session as the API gives it, alone or in its offering's JSON. */
export function sessionJson(s: Pick<OfferingSession, 'id' | 'title' | 'format' | 'starts_at' | 'ends_at' | 'venue' | 'lecturers' | 'belongings' | 'access'>) {
  return { id: s.id, title: s.title, format: s.format, startsAt: s.starts_at.toISOString(), endsAt: s.ends_at.toISOString(), venue: s.venue, lecturers: s.lecturers, belongings: s.belongings, access: s.access };
}
