import { describe, expect, it } from 'vitest';
import type { Role } from '../../../src/domain/values.js';
import { directoryStatusesFor } from '../../../src/domain/policies/coordinator.js';

const as = (...roles: Role[]) => ({ id: 1, roles });

describe('directoryStatusesFor: whose certification the directory shows', () => {
  // [who, actor, status asked for, statuses shown]
  const cases: [string, ReturnType<typeof as> | null, 'active' | 'expiring' | 'expired' | undefined, string[]][] = [
    ['visitor', null, undefined, ['active', 'expiring']],
    ['staff', as('staff'), undefined, ['active', 'expiring']],
    ['staff asking for expired ones', as('staff'), 'expired', ['active', 'expiring']],
    ['approver', as('approver', 'staff'), 'expired', ['active', 'expiring']],
    ['coordinator', as('coordinator', 'staff'), 'expired', ['active', 'expiring']],
    ['partner member (the route refuses them before)', as('partner'), 'expired', ['active', 'expiring']],
    ['admin', as('admin'), undefined, ['active', 'expiring', 'expired']],
    ['admin asking for expired ones', as('admin'), 'expired', ['expired']],
  ];
  it.each(cases)('%s', (_, actor, wanted, shown) => {
    expect(directoryStatusesFor(actor, wanted)).toEqual(shown);
  });
});
