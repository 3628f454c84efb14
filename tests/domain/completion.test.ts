import { describe, expect, it } from 'vitest';
import { type AttendanceStatus, type CompletionRule, attendanceOpensAt, completionDate, coordinatorStatus, evaluateCompletion, validUntil } from '../../src/domain/completion.js';

const att = (pairs: [number, AttendanceStatus][]) => new Map(pairs);
const base = { sessionIds: [1, 2, 3], assignment: 'none' as const, signedOff: false, override: null };

describe('completion', () => {
  it.each<[string, CompletionRule, Partial<Parameters<typeof evaluateCompletion>[1]>, boolean]>([
    ['default: every session attended', {}, { attendance: att([[1, 'present'], [2, 'late'], [3, 'left_early']]) }, true],
    ['default: one absent', {}, { attendance: att([[1, 'present'], [2, 'absent'], [3, 'present']]) }, false],
    ['default: excused does not count', {}, { attendance: att([[1, 'present'], [2, 'excused'], [3, 'present']]) }, false],
    ['default: no sessions at all', {}, { sessionIds: [], attendance: att([]) }, false],
    ['minimum 2 of 3', { minSessions: 2 }, { attendance: att([[1, 'present'], [3, 'present']]) }, true],
    ['minimum 2 of 3, only 1', { minSessions: 2 }, { attendance: att([[1, 'present']]) }, false],
    ['required session missed', { minSessions: 2, requiredSessionIds: [2] }, { attendance: att([[1, 'present'], [3, 'present']]) }, false],
    ['assignment submitted, not accepted', { assignment: true }, { attendance: att([[1, 'present'], [2, 'present'], [3, 'present']]), assignment: 'submitted' }, false],
    ['assignment accepted', { assignment: true }, { attendance: att([[1, 'present'], [2, 'present'], [3, 'present']]), assignment: 'accepted' }, true],
    ['sign-off missing', { signOff: true }, { attendance: att([[1, 'present'], [2, 'present'], [3, 'present']]) }, false],
    ['override to completed', {}, { attendance: att([]), override: { completed: true } }, true],
    ['a required session that no longer exists is not asked for', { requiredSessionIds: [9] }, { attendance: att([[1, 'present']]) }, true],
    ['override to not completed', {}, { attendance: att([[1, 'present'], [2, 'present'], [3, 'present']]), override: { completed: false } }, false],
  ])('%s', (_l, rule, inputs, completed) => {
    const r = evaluateCompletion(rule, { ...base, attendance: att([]), ...inputs });
    expect(r.completed).toBe(completed);
  });

  it('explains itself part by part', () => {
    const r = evaluateCompletion({ minSessions: 2, assignment: true }, { ...base, attendance: att([[1, 'present']]), assignment: 'returned' });
    expect(r.parts).toEqual([
      { kind: 'sessions', met: false, attended: 1, needed: 2 },
      { kind: 'assignment', met: false, state: 'returned' },
    ]);
  });
});

describe('nothing is recorded before it happened', () => {
  const start = new Date('2027-02-05T01:00:00Z'); // 10:00 JST
  const before = new Date('2026-12-01T01:00:00Z');
  const minuteBefore = new Date('2027-02-05T00:59:00Z');
  const halfHourBefore = new Date('2027-02-05T00:30:00Z');
  it.each<[AttendanceStatus, Date, 'admin' | 'api' | 'kiosk', Date | null]>([
    ['present', before, 'admin', start],
    ['late', before, 'api', start],
    ['left_early', minuteBefore, 'admin', start],
    ['absent', before, 'admin', start],
    ['excused', before, 'admin', null],
    ['present', start, 'admin', null],
    ['absent', new Date('2027-02-05T03:00:00Z'), 'api', null],
    ['present', minuteBefore, 'kiosk', null],
    ['present', halfHourBefore, 'kiosk', null],
    ['present', new Date('2027-02-05T00:29:00Z'), 'kiosk', halfHourBefore],
  ])('%s at %s via %s: opens at %s', (status, now, via, opens) => expect(attendanceOpensAt(status, start, now, via)).toEqual(opens));

  it.each<[string[], string[], string, string]>([
    [['2026-11-24'], ['2026-11-24', '2026-12-08'], '2026-11-30', '2026-11-24'],
    [['2026-11-24', '2026-12-08'], ['2026-11-24', '2026-12-08'], '2026-12-08', '2026-12-08'],
    [[], ['2026-11-24', '2026-12-08'], '2026-11-30', '2026-11-24'],
    [[], ['2027-02-05'], '2026-11-30', '2026-11-30'],
    [[], [], '2026-11-30', '2026-11-30'],
    [['2027-02-05'], ['2027-02-05'], '2026-11-30', '2026-11-30'],
  ])('completion date: attended %j of %j, today %s → %s', (attended, sessions, today, day) => expect(completionDate(attended, sessions, today)).toBe(day));
});

describe('coordinator validity', () => {
  it.each([
    ['2026-12-11', 3, '2029-12-10'],
    ['2024-02-29', 1, '2025-02-28'],
    ['2026-04-01', 2, '2028-03-31'],
  ])('valid from %s for %i years: until %s', (from, years, until) => expect(validUntil(from, years)).toBe(until));

  it.each([
    [null, '2026-11-24', 'active'],
    ['2027-12-31', '2026-11-24', 'active'],
    ['2027-01-31', '2026-11-24', 'expiring'],
    ['2026-11-24', '2026-11-24', 'expiring'],
    ['2026-11-23', '2026-11-24', 'expired'],
  ] as const)('until %s on %s: %s', (until, today, status) => expect(coordinatorStatus(until, today)).toBe(status));
});
