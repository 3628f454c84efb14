import { isAdmin, type PolicyActor } from './actor.js';

/**
 * Who may open a certificate (修了証) or the list of a person's certificates: the person it was issued
 * to, and the training office. To anyone else it does not exist (404). The public verification by code
 * (/verify) shows only its five fields and needs no policy.
 */
export function mayViewCertificate(actor: PolicyActor | null | undefined, certificate: { person_id: number }): boolean {
  return !!actor && (certificate.person_id === actor.id || isAdmin(actor));
}

/** Who may revoke a certificate: the training office only. */
export function mayRevokeCertificate(actor: PolicyActor | null | undefined): boolean {
  return isAdmin(actor);
}
