import { createPublicKey } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Bitstring } from '@digitalbazaar/bitstring';
import { createVerifier } from 'fast-jwt';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kyselyOnPostgres } from '../../src/db/database.js';
import { STATUS_LIST_MIN_BITS } from '../../src/domain/credential.js';
import { apply } from '../../src/services/application.service.js';
import { backup, restore } from '../../src/services/backup.service.js';
import { markAttendance, revokeCertificate } from '../../src/services/completion.service.js';
import { toCurrentUser } from '../../src/services/context.js';
import { certificateCredential, coordinatorCredential, revocationStatusList, statusIndexFor } from '../../src/services/credential.service.js';
import { ensureIssuerKey, issuerKeys, publishedKeySet, rotateIssuerKey } from '../../src/services/issuer-key.service.js';
import { addSession, createProgramme } from '../../src/services/offering.service.js';
import { getPerson } from '../../src/services/person.service.js';
import { kyodo, makeStore, type Store } from '../cli/helpers.js';
import { createTestDb, type TestDb, testConfig, testContext } from '../support/db.js';
import { makeUser } from '../support/http.js';
import { makeOffering } from '../support/offerings.js';

let tdb: TestDb;
let ctx: ReturnType<typeof testContext>;

beforeAll(async () => {
  tdb = await createTestDb();
  ctx = testContext(tdb);
});
afterAll(() => tdb.close());

const AFTER = new Date('2026-11-24T05:00:00Z'); // 14:00 JST, after the 13:30 session began

/** A person who completed a one-session offering of a programme of this kind (the coordinator course grants the certification). */
async function completed(kind: 'seminar' | 'coordinator_course') {
  ctx.clock.current = new Date('2026-11-24T01:00:00Z');
  const programme = await createProgramme(ctx, null, { name: kind === 'coordinator_course' ? '協働コーディネーター養成講座' : 'NPO・協働研修', kind });
  const o = await makeOffering(ctx, { programmeId: programme.id, capacity: 5 });
  const s = await addSession(ctx, null, o.id, { title: '第1回', format: 'lecture', startsAt: '2026-11-24T13:30:00+09:00', endsAt: '2026-11-24T17:00:00+09:00' });
  const p = await makeUser(ctx, ['staff']);
  await apply(ctx, toCurrentUser((await getPerson(ctx, p.id))!), o.id, {});
  ctx.clock.current = AFTER;
  await markAttendance(ctx, null, s.id, [{ personId: p.id, status: 'present' }]);
  const cert = await tdb.db.selectFrom('certificates').selectAll().where('person_id', '=', p.id).executeTakeFirstOrThrow();
  return { p, o, cert };
}

/** Verifies with fast-jwt (not jose, not Kyodo's code), the public key taken from the published key set. */
async function verify(jwt: string, at: Date = ctx.now()) {
  const { keys } = await publishedKeySet(ctx);
  const pem = new Map(keys.map((k) => [k.kid!, createPublicKey({ key: k as never, format: 'jwk' }).export({ type: 'spki', format: 'pem' }).toString()]));
  const verifier = createVerifier({ key: async (t: { header: Record<string, unknown> }) => pem.get(String(t.header.kid)) ?? 'missing', algorithms: ['EdDSA'], clockTimestamp: at.getTime(), complete: true });
  return (await verifier(jwt)) as { header: { kid: string; alg: string; typ: string }; payload: Record<string, any> };
}

/** The revocation bit at `index`, read with Digital Bazaar's Bitstring (not Kyodo's decoder). */
async function revoked(index: number) {
  const { payload } = await verify((await revocationStatusList(ctx)).jwt);
  const encoded: string = payload.credentialSubject.encodedList;
  expect(encoded.startsWith('u')).toBe(true);
  const list = new Bitstring({ buffer: await Bitstring.decodeBits({ encoded: encoded.slice(1) }) });
  expect(list.length).toBeGreaterThanOrEqual(STATUS_LIST_MIN_BITS);
  return list.get(index);
}

