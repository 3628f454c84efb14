import { describe, expect, it } from 'vitest';
import { decideSignIn, identityFromClaims, mappedRoles, type SsoDecision, type SsoIdentity, type SsoPerson, type SsoRules } from '../../src/domain/sso.js';
import type { Role } from '../../src/domain/values.js';

const rules: SsoRules = { staffNumberClaim: 'employeeId', emailClaim: 'email', createPeople: false, groupsClaim: null, roleGroups: [] };
const mapped: SsoRules = {
  ...rules,
  groupsClaim: 'groups',
  roleGroups: [
    { role: 'admin', group: 'kyodo-admins' },
    { role: 'approver', group: 'kachou' },
  ],
};
const who = (over: Partial<SsoIdentity> = {}): SsoIdentity => ({
  staffNumber: '103034',
  email: 'hanako@pref.example.jp',
  emailUsable: true,
  name: '研修 花子',
  kana: 'ケンシュウ ハナコ',
  groups: null,
  ...over,
});
const person = (over: Partial<SsoPerson> = {}): SsoPerson => ({ id: 7, staffNumber: '103034', active: true, affiliation: 'prefecture', roles: ['staff'], ...over });

describe('reading the claims', () => {
  it.each<[string, Record<string, unknown>, SsoRules, Partial<SsoIdentity>]>([
    ['a full-width 職員番号 is NFKC-normalised', { employeeId: ' １０３０３４ ', email: 'a@pref.example.jp' }, rules, { staffNumber: '103034', email: 'a@pref.example.jp' }],
    ['a numeric 職員番号', { employeeId: 103034 }, rules, { staffNumber: '103034', email: null }],
    ['no 職員番号 claim configured', { employeeId: '1', email: 'a@pref.example.jp' }, { ...rules, staffNumberClaim: null }, { staffNumber: null }],
    ['another mail claim', { upn: 'b@pref.example.jp', email: 'x@y.jp' }, { ...rules, emailClaim: 'upn' }, { email: 'b@pref.example.jp' }],
    ['not an address', { email: 'nobody' }, rules, { email: null }],
    ['unverified address', { email: 'a@pref.example.jp', email_verified: false }, rules, { emailUsable: false }],
    ['name from family and given names', { family_name: '研修', given_name: '花子' }, rules, { name: '研修 花子' }],
    ['フリガナ from the ja-Kana-JP claims', { 'family_name#ja-Kana-JP': 'ケンシュウ', 'given_name#ja-Kana-JP': 'ハナコ' }, rules, { kana: 'ケンシュウ ハナコ' }],
    ['groups as a list', { groups: ['a', 'b'] }, mapped, { groups: ['a', 'b'] }],
    ['groups as a string', { groups: 'a b' }, mapped, { groups: ['a', 'b'] }],
    ['groups absent', {}, mapped, { groups: null }],
  ])('%s', (_l, claims, r, expected) => {
    expect(identityFromClaims(claims, r)).toMatchObject(expected);
  });
});

describe('roles from groups', () => {
  it.each<[string, Role[], string[] | null, SsoRules, Role[] | null]>([
    ['no mapping: roles stay', ['staff', 'admin'], null, rules, ['staff', 'admin']],
    ['mapped group gives the role', ['staff'], ['kyodo-admins'], mapped, ['admin', 'staff']],
    ['mapped role taken when its group is gone', ['admin', 'staff'], ['other'], mapped, ['staff']],
    ['roles the mapping does not name stay', ['coordinator', 'staff'], [], mapped, ['staff', 'coordinator']],
    ['partner is never taken', ['partner'], [], mapped, ['partner']],
    ['claim absent while a mapping is set', ['staff'], null, mapped, null],
  ])('%s', (_l, current, groups, r, expected) => {
    expect(mappedRoles(current, groups, r)).toEqual(expected);
  });
});

