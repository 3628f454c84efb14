import * as oidc from 'openid-client';
import type { OidcConfig } from '../config/index.js';
import { personRepository } from '../db/repositories/person.repository.js';
import { ssoRepository } from '../db/repositories/sso.repository.js';
import { decideSignIn, identityFromClaims, type SsoPerson, type SsoRefusal } from '../domain/sso.js';
import { sha256 } from '../lib/crypto.js';
import { audit } from './audit.service.js';
import { type LoginResult, startLoginSession } from './account.service.js';
import { type AppContext, ServiceError } from './context.js';
import { createPerson } from './person.service.js';

/**
 * Single sign-on with the prefecture's OpenID Connect provider (issue 20 §1, decision 0024):
 * authorization code flow with PKCE, state and nonce, through openid-client. A sign-in waiting for
 * the provider's callback is a row of `sso_requests` (keyed by the hash of its state, good once and
 * for 10 minutes); the browser also holds the state in a cookie, so a callback started in another
 * browser is refused.
 */

/** How long one request to the provider may take (seconds): generous, as a prefecture's provider may sit behind gateways; a provider that is down refuses at once. */
const PROVIDER_TIMEOUT_SECONDS = 30;

/** How long a sign-in may wait for the provider's callback. */
export const SSO_REQUEST_MINUTES = 10;

/** Why a sign-in through the provider was refused: the person's account (domain) or the response itself. */
export type SsoRefusalReason = SsoRefusal | 'state' | 'provider_error' | 'invalid_response';

/** A sign-in refused: shown to the person with what to do, audited as `login_failed`. */
export class SsoRefused extends Error {
  constructor(public readonly reason: SsoRefusalReason) {
    super(`single sign-on refused: ${reason}`);
    this.name = 'SsoRefused';
  }
}

/** The provider cannot be reached (or answers with something that is not OAuth): 503 before the sign-in, 502 during it. */
export class SsoUnavailable extends Error {
  constructor(
    public readonly status: 502 | 503,
    cause: unknown,
  ) {
    super('the OpenID Connect provider cannot be reached', { cause });
    this.name = 'SsoUnavailable';
  }
}

const discovered = new Map<string, Promise<oidc.ServerMetadata>>();
const jwksCaches = new Map<string, oidc.ExportedJWKSCache>();
const cacheKey = (o: OidcConfig) => `${o.issuer}|${o.clientId}`;
/** The config module allows http only for a provider on this machine. */
const insecure = (o: OidcConfig) => o.issuer.startsWith('http:');

function oidcOf(ctx: AppContext): OidcConfig {
  if (!ctx.config.oidc) throw new ServiceError(404, 'not_found', 'error.notFound');
  return ctx.config.oidc;
}

/** Network failures and answers that are not OAuth at all (a provider that is down or misrouted). */
function isOutage(e: unknown): boolean {
  const err = e as { name?: string; code?: string } | null;
  return (
    e instanceof TypeError ||
    err?.name === 'TimeoutError' ||
    err?.name === 'AbortError' ||
    err?.code === 'OAUTH_RESPONSE_IS_NOT_CONFORM' ||
    err?.code === 'OAUTH_RESPONSE_IS_NOT_JSON'
  );
}

/**
 * The provider's metadata is discovered once per process (a failed discovery is tried again on the
 * next sign-in). Each use gets its own Configuration whose clock is Kyodo's (`ctx.now()`), so that
 * the id_token's exp, iat and nbf are judged against the same clock as everything else.
 */
