import type { Kysely } from 'kysely';
import { searchKey } from '../domain/kana.js';
import { auditLogRepository, type AuditFilter, type AuditRecord, type AuditReferences } from '../db/repositories/audit-log.repository.js';
import type { Database } from '../db/schema.js';
import type { Actor, AppContext } from './context.js';

/** Fields never written to the audit log. */
const SECRET_FIELDS = new Set(['password_hash', 'token_hash', 'search_key']);

function redact(v: unknown): unknown {
  if (!v || typeof v !== 'object' || Array.isArray(v) || v instanceof Date) return v;
  return Object.fromEntries(Object.entries(v).filter(([k]) => !SECRET_FIELDS.has(k)));
}

/** Records one change of state; call inside the transaction that makes the change. */
export async function audit(
  trx: Kysely<Database>,
  ctx: Pick<AppContext, 'now'>,
  actor: Actor,
  action: string,
  entity: string,
  entityId: string | number | null,
  before?: unknown,
  after?: unknown,
): Promise<void> {
  await auditMany(trx, ctx, [{ actor, action, entity, entityId, before, after }]);
}

export interface AuditEvent {
  actor: Actor;
  action: string;
  entity: string;
  entityId: string | number | null;
  before?: unknown;
  after?: unknown;
}

/** Records several changes of state made together, in one statement. */
export async function auditMany(trx: Kysely<Database>, ctx: Pick<AppContext, 'now'>, events: readonly AuditEvent[]): Promise<void> {
  await auditLogRepository.appendMany(trx, auditRecords(ctx, events));
}

/** The entries for these events as stored (secrets left out), to write with other rows in one statement. */
export function auditRecords(ctx: Pick<AppContext, 'now'>, events: readonly AuditEvent[]): AuditRecord[] {
  const at = ctx.now();
  return events.map((e) => ({
    at,
    actorId: e.actor?.id ?? null,
    action: e.action,
    entity: e.entity,
    entityId: e.entityId,
    before: e.before === undefined ? undefined : redact(e.before),
    after: e.after === undefined ? undefined : redact(e.after),
  }));
}

export function listAudit(ctx: AppContext, filter: AuditFilter, page: { limit: number; offset: number; countUpTo?: number; before?: number }) {
  return auditLogRepository.list(ctx.db, { ...filter, actorQ: filter.actorQ ? searchKey(filter.actorQ) : undefined }, page);
}

export function auditEntities(ctx: AppContext) {
  return auditLogRepository.distinctEntities(ctx.db);
}

export function auditActions(ctx: AppContext) {
  return auditLogRepository.distinctActions(ctx.db);
}

/** The names of the people, offerings, units … a page of entries refers to, to show them by name. */
export function auditNames(ctx: AppContext, refs: AuditReferences) {
  return auditLogRepository.names(ctx.db, refs);
}