describe('deciding a sign-in', () => {
  it.each<[string, Parameters<typeof decideSignIn>[0], SsoDecision]>([
    ['known by 職員番号', { identity: who(), rules, byStaffNumber: person(), byEmail: null }, { kind: 'sign_in', personId: 7, matchedBy: 'staffNumber', roles: null }],
    ['known by address', { identity: who({ staffNumber: null }), rules, byStaffNumber: null, byEmail: person() }, { kind: 'sign_in', personId: 7, matchedBy: 'email', roles: null }],
    ['職員番号 wins over address', { identity: who(), rules, byStaffNumber: person({ id: 1 }), byEmail: person({ id: 2 }) }, { kind: 'sign_in', personId: 1, matchedBy: 'staffNumber', roles: null }],
    ['address of someone with another 職員番号', { identity: who({ staffNumber: '999' }), rules, byStaffNumber: null, byEmail: person() }, { kind: 'refuse', reason: 'mismatch', personId: 7 }],
    ['unverified address is not used', { identity: who({ staffNumber: '999', emailUsable: false }), rules, byStaffNumber: null, byEmail: person({ staffNumber: null }) }, { kind: 'refuse', reason: 'unknown', personId: null }],
    ['nothing to match with', { identity: who({ staffNumber: null, email: null }), rules, byStaffNumber: null, byEmail: null }, { kind: 'refuse', reason: 'no_identifier', personId: null }],
    ['unknown, creation off (default)', { identity: who(), rules, byStaffNumber: null, byEmail: null }, { kind: 'refuse', reason: 'unknown', personId: null }],
    [
      'unknown, creation on',
      { identity: who(), rules: { ...rules, createPeople: true }, byStaffNumber: null, byEmail: null },
      { kind: 'create', person: { name: '研修 花子', kana: 'ケンシュウ ハナコ', email: 'hanako@pref.example.jp', staffNumber: '103034', affiliation: 'prefecture', roles: ['staff'] } },
    ],
    ['unknown, creation on, no フリガナ', { identity: who({ kana: null }), rules: { ...rules, createPeople: true }, byStaffNumber: null, byEmail: null }, { kind: 'refuse', reason: 'incomplete', personId: null }],
    [
      'created with mapped roles',
      { identity: who({ groups: ['kachou'] }), rules: { ...mapped, createPeople: true }, byStaffNumber: null, byEmail: null },
      { kind: 'create', person: { name: '研修 花子', kana: 'ケンシュウ ハナコ', email: 'hanako@pref.example.jp', staffNumber: '103034', affiliation: 'prefecture', roles: ['approver', 'staff'] } },
    ],
    ['inactive', { identity: who(), rules, byStaffNumber: person({ active: false }), byEmail: null }, { kind: 'refuse', reason: 'inactive', personId: 7 }],
    ['partner account', { identity: who(), rules, byStaffNumber: null, byEmail: person({ staffNumber: null, affiliation: 'partner', roles: ['partner'] }) }, { kind: 'refuse', reason: 'partner', personId: 7 }],
    ['partner role on a prefecture account', { identity: who(), rules, byStaffNumber: person({ roles: ['partner', 'staff'] }), byEmail: null }, { kind: 'refuse', reason: 'partner', personId: 7 }],
    ['groups give admin', { identity: who({ groups: ['kyodo-admins'] }), rules: mapped, byStaffNumber: person(), byEmail: null }, { kind: 'sign_in', personId: 7, matchedBy: 'staffNumber', roles: ['admin', 'staff'] }],
    ['groups unchanged', { identity: who({ groups: ['kyodo-admins'] }), rules: mapped, byStaffNumber: person({ roles: ['admin', 'staff'] }), byEmail: null }, { kind: 'sign_in', personId: 7, matchedBy: 'staffNumber', roles: null }],
    ['groups claim missing', { identity: who(), rules: mapped, byStaffNumber: person({ roles: ['admin'] }), byEmail: null }, { kind: 'refuse', reason: 'groups_missing', personId: 7 }],
    ['last role taken', { identity: who({ groups: [] }), rules: mapped, byStaffNumber: person({ roles: ['admin'] }), byEmail: null }, { kind: 'refuse', reason: 'no_role', personId: 7 }],
  ])('%s', (_l, input, expected) => {
    expect(decideSignIn(input)).toEqual(expected);
  });
});
