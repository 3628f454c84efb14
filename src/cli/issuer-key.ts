import type { AppContext } from '../services/context.js';
import { ensureIssuerKey, issuerKeys, rotateIssuerKey } from '../services/issuer-key.service.js';

export const ISSUER_KEY_USAGE = 'Usage: kyodo issuer-key rotate|list';

/**
 * `kyodo issuer-key rotate`: a new current Ed25519 key signs from now on; the old one is retired and
 * stays published at /credentials/keys, so credentials it signed still verify. `list` prints the keys.
 * Returns the lines to print, or null for an unknown subcommand.
 */
export async function issuerKeyCommand(ctx: AppContext, sub: string | undefined): Promise<string[] | null> {
  if (sub === 'rotate') {
    await ensureIssuerKey(ctx);
    const r = await rotateIssuerKey(ctx);
    return [`new current issuer key: ${r.kid}`, ...(r.retiredKid ? [`retired (still published, still verifies what it signed): ${r.retiredKid}`] : [])];
  }
  if (sub === 'list') {
    await ensureIssuerKey(ctx);
    return (await issuerKeys(ctx)).map((k) => `${k.kid}  ${k.retiredAt ? `retired ${k.retiredAt.toISOString()}` : 'current'}  created ${k.createdAt.toISOString()}`);
  }
  return null;
}
