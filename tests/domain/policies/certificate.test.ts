import { describe, expect, it } from 'vitest';
import type { Role } from '../../../src/domain/values.js';
import { mayRevokeCertificate, mayViewCertificate } from '../../../src/domain/policies/certificate.js';

const as = (...roles: Role[]) => ({ id: 1, roles });
const own = { person_id: 1 };
const other = { person_id: 2 };

describe('certificates: the holder sees theirs, admins see and revoke all', () => {
  const cases: [string, ReturnType<typeof as> | null, boolean, boolean, boolean][] = [
    // [name, actor, own, someone else's, may revoke]
    ['admin', as('admin', 'staff'), true, true, true],
    ['approver', as('approver', 'staff'), true, false, false],
    ['staff', as('staff'), true, false, false],
    ['coordinator', as('coordinator', 'staff'), true, false, false],
    ['partner member', as('partner'), true, false, false],
    ['visitor', null, false, false, false],
  ];
  it.each(cases)('%s', (_, actor, ownOk, otherOk, revoke) => {
    expect(mayViewCertificate(actor, own)).toBe(ownOk);
    expect(mayViewCertificate(actor, other)).toBe(otherOk);
    expect(mayRevokeCertificate(actor)).toBe(revoke);
  });
});
