import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import { tokyoLocalToUtc } from '../../src/domain/calendar.js';
import { type ItipEvent, sessionUid, toItip } from '../../src/lib/icalendar.js';

const event: ItipEvent = {
  uid: sessionUid(7),
  sequence: 3,
  start: tokyoLocalToUtc('2026-12-08', '10:00'),
  end: tokyoLocalToUtc('2026-12-08', '12:00'),
  summary: '協働推進セミナー：第1回 講義',
  location: '県庁 新館7階 大会議室, 大津市京町四丁目1-1',
  description: '研修：協働推進セミナー\n参加者コード：ABCD-EFGH',
  updated: new Date('2026-11-24T01:00:00Z'),
  organizer: { name: '滋賀県 政策研修センター', email: 'kenshu@pref.example.jp' },
  attendee: { name: '研修 花子', email: 'hanako@pref.example.jp' },
};

function read(ics: string) {
  const cal = new ICAL.Component(ICAL.parse(ics));
  const vevents = cal.getAllSubcomponents('vevent');
  return { cal, vevents, ev: new ICAL.Event(vevents[0]) };
}

describe('iTIP messages (toItip)', () => {
  it('an invitation is one event with method, UID, SEQUENCE, organizer and attendee as Outlook reads them', () => {
    const ics = toItip('REQUEST', event);
    for (const line of ics.split('\r\n')) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75);
    const { cal, vevents, ev } = read(ics);
    expect(cal.getFirstPropertyValue('method')).toBe('REQUEST');
    // No calendar name: Outlook would open the message as a calendar of its own.
    expect(cal.getFirstPropertyValue('x-wr-calname')).toBeNull();
    expect(vevents).toHaveLength(1);
    expect(ev.uid).toBe('session-7@kyodo');
    expect(ev.sequence).toBe(3);
    expect(ev.summary).toBe('協働推進セミナー：第1回 講義');
    expect(ev.location).toBe('県庁 新館7階 大会議室, 大津市京町四丁目1-1');
    expect(ev.description).toBe('研修：協働推進セミナー\n参加者コード：ABCD-EFGH');
    expect(ev.component.getFirstPropertyValue('status')).toBe('CONFIRMED');
    const organizer = ev.component.getFirstProperty('organizer')!;
    expect(organizer.getFirstValue()).toBe('mailto:kenshu@pref.example.jp');
    expect(organizer.getParameter('cn')).toBe('滋賀県 政策研修センター');
    const [attendee] = ev.attendees;
    expect(attendee.getFirstValue()).toBe('mailto:hanako@pref.example.jp');
    expect(attendee.getParameter('cn')).toBe('研修 花子');
    expect(attendee.getParameter('partstat')).toBe('NEEDS-ACTION');
    expect(attendee.getParameter('rsvp')).toBe('FALSE');
    expect(ev.startDate.toJSDate().toISOString()).toBe('2026-12-08T01:00:00.000Z');
    expect(ev.endDate.toJSDate().toISOString()).toBe('2026-12-08T03:00:00.000Z');
  });

  it('a cancellation keeps the UID and says CANCELLED', () => {
    const { cal, ev } = read(toItip('CANCEL', { ...event, sequence: 4 }));
    expect(cal.getFirstPropertyValue('method')).toBe('CANCEL');
    expect(ev.uid).toBe('session-7@kyodo');
    expect(ev.sequence).toBe(4);
    expect(ev.component.getFirstPropertyValue('status')).toBe('CANCELLED');
  });

  it('a name or an address cannot break out of its parameter or line', () => {
    const ics = toItip('REQUEST', {
      ...event,
      attendee: { name: '悪意 "太郎";ROLE=CHAIR\r\nATTENDEE:mailto:x@evil.example', email: 'taro@pref.example.jp\r\nURL:http://evil.example' },
      organizer: { email: 'kenshu@pref.example.jp' },
    });
    const lines = ics.split('\r\n');
    expect(lines.some((l) => /^(ATTENDEE|URL):/.test(l) && l.includes('evil'))).toBe(false);
    const { ev } = read(ics);
    expect(ev.attendees).toHaveLength(1);
    expect(ev.attendees[0].getParameter('role')).toBe('REQ-PARTICIPANT');
    expect(ev.attendees[0].getParameter('cn')).toBe('悪意 太郎;ROLE=CHAIRATTENDEE:mailto:x@evil.example');
    expect(ev.component.getFirstPropertyValue('url')).toBeNull();
    expect(ev.component.getFirstProperty('organizer')!.getParameter('cn')).toBeUndefined();
  });
});
