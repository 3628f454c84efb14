/**
 * Verifiable certificates (issue 20 §4, decision 0026): the Open Badges 3.0 credential (a W3C
 * Verifiable Credential, data model 2.0) for a certificate (修了証) and for the coordinator
 * certification, and the W3C Bitstring Status List that says which were revoked. Pure: the caller
 * passes the records, the time, the credential id and the salt; signing is the service's.
 */
import { createHash } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import { formatFiscalYear } from './calendar.js';
import type { CompletionRule } from './completion.js';

export const VC_CONTEXT = 'https://www.w3.org/ns/credentials/v2';
export const OB_CONTEXT = 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json';
/** VC-JOSE-COSE's media type for a credential secured as a JWT; OB 3.0 allows only `typ: JWT` in the header. */
export const VC_JWT_MEDIA_TYPE = 'application/vc+jwt';
export const VC_JWT_TYP = 'JWT';
/** Bitstring Status List v1.0: at least 16 KiB of bits (131,072 entries) for group privacy. */
export const STATUS_LIST_MIN_BITS = 131_072;

/** The public, stable URLs under the base URL. */
export function credentialUrls(baseUrl: string) {
  const base = baseUrl.replace(/\/$/, '');
  return {
    issuer: `${base}/credentials/issuer`,
    keys: `${base}/credentials/keys`,
    statusList: `${base}/credentials/status/revocation`,
    achievement: (key: string) => `${base}/credentials/achievements/${key}`,
  };
}

/** The keys of achievements: one per offering (its fiscal year and completion rule), and the coordinator certification. */
export const COORDINATOR_ACHIEVEMENT = 'coordinator';
export const offeringAchievementKey = (offeringId: number) => `offering-${offeringId}`;
export function parseAchievementKey(key: string): { kind: 'offering'; offeringId: number } | { kind: 'coordinator' } | null {
  if (key === COORDINATOR_ACHIEVEMENT) return { kind: 'coordinator' };
  const m = /^offering-([1-9]\d{0,9})$/.exec(key);
  const id = m ? Number(m[1]) : 0;
  return id > 0 && id <= 2147483647 ? { kind: 'offering', offeringId: id } : null;
}

export interface IssuerInput {
  baseUrl: string;
  /** config.issuerName (e.g. 滋賀県知事). */
  name: string;
  /** config.prefectureName. */
  prefecture: string;
}

/** The issuer's Profile (OB 3.0): id is its public URL, where this same JSON is served. */
export function issuerProfile(i: IssuerInput) {
  return {
    id: credentialUrls(i.baseUrl).issuer,
    type: ['Profile'],
    name: i.name,
    description: `${i.prefecture}の職員研修（協働研修）の修了証と協働コーディネーター認定を発行する者`,
    url: i.baseUrl.replace(/\/$/, ''),
  };
}

/** The completion criteria in words (公用文), from the offering's rule. */
export function criteriaText(rule: CompletionRule, sessionCount: number): string {
  const parts: string[] = [];
  const required = rule.requiredSessionIds?.length ?? 0;
  if (rule.minSessions !== undefined) parts.push(`全${sessionCount}回のうち${rule.minSessions}回以上出席すること`);
  else if (!required) parts.push(`全${sessionCount}回に出席すること`);
  if (required) parts.push(`指定された${required}回に必ず出席すること`);
  if (rule.assignment) parts.push('課題を提出し、受理されること');
  if (rule.signOff) parts.push('研修担当の修了確認を受けること');
  return `修了の条件：${parts.join('。')}。`;
}

export function coordinatorCriteriaText(validYears: number): string {
  const validity = validYears > 0 ? `認定の有効期間は${validYears}年とし、フォローアップ研修の修了により更新する。` : '認定に有効期間は設けない。';
  return `協働コーディネーター養成講座を修了すること。${validity}`;
}

/** The fiscal year both ways: 令和8年度 and FY2026. */
export function fiscalYearTags(fy: number): string[] {
  return [formatFiscalYear(fy, 'ja', 'wareki'), `FY${fy}`];
}

export interface AchievementInput {
  baseUrl: string;
  key: string;
  kind: 'completion' | 'coordinator';
  /** Programme name (ja). */
  name: string;
  /** The offering's title, or the course's. */
  title: string;
  fiscalYear: number | null;
  criteria: string;
  creator: ReturnType<typeof issuerProfile>;
}

/** The OB 3.0 Achievement: what was achieved, in which fiscal year, by which criteria. */
export function achievement(a: AchievementInput) {
  const fy = a.fiscalYear;
  const year = fy !== null ? `${formatFiscalYear(fy, 'ja', 'wareki')}（${fy}年度）` : null;
  return {
    id: credentialUrls(a.baseUrl).achievement(a.key),
    type: ['Achievement'],
    achievementType: a.kind === 'coordinator' ? 'Certification' : 'CertificateOfCompletion',
    name: a.name,
    description: a.kind === 'coordinator' ? `${a.name}（協働コーディネーター認定）` : `${year ?? ''}に実施した「${a.title}」の修了`,
    criteria: { narrative: a.criteria },
    inLanguage: 'ja',
    ...(fy !== null ? { tag: fiscalYearTags(fy) } : {}),
    creator: a.creator,
  };
}

/** OB 3.0 IdentityObject for the email: `sha256$` + hex(SHA-256(lower-cased email ‖ salt)), never the address. */
export function hashedEmail(email: string, salt: string) {
  const identityHash = `sha256$${createHash('sha256').update(email.trim().toLowerCase() + salt, 'utf8').digest('hex')}`;
  return { type: 'IdentityObject', identityHash, identityType: 'emailAddress', hashed: true, salt };
}

