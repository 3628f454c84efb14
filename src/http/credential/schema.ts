import { z } from 'zod';

/** The API's schemas for verifiable certificates (Open Badges 3.0 credentials, signed as VC-JWT). */
export const credentialItem = z.object({
  jwt: z.string().describe('the credential, signed with the issuer key (EdDSA, Ed25519) as a compact JWT (application/vc+jwt)'),
  kid: z.string().describe('the key that signed it: the URL serving its public JWK, <base>/credentials/keys/<JWK thumbprint>'),
  mediaType: z.literal('application/vc+jwt'),
  validFrom: z.string(),
  validUntil: z.string().nullable().describe('the certification expiry; null for a plain completion'),
  statusListCredential: z.string().describe('the revocation status list (BitstringStatusListCredential)'),
  statusListIndex: z.number().int(),
  credential: z.record(z.string(), z.unknown()).describe('the OpenBadgeCredential the JWT carries, decoded'),
});

export const certificateNumberParams = z.object({ number: z.string().max(40).describe('the certificate number, e.g. KYODO-2026-000001') });
