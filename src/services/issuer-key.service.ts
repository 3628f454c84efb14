import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type JWK } from 'jose';
import { credentialRepository } from '../db/repositories/credential.repository.js';
import { credentialUrls } from '../domain/credential.js';
import { audit } from './audit.service.js';
import type { AppContext } from './context.js';

/**
 * The prefecture's signing key for verifiable certificates (decision 0026): Ed25519, made with jose on
 * first start, kept in the database (so a backup carries it), rotated by `kyodo issuer-key rotate`.
 * A key is named by its JWK thumbprint (RFC 7638); in JOSE headers and the published key set its `kid`
 * is the URI that serves it, `<base>/credentials/keys/<thumbprint>` (OB 3.0 asks for a dereferenceable
 * URI). Retired keys stay published: what they signed still verifies.
 */
export interface IssuerKey {
  kid: string;
  publicJwk: JWK;
  createdAt: Date;
  retiredAt: Date | null;
}

type KeyRow = NonNullable<Awaited<ReturnType<typeof credentialRepository.currentKey>>>;

const toKey = (r: KeyRow): IssuerKey => ({ kid: r.kid, publicJwk: JSON.parse(r.public_jwk) as JWK, createdAt: r.created_at, retiredAt: r.retired_at });

async function newKeyRow(now: Date) {
  const { publicKey, privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
  const publicJwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(publicJwk, 'sha256');
  const privateJwk = await exportJWK(privateKey);
  return {
    kid,
    public_jwk: JSON.stringify({ ...publicJwk, kid, alg: 'EdDSA', use: 'sig' }),
    private_jwk: JSON.stringify({ ...privateJwk, kid, alg: 'EdDSA' }),
    created_at: now,
  };
}

/** The current key, made now if there is none (first start). Safe when two instances start at once. */
export async function ensureIssuerKey(ctx: AppContext): Promise<IssuerKey> {
  const current = await credentialRepository.currentKey(ctx.db);
  if (current) return toKey(current);
  const inserted = await credentialRepository.insertCurrentKey(ctx.db, await newKeyRow(ctx.now()));
  const row = inserted ?? (await credentialRepository.currentKey(ctx.db));
  if (!row) throw new Error('no current issuer key after creating one');
  return toKey(row);
}

/** Makes a new current key; the old one is retired but stays published. */
export async function rotateIssuerKey(ctx: AppContext): Promise<{ kid: string; retiredKid: string | null }> {
  const row = await newKeyRow(ctx.now());
  return ctx.db.transaction().execute(async (trx) => {
    const retired = await credentialRepository.retireCurrentKey(trx, ctx.now());
    const inserted = await credentialRepository.insertCurrentKey(trx, row);
    if (!inserted) throw new Error('another key became current during the rotation; run it again');
    await audit(trx, ctx, null, 'rotate', 'issuer_key', inserted.kid, retired ? { kid: retired.kid } : undefined, { kid: inserted.kid });
    return { kid: inserted.kid, retiredKid: retired?.kid ?? null };
  });
}

/** Every key, newest first, as published (public halves only). */
export async function issuerKeys(ctx: AppContext): Promise<IssuerKey[]> {
  return (await credentialRepository.allKeys(ctx.db)).map(toKey);
}

/** The `kid` of a key in headers and the key set: the URL that serves it. */
export const keyUri = (ctx: AppContext, thumbprint: string) => `${credentialUrls(ctx.config.baseUrl).keys}/${thumbprint}`;

/** The JWKS at /credentials/keys: the current key and the retired ones. */
export async function publishedKeySet(ctx: AppContext): Promise<{ keys: JWK[] }> {
  await ensureIssuerKey(ctx);
  return { keys: (await issuerKeys(ctx)).map((k) => ({ ...k.publicJwk, kid: keyUri(ctx, k.kid) })) };
}

/** One published key (the JWK a `kid` dereferences to), or null. */
export async function publishedKey(ctx: AppContext, thumbprint: string): Promise<JWK | null> {
  const k = (await issuerKeys(ctx)).find((x) => x.kid === thumbprint);
  return k ? { ...k.publicJwk, kid: keyUri(ctx, k.kid) } : null;
}

const imported = new Map<string, CryptoKey>();

/** The current key, ready to sign with (imported once per key), and its `kid` URI. */
export async function signingKey(ctx: AppContext): Promise<{ kid: string; key: CryptoKey }> {
  await ensureIssuerKey(ctx);
  const row = (await credentialRepository.currentKey(ctx.db))!;
  let key = imported.get(row.kid);
  if (!key) {
    key = (await importJWK(JSON.parse(row.private_jwk) as JWK, 'EdDSA')) as CryptoKey;
    imported.set(row.kid, key);
  }
  return { kid: keyUri(ctx, row.kid), key };
}
