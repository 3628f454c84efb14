import { z } from 'zod';
import { apiTokenRepository } from '../db/repositories/api-token.repository.js';
import { Batcher, batcherPerOwner } from '../lib/batcher.js';
import { randomToken, sha256 } from '../lib/crypto.js';
import { requiredText, validate } from '../lib/validation.js';
import { audit } from './audit.service.js';
import { type Actor, type AppContext, invalid, ServiceError } from './context.js';
import { API_TOKEN_SCOPES, type ApiTokenScope } from '../domain/values.js';
import { type CurrentUser, toCurrentUser } from './context.js';

const TOKEN_PREFIX = 'kyodo_';

export { API_TOKEN_SCOPES, type ApiTokenScope };

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** What a token's scope lets it do: 'read' only reads (GET, HEAD), 'write' everything its person may do. */
export function scopeAllows(scope: ApiTokenScope, method: string): boolean {
  return scope === 'write' || SAFE_METHODS.has(method.toUpperCase());
}

/** Days a token lasts when nobody says otherwise, and at most. */
export const TOKEN_DAYS = { default: 365, max: 365 * 3 } as const;

const tokenInputSchema = z.object({
  name: requiredText(100),
  // Absent or empty: 'write', the access every token had before scopes existed.
  scope: z.preprocess((v) => (v === undefined || v === null || v === '' ? 'write' : v), z.enum(API_TOKEN_SCOPES)),
  // Absent or empty: one year.
  days: z.preprocess((v) => (v === undefined || v === null || v === '' ? TOKEN_DAYS.default : v), z.coerce.number().int().min(1).max(TOKEN_DAYS.max)),
});

/**
 * Creates a personal access token; the plain token is returned once and only its hash is stored.
 * `scope` is 'read' or 'write' (default 'write'); it expires after `days` (default one year, at most three).
 */
export async function createApiToken(
  ctx: AppContext,
  actor: Actor,
  personId: number,
  input: { name?: unknown; scope?: unknown; days?: unknown },
): Promise<{ id: number; token: string; scope: ApiTokenScope; expiresAt: Date }> {
  const v = validate(tokenInputSchema, input);
  if (!v.ok) throw invalid(v.errors);
  const token = TOKEN_PREFIX + randomToken(32);
  const now = ctx.now();
  return ctx.db.transaction().execute(async (trx) => {
    const row = await apiTokenRepository.insert(trx, {
      personId,
      name: v.data.name,
      hash: sha256(token),
      prefix: token.slice(0, TOKEN_PREFIX.length + 6),
      scope: v.data.scope,
      now,
      expiresAt: new Date(now.getTime() + v.data.days * 86_400_000),
    });
    await audit(trx, ctx, actor, 'create', 'api_token', row.id, undefined, {
      name: row.name,
      prefix: row.prefix,
      scope: row.scope,
      expires_at: row.expires_at,
      person_id: personId,
    });
    return { id: row.id, token, scope: row.scope, expiresAt: row.expires_at };
  });
}

export async function revokeApiToken(ctx: AppContext, actor: { id: number }, id: number): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    const row = await apiTokenRepository.revoke(trx, id, actor.id, ctx.now());
    if (!row) throw new ServiceError(404, 'not_found', 'error.notFound');
    await audit(trx, ctx, actor, 'revoke', 'api_token', id, { revoked_at: null }, { revoked_at: row.revoked_at });
  });
}

export function listApiTokens(ctx: AppContext, personId: number) {
  return apiTokenRepository.listForPerson(ctx.db, personId);
}

/** The user a bearer token stands for, or null (unknown, revoked, expired, or the person is inactive). */
export async function resolveApiToken(ctx: AppContext, token: string): Promise<CurrentUser | null> {
  return (await resolveApiTokenScoped(ctx, token))?.user ?? null;
}

/** As `resolveApiToken`, with the token's scope (check it with `scopeAllows`). */
export async function resolveApiTokenScoped(ctx: AppContext, token: string): Promise<{ user: CurrentUser; scope: ApiTokenScope } | null> {
  if (!token.startsWith(TOKEN_PREFIX)) return null;
  return tokenBatcher(ctx).submit(null, sha256(token));
}

/**
 * Bearer requests that arrive together are resolved together: one statement finds every token with its
 * person and roles, and marks the tokens used (at most once a minute each). Decision 0015.
 */
const tokenBatcher = batcherPerOwner(
  (ctx: AppContext) =>
    new Batcher<null, string, { user: CurrentUser; scope: ApiTokenScope } | null>(async (_key, hashes) => {
      const now = ctx.now();
      const rows = await apiTokenRepository.findActiveByHashes(ctx.db, [...new Set(hashes)], now, new Date(now.getTime() - 60_000));
      const byHash = new Map(rows.map((r) => [r.token_hash, r]));
      return hashes.map((h) => {
        const r = byHash.get(h);
        if (!r || !r.active) return { ok: true, value: null };
        // The row was parsed from this statement's answer and is no one else's: its roles are sorted in place
        // (a spread with a changed key costs microseconds a request on Node 20).
        r.roles.sort();
        return { ok: true, value: { user: toCurrentUser(r), scope: r.scope } };
      });
    }),
);
