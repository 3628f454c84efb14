import { createPublicKey } from 'node:crypto';
import { Bitstring } from '@digitalbazaar/bitstring';
import { createVerifier } from 'fast-jwt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issuerKeyCommand } from '../../src/cli/issuer-key.js';
import { createApiToken } from '../../src/services/api-token.service.js';
import { apply } from '../../src/services/application.service.js';
import { markAttendance } from '../../src/services/completion.service.js';
import { toCurrentUser } from '../../src/services/context.js';
import { addSession, createProgramme } from '../../src/services/offering.service.js';
import { getPerson } from '../../src/services/person.service.js';
import { createTestDb, type TestDb, testContext } from '../support/db.js';
import { Agent, appFor, makeUser } from '../support/http.js';
import { makeOffering } from '../support/offerings.js';

/**
 * Verifiable certificates as a 市町 would check them: the credential downloaded by its holder, verified
 * with fast-jwt (an independent library) against the key published at /credentials/keys, and its status
 * read from /credentials/status/revocation with Digital Bazaar's Bitstring, everything through the app.
 */
let tdb: TestDb;
let ctx: ReturnType<typeof testContext>;
let app: ReturnType<typeof appFor>['app'];
let admin: Agent;
let adminToken: string;

beforeAll(async () => {
  tdb = await createTestDb();
  ctx = testContext(tdb, { config: { sessionIdleMinutes: 100_000_000 } });
  app = appFor(ctx).app;
  const a = await makeUser(ctx, ['admin', 'staff']);
  admin = new Agent(app);
  await admin.login(a.email);
  adminToken = (await createApiToken(ctx, null, a.id, { name: 't', scope: 'write' })).token;
});
afterAll(() => tdb.close());

const BEFORE = new Date('2026-11-24T01:00:00Z'); // 10:00 JST
const AFTER = new Date('2026-11-24T05:00:00Z'); // 14:00 JST, the 13:30 session has begun

const get = (path: string, headers: Record<string, string> = {}) => app.request(`http://kyodo.test${path}`, { headers });
const api = (method: string, path: string, token: string, body?: unknown) =>
  app.request(`http://kyodo.test${path}`, { method, headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });

/** A signed-in staff member who has completed a one-session offering of this kind. */
async function holder(kind: 'seminar' | 'coordinator_course', rule: Record<string, unknown> = {}) {
  ctx.clock.current = new Date(BEFORE);
  const programme = await createProgramme(ctx, null, { name: kind === 'coordinator_course' ? '協働コーディネーター養成講座' : 'NPO・協働研修', kind });
  const o = await makeOffering(ctx, { programmeId: programme.id, capacity: 5, ...rule });
  const s = await addSession(ctx, null, o.id, { title: '第1回', format: 'lecture', startsAt: '2026-11-24T13:30:00+09:00', endsAt: '2026-11-24T17:00:00+09:00' });
  const p = await makeUser(ctx, ['staff'], { name: '協働 花子', kana: 'キョウドウ ハナコ' });
  await apply(ctx, toCurrentUser((await getPerson(ctx, p.id))!), o.id, {});
  ctx.clock.current = new Date(AFTER);
  await markAttendance(ctx, null, s.id, [{ personId: p.id, status: 'present' }]);
  const number = (await tdb.db.selectFrom('certificates').select('number').where('person_id', '=', p.id).executeTakeFirstOrThrow()).number;
  const agent = new Agent(app);
  await agent.login(p.email);
  return { p, o, number, agent };
}

/** fast-jwt, with each key taken from /credentials/keys by the token's kid; `at` is the verifier's clock. */
async function verify(jwt: string, at: Date = ctx.now()) {
  const res = await get('/credentials/keys');
  const { keys } = (await res.json()) as { keys: { kid: string }[] };
  const pem = new Map(keys.map((k) => [k.kid, createPublicKey({ key: k as never, format: 'jwk' }).export({ type: 'spki', format: 'pem' }).toString()]));
  const verifier = createVerifier({ key: async (t: { header: Record<string, unknown> }) => pem.get(String(t.header.kid)) ?? 'no such key', algorithms: ['EdDSA'], clockTimestamp: at.getTime(), complete: true });
  return (await verifier(jwt)) as { header: Record<string, string>; payload: Record<string, any> };
}

