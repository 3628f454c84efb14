import { describe, expect, it } from 'vitest';
import type { Role } from '../../../src/domain/values.js';
import { mayAnswerApplication, mayCancelApplication, mayEndorseApplication, mayViewApplication, maySubmitAssignment } from '../../../src/domain/policies/application.js';

/** Every role, as someone other than the applicant (id 1), in unit 10 unless said otherwise. */
const as = (roles: Role[], unitId: number | null = 10) => ({ id: 1, roles, unitId });
const own = { person_id: 1, person_unit_id: 10 };
const other = { person_id: 2, person_unit_id: 10 };
const otherUnit = { person_id: 3, person_unit_id: 20 };

type Actor = ReturnType<typeof as> | null;
const roles: [string, Actor][] = [
  ['admin', as(['admin', 'staff'])],
  ['approver', as(['approver', 'staff'])],
  ['staff', as(['staff'])],
  ['coordinator', as(['coordinator', 'staff'])],
  ['partner member', as(['partner'], null)],
  ['visitor', null],
];

describe('mayViewApplication and mayCancelApplication: the applicant and admins', () => {
  const expected: Record<string, [boolean, boolean]> = {
    // [own application, someone else's in the same unit]
    admin: [true, true],
    approver: [true, false],
    staff: [true, false],
    coordinator: [true, false],
    'partner member': [true, false],
    visitor: [false, false],
  };
  it.each(roles)('%s', (name, actor) => {
    const [ownOk, otherOk] = expected[name]!;
    expect(mayViewApplication(actor, own)).toBe(ownOk && actor !== null);
    expect(mayViewApplication(actor, other)).toBe(otherOk);
    expect(mayCancelApplication(actor, own)).toBe(ownOk && actor !== null);
    expect(mayCancelApplication(actor, other)).toBe(otherOk);
  });
});

describe('mayAnswerApplication and maySubmitAssignment: the applicant only, not even an admin', () => {
  it.each(roles)('%s', (_, actor) => {
    expect(mayAnswerApplication(actor, own)).toBe(actor !== null);
    expect(mayAnswerApplication(actor, other)).toBe(false);
    expect(maySubmitAssignment(actor, own)).toBe(actor !== null);
    expect(maySubmitAssignment(actor, other)).toBe(false);
  });
});

describe("mayEndorseApplication: the unit's approver or an admin, never one's own", () => {
  const expected: Record<string, [boolean, boolean, boolean]> = {
    // [own, same unit, other unit]
    admin: [false, true, true],
    approver: [false, true, false],
    staff: [false, false, false],
    coordinator: [false, false, false],
    'partner member': [false, false, false],
    visitor: [false, false, false],
  };
  it.each(roles)('%s', (name, actor) => {
    const [ownOk, sameUnit, elsewhere] = expected[name]!;
    expect(mayEndorseApplication(actor, own)).toBe(ownOk);
    expect(mayEndorseApplication(actor, other)).toBe(sameUnit);
    expect(mayEndorseApplication(actor, otherUnit)).toBe(elsewhere);
  });
  it('an approver without a unit endorses nobody', () => {
    expect(mayEndorseApplication(as(['approver', 'staff'], null), other)).toBe(false);
  });
});
