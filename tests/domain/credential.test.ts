import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  achievement,
  credentialUrls,
  criteriaText,
  decodeStatusList,
  encodeStatusList,
  hashedEmail,
  issuerProfile,
  jwtClaims,
  OB_CONTEXT,
  openBadgeCredential,
  parseAchievementKey,
  STATUS_LIST_MIN_BITS,
  statusIndexRange,
  statusListLength,
  VC_CONTEXT,
} from '../../src/domain/credential.js';

const issuer = issuerProfile({ baseUrl: 'https://kyodo.pref.example.jp/', name: '滋賀県知事', prefecture: '滋賀県' });

describe('completion criteria in words', () => {
  it.each([
    [{}, 3, '修了の条件：全3回に出席すること。'],
    [{ minSessions: 2 }, 3, '修了の条件：全3回のうち2回以上出席すること。'],
    [{ requiredSessionIds: [4, 5] }, 3, '修了の条件：指定された2回に必ず出席すること。'],
    [{ minSessions: 2, requiredSessionIds: [4] }, 3, '修了の条件：全3回のうち2回以上出席すること。指定された1回に必ず出席すること。'],
    [{ assignment: true, signOff: true }, 1, '修了の条件：全1回に出席すること。課題を提出し、受理されること。研修担当の修了確認を受けること。'],
  ])('%j of %i sessions → %s', (rule, n, text) => {
    expect(criteriaText(rule, n)).toBe(text);
  });
});

describe('achievement keys', () => {
  it.each([
    ['coordinator', { kind: 'coordinator' }],
    ['offering-12', { kind: 'offering', offeringId: 12 }],
    ['offering-0', null],
    ['offering-012', null],
    ['offering-99999999999', null],
    ['programme-1', null],
    ['', null],
  ])('%s → %j', (key, parsed) => {
    expect(parseAchievementKey(key)).toEqual(parsed);
  });
});

describe('the Open Badges 3.0 credential', () => {
  const ach = achievement({ baseUrl: 'https://kyodo.pref.example.jp', key: 'offering-7', kind: 'completion', name: 'NPO・協働研修', title: 'NPO・協働研修（第1期）', fiscalYear: 2026, criteria: '修了の条件：全2回に出席すること。', creator: issuer });
  const base = {
    id: 'urn:uuid:00000000-0000-4000-8000-000000000001',
    subjectId: 'urn:uuid:00000000-0000-4000-8000-000000000002',
    issuer,
    achievement: ach,
    holder: { name: '協働 花子', email: 'Hanako.Kyodo@pref.example.jp' },
    salt: 'abc123',
    number: 'KYODO-2026-000001',
    validFrom: '2026-11-24',
    validUntil: null,
    statusIndex: 4242,
    statusListUrl: credentialUrls('https://kyodo.pref.example.jp').statusList,
  };

  it('has the VC 2.0 and OB 3.0 contexts, the issuer Profile, the achievement with criteria and fiscal year both ways', () => {
    const c = openBadgeCredential(base);
    expect(c['@context']).toEqual([VC_CONTEXT, OB_CONTEXT]);
    expect(c.type).toEqual(['VerifiableCredential', 'OpenBadgeCredential']);
    expect(c.issuer).toEqual({ id: 'https://kyodo.pref.example.jp/credentials/issuer', type: ['Profile'], name: '滋賀県知事', description: expect.stringContaining('滋賀県'), url: 'https://kyodo.pref.example.jp' });
    expect(c.credentialSubject).toMatchObject({ id: base.subjectId, type: ['AchievementSubject'] });
    expect(c.credentialSubject.achievement).toMatchObject({
      id: 'https://kyodo.pref.example.jp/credentials/achievements/offering-7',
      type: ['Achievement'],
      achievementType: 'CertificateOfCompletion',
      name: 'NPO・協働研修',
      criteria: { narrative: '修了の条件：全2回に出席すること。' },
      tag: ['令和8年度', 'FY2026'],
    });
    expect(c.credentialSubject.achievement.description).toContain('令和8年度（2026年度）');
    expect(c.validFrom).toBe('2026-11-24T00:00:00+09:00');
    expect('validUntil' in c).toBe(false);
    expect(c.credentialStatus).toEqual({
      id: 'https://kyodo.pref.example.jp/credentials/status/revocation#4242',
      type: 'BitstringStatusListEntry',
      statusPurpose: 'revocation',
      statusListIndex: '4242',
      statusListCredential: 'https://kyodo.pref.example.jp/credentials/status/revocation',
    });
  });

  it('names the holder and identifies them by a salted hash of the email, never the address', () => {
    const c = openBadgeCredential(base);
    expect(JSON.stringify(c).toLowerCase()).not.toContain('hanako.kyodo@');
    const [name, email] = c.credentialSubject.identifier;
    expect(name).toEqual({ type: 'IdentityObject', identityHash: '協働 花子', identityType: 'name', hashed: false });
    const expected = createHash('sha256').update('hanako.kyodo@pref.example.jp' + 'abc123').digest('hex');
    expect(email).toEqual({ type: 'IdentityObject', identityHash: `sha256$${expected}`, identityType: 'emailAddress', hashed: true, salt: 'abc123' });
    expect(hashedEmail(' HANAKO.kyodo@pref.example.jp ', 'abc123').identityHash).toBe(email!.identityHash);
  });

  it('a certification is valid until the end of its last day, and the JWT claims mirror the dates', () => {
    const c = openBadgeCredential({ ...base, achievement: { ...ach, achievementType: 'Certification' }, validUntil: '2029-11-23' });
    expect(c.validUntil).toBe('2029-11-23T23:59:59+09:00');
    expect(c.credentialSubject).toMatchObject({ licenseNumber: 'KYODO-2026-000001' });
    expect(jwtClaims(c)).toEqual({ iss: issuer.id, jti: base.id, sub: base.subjectId, nbf: Date.parse('2026-11-23T15:00:00Z') / 1000, exp: Date.parse('2029-11-23T14:59:59Z') / 1000 });
  });
});

describe('the bitstring status list', () => {
  it.each([
    [[], STATUS_LIST_MIN_BITS],
    [[0, 7, 8, 131_071], STATUS_LIST_MIN_BITS],
    [[131_072], 2 * STATUS_LIST_MIN_BITS],
  ])('indices %j: a list of %i bits (16 KiB at least), multibase u + base64url of GZIP', (indices, bits) => {
    const encoded = encodeStatusList(indices);
    expect(encoded).toMatch(/^u[A-Za-z0-9_-]+$/);
    const raw = gunzipSync(Buffer.from(encoded.slice(1), 'base64url'));
    expect(raw.length * 8).toBe(bits);
    expect(statusListLength(Math.max(0, ...indices))).toBe(bits);
    const d = decodeStatusList(encoded);
    for (const i of indices) expect(d.isSet(i)).toBe(true);
    expect([1, 6, 9, 1000].filter((i) => d.isSet(i))).toEqual([]);
  });

  it('index 0 is the left-most bit: the highest bit of the first byte', () => {
    const raw = gunzipSync(Buffer.from(encodeStatusList([0, 9]).slice(1), 'base64url'));
    expect([raw[0], raw[1]]).toEqual([0b1000_0000, 0b0100_0000]);
  });

  it('new indices are drawn from a list kept at most half full', () => {
    expect(statusIndexRange(0)).toBe(STATUS_LIST_MIN_BITS);
    expect(statusIndexRange(65_535)).toBe(STATUS_LIST_MIN_BITS);
    expect(statusIndexRange(65_536)).toBe(2 * STATUS_LIST_MIN_BITS);
  });
});
