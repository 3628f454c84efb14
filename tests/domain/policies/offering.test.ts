import { describe, expect, it } from 'vitest';
import type { Role } from '../../../src/domain/values.js';
import { mayViewOffering, seesPublishedOfferingsOnly } from '../../../src/domain/policies/offering.js';

const as = (...roles: Role[]) => ({ id: 1, roles });

describe('mayViewOffering', () => {
  const cases: [string, ReturnType<typeof as> | null, boolean, boolean][] = [
    ['visitor, published', null, true, true],
    ['visitor, unpublished', null, false, false],
    ['staff, published', as('staff'), true, true],
    ['staff, unpublished', as('staff'), false, false],
    ['approver, unpublished', as('approver', 'staff'), false, false],
    ['coordinator, unpublished', as('coordinator', 'staff'), false, false],
    ['partner member, unpublished', as('partner'), false, false],
    ['admin, unpublished', as('admin'), false, true],
    ['admin, published', as('admin'), true, true],
  ];
  it.each(cases)('%s', (_, actor, published, expected) => {
    expect(mayViewOffering(actor, { published })).toBe(expected);
  });
  it('only admins see unpublished offerings in lists', () => {
    expect(seesPublishedOfferingsOnly(null)).toBe(true);
    expect(seesPublishedOfferingsOnly(as('staff', 'approver'))).toBe(true);
    expect(seesPublishedOfferingsOnly(as('admin'))).toBe(false);
  });
});

describe('seesPublishedOfferingsOnly, for every role', () => {
  const cases: [string, ReturnType<typeof as> | null, boolean][] = [
    ['admin', as('admin'), false],
    ['approver', as('approver', 'staff'), true],
    ['staff', as('staff'), true],
    ['coordinator', as('coordinator', 'staff'), true],
    ['partner member', as('partner'), true],
    ['visitor', null, true],
  ];
  it.each(cases)('%s', (_, actor, expected) => {
    expect(seesPublishedOfferingsOnly(actor)).toBe(expected);
  });
});