/** Whether the credential's status-list bit is set, as a verifier reads it from the published list. */
async function revoked(payload: Record<string, any>): Promise<boolean> {
  const status = payload.credentialStatus;
  expect(status).toMatchObject({ type: 'BitstringStatusListEntry', statusPurpose: 'revocation', statusListCredential: 'http://kyodo.test/credentials/status/revocation' });
  const res = await get(new URL(status.statusListCredential).pathname);
  expect(res.headers.get('content-type')).toBe('application/vc+jwt');
  const list = (await verify(await res.text())).payload;
  expect(list.type).toEqual(['VerifiableCredential', 'BitstringStatusListCredential']);
  expect(list.credentialSubject).toMatchObject({ type: 'BitstringStatusList', statusPurpose: 'revocation' });
  const bits = new Bitstring({ buffer: await Bitstring.decodeBits({ encoded: String(list.credentialSubject.encodedList).replace(/^u/, '') }) });
  expect(bits.length).toBeGreaterThanOrEqual(131_072);
  return bits.get(Number(status.statusListIndex));
}

describe('public documents a verifier fetches (no sign-in)', () => {
  it('the issuer Profile, the key set and the status list are public and cacheable', async () => {
    const issuer = await get('/credentials/issuer');
    expect(issuer.status).toBe(200);
    expect(issuer.headers.get('cache-control')).toContain('public');
    expect(await issuer.json()).toMatchObject({ id: 'http://kyodo.test/credentials/issuer', type: ['Profile'], name: ctx.config.issuerName, url: 'http://kyodo.test' });
    const keys = await get('/credentials/keys');
    expect(keys.status).toBe(200);
    const jwks = (await keys.json()) as { keys: Record<string, string>[] };
    expect(jwks.keys.length).toBeGreaterThanOrEqual(1);
    for (const k of jwks.keys) {
      expect(k).toMatchObject({ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA' });
      expect(k).not.toHaveProperty('d');
    }
    const list = await get('/credentials/status/revocation');
    expect(list.status).toBe(200);
    expect(list.headers.get('cache-control')).toContain('public');
  });
});

describe('a certificate’s credential', () => {
  it('its holder downloads it from the certificate’s page; it verifies and states the achievement', async () => {
    const { number, agent } = await holder('seminar', { completionRule: { assignment: false } });
    const page = await agent.get(`/certificates/${number}`);
    expect(await page.text()).toContain(`href="/certificates/${number}/credential"`);
    const res = await agent.get(`/certificates/${number}/credential`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/vc+jwt');
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="${number}.jwt"`);
    const jwt = await res.text();

    const { header, payload } = await verify(jwt);
    // OB 3.0's JOSE header: alg, a kid that is a URL serving the JWK, typ JWT; nothing else.
    expect(Object.keys(header).sort()).toEqual(['alg', 'kid', 'typ']);
    expect(header).toMatchObject({ alg: 'EdDSA', typ: 'JWT', kid: expect.stringMatching(/^http:\/\/kyodo\.test\/credentials\/keys\/[\w-]{43}$/) });
    const jwk = await get(new URL(header.kid!).pathname);
    expect(jwk.status).toBe(200);
    expect(await jwk.json()).toMatchObject({ kty: 'OKP', crv: 'Ed25519', kid: header.kid });
    expect(payload.jti).toBe(payload.id);
    expect(payload.sub).toBe(payload.credentialSubject.id);
    expect(payload.sub).toMatch(/^urn:uuid:/);
    expect(payload.nbf).toBe(Date.parse(payload.validFrom) / 1000);
    expect(payload['@context']).toEqual(['https://www.w3.org/ns/credentials/v2', 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json']);
    expect(payload.type).toEqual(['VerifiableCredential', 'OpenBadgeCredential']);
    expect(payload.iss).toBe('http://kyodo.test/credentials/issuer');
    expect(payload.issuer).toMatchObject({ id: 'http://kyodo.test/credentials/issuer', name: ctx.config.issuerName });
    expect(payload.validFrom).toBe('2026-11-24T00:00:00+09:00');
    expect(payload).not.toHaveProperty('validUntil');
    expect(payload).not.toHaveProperty('exp');
    const achievement = payload.credentialSubject.achievement;
    expect(achievement).toMatchObject({ name: 'NPO・協働研修', achievementType: 'CertificateOfCompletion', criteria: { narrative: '修了の条件：全1回に出席すること。' }, tag: ['令和8年度', 'FY2026'] });
    expect(payload.credentialSubject.identifier[0]).toMatchObject({ identityType: 'name', identityHash: '協働 花子' });
    expect(payload.credentialSubject.identifier[1]).toMatchObject({ identityType: 'emailAddress', hashed: true });
    expect(jwt).not.toContain('pref.example.jp');
    expect(JSON.stringify(payload)).not.toContain('@pref.example.jp');
    expect(await revoked(payload)).toBe(false);

    // The achievement's id is a public URL that says the same.
    const ach = await get(new URL(achievement.id).pathname);
    expect(ach.status).toBe(200);
    expect(await ach.json()).toMatchObject({ id: achievement.id, criteria: achievement.criteria, tag: achievement.tag });
  });

  it('a tampered credential fails verification', async () => {
    const { number, agent } = await holder('seminar');
    const jwt = await (await agent.get(`/certificates/${number}/credential`)).text();
    const [h, body, sig] = jwt.split('.');
    const claims = JSON.parse(Buffer.from(body!, 'base64url').toString('utf8'));
    claims.credentialSubject.achievement.name = '協働コーディネーター養成講座';
    const forged = [h, Buffer.from(JSON.stringify(claims)).toString('base64url'), sig].join('.');
    await expect(verify(forged)).rejects.toMatchObject({ code: 'FAST_JWT_INVALID_SIGNATURE' });
    // A changed signature (its first character: the last one carries unused bits) fails too.
    const flipped = [h, body, `${sig![0] === 'A' ? 'B' : 'A'}${sig!.slice(1)}`].join('.');
    await expect(verify(flipped)).rejects.toMatchObject({ code: 'FAST_JWT_INVALID_SIGNATURE' });
  });

  it('a revoked certificate reads as revoked, and no new credential is given for it', async () => {
    const { number, agent } = await holder('seminar');
    const { payload } = await verify(await (await agent.get(`/certificates/${number}/credential`)).text());
    expect(await revoked(payload)).toBe(false);
    const r = await api('POST', `/api/v1/certificates/${number}/revoke`, adminToken, { reason: '出席記録の誤り' });
    expect(r.status).toBe(200);
    expect(await revoked(payload)).toBe(true);
    expect((await agent.get(`/certificates/${number}/credential`)).status).toBe(409);
  });

  it('others get 404, a visitor is sent to sign in; the training office gets it, also over the API', async () => {
    const { p, number } = await holder('seminar');
    const other = await makeUser(ctx, ['staff']);
    const stranger = new Agent(app);
    await stranger.login(other.email);
    expect((await stranger.get(`/certificates/${number}/credential`)).status).toBe(404);
    const visitor = await get(`/certificates/${number}/credential`);
    expect([302, 303]).toContain(visitor.status);
    expect((await admin.get(`/certificates/${number}/credential`)).status).toBe(200);

    const res = await api('GET', `/api/v1/certificates/${number}/credential`, adminToken);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { jwt: string; kid: string; mediaType: string; statusListIndex: number; validUntil: string | null };
    expect(body).toMatchObject({ mediaType: 'application/vc+jwt', validUntil: null });
    const { header, payload } = await verify(body.jwt);
    expect(header.kid).toBe(body.kid);
    expect(Number(payload.credentialStatus.statusListIndex)).toBe(body.statusListIndex);
    const otherToken = (await createApiToken(ctx, null, other.id, { name: 't' })).token;
    expect((await api('GET', `/api/v1/certificates/${number}/credential`, otherToken)).status).toBe(404);
    const ownToken = (await createApiToken(ctx, null, p.id, { name: 't' })).token;
    expect((await api('GET', `/api/v1/certificates/${number}/credential`, ownToken)).status).toBe(200);
  });
});

describe('the coordinator certification’s credential', () => {
  it('the coordinator downloads it from their own page; it is valid until the expiry, then reads as expired', async () => {
    const { p, agent } = await holder('coordinator_course');
    const page = await agent.get('/my/coordinator-profile');
    expect(await page.text()).toContain('href="/my/coordinator-credential"');
    const res = await agent.get('/my/coordinator-credential');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="coordinator-KYODO-2026-\d+\.jwt"$/);
    const jwt = await res.text();
    const { payload } = await verify(jwt);
    expect(payload.credentialSubject.achievement).toMatchObject({ achievementType: 'Certification', name: '協働コーディネーター' });
    expect(payload.credentialSubject.achievement.criteria.narrative).toContain(`認定の有効期間は${ctx.config.coordinatorValidYears}年`);
    expect(payload.validFrom).toBe('2026-11-24T00:00:00+09:00');
    expect(payload.validUntil).toMatch(/^2029-11-2\dT23:59:59\+09:00$/);
    expect(payload.exp).toBe(Math.floor(Date.parse(payload.validUntil) / 1000));
    expect(await revoked(payload)).toBe(false);

    // Years later, Kyodo's clock past the expiry: the same credential, and a new download, read as expired.
    ctx.clock.current = new Date('2030-01-06T00:00:00Z');
    await expect(verify(jwt)).rejects.toMatchObject({ code: 'FAST_JWT_EXPIRED' });
    const later = new Agent(app); // the old sign-in has long ended
    await later.login(p.email);
    const lateRes = await later.get('/my/coordinator-credential');
    expect(lateRes.status).toBe(200);
    const late = await lateRes.text();
    await expect(verify(late)).rejects.toMatchObject({ code: 'FAST_JWT_EXPIRED' });
    expect((await verify(late, new Date('2029-01-01T00:00:00Z'))).payload.validUntil).toBe(payload.validUntil);
    ctx.clock.current = new Date(AFTER);
  });

  it('over the API: the coordinator and admins get it, others 404', async () => {
    const { p } = await holder('coordinator_course');
    const other = await makeUser(ctx, ['staff']);
    const path = `/api/v1/people/${p.id}/coordinator-certification/credential`;
    const res = await api('GET', path, adminToken);
    expect(res.status).toBe(200);
    expect((await verify(((await res.json()) as { jwt: string }).jwt)).payload.credentialSubject.achievement.achievementType).toBe('Certification');
    expect((await api('GET', path, (await createApiToken(ctx, null, other.id, { name: 't' })).token)).status).toBe(404);
    expect((await api('GET', path, (await createApiToken(ctx, null, p.id, { name: 't' })).token)).status).toBe(200);
  });
});

describe('rotating the issuer key', () => {
  it('old credentials still verify against the published keys; new ones carry the new kid', async () => {
    const { number, agent } = await holder('seminar');
    const oldJwt = await (await agent.get(`/certificates/${number}/credential`)).text();
    const old = await verify(oldJwt);
    const lines = await issuerKeyCommand(ctx, 'rotate');
    const newKid = /new current issuer key: (\S+)/.exec(lines?.[0] ?? '')?.[1];
    expect(newKid).toBeTruthy();
    const newUri = `http://kyodo.test/credentials/keys/${newKid}`;
    expect(newUri).not.toBe(old.header.kid);
    const jwks = (await (await get('/credentials/keys')).json()) as { keys: { kid: string }[] };
    expect(jwks.keys.map((k) => k.kid)).toEqual(expect.arrayContaining([old.header.kid, newUri]));

    const again = await verify(await (await agent.get(`/certificates/${number}/credential`)).text());
    expect(again.header.kid).toBe(newUri);
    expect((await verify(oldJwt)).header.kid).toBe(old.header.kid);
    expect(await revoked(old.payload)).toBe(false);
  });
});