describe('the issuer key', () => {
  it('is made once, even when asked for at once from several places, and named by its JWK thumbprint', async () => {
    const keys = await Promise.all([ensureIssuerKey(ctx), ensureIssuerKey(ctx), ensureIssuerKey(ctx)]);
    expect(new Set(keys.map((k) => k.kid)).size).toBe(1);
    expect(await issuerKeys(ctx)).toHaveLength(1);
    const jwk = keys[0]!.publicJwk;
    expect(jwk).toMatchObject({ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA', use: 'sig', kid: keys[0]!.kid });
    expect(jwk).not.toHaveProperty('d');
    // RFC 7638, computed here: SHA-256 of the required members in lexical order.
    const { createHash } = await import('node:crypto');
    const thumbprint = createHash('sha256').update(JSON.stringify({ crv: jwk.crv, kty: jwk.kty, x: jwk.x })).digest('base64url');
    expect(keys[0]!.kid).toBe(thumbprint);
  });
});

describe('credentials and their status', () => {
  it('a certificate keeps one status index; another record gets another', async () => {
    const { cert } = await completed('seminar');
    const a = await statusIndexFor(ctx, { certificateId: cert.id });
    expect(await statusIndexFor(ctx, { certificateId: cert.id })).toBe(a);
    const [x, y] = await Promise.all([statusIndexFor(ctx, { certificateId: cert.id }), statusIndexFor(ctx, { certificateId: cert.id })]);
    expect([x, y]).toEqual([a, a]);
    const { cert: other } = await completed('seminar');
    const b = await statusIndexFor(ctx, { certificateId: other.id });
    expect(b).not.toBe(a);
    expect(a).toBeGreaterThanOrEqual(0);
    expect(a).toBeLessThan(STATUS_LIST_MIN_BITS);
  });

  it('revoking the certificate sets its bit; revoking the course certificate sets the certification’s', async () => {
    const { p, cert } = await completed('coordinator_course');
    const c = await certificateCredential(ctx, { id: p.id, roles: ['staff'] }, cert.number);
    const k = await coordinatorCredential(ctx, { id: p.id, roles: ['staff', 'coordinator'] }, p.id);
    const ci = Number(c.credential.credentialStatus.statusListIndex);
    const ki = Number(k.credential.credentialStatus.statusListIndex);
    expect(await revoked(ci)).toBe(false);
    expect(await revoked(ki)).toBe(false);
    await revokeCertificate(ctx, null, cert.number, { reason: '受講記録の誤り' });
    expect(await revoked(ci)).toBe(true);
    expect(await revoked(ki)).toBe(true);
    await expect(certificateCredential(ctx, { id: p.id, roles: ['staff'] }, cert.number)).rejects.toMatchObject({ status: 409 });
  });

  it('someone else gets no credential (404); the training office does', async () => {
    const { p, cert } = await completed('seminar');
    const stranger = await makeUser(ctx, ['staff']);
    await expect(certificateCredential(ctx, { id: stranger.id, roles: ['staff'] }, cert.number)).rejects.toMatchObject({ status: 404 });
    await expect(coordinatorCredential(ctx, { id: stranger.id, roles: ['staff'] }, p.id)).rejects.toMatchObject({ status: 404 });
    const admin = await makeUser(ctx, ['admin']);
    expect((await certificateCredential(ctx, { id: admin.id, roles: ['admin'] }, cert.number)).credential.name).toBe(`修了証 ${cert.number}`);
  });

  it('after a rotation, old credentials still verify and new ones carry the new kid', async () => {
    const { p, cert } = await completed('seminar');
    const actor = { id: p.id, roles: ['staff' as const] };
    const before = await certificateCredential(ctx, actor, cert.number);
    const r = await rotateIssuerKey(ctx);
    expect(before.kid).toBe(`http://kyodo.test/credentials/keys/${r.retiredKid}`);
    const after = await certificateCredential(ctx, actor, cert.number);
    expect(after.kid).toBe(`http://kyodo.test/credentials/keys/${r.kid}`);
    expect((await verify(before.jwt)).header.kid).toBe(before.kid);
    expect((await verify(after.jwt)).header.kid).toBe(after.kid);
    const keys = await issuerKeys(ctx);
    expect(keys.filter((k) => !k.retiredAt).map((k) => k.kid)).toEqual([r.kid]);
    expect(keys.map((k) => k.kid)).toContain(r.retiredKid);
    const entry = await tdb.db.selectFrom('audit_log').selectAll().where('entity', '=', 'issuer_key').where('action', '=', 'rotate').executeTakeFirst();
    expect(entry?.entity_id).toBe(r.kid);
  });
});

describe('the key in backups, and the command', () => {
  let dir: string;
  let store: Store;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kyodo-issuer-key-'));
    store = await makeStore(join(dir, 'data'));
  }, 60_000);
  afterAll(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('backup → restore keeps the same key; `kyodo issuer-key rotate` makes a new current key', async () => {
    const kid = await store.withDb(async (c) => (await ensureIssuerKey(c)).kid);
    const config = testConfig({ dataDir: store.dataDir, databaseUrl: store.url });
    const file = join(dir, 'kyodo.backup');
    await backup(config, file);

    const rotated = await kyodo(store.env, 'issuer-key', 'rotate');
    expect(rotated.code, rotated.stderr).toBe(0);
    expect(rotated.stdout).toContain(`retired (still published, still verifies what it signed): ${kid}`);
    const newKid = /new current issuer key: (\S+)/.exec(rotated.stdout)?.[1];
    expect(newKid).toBeTruthy();
    expect(newKid).not.toBe(kid);

    // The database is lost, then restored from the backup: the key that signed before is the current one again.
    if (store.kind === 'pglite') rmSync(store.dataDir, { recursive: true, force: true });
    else {
      const { db } = kyselyOnPostgres(store.url!, 1);
      await sql`DROP SCHEMA public CASCADE`.execute(db);
      await sql`CREATE SCHEMA public`.execute(db);
      await db.destroy();
    }
    await restore(config, file);
    const keys = await store.withDb((c) => issuerKeys(c));
    expect(keys.map((k) => [k.kid, k.retiredAt])).toEqual([[kid, null]]);
  }, 180_000);
});
