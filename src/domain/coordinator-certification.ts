import { validUntil } from './completion.js';

/**
 * A coordinator certification follows the person's certificates (decision 0030): granted by a standing
 * certificate of the coordinator course, renewed by a later standing one of the course or of a
 * follow-up training, and gone when no standing course certificate is left. Pure: the caller passes
 * the certificates and the configured validity.
 */

/** A standing (not revoked) certificate of the coordinator course or of a follow-up training. */
export interface CertificationCertificate {
  id: number;
  /** The Tokyo date of completion, YYYY-MM-DD. */
  completedOn: string;
  kind: 'coordinator_course' | 'follow_up';
}

/** A certification as the certificates give it. */
export interface DerivedCertification {
  grantedOn: string;
  validUntil: string | null;
  renewedOn: string | null;
  /** The certificate that set the current validity: the grant's, or the last renewal's. */
  certificateId: number;
}

/**
 * The certification that the standing certificates give, or null when none of them is a course
 * certificate. The earliest course certificate grants it; the latest certificate from the grant on
 * (by completion date, then by issue order) sets its validity, `validYears` from its completion (0: no
 * expiry), and is its renewal when it is not the grant's. A follow-up completed before the grant
 * renews nothing.
 */
export function deriveCertification(certificates: readonly CertificationCertificate[], validYears: number): DerivedCertification | null {
  const sorted = [...certificates].sort((a, b) => (a.completedOn < b.completedOn ? -1 : a.completedOn > b.completedOn ? 1 : a.id - b.id));
  const grant = sorted.find((c) => c.kind === 'coordinator_course');
  if (!grant) return null;
  const last = sorted[sorted.length - 1]!;
  return {
    grantedOn: grant.completedOn,
    validUntil: validYears > 0 ? validUntil(last.completedOn, validYears) : null,
    renewedOn: last === grant ? null : last.completedOn,
    certificateId: last.id,
  };
}

/** A certification as stored (the row of `coordinator_certifications`). */
export interface StoredCertification {
  grantedOn: string;
  validUntil: string | null;
  renewedOn: string | null;
  certificateId: number | null;
  revoked: boolean;
}

/**
 * What to do with a stored certification after one certificate was issued or revoked:
 * - `grant`: none stood, and this change is what gives one (a first grant, or a grant after a
 *   revocation); a revocation never grants;
 * - `renew`: a later certificate moved the validity on from the same grant;
 * - `update`: otherwise different (a renewal revoked, so the validity goes back to the grant's or an
 *   earlier renewal's; an earlier course certificate revoked while a later one stands…);
 * - `revoke`: it stood and no standing course certificate is left;
 * - `none`: nothing to change.
 * `before` is what the certificates gave before this change, `after` what they give now. When neither
 * gives a certification, a stored one does not rest on the certificates (one recorded otherwise, or
 * whose programme's kind was changed since) and is left as it is.
 */
export type CertificationChange = { action: 'none' } | { action: 'revoke' } | { action: 'grant' | 'renew' | 'update'; certification: DerivedCertification };

export function certificationChange(stored: StoredCertification | null, before: DerivedCertification | null, after: DerivedCertification | null): CertificationChange {
  const standing = stored !== null && !stored.revoked;
  if (!after) return standing && before ? { action: 'revoke' } : { action: 'none' };
  if (!standing) return before ? { action: 'none' } : { action: 'grant', certification: after };
  if (stored.grantedOn === after.grantedOn && stored.validUntil === after.validUntil && stored.renewedOn === after.renewedOn && stored.certificateId === after.certificateId) return { action: 'none' };
  const movedOn = stored.grantedOn === after.grantedOn && after.renewedOn !== null && (stored.renewedOn === null || after.renewedOn >= stored.renewedOn) && after.certificateId !== stored.certificateId;
  return { action: movedOn ? 'renew' : 'update', certification: after };
}
