import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import { hashPassword, PASSWORD_HASH_N, verifyPassword } from '../../src/lib/crypto.js';

// The suite hashes at a lower cost (tests/support/db.ts) so that it does not depend on the machine's
// speed; this file checks that production hashes at OWASP's scrypt minimum and that nothing in the
// environment can lower it.
describe('password hashing cost', () => {
  it('production hashes at N = 2^15, r = 8, p = 1', async () => {
    expect(PASSWORD_HASH_N).toBe(2 ** 15);
    const config = loadConfig({});
    expect(config.passwordHashN).toBe(2 ** 15);
    const stored = await hashPassword('correct horse 42 battery', config.passwordHashN);
    expect(stored).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(await verifyPassword('correct horse 42 battery', stored)).toBe(true);
    expect(await verifyPassword('wrong horse 42 battery', stored)).toBe(false);
  });

  it('no environment variable changes it', () => {
    const env = { KYODO_PASSWORD_HASH_N: '1024', PASSWORD_HASH_N: '1024', KYODO_PASSWORD_HASH_COST: '10' };
    expect(loadConfig(env).passwordHashN).toBe(2 ** 15);
  });

  it('a hash is checked at the cost it was stored with', async () => {
    const cheap = await hashPassword('pw 12345678 abc', 1024);
    expect(cheap).toMatch(/^scrypt\$1024\$/);
    expect(await verifyPassword('pw 12345678 abc', cheap)).toBe(true);
  });
});