async function configuration(ctx: AppContext): Promise<oidc.Configuration> {
  const o = oidcOf(ctx);
  const key = cacheKey(o);
  let pending = discovered.get(key);
  if (!pending) {
    pending = oidc
      .discovery(new URL(o.issuer), o.clientId, o.clientSecret, undefined, { execute: insecure(o) ? [oidc.allowInsecureRequests] : [], timeout: PROVIDER_TIMEOUT_SECONDS })
      .then((c) => c.serverMetadata());
    pending.catch(() => discovered.delete(key));
    discovered.set(key, pending);
  }
  let server: oidc.ServerMetadata;
  try {
    server = await pending;
  } catch (e) {
    throw new SsoUnavailable(503, e);
  }
  const skew = Math.round((ctx.now().getTime() - Date.now()) / 1000);
  const config = new oidc.Configuration(server, o.clientId, { client_secret: o.clientSecret, [oidc.clockSkew]: skew }, oidc.ClientSecretBasic(o.clientSecret));
  if (insecure(o)) oidc.allowInsecureRequests(config);
  config.timeout = PROVIDER_TIMEOUT_SECONDS;
  const jwks = jwksCaches.get(key);
  if (jwks) oidc.setJwksCache(config, jwks);
  return config;
}

function redirectUri(ctx: AppContext): string {
  return `${ctx.config.baseUrl}/login/sso/callback`;
}

/** Starts a sign-in: the provider's authorization URL, and the state the browser keeps until the callback. */
export async function beginSignIn(ctx: AppContext, next: string): Promise<{ url: string; state: string }> {
  const o = oidcOf(ctx);
  const config = await configuration(ctx);
  const now = ctx.now();
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  const codeVerifier = oidc.randomPKCECodeVerifier();
  await ssoRepository.deleteRequestsBefore(ctx.db, new Date(now.getTime() - SSO_REQUEST_MINUTES * 60_000));
  await ssoRepository.insertRequest(ctx.db, { stateHash: sha256(state), nonce, codeVerifier, next, now });
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri(ctx),
    scope: o.scopes.join(' '),
    state,
    nonce,
    code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: 'S256',
  });
  return { url: url.href, state };
}

type Meta = { ip: string; userAgent: string | null; previousSessionToken?: string | null; deviceToken?: string | null };

/**
 * Finishes a sign-in from the provider's callback: takes the waiting request (once), has openid-client
 * check the response (state, iss, PKCE at the token endpoint; the id_token's signature, iss, aud, exp
 * and nonce), matches the person, applies the decision (decideSignIn) and starts the session.
 */
