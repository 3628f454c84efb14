import { describe, expect, it } from 'vitest';
import type { Role } from '../../../src/domain/values.js';
import { afterPassword, mayTurnOffSecondFactor, passwordSignIn, secondFactorRequired, type SignInSettings } from '../../../src/domain/policies/sign-in.js';

const people: [string, Role[]][] = [
  ['staff', ['staff']],
  ['approver', ['approver', 'staff']],
  ['coordinator', ['coordinator', 'staff']],
  ['admin', ['admin', 'staff']],
  ['partner', ['partner']],
  ['partner who is also a coordinator', ['coordinator', 'partner']],
  ['nobody (no role)', []],
];

const settings: SignInSettings[] = (['everyone', 'partners'] as const).flatMap((passwordSignIn) =>
  (['password', 'totp', 'sso'] as const).map((adminSignIn) => ({ passwordSignIn, adminSignIn })),
);

/** Expected outcome of a correct password, per role, for each of the six settings in the order above. */
const expected: Record<string, string[]> = {
  // everyone/password, everyone/totp, everyone/sso, partners/password, partners/totp, partners/sso
  staff: ['allowed', 'allowed', 'allowed', 'sso_only', 'sso_only', 'sso_only'],
  approver: ['allowed', 'allowed', 'allowed', 'sso_only', 'sso_only', 'sso_only'],
  coordinator: ['allowed', 'allowed', 'allowed', 'sso_only', 'sso_only', 'sso_only'],
  admin: ['allowed', 'second_factor', 'sso_only', 'sso_only', 'sso_only', 'sso_only'],
  partner: ['allowed', 'allowed', 'allowed', 'allowed', 'allowed', 'allowed'],
  'partner who is also a coordinator': ['allowed', 'allowed', 'allowed', 'sso_only', 'sso_only', 'sso_only'],
  'nobody (no role)': ['allowed', 'allowed', 'allowed', 'sso_only', 'sso_only', 'sso_only'],
};

describe('who may sign in with a password, role by role and setting by setting', () => {
  for (const [name, roles] of people) {
    it.each(settings.map((s, i) => [`${s.passwordSignIn}/${s.adminSignIn}`, s, i] as const))(`${name} under %s`, (_label, s, i) => {
      expect(passwordSignIn(roles, s)).toBe(expected[name]![i]);
      expect(secondFactorRequired(roles, s)).toBe(expected[name]![i] === 'second_factor');
      expect(mayTurnOffSecondFactor(roles, s)).toBe(expected[name]![i] !== 'second_factor');
    });
  }
});

describe('the step after a correct password', () => {
  const everyone = (adminSignIn: SignInSettings['adminSignIn']): SignInSettings => ({ passwordSignIn: 'everyone', adminSignIn });
  it.each([
    ['staff, not enrolled', ['staff'], everyone('totp'), false, 'session'],
    ['staff who enrolled of their own accord', ['staff'], everyone('password'), true, 'challenge'],
    ['partner who enrolled', ['partner'], { passwordSignIn: 'partners', adminSignIn: 'sso' }, true, 'challenge'],
    ['admin under password, not enrolled', ['admin', 'staff'], everyone('password'), false, 'session'],
    ['admin under password, enrolled', ['admin', 'staff'], everyone('password'), true, 'challenge'],
    ['admin under totp, not enrolled', ['admin', 'staff'], everyone('totp'), false, 'enrol'],
    ['admin under totp, enrolled', ['admin', 'staff'], everyone('totp'), true, 'challenge'],
    ['admin under sso, even enrolled', ['admin', 'staff'], everyone('sso'), true, 'sso_only'],
    ['staff under partners, even enrolled', ['staff'], { passwordSignIn: 'partners', adminSignIn: 'password' }, true, 'sso_only'],
  ] as [string, Role[], SignInSettings, boolean, string][])('%s', (_name, roles, s, enrolled, step) => {
    expect(afterPassword(roles, s, enrolled)).toBe(step);
  });
});
