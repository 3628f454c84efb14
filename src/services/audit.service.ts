import type { Kysely } from 'kysely';
import { auditLogRepository, type AuditFilter } from '../db/repositories/audit-log.repository.js';
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
  await auditLogRepository.append(trx, {
    at: ctx.now(),
    actorId: actor?.id ?? null,
    action,
    entity,
    entityId,
    before: before === undefined ? undefined : redact(before),
    after: after === undefined ? undefined : redact(after),
  });
}

export function listAudit(ctx: AppContext, filter: AuditFilter, page: { limit: number; offset: number }) {
  return auditLogRepository.list(ctx.db, filter, page);
}

export function auditEntities(ctx: AppContext) {
  return auditLogRepository.distinctEntities(ctx.db);
}
