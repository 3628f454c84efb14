/**
 * Single sign-on (issue 20 §1, decision 0024): what a verified set of claims from the prefecture's
 * OpenID Connect provider means for Kyodo. Pure: the service loads the people the claims point at and
 * saves what is decided here.
 */
import { type Affiliation, ROLES, type Role } from './values.js';

/** The roles the provider's groups may give and take; `partner` is never among them. */
export const SSO_MAPPABLE_ROLES = ['admin', 'approver', 'staff', 'coordinator'] as const satisfies readonly Role[];
export type SsoMappableRole = (typeof SSO_MAPPABLE_ROLES)[number];

/** The part of the single sign-on configuration that the rules read. */
export interface SsoRules {
  staffNumberClaim: string | null;
  emailClaim: string;
  createPeople: boolean;
  groupsClaim: string | null;
  roleGroups: readonly { role: SsoMappableRole; group: string }[];
}

/** Who the claims say the person is. */
export interface SsoIdentity {
  /** 職員番号, NFKC-normalised and trimmed as people's staff numbers are. */
  staffNumber: string | null;
  email: string | null;
  /** false only when the provider says the address is not verified (then it is not used to match). */
  emailUsable: boolean;
  name: string | null;
  /** フリガナ from the `#ja-Kana-JP` claims (OpenID Connect Core §5.2), for a person created at first sign-in. */
  kana: string | null;
  /** The groups claim's values; null when the claim is absent. */
  groups: string[] | null;
}

/** A person the claims matched, as far as the rules need to know. */
export interface SsoPerson {
  id: number;
  staffNumber: string | null;
  active: boolean;
  affiliation: Affiliation;
  roles: readonly Role[];
}

export const SSO_REFUSALS = ['unknown', 'inactive', 'partner', 'mismatch', 'no_identifier', 'incomplete', 'no_role', 'groups_missing'] as const;
export type SsoRefusal = (typeof SSO_REFUSALS)[number];

export type SsoDecision =
  | { kind: 'sign_in'; personId: number; matchedBy: 'staffNumber' | 'email'; roles: Role[] | null }
  | { kind: 'create'; person: { name: string; kana: string; email: string; staffNumber: string | null; affiliation: 'prefecture'; roles: Role[] } }
  | { kind: 'refuse'; reason: SsoRefusal; personId: number | null };

const text = (v: unknown): string | null => {
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  if (typeof v !== 'string') return null;
  const s = v.normalize('NFKC').trim();
  return s ? s : null;
};

/** Reads the claims the configuration names. */
export function identityFromClaims(claims: Readonly<Record<string, unknown>>, rules: SsoRules): SsoIdentity {
  const staffNumber = rules.staffNumberClaim ? text(claims[rules.staffNumberClaim]) : null;
  const rawEmail = text(claims[rules.emailClaim]);
  const email = rawEmail && /^[^@\s]+@[^@\s]+$/.test(rawEmail) ? rawEmail : null;
  const joined = (a: unknown, b: unknown) => [text(a), text(b)].filter(Boolean).join(' ') || null;
  const name = text(claims.name) ?? joined(claims.family_name, claims.given_name);
  const kana = text(claims['name#ja-Kana-JP']) ?? joined(claims['family_name#ja-Kana-JP'], claims['given_name#ja-Kana-JP']);
  let groups: string[] | null = null;
  if (rules.groupsClaim) {
    const g = claims[rules.groupsClaim];
    if (Array.isArray(g)) groups = g.map(text).filter((x): x is string => x !== null);
    else if (typeof g === 'string') groups = g.split(/[\s,]+/).filter(Boolean);
  }
  return { staffNumber, email, emailUsable: claims.email_verified !== false, name, kana, groups };
}

/** The roles the mapped groups govern; the others stay as they are set in Kyodo. */
function governedRoles(rules: SsoRules): Set<Role> {
  return new Set(rules.roleGroups.map((m) => m.role));
}

/**
 * Roles after a sign-in: each role that the mapping names is held exactly when one of its groups is
 * in the claim; roles the mapping does not name, and `partner`, stay as they are. Null: the claim is
 * needed but absent (the roles cannot be decided).
 */
export function mappedRoles(current: readonly Role[], groups: readonly string[] | null, rules: SsoRules): Role[] | null {
  const governed = governedRoles(rules);
  if (!governed.size) return [...current];
  if (groups === null) return null;
  const held = new Set(groups);
  const granted = new Set<Role>(rules.roleGroups.filter((m) => held.has(m.group)).map((m) => m.role));
  const kept = current.filter((r) => !governed.has(r) || granted.has(r));
  return ROLES.filter((r) => kept.includes(r) || granted.has(r));
}

/**
 * What to do with a verified sign-in. The person is found by 職員番号 first, then by mail address (not
 * when the provider says it is unverified). A person found by address whose 職員番号 differs from the
 * claim's is somebody else: refused. Partners are outside the prefecture's directory and sign in with
 * their passwords: refused here.
 */
export function decideSignIn(input: {
  identity: SsoIdentity;
  rules: SsoRules;
  byStaffNumber: SsoPerson | null;
  byEmail: SsoPerson | null;
}): SsoDecision {
  const { identity, rules } = input;
  const byEmail = identity.emailUsable ? input.byEmail : null;
  if (!identity.staffNumber && !(identity.email && identity.emailUsable)) return { kind: 'refuse', reason: 'no_identifier', personId: null };
  if (!input.byStaffNumber && byEmail && byEmail.staffNumber && identity.staffNumber && byEmail.staffNumber !== identity.staffNumber)
    return { kind: 'refuse', reason: 'mismatch', personId: byEmail.id };
  const person = input.byStaffNumber ?? byEmail;
  if (person) {
    if (person.affiliation === 'partner' || person.roles.includes('partner')) return { kind: 'refuse', reason: 'partner', personId: person.id };
    if (!person.active) return { kind: 'refuse', reason: 'inactive', personId: person.id };
    const roles = mappedRoles(person.roles, identity.groups, rules);
    if (roles === null) return { kind: 'refuse', reason: 'groups_missing', personId: person.id };
    if (!roles.length) return { kind: 'refuse', reason: 'no_role', personId: person.id };
    const same = roles.length === person.roles.length && roles.every((r) => person.roles.includes(r));
    return { kind: 'sign_in', personId: person.id, matchedBy: input.byStaffNumber ? 'staffNumber' : 'email', roles: same ? null : roles };
  }
  if (!rules.createPeople) return { kind: 'refuse', reason: 'unknown', personId: null };
  if (!identity.email || !identity.emailUsable || !identity.name || !identity.kana) return { kind: 'refuse', reason: 'incomplete', personId: null };
  // A new person is staff unless the mapping governs the staff role.
  const base: Role[] = governedRoles(rules).has('staff') ? [] : ['staff'];
  const roles = mappedRoles(base, identity.groups, rules);
  if (roles === null) return { kind: 'refuse', reason: 'groups_missing', personId: null };
  if (!roles.length) return { kind: 'refuse', reason: 'no_role', personId: null };
  return {
    kind: 'create',
    person: { name: identity.name, kana: identity.kana, email: identity.email, staffNumber: identity.staffNumber, affiliation: 'prefecture', roles },
  };
}
