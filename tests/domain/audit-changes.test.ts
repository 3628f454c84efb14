import { describe, expect, it } from 'vitest';
import { auditChanges } from '../../src/domain/audit-changes.js';

describe('what an audit entry changed', () => {
  it.each<[string, unknown, unknown, [string, unknown, unknown][]]>([
    ['nothing recorded', undefined, undefined, []],
    ['a status change', { status: 'applied' }, { status: 'confirmed' }, [['status', 'applied', 'confirmed']]],
    ['unchanged fields are left out', { title: 'A', capacity: 20 }, { title: 'A', capacity: 30 }, [['capacity', 20, 30]]],
    [
      'a creation lists what was set, without ids, bookkeeping times or empty fields',
      undefined,
      { id: 7, title: '協働推進セミナー', capacity: 30, venue: null, lecturers: [], created_at: '2026-11-24T01:00:00.000Z', seat_version: 0 },
      [
        ['title', undefined, '協働推進セミナー'],
        ['capacity', undefined, 30],
      ],
    ],
    ['a deletion lists what was there', { title: '第1回', format: 'lecture' }, undefined, [['title', '第1回', undefined], ['format', 'lecture', undefined]]],
    ['nested objects are followed to their fields', { answers: { satisfaction: 4, understanding: 3 } }, { survey_id: 2, answers: { satisfaction: 5, understanding: 3 } }, [['survey_id', undefined, 2], ['answers.satisfaction', 4, 5]]],
    ['a field the after does not name is not a removal', { status: 'applied', comment: 'x' }, { status: 'returned' }, [['status', 'applied', 'returned']]],
    ['a field cleared in an update is listed', { note: '備考' }, { note: null }, [['note', '備考', null]]],
    ['arrays compare whole', { roles: ['staff'] }, { roles: ['staff', 'approver'] }, [['roles', ['staff'], ['staff', 'approver']]]],
    ['a plain value, not an object', 3, 4, [['', 3, 4]]],
    ['secrets and technical columns never listed', { password_hash: 'x', search_key: 'a' }, { password_hash: 'y', search_key: 'b', name: '花子' }, [['name', undefined, '花子']]],
  ])('%s', (_l, before, after, expected) => {
    expect(auditChanges(before, after).map((c) => [c.path.join('.'), c.before, c.after])).toEqual(expected);
  });
});
