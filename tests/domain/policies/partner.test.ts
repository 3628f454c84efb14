import { describe, expect, it } from 'vitest';
import type { Role } from '../../../src/domain/values.js';
import { isMemberOf, mayEditPartner, mayHostSession, mayOfferAtSite, mayViewPartner, type PartnerActor } from '../../../src/domain/policies/partner.js';

/** Organisation 7 is "ours"; the member of 8 belongs to another organisation. */
const as = (roles: Role[], partnerId: number | null = null): PartnerActor => ({ id: 1, roles, unitId: roles.includes('partner') ? null : 10, partnerId });
const actors: [string, PartnerActor | null][] = [
  ['visitor', null],
  ['staff', as(['staff'])],
  ['approver', as(['approver', 'staff'])],
  ['coordinator', as(['coordinator', 'staff'])],
  ['admin', as(['admin', 'staff'])],
  ['partner member of the organisation', as(['partner'], 7)],
  ['partner member of another organisation', as(['partner'], 8)],
  ['partner without an organisation', as(['partner'])],
];

describe('partner policies, role by role', () => {
  const expected: Record<string, { view: boolean; edit: boolean; offer: boolean; host: boolean; member: boolean }> = {
    visitor: { view: false, edit: false, offer: false, host: false, member: false },
    staff: { view: false, edit: false, offer: false, host: false, member: false },
    approver: { view: false, edit: false, offer: false, host: false, member: false },
    coordinator: { view: false, edit: false, offer: false, host: false, member: false },
    // Admins see and edit every organisation, but the host roster is the members' page only.
    admin: { view: true, edit: true, offer: false, host: false, member: false },
    'partner member of the organisation': { view: true, edit: true, offer: true, host: true, member: true },
    'partner member of another organisation': { view: false, edit: false, offer: false, host: false, member: false },
    'partner without an organisation': { view: false, edit: false, offer: false, host: false, member: false },
  };
  it.each(actors)('%s', (name, actor) => {
    const e = expected[name]!;
    expect(mayViewPartner(actor, { id: 7 })).toBe(e.view);
    expect(mayEditPartner(actor, { id: 7 })).toBe(e.edit);
    expect(mayOfferAtSite(actor, { partner_id: 7 })).toBe(e.offer);
    expect(mayHostSession(actor, { host_partner_id: 7 })).toBe(e.host);
    expect(isMemberOf(actor, 7)).toBe(e.member);
  });

  it('a session hosted by nobody is nobody’s to host', () => {
    for (const [, actor] of actors) expect(mayHostSession(actor, { host_partner_id: null })).toBe(false);
  });

  it('a person linked to an organisation without the partner role is not its member', () => {
    expect(mayViewPartner(as(['staff'], 7), { id: 7 })).toBe(false);
    expect(mayEditPartner(as(['staff'], 7), { id: 7 })).toBe(false);
  });
});
