import { randomBytes, randomInt, randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { fiscalYearOfDate } from '../domain/calendar.js';
import type { CompletionRule } from '../domain/completion.js';
import {
  achievement,
  COORDINATOR_ACHIEVEMENT,
  coordinatorCriteriaText,
  credentialUrls,
  criteriaText,
  encodeStatusList,
  issuerProfile,
  jwtClaims,
  offeringAchievementKey,
  openBadgeCredential,
  parseAchievementKey,
  statusIndexRange,
  statusListCredential,
  VC_JWT_TYP,
} from '../domain/credential.js';
import { mayViewCertificate } from '../domain/policies/certificate.js';
import { isAdmin, type PolicyActor } from '../domain/policies/actor.js';
import { credentialRepository, type StatusRef } from '../db/repositories/credential.repository.js';
import { type AppContext, ServiceError } from './context.js';
import { signingKey } from './issuer-key.service.js';

/**
 * Verifiable certificates (issue 20 §4, decision 0026): each certificate (修了証) and each coordinator
 * certification as an Open Badges 3.0 credential signed with the prefecture's Ed25519 key as a VC-JWT,
 * and the revocation status list that every credential points to. The status list is made from the
 * records when asked: revoking a certificate (completion.service) sets its bit with no further step.
 */

const issuerOf = (ctx: AppContext) => issuerProfile({ baseUrl: ctx.config.baseUrl, name: ctx.config.issuerName, prefecture: ctx.config.prefectureName });

/** The issuer Profile served at /credentials/issuer. */
export function issuerDocument(ctx: AppContext) {
  return { '@context': ['https://www.w3.org/ns/credentials/v2', 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json'], ...issuerOf(ctx) };
}

/** The record's fixed index in the status list: drawn at random once, then kept. */
export async function statusIndexFor(ctx: AppContext, ref: StatusRef): Promise<number> {
  for (let attempt = 0; attempt < 64; attempt++) {
    const found = await credentialRepository.findStatusIndex(ctx.db, ref);
    if (found) return found.status_index;
    const { n } = await credentialRepository.countStatusEntries(ctx.db);
    const taken = await credentialRepository.insertStatusEntry(ctx.db, randomInt(0, statusIndexRange(Number(n))), ref, ctx.now());
    if (taken) return taken.status_index;
  }
  throw new Error('no free status-list index found');
}

/**
 * Signs as a VC-JWT. The status list carries no `nbf`: made this very second, it would read as "not yet
 * valid" to a verifier whose clock is a little behind.
 */
async function sign(
  ctx: AppContext,
  payload: Record<string, unknown> & { id: string; issuer: { id: string } | string; validFrom: string; validUntil?: string; credentialSubject: { id?: string } },
  opts: { notBefore: boolean } = { notBefore: true },
): Promise<{ jwt: string; kid: string }> {
  const { kid, key } = await signingKey(ctx);
  const issuerId = typeof payload.issuer === 'string' ? payload.issuer : payload.issuer.id;
  const { nbf, ...claims } = jwtClaims({ ...payload, issuer: { id: issuerId } });
  const jwt = await new SignJWT({ ...payload, ...claims, ...(opts.notBefore ? { nbf } : {}) })
    .setProtectedHeader({ alg: 'EdDSA', kid, typ: VC_JWT_TYP })
    .setIssuedAt(ctx.now())
    .sign(key);
  return { jwt, kid };
}

export interface SignedCredential {
  jwt: string;
  kid: string;
  credential: ReturnType<typeof openBadgeCredential>;
  filename: string;
}

function achievementForOffering(ctx: AppContext, o: { id: number; title: string; fiscal_year: number; completion_rule: CompletionRule; programme_name: string }, sessions: number) {
  return achievement({
    baseUrl: ctx.config.baseUrl,
    key: offeringAchievementKey(o.id),
    kind: 'completion',
    name: o.programme_name,
    title: o.title,
    fiscalYear: o.fiscal_year,
    criteria: criteriaText(o.completion_rule ?? {}, sessions),
    creator: issuerOf(ctx),
  });
}

function coordinatorAchievement(ctx: AppContext) {
  return achievement({
    baseUrl: ctx.config.baseUrl,
    key: COORDINATOR_ACHIEVEMENT,
    kind: 'coordinator',
    name: '協働コーディネーター',
    title: '協働コーディネーター養成講座',
    fiscalYear: null,
    criteria: coordinatorCriteriaText(ctx.config.coordinatorValidYears),
    creator: issuerOf(ctx),
  });
}

/**
 * The credential of a certificate, for its holder or an admin (anyone else: 404, as the certificate's
 * page). A revoked certificate gets none (409).
 */
export async function certificateCredential(ctx: AppContext, actor: PolicyActor | null, number: string): Promise<SignedCredential> {
  const c = await credentialRepository.certificate(ctx.db, number);
  if (!c || !mayViewCertificate(actor, c)) throw new ServiceError(404, 'not_found', 'error.notFound');
  if (c.revoked_at) throw new ServiceError(409, 'revoked', 'credential.revoked');
  const ach =
    c.offering_id !== null && c.fiscal_year !== null
      ? achievementForOffering(
          ctx,
          { id: c.offering_id, title: c.title, fiscal_year: c.fiscal_year, completion_rule: (c.completion_rule ?? {}) as CompletionRule, programme_name: c.programme_name },
          await credentialRepository.sessionCount(ctx.db, c.offering_id),
        )
      : // A certificate whose application is gone: an achievement of its own, not published at a URL.
        achievement({
          baseUrl: ctx.config.baseUrl,
          key: `certificate-${c.number}`,
          kind: 'completion',
          name: c.programme_name,
          title: c.title,
          fiscalYear: fiscalYearOfDate(c.completed_on),
          criteria: '修了の条件：研修担当が修了を認定すること。',
          creator: issuerOf(ctx),
        });
  if (c.offering_id === null) ach.id = `urn:kyodo:achievement:${c.number}`;
  const credential = openBadgeCredential({
    id: `urn:uuid:${randomUUID()}`,
    subjectId: `urn:uuid:${randomUUID()}`,
    issuer: issuerOf(ctx),
    achievement: ach,
    holder: { name: c.person_name, email: c.person_email },
    salt: randomBytes(16).toString('hex'),
    number: c.number,
    validFrom: c.completed_on,
    validUntil: c.valid_until,
    statusIndex: await statusIndexFor(ctx, { certificateId: c.id }),
    statusListUrl: credentialUrls(ctx.config.baseUrl).statusList,
  });
  const { jwt, kid } = await sign(ctx, credential);
  return { jwt, kid, credential, filename: `${c.number}.jwt` };
}

/** Who may have a coordinator certification's credential: the coordinator and the training office. */
export function mayGetCoordinatorCredential(actor: PolicyActor | null, personId: number): boolean {
  return !!actor && (actor.id === personId || isAdmin(actor));
}

/**
 * The credential of a person's coordinator certification: valid from the grant (or the last renewal)
 * until its expiry. An expired certification still gets one, which says it expired; a revoked one none.
 */
export async function coordinatorCredential(ctx: AppContext, actor: PolicyActor | null, personId: number): Promise<SignedCredential> {
  const cc = await credentialRepository.coordinatorCertification(ctx.db, personId);
  if (!cc || !mayGetCoordinatorCredential(actor, personId)) throw new ServiceError(404, 'not_found', 'error.notFound');
  if (cc.revoked_at || cc.certificate_revoked_at) throw new ServiceError(409, 'revoked', 'credential.revoked');
  const number = cc.certificate_number ?? `COORDINATOR-${personId}`;
  const credential = openBadgeCredential({
    id: `urn:uuid:${randomUUID()}`,
    subjectId: `urn:uuid:${randomUUID()}`,
    issuer: issuerOf(ctx),
    achievement: coordinatorAchievement(ctx),
    holder: { name: cc.person_name, email: cc.person_email },
    salt: randomBytes(16).toString('hex'),
    number,
    validFrom: cc.renewed_on ?? cc.granted_on,
    validUntil: cc.valid_until,
    statusIndex: await statusIndexFor(ctx, { coordinatorPersonId: personId }),
    statusListUrl: credentialUrls(ctx.config.baseUrl).statusList,
  });
  const { jwt, kid } = await sign(ctx, credential);
  return { jwt, kid, credential, filename: `coordinator-${number}.jwt` };
}

/** The revocation status list as a signed BitstringStatusListCredential (VC-JWT), made from the records now. */
export async function revocationStatusList(ctx: AppContext): Promise<{ jwt: string; kid: string }> {
  const encodedList = encodeStatusList(await credentialRepository.revokedIndices(ctx.db));
  const credential = statusListCredential({ baseUrl: ctx.config.baseUrl, issuerId: issuerOf(ctx).id, encodedList, validFrom: ctx.now() });
  return sign(ctx, credential, { notBefore: false });
}

/** A public achievement by its key (an offering that has issued certificates, or the coordinator certification); null if none. */
export async function achievementDocument(ctx: AppContext, key: string) {
  const k = parseAchievementKey(key);
  if (!k) return null;
  const context = { '@context': ['https://www.w3.org/ns/credentials/v2', 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json'] };
  if (k.kind === 'coordinator') return { ...context, ...coordinatorAchievement(ctx) };
  const o = await credentialRepository.offeringAchievement(ctx.db, k.offeringId);
  if (!o) return null;
  return { ...context, ...achievementForOffering(ctx, o, await credentialRepository.sessionCount(ctx.db, o.id)) };
}