/** Tokyo dates as the credential's instants: valid from the start of the day, until its end. */
export const startOfTokyoDay = (date: string) => `${date}T00:00:00+09:00`;
export const endOfTokyoDay = (date: string) => `${date}T23:59:59+09:00`;

export interface CredentialInput {
  /** `urn:uuid:…`, new for each credential. */
  id: string;
  /** The subject's id (OB 3.0's VC-JWT requires `sub`): `urn:uuid:…`, new for each credential, so that two credentials of one person cannot be linked by it. */
  subjectId: string;
  issuer: ReturnType<typeof issuerProfile>;
  achievement: ReturnType<typeof achievement>;
  holder: { name: string; email: string };
  salt: string;
  /** The certificate's number (KYODO-<fy>-<seq>). */
  number: string;
  /** Completion or certification date (Tokyo, YYYY-MM-DD). */
  validFrom: string;
  /** Certification expiry (Tokyo date), or null for a plain completion. */
  validUntil: string | null;
  statusIndex: number;
  statusListUrl: string;
}

/** The unsigned OpenBadgeCredential. */
export function openBadgeCredential(c: CredentialInput) {
  const coordinator = c.achievement.achievementType === 'Certification';
  return {
    '@context': [VC_CONTEXT, OB_CONTEXT],
    id: c.id,
    type: ['VerifiableCredential', 'OpenBadgeCredential'],
    name: `${coordinator ? '協働コーディネーター認定' : '修了証'} ${c.number}`,
    issuer: c.issuer,
    validFrom: startOfTokyoDay(c.validFrom),
    ...(c.validUntil ? { validUntil: endOfTokyoDay(c.validUntil) } : {}),
    credentialSubject: {
      id: c.subjectId,
      type: ['AchievementSubject'],
      identifier: [{ type: 'IdentityObject', identityHash: c.holder.name, identityType: 'name', hashed: false }, hashedEmail(c.holder.email, c.salt)],
      achievement: c.achievement,
      ...(coordinator ? { licenseNumber: c.number } : { activityEndDate: startOfTokyoDay(c.validFrom) }),
    },
    credentialStatus: statusEntry(c.statusListUrl, c.statusIndex),
  };
}

export function statusEntry(statusListUrl: string, index: number) {
  return {
    id: `${statusListUrl}#${index}`,
    type: 'BitstringStatusListEntry',
    statusPurpose: 'revocation',
    statusListIndex: String(index),
    statusListCredential: statusListUrl,
  };
}

/** The registered JWT claims that mirror the credential (OB 3.0's JSON Web Token Proof Format): iss, jti, sub, nbf, exp. */
export function jwtClaims(credential: { id: string; issuer: { id: string }; validFrom: string; validUntil?: string; credentialSubject?: { id?: string } }) {
  return {
    iss: credential.issuer.id,
    jti: credential.id,
    ...(credential.credentialSubject?.id ? { sub: credential.credentialSubject.id } : {}),
    nbf: Math.floor(Date.parse(credential.validFrom) / 1000),
    ...(credential.validUntil ? { exp: Math.floor(Date.parse(credential.validUntil) / 1000) } : {}),
  };
}

/** The status list credential (unsigned): revocation bits of every certificate and certification. */
export function statusListCredential(s: { baseUrl: string; issuerId: string; encodedList: string; validFrom: Date }) {
  const url = credentialUrls(s.baseUrl).statusList;
  return {
    '@context': [VC_CONTEXT],
    id: url,
    type: ['VerifiableCredential', 'BitstringStatusListCredential'],
    issuer: s.issuerId,
    validFrom: s.validFrom.toISOString(),
    credentialSubject: { id: `${url}#list`, type: 'BitstringStatusList', statusPurpose: 'revocation', encodedList: s.encodedList },
  };
}

// --- The bitstring -------------------------------------------------------------------------------

/** Bits in a list holding these indices: the minimum, or whole multiples of it. */
export function statusListLength(maxIndex: number, minBits = STATUS_LIST_MIN_BITS): number {
  return Math.max(1, Math.ceil((maxIndex + 1) / minBits)) * minBits;
}

/**
 * Bitstring Status List encoding: index 0 is the left-most bit (the highest bit of the first byte);
 * the bytes are GZIP-compressed and written as multibase base64url without padding (prefix `u`).
 */
export function encodeStatusList(setIndices: Iterable<number>, minBits = STATUS_LIST_MIN_BITS): string {
  const indices = [...setIndices];
  const bits = statusListLength(indices.reduce((m, i) => Math.max(m, i), 0), minBits);
  const bytes = new Uint8Array(bits / 8);
  for (const i of indices) {
    if (!Number.isInteger(i) || i < 0) throw new RangeError(`status index ${i}`);
    bytes[i >> 3]! |= 0x80 >> (i & 7);
  }
  return `u${gzipSync(bytes).toString('base64url')}`;
}

/** Reads an encoded list back: the bit at each index (out-of-range indices read as unset). */
export function decodeStatusList(encoded: string): { length: number; isSet: (index: number) => boolean } {
  if (!encoded.startsWith('u')) throw new Error('encodedList is not multibase base64url');
  const bytes = gunzipSync(Buffer.from(encoded.slice(1), 'base64url'));
  return { length: bytes.length * 8, isSet: (i) => i >= 0 && i < bytes.length * 8 && (bytes[i >> 3]! & (0x80 >> (i & 7))) !== 0 };
}

/**
 * The range a new index is drawn from at random (the spec's advice, so that neighbours in the list say
 * nothing of who was certified when): the list stays at most half full, growing by whole lists.
 */
export function statusIndexRange(allocated: number, minBits = STATUS_LIST_MIN_BITS): number {
  return Math.max(1, Math.ceil(((allocated + 1) * 2) / minBits)) * minBits;
}
