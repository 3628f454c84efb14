import { createHash, randomBytes, scrypt as scryptCb, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';

const scrypt = promisify(scryptCb) as (pw: string, salt: Buffer, len: number, opts: object) => Promise<Buffer>;

/** N=2^15, r=8, p=1: OWASP's scrypt minimum; ~50 ms per hash on this hardware. Production always uses it (Config.passwordHashN). */
export const PASSWORD_HASH_N = 32768;
const PARAMS = { N: PASSWORD_HASH_N, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };

export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

export function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

export function safeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  return ab.length === bb.length && timingSafeEqual(ab, bb);
}

/** Hashes with scrypt at cost `n` (the configured cost: `PASSWORD_HASH_N` except in the test suite's configuration). */
export async function hashPassword(password: string, n = PASSWORD_HASH_N): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password.normalize('NFKC'), salt, 64, { ...PARAMS, N: n });
  return `scrypt$${n}$${PARAMS.r}$${PARAMS.p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

/** Checks a password against a stored hash (at the cost it was stored with). With none, spends a hash at cost `dummyN` anyway. */
export async function verifyPassword(password: string, stored: string | null, dummyN = PASSWORD_HASH_N): Promise<boolean> {
  if (!stored) {
    // Spend the same time as a real check so that timing does not reveal unknown accounts.
    await hashPassword(password, dummyN);
    return false;
  }
  const [scheme, n, r, p, salt, key] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !key) return false;
  const expected = Buffer.from(key, 'base64');
  const actual = await scrypt(password.normalize('NFKC'), Buffer.from(salt, 'base64'), expected.length, {
    N: Number(n),
    r: Number(r),
    p: Number(p),
    maxmem: PARAMS.maxmem,
  });
  return timingSafeEqual(actual, expected);
}
