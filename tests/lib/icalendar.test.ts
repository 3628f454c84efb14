import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import { tokyoLocalToUtc } from '../../src/domain/calendar.js';
import { toIcs } from '../../src/lib/icalendar.js';

describe('iCalendar', () => {
  it('is read by ical.js with the right Tokyo local time, Japanese text intact, lines folded', () => {
    const ics = toIcs('Kyodo 研修', [
      {
        uid: 'session-1@kyodo',
        start: tokyoLocalToUtc('2026-12-01', '10:00'),
        end: tokyoLocalToUtc('2026-12-01', '12:30'),
        summary: '協働推進セミナー 第1回：地域団体・NPO・企業の公共的な役割',
        location: '県庁 新館7階 大会議室, 大津市京町四丁目1-1',
        description: '持ち物：筆記用具\n参加者コード：ABCD-EFGH',
        updated: new Date('2026-11-24T00:00:00Z'),
      },
    ]);
    for (const line of ics.split('\r\n')) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75);
    const comp = new ICAL.Component(ICAL.parse(ics));
    const [ev] = comp.getAllSubcomponents('vevent').map((v) => new ICAL.Event(v));
    expect(ev.summary).toBe('協働推進セミナー 第1回：地域団体・NPO・企業の公共的な役割');
    expect(ev.location).toBe('県庁 新館7階 大会議室, 大津市京町四丁目1-1');
    expect(ev.description).toBe('持ち物：筆記用具\n参加者コード：ABCD-EFGH');
    expect(ev.startDate.toJSDate().toISOString()).toBe('2026-12-01T01:00:00.000Z');
    // Shown in Tokyo, as a calendar client there would.
    const tokyo = new Intl.DateTimeFormat('ja-JP', { timeZone: 'Asia/Tokyo', hour: '2-digit', minute: '2-digit', hour12: false }).format(ev.startDate.toJSDate());
    expect(tokyo).toBe('10:00');
    expect(ev.endDate.toJSDate().toISOString()).toBe('2026-12-01T03:30:00.000Z');
  });

  it('escapes a lone CR too: text cannot start a property of its own (issue 17)', () => {
    const ics = toIcs('Kyodo', [
      { uid: 'x@kyodo', start: new Date('2026-12-01T01:00:00Z'), end: new Date('2026-12-01T02:00:00Z'), summary: 'X\rURL:http://evil.example', description: 'a\rb\r\nc\nd', updated: new Date('2026-11-24T00:00:00Z') },
    ]);
    const lines = ics.split(/\r\n|\r|\n/);
    expect(lines.some((l) => l.startsWith('URL:'))).toBe(false);
    const [ev] = new ICAL.Component(ICAL.parse(ics)).getAllSubcomponents('vevent').map((v) => new ICAL.Event(v));
    expect(ev.summary).toBe('X\nURL:http://evil.example');
    expect(ev.component.getFirstPropertyValue('url')).toBeNull();
    expect(ev.description).toBe('a\nb\nc\nd');
  });
});
