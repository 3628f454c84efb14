import { describe, expect, it } from 'vitest';
import type { Role } from '../../../src/domain/values.js';
import { mayAnonymisePerson } from '../../../src/domain/policies/person.js';

const as = (id: number, ...roles: Role[]) => ({ id, roles });

describe('mayAnonymisePerson', () => {
  const someone = { id: 7, anonymised: false };
  const cases: [string, ReturnType<typeof as> | null, { id: number; anonymised: boolean }, boolean][] = [
    ['visitor', null, someone, false],
    ['staff', as(1, 'staff'), someone, false],
    ['approver', as(1, 'approver', 'staff'), someone, false],
    ['coordinator', as(1, 'coordinator', 'staff'), someone, false],
    ['partner member', as(1, 'partner'), someone, false],
    ['admin, someone else', as(1, 'admin', 'staff'), someone, true],
    ['admin, themselves', as(7, 'admin', 'staff'), someone, false],
    ['admin, already anonymised', as(1, 'admin'), { id: 7, anonymised: true }, false],
  ];
  it.each(cases)('%s', (_, actor, person, expected) => {
    expect(mayAnonymisePerson(actor, person)).toBe(expected);
  });
});
