import type { Role } from '../values.js';

/**
 * Who may sign in with a password, and who needs a second factor (issue 20 §1, decision 0025).
 *
 * - `passwordSignIn: 'partners'`: staff, approvers, coordinators and admins belong to the prefecture's
 *   directory and sign in through it (single sign-on); a person whose only role is partner is outside the
 *   directory and keeps a password. A person with no role at all is not a partner: single sign-on.
 * - `adminSignIn`: an admin signs in with a password alone (`password`), with a password and a TOTP code
 *   (`totp`), or only through the provider (`sso`).
 *
 * The stricter rule wins: an admin under `passwordSignIn: 'partners'` uses single sign-on whatever
 * `adminSignIn` says.
 */
export interface SignInSettings {
  passwordSignIn: 'everyone' | 'partners';
  adminSignIn: 'password' | 'totp' | 'sso';
}

export type PasswordSignIn = 'allowed' | 'sso_only' | 'second_factor';

/** What a correct password lets this person do, by roles and settings alone. */
export function passwordSignIn(roles: readonly Role[], config: SignInSettings): PasswordSignIn {
  const onlyPartner = roles.length > 0 && roles.every((r) => r === 'partner');
  if (config.passwordSignIn === 'partners' && !onlyPartner) return 'sso_only';
  if (roles.includes('admin')) {
    if (config.adminSignIn === 'sso') return 'sso_only';
    if (config.adminSignIn === 'totp') return 'second_factor';
  }
  return 'allowed';
}

/** Must this person have a second factor before any session starts (an admin under `totp`)? */
export function secondFactorRequired(roles: readonly Role[], config: SignInSettings): boolean {
  return passwordSignIn(roles, config) === 'second_factor';
}

/**
 * The step after a correct password: refused (`sso_only`), a session at once (`session`), the code of
 * the enrolled authenticator (`challenge`), or enrolment first (`enrol`: an admin under `totp` who has
 * none yet). Anybody who has enrolled of their own accord is asked for a code too.
 */
export type AfterPassword = 'sso_only' | 'session' | 'challenge' | 'enrol';

export function afterPassword(roles: readonly Role[], config: SignInSettings, enrolled: boolean): AfterPassword {
  const rule = passwordSignIn(roles, config);
  if (rule === 'sso_only') return 'sso_only';
  if (enrolled) return 'challenge';
  return rule === 'second_factor' ? 'enrol' : 'session';
}

/**
 * May this person turn their second factor off? Anybody who enrolled of their own accord; not an admin
 * under `totp` (they may set up a new authenticator instead, or ask for `kyodo second-factor reset`).
 */
export function mayTurnOffSecondFactor(roles: readonly Role[], config: SignInSettings): boolean {
  return !secondFactorRequired(roles, config);
}
