import type { z } from 'zod';
import type { SignedCredential } from '../../services/credential.service.js';
import type { credentialItem } from './schema.js';

/** A signed credential → the API's JSON: the VC-JWT itself, the key that signed it, and what it says. */
export function credentialJson(s: SignedCredential): z.infer<typeof credentialItem> {
  const status = s.credential.credentialStatus;
  return {
    jwt: s.jwt,
    kid: s.kid,
    mediaType: 'application/vc+jwt',
    validFrom: s.credential.validFrom,
    validUntil: 'validUntil' in s.credential ? (s.credential.validUntil as string) : null,
    statusListCredential: status.statusListCredential,
    statusListIndex: Number(status.statusListIndex),
    credential: s.credential as unknown as Record<string, unknown>,
  };
}

/** The file a browser saves: the compact JWT, nothing else. */
export function credentialFile(s: SignedCredential): { body: string; headers: Record<string, string> } {
  return {
    body: s.jwt,
    headers: { 'Content-Type': 'application/vc+jwt', 'Content-Disposition': `attachment; filename="${s.filename.replace(/[^\w.-]/g, '_')}"`, 'Cache-Control': 'no-store' },
  };
}
