/**
 * A small RFC 5545 writer. Times are written in UTC ("…Z"), which every client (Outlook included)
 * shows in the reader's own zone; no VTIMEZONE is needed and nothing depends on the server's zone.
 * `toIcs` writes a published calendar (feeds, one session's .ics); `toItip` writes one scheduling
 * message (RFC 5546: an invitation, its update or its cancellation) for one event (decision 0023).
 */
export interface IcsEvent {
  uid: string;
  start: Date;
  end: Date;
  summary: string;
  location?: string;
  description?: string;
  url?: string;
  updated: Date;
}

function utc(d: Date): string {
  return d.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

function escapeText(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\r\n|\r|\n/g, '\\n');
}

/** Folds a content line at 75 octets without splitting a UTF-8 character. */
function fold(line: string): string {
  const out: string[] = [];
  let current = '';
  let bytes = 0;
  for (const ch of line) {
    const n = Buffer.byteLength(ch);
    if (bytes + n > (out.length ? 74 : 75)) {
      out.push(current);
      current = '';
      bytes = 0;
    }
    current += ch;
    bytes += n;
  }
  out.push(current);
  return out.join('\r\n ');
}

/** An event's own lines, from BEGIN:VEVENT to its URL (the caller adds what follows and END:VEVENT). */
function eventLines(e: IcsEvent, sequence?: number): string[] {
  const lines = ['BEGIN:VEVENT', `UID:${e.uid}`];
  if (sequence !== undefined) lines.push(`SEQUENCE:${Math.max(0, Math.trunc(sequence))}`);
  lines.push(`DTSTAMP:${utc(e.updated)}`, `DTSTART:${utc(e.start)}`, `DTEND:${utc(e.end)}`, `SUMMARY:${escapeText(e.summary)}`);
  if (e.location) lines.push(`LOCATION:${escapeText(e.location)}`);
  if (e.description) lines.push(`DESCRIPTION:${escapeText(e.description)}`);
  if (e.url) lines.push(`URL:${e.url}`);
  return lines;
}

export function toIcs(name: string, events: IcsEvent[]): string {
  const lines = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Kyodo//Kyodo Training//JA', 'CALSCALE:GREGORIAN', 'METHOD:PUBLISH', `X-WR-CALNAME:${escapeText(name)}`];
  for (const e of events) lines.push(...eventLines(e), 'END:VEVENT');
  lines.push('END:VCALENDAR');
  return `${lines.map(fold).join('\r\n')}\r\n`;
}

/** The UID of a session's event: the same in the feeds, the .ics files and every invitation, update and cancellation. */
export function sessionUid(sessionId: number): string {
  return `session-${sessionId}@kyodo`;
}

/** A calendar user: an address, with a name to show. */
export interface CalendarUser {
  email: string;
  name?: string;
}

/** One event of a scheduling message: the event, its revision and who organises and attends it. */
export interface ItipEvent extends IcsEvent {
  /** Revision number (SEQUENCE): each update or cancellation of the same UID carries a higher one. */
  sequence: number;
  organizer: CalendarUser;
  attendee: CalendarUser;
}

export type ItipMethod = 'REQUEST' | 'CANCEL';

/** A parameter value (CN): quoted, with the characters a quoted value cannot hold (DQUOTE, controls) left out. */
function paramValue(s: string): string {
  return `"${s.replace(/["\x00-\x1f\x7f]/g, '')}"`;
}

/** A mail address as a CAL-ADDRESS (mailto: URI); anything that could end the line or the value is left out. */
function mailto(email: string): string {
  return `mailto:${email.replace(/[\x00-\x20\x7f";:,<>]/g, '')}`;
}

const user = (prop: string, params: string[], u: CalendarUser) => `${prop}${u.name ? `;CN=${paramValue(u.name)}` : ''}${params.map((p) => `;${p}`).join('')}:${mailto(u.email)}`;

/**
 * One iTIP message for one event (RFC 5546): `REQUEST` invites the attendee or updates their copy,
 * `CANCEL` takes it out of their calendar (STATUS:CANCELLED). One event a message, with no calendar
 * name: Outlook reads only the first UID of a scheduling message, and opens a calendar named by
 * X-WR-CALNAME as a calendar of its own. The attendee is asked for no reply (RSVP=FALSE): Kyodo
 * records attendance itself.
 */
export function toItip(method: ItipMethod, e: ItipEvent): string {
  const lines = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Kyodo//Kyodo Training//JA', 'CALSCALE:GREGORIAN', `METHOD:${method}`];
  lines.push(
    ...eventLines(e, e.sequence),
    user('ORGANIZER', [], e.organizer),
    user('ATTENDEE', ['ROLE=REQ-PARTICIPANT', 'PARTSTAT=NEEDS-ACTION', 'RSVP=FALSE'], e.attendee),
    `STATUS:${method === 'CANCEL' ? 'CANCELLED' : 'CONFIRMED'}`,
    'TRANSP:OPAQUE',
    'END:VEVENT',
    'END:VCALENDAR',
  );
  return `${lines.map(fold).join('\r\n')}\r\n`;
}
