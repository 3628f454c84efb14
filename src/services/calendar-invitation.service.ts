import type { Kysely } from 'kysely';
import { calendarInvitationRepository } from '../db/repositories/calendar-invitation.repository.js';
import type { Database, OfferingSession } from '../db/schema.js';
import { formatTokyo } from '../domain/calendar.js';
import { type Translate, translator } from '../i18n/index.js';
import { type CalendarUser, type ItipMethod, sessionUid, toItip } from '../lib/icalendar.js';
import type { AppContext } from './context.js';
import type { Mail } from './mail.service.js';

/**
 * Calendar invitations that land in Outlook (issue 20 §3, decision 0023). A participant whose place is
 * confirmed receives, with the notice, an iTIP invitation (METHOD:REQUEST) for each session still to
 * come; a session moved or renamed sends an update, and a withdrawal (辞退), a decision taken back, an
 * offering's cancellation (中止) or a deleted session sends METHOD:CANCEL. Each session's event keeps
 * the UID of the calendar feeds; its SEQUENCE is stored on the session and raised for every update or
 * cancellation, so that the newest message always wins. All of it is queued in the outbox with the
 * notice, in the caller's transaction, and sent once after commit like every mail.
 */

/** A session with its 持ち物 and the venue's access (会場への交通): every reader of a session for a mail or an event reads them. */
export type SessionNotes = Pick<OfferingSession, 'id' | 'belongings' | 'access'>;

/** A session as its calendar event needs it. */
export type CalendarSession = Pick<OfferingSession, 'id' | 'title' | 'venue' | 'starts_at' | 'ends_at' | 'ical_sequence'> & SessionNotes;

/**
 * A session's 持ち物 and access as labelled texts (「持ち物：…」「会場への交通：…」), in that order, each left
 * out when empty; a value keeps its own line breaks (as \n). For the mails and the events' DESCRIPTION.
 */
export function sessionNoteLines(t: Translate, s: SessionNotes): string[] {
  return (['belongings', 'access'] as const).flatMap((k) => {
    const text = (s[k] ?? '').replace(/\r\n?/g, '\n').trim();
    return text ? [t(k === 'belongings' ? 'mail.sessionBelongings' : 'mail.sessionAccess', { text })] : [];
  });
}

/**
 * The same as lines to put under a session's line in a mail: each indented by `indent`, its
 * continuation lines by two (as the change mails indent them).
 */
export function sessionNotesText(t: Translate, s: SessionNotes, indent: string): string {
  return sessionNoteLines(t, s)
    .map((line) => `\n${indent}${line.replace(/\n/g, `\n${indent}${indent}`)}`)
    .join('');
}

/** Who the event is for: the participant, with the participant code for the event's description. */
export interface Invitee {
  name: string;
  email: string;
  locale?: string | null;
  code?: string | null;
}

/** The organizer of every invitation: the training office, the address Kyodo's mail comes from (MAIL_FROM). */
export function organizerOf(mailFrom: string): CalendarUser {
  const m = /^\s*(.*?)\s*<([^<>]+)>\s*$/.exec(mailFrom);
  if (!m) return { email: mailFrom.trim() };
  const name = m[1]!.replace(/^"(.*)"$/, '$1').trim();
  return name ? { name, email: m[2]! } : { email: m[2]! };
}

/** Sessions still to come at `now` (not yet ended): what an invitation adds to the calendar. */
export const stillToCome = <S extends Pick<OfferingSession, 'ends_at'>>(sessions: readonly S[], now: Date): S[] => sessions.filter((s) => s.ends_at.getTime() > now.getTime());

/** Sessions not yet started at `now`: what a withdrawal takes out of the calendar (what has begun stays, as it happened). */
export const notStarted = <S extends Pick<OfferingSession, 'starts_at'>>(sessions: readonly S[], now: Date): S[] => sessions.filter((s) => s.starts_at.getTime() > now.getTime());

/** One session's iTIP message to one participant, with the SEQUENCE stored on the session. */
export function sessionItip(ctx: Pick<AppContext, 'config' | 'now'>, method: ItipMethod, s: CalendarSession, offeringTitle: string, who: Invitee, url: string): string {
  const t = translator(who.locale === 'en' ? 'en' : 'ja');
  const description = [
    t('mail.calendarDescription', { offering: offeringTitle, session: s.title, url }),
    ...(who.code ? [t('mail.calendarCode', { code: who.code })] : []),
    ...sessionNoteLines(t, s),
  ].join('\n');
  return toItip(method, {
    uid: sessionUid(s.id),
    sequence: s.ical_sequence,
    start: s.starts_at,
    end: s.ends_at,
    summary: `${offeringTitle}：${s.title}`,
    location: s.venue || undefined,
    description,
    url,
    updated: ctx.now(),
    organizer: organizerOf(ctx.config.mailFrom),
    attendee: { name: who.name, email: who.email },
  });
}

/**
 * A notice with the calendar messages for these sessions (REQUEST: put in or update the calendar;
 * CANCEL: take out). Outlook reads one event a scheduling message, so the notice carries the first
 * session's and each further session comes in a short mail of its own. No session: the notice alone.
 */
export function withCalendar(
  ctx: Pick<AppContext, 'config' | 'now'>,
  notice: Mail,
  method: ItipMethod,
  who: Invitee,
  offeringTitle: string,
  sessions: readonly CalendarSession[],
  url: string,
): Mail[] {
  if (!sessions.length) return [notice];
  const t = translator(who.locale === 'en' ? 'en' : 'ja');
  const lang = who.locale === 'en' ? 'en' : 'ja';
  return sessions.map((s, i) => {
    const calendar = { method, ics: sessionItip(ctx, method, s, offeringTitle, who, url) };
    if (i === 0) return { ...notice, calendar };
    const params = {
      name: who.name,
      offering: offeringTitle,
      session: s.title,
      when: `${formatTokyo(s.starts_at, lang, 'datetime')}〜${formatTokyo(s.ends_at, lang, 'time')}`,
      venue: s.venue,
      url,
    };
    return method === 'REQUEST'
      ? { to: notice.to, subject: t('mail.calendarRequestSubject', params), body: t('mail.calendarRequestBody', params), calendar }
      : { to: notice.to, subject: t('mail.calendarCancelSubject', params), body: t('mail.calendarCancelBody', params), calendar };
  });
}

/**
 * The next revision of these sessions' events, for an update or a cancellation about to be queued:
 * their SEQUENCE raised by one and stored. Call it under the offering's row lock.
 */
export function reviseSessions(trx: Kysely<Database>, sessions: readonly Pick<OfferingSession, 'id'>[]): Promise<OfferingSession[]> {
  return calendarInvitationRepository.nextRevision(trx, sessions.map((s) => s.id));
}