export async function completeSignIn(
  ctx: AppContext,
  query: string,
  browserState: string | null,
  meta: Meta,
): Promise<LoginResult & { next: string }> {
  const o = oidcOf(ctx);
  const params = new URLSearchParams(query);
  const state = params.get('state');
  const refuse = async (reason: SsoRefusalReason, personId: number | null, details: Record<string, unknown> = {}): Promise<never> => {
    await audit(ctx.db, ctx, personId ? { id: personId } : null, 'login_failed', 'session', null, undefined, { method: 'sso', reason, ip: meta.ip, ...details });
    throw new SsoRefused(reason);
  };
  if (!state || !browserState || sha256(state) !== sha256(browserState)) return refuse('state', null);
  const now = ctx.now();
  const request = await ssoRepository.takeRequest(ctx.db, sha256(state), new Date(now.getTime() - SSO_REQUEST_MINUTES * 60_000));
  if (!request) return refuse('state', null);
  if (params.get('error')) return refuse('provider_error', null, { error: params.get('error')!.slice(0, 100) });

  const config = await configuration(ctx);
  let tokens: Awaited<ReturnType<typeof oidc.authorizationCodeGrant>>;
  try {
    tokens = await oidc.authorizationCodeGrant(config, new URL(`${redirectUri(ctx)}?${params}`), {
      pkceCodeVerifier: request.code_verifier,
      expectedState: state,
      expectedNonce: request.nonce,
      idTokenExpected: true,
    });
  } catch (e) {
    if (isOutage(e)) throw new SsoUnavailable(502, e);
    // openid-client's error wraps oauth4webapi's, whose own cause names the claim that failed (exp, aud, nonce…).
    const err = e as { code?: string; error?: string; message?: string; cause?: { message?: string; cause?: { claim?: unknown } } };
    const claim = typeof err.cause?.cause?.claim === 'string' ? { claim: err.cause.cause.claim } : {};
    const detail = String(err.cause?.message ?? err.message ?? '').slice(0, 200);
    return refuse('invalid_response', null, { error: String(err.error ?? err.code ?? 'invalid').slice(0, 100), detail, ...claim });
  }
  const cache = oidc.getJwksCache(config);
  if (cache) jwksCaches.set(cacheKey(o), cache);
  const idClaims = tokens.claims()!;
  // Claims the provider keeps for the userinfo endpoint (oidc-provider, Keycloak) are read from there;
  // the id_token's own claims win.
  let userinfo: Record<string, unknown> = {};
  if (config.serverMetadata().userinfo_endpoint && tokens.access_token) {
    try {
      userinfo = await oidc.fetchUserInfo(config, tokens.access_token, idClaims.sub);
    } catch (e) {
      ctx.logger?.warn({ err: e }, 'single sign-on: userinfo could not be read');
    }
  }
  const claims = { ...userinfo, ...idClaims };
  const identity = identityFromClaims(claims, o);
  const subject = { sub: idClaims.sub, ...(identity.staffNumber ? { staffNumber: identity.staffNumber } : {}), ...(identity.email ? { email: identity.email } : {}) };

  const load = async (p: { id: number; staff_number: string | null; active: boolean; affiliation: SsoPerson['affiliation'] } | undefined): Promise<SsoPerson | null> =>
    p ? { id: p.id, staffNumber: p.staff_number, active: p.active, affiliation: p.affiliation, roles: await personRepository.roles(ctx.db, p.id) } : null;
  const byStaffNumber = identity.staffNumber ? await load(await personRepository.findByStaffNumber(ctx.db, identity.staffNumber)) : null;
  const byEmail = !byStaffNumber && identity.email ? await load(await personRepository.findByEmail(ctx.db, identity.email)) : null;
  const decision = decideSignIn({ identity, rules: o, byStaffNumber, byEmail });

  let personId: number;
  if (decision.kind === 'refuse') return refuse(decision.reason, decision.personId, subject);
  if (decision.kind === 'create') {
    try {
      const created = await createPerson(ctx, null, { ...decision.person, staffNumber: decision.person.staffNumber ?? '' });
      personId = created.id;
    } catch (e) {
      if (e instanceof ServiceError) return refuse('incomplete', null, { ...subject, fields: Object.keys(e.fields) });
      throw e;
    }
  } else {
    personId = decision.personId;
    const roles = decision.roles;
    if (roles) {
      await ctx.db.transaction().execute(async (trx) => {
        const before = await personRepository.roles(trx, personId);
        await personRepository.setRoles(trx, personId, roles);
        await audit(trx, ctx, null, 'update', 'person', personId, { roles: before }, { roles, via: 'sso' });
      });
    }
  }
  const result = await startLoginSession(ctx, personId, meta, { method: 'sso', audit: subject });
  if (tokens.id_token) await ssoRepository.setSessionIdToken(ctx.db, sha256(result.sessionToken), tokens.id_token);
  return { ...result, next: request.next };
}

/**
 * Where to send the browser at sign-out so that the provider's session ends too: its
 * end_session_endpoint with the session's id_token as hint; null when the session did not begin
 * through the provider, the provider has no such endpoint, or it cannot be reached.
 */
export async function providerSignOutUrl(ctx: AppContext, sessionToken: string): Promise<string | null> {
  if (!ctx.config.oidc) return null;
  const hint = await ssoRepository.sessionIdToken(ctx.db, sha256(sessionToken));
  if (!hint) return null;
  try {
    const config = await configuration(ctx);
    if (!config.serverMetadata().end_session_endpoint) return null;
    return oidc.buildEndSessionUrl(config, { id_token_hint: hint, post_logout_redirect_uri: `${ctx.config.baseUrl}/login?notice=logout.done` }).href;
  } catch (e) {
    if (e instanceof SsoUnavailable) return null;
    throw e;
  }
}
