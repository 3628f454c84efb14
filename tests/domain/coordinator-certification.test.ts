import { describe, expect, it } from 'vitest';
import {
  type CertificationCertificate,
  type DerivedCertification,
  type StoredCertification,
  certificationChange,
  deriveCertification,
} from '../../src/domain/coordinator-certification.js';

const course = (id: number, completedOn: string): CertificationCertificate => ({ id, completedOn, kind: 'coordinator_course' });
const followUp = (id: number, completedOn: string): CertificationCertificate => ({ id, completedOn, kind: 'follow_up' });

describe('deriveCertification', () => {
  it.each<[string, CertificationCertificate[], number, DerivedCertification | null]>([
    ['no certificates: none', [], 3, null],
    ['a follow-up alone renews nothing', [followUp(1, '2026-12-10')], 3, null],
    ['the course grants it, valid three years less a day', [course(1, '2026-12-08')], 3, { grantedOn: '2026-12-08', validUntil: '2029-12-07', renewedOn: null, certificateId: 1 }],
    ['0 years: no expiry', [course(1, '2026-12-08')], 0, { grantedOn: '2026-12-08', validUntil: null, renewedOn: null, certificateId: 1 }],
    ['a later follow-up renews it', [course(1, '2026-11-24'), followUp(2, '2027-12-10')], 3, { grantedOn: '2026-11-24', validUntil: '2030-12-09', renewedOn: '2027-12-10', certificateId: 2 }],
    [
      'the latest of several renewals sets the validity, in any order given',
      [followUp(3, '2029-06-01'), course(1, '2026-11-24'), followUp(2, '2027-12-10')],
      3,
      { grantedOn: '2026-11-24', validUntil: '2032-05-31', renewedOn: '2029-06-01', certificateId: 3 },
    ],
    ['a follow-up before the grant renews nothing', [followUp(1, '2025-10-01'), course(2, '2026-11-24')], 3, { grantedOn: '2026-11-24', validUntil: '2029-11-23', renewedOn: null, certificateId: 2 }],
    ['the course completed again renews it; the earliest grants', [course(2, '2028-06-01'), course(1, '2026-11-24')], 3, { grantedOn: '2026-11-24', validUntil: '2031-05-31', renewedOn: '2028-06-01', certificateId: 2 }],
    [
      'a renewal issued later but completed earlier does not shorten the validity',
      [course(1, '2026-11-24'), followUp(3, '2027-06-01'), followUp(2, '2028-06-01')],
      3,
      { grantedOn: '2026-11-24', validUntil: '2031-05-31', renewedOn: '2028-06-01', certificateId: 2 },
    ],
    ['on the same day, the one issued later sets the validity', [course(1, '2026-11-24'), followUp(2, '2026-11-24')], 3, { grantedOn: '2026-11-24', validUntil: '2029-11-23', renewedOn: '2026-11-24', certificateId: 2 }],
    ['a follow-up issued before the course on the same day renews nothing', [followUp(1, '2026-11-24'), course(2, '2026-11-24')], 3, { grantedOn: '2026-11-24', validUntil: '2029-11-23', renewedOn: null, certificateId: 2 }],
    ['from 29 February, the anniversary is 1 March', [course(1, '2028-02-29')], 1, { grantedOn: '2028-02-29', validUntil: '2029-02-28', renewedOn: null, certificateId: 1 }],
  ])('%s', (_l, certificates, years, want) => expect(deriveCertification(certificates, years)).toEqual(want));

  it('follows revocations: what is left of the certificates gives the certification', () => {
    const all = [course(1, '2026-11-24'), followUp(2, '2027-12-10'), course(3, '2029-01-15')];
    const without = (...ids: number[]) => all.filter((c) => !ids.includes(c.id));
    expect(deriveCertification(all, 3)).toEqual({ grantedOn: '2026-11-24', validUntil: '2032-01-14', renewedOn: '2029-01-15', certificateId: 3 });
    // The last renewal revoked: the validity is the one before's again.
    expect(deriveCertification(without(3), 3)).toEqual({ grantedOn: '2026-11-24', validUntil: '2030-12-09', renewedOn: '2027-12-10', certificateId: 2 });
    // Every renewal revoked: the grant's.
    expect(deriveCertification(without(2, 3), 3)).toEqual({ grantedOn: '2026-11-24', validUntil: '2029-11-23', renewedOn: null, certificateId: 1 });
    // The first course certificate revoked: the second grants it, and the follow-up before it renews nothing.
    expect(deriveCertification(without(1), 3)).toEqual({ grantedOn: '2029-01-15', validUntil: '2032-01-14', renewedOn: null, certificateId: 3 });
    // Both course certificates revoked: nothing is left.
    expect(deriveCertification(without(1, 3), 3)).toBeNull();
  });
});

describe('certificationChange', () => {
  const granted: DerivedCertification = { grantedOn: '2026-11-24', validUntil: '2029-11-23', renewedOn: null, certificateId: 1 };
  const renewed: DerivedCertification = { grantedOn: '2026-11-24', validUntil: '2030-12-09', renewedOn: '2027-12-10', certificateId: 2 };
  const stored = (d: DerivedCertification, revoked = false): StoredCertification => ({ ...d, revoked });
  const legacy: StoredCertification = { grantedOn: '2020-04-01', validUntil: null, renewedOn: null, certificateId: null, revoked: false };

  it.each<[string, StoredCertification | null, DerivedCertification | null, DerivedCertification | null, string]>([
    ['the course completed: granted', null, null, granted, 'grant'],
    ['a follow-up without a certification: nothing', null, null, null, 'none'],
    ['a follow-up after the grant: renewed', stored(granted), granted, renewed, 'renew'],
    ['the course certificate revoked, none left: revoked', stored(granted), granted, null, 'revoke'],
    ['the renewal revoked: back to the grant', stored(renewed), renewed, granted, 'update'],
    ['the first course certificate revoked, a later one stands: set again from it', stored(renewed), renewed, { grantedOn: '2028-01-10', validUntil: '2031-01-09', renewedOn: null, certificateId: 5 }, 'update'],
    ['completed again after a revocation: granted again', stored(granted, true), null, { ...granted, grantedOn: '2028-01-10', certificateId: 5 }, 'grant'],
    ['a certificate that changes nothing (an earlier follow-up revoked): nothing', stored(renewed), renewed, renewed, 'none'],
    ['already revoked, and still nothing left: nothing', stored(granted, true), null, null, 'none'],
    ['a revocation never grants, even where a course certificate stands without a certification', null, renewed, granted, 'none'],
    ['nor grants again a revoked one', stored(granted, true), renewed, granted, 'none'],
    ['a certification recorded otherwise, a follow-up revoked that never renewed it: left as it is', legacy, null, null, 'none'],
  ])('%s', (_l, s, before, after, action) => expect(certificationChange(s, before, after).action).toBe(action));

  it('gives the certification to store with a grant, a renewal or an update', () => {
    expect(certificationChange(stored(renewed), renewed, granted)).toEqual({ action: 'update', certification: granted });
    expect(certificationChange(null, null, granted)).toEqual({ action: 'grant', certification: granted });
  });
});
