import { describe, expect, it } from 'vitest';
import type { OfferingSession } from '../../src/db/schema.js';
import { sessionChangeParams } from '../../src/services/partner.service.js';

/** What the participants' and the host's change mails say a session was and is. */
const session = (over: Partial<OfferingSession> = {}): OfferingSession => ({
  id: 1,
  offering_id: 1,
  title: '第1回 現地研修',
  format: 'field',
  starts_at: new Date('2026-12-10T04:30:00Z'),
  ends_at: new Date('2026-12-10T07:30:00Z'),
  venue: 'まちづくりセンター',
  lecturers: '',
  capacity: null,
  site_id: null,
  host_partner_id: null,
  belongings: '筆記用具',
  access: 'JR大津駅から徒歩10分',
  ical_sequence: 0,
  created_at: new Date('2026-11-01T00:00:00Z'),
  ...over,
});

describe('sessionChangeParams', () => {
  it.each([
    ['a new time only: no 持ち物 or access lines', { starts_at: new Date('2026-12-11T04:30:00Z'), ends_at: new Date('2026-12-11T07:30:00Z') }, [], ['持ち物', '会場への交通']],
    ['持ち物 only: its old and new lines, line breaks indented', { belongings: '筆記用具\n動きやすい服装' }, ['　持ち物：筆記用具', '　持ち物：筆記用具\n　　動きやすい服装'], ['会場への交通']],
    ['access cleared: the old text, then —', { access: '' }, ['　会場への交通：JR大津駅から徒歩10分', '　会場への交通：—'], ['持ち物']],
  ] as const)('%s', (_what, change, lines, absent) => {
    const p = sessionChangeParams(session(), session(change as Partial<OfferingSession>));
    expect(p.before.startsWith('第1回 現地研修　2026年12月10日')).toBe(true);
    if (lines.length) {
      expect(p.before).toContain(`\n${lines[0]}`);
      expect(p.after).toContain(`\n${lines[1]}`);
    } else expect(p.before.split('\n')).toHaveLength(1);
    for (const label of absent) expect(`${p.before}${p.after}`).not.toContain(label);
  });
});
