import { type Kysely, sql } from 'kysely';
import { insertJsonRows, type JsonInsert, jsonInsert } from '../json-rows.js';
import type { AuditEntry, Database } from '../schema.js';

export interface AuditRecord {
  at: Date;
  actorId: number | null;
  action: string;
  entity: string;
  entityId: string | number | null;
  before?: unknown;
  after?: unknown;
}

export interface AuditFilter {
  entity?: string;
  entityId?: string;
  action?: string;
  actorId?: number;
  from?: Date;
  to?: Date;
}

export const auditLogRepository = {
  async append(db: Kysely<Database>, r: AuditRecord): Promise<void> {
    await this.appendMany(db, [r]);
  },
  /** Several entries in one statement (a batch of applications decided together). */
  async appendMany(db: Kysely<Database>, records: readonly AuditRecord[]): Promise<void> {
    await insertJsonRows(db, this.insertion(records));
  },
  /** The insert of these entries, to run with others (`insertTogether`). */
  insertion(records: readonly AuditRecord[]): JsonInsert {
    return jsonInsert(
      'audit_log',
      { at: 'timestamptz', actor_id: 'integer', action: 'text', entity: 'text', entity_id: 'text', before: 'jsonb', after: 'jsonb' },
      records.map((r) => ({
        at: r.at,
        actor_id: r.actorId,
        action: r.action,
        entity: r.entity,
        entity_id: r.entityId === null ? null : String(r.entityId),
        before: r.before,
        after: r.after,
      })),
    );
  },

  async list(
    db: Kysely<Database>,
    f: AuditFilter,
    page: { limit: number; offset: number },
  ): Promise<{ rows: (AuditEntry & { actor_name: string | null })[]; total: number }> {
    let q = db.selectFrom('audit_log').leftJoin('people', 'people.id', 'audit_log.actor_id');
    if (f.entity) q = q.where('audit_log.entity', '=', f.entity);
    if (f.entityId) q = q.where('audit_log.entity_id', '=', f.entityId);
    if (f.action) q = q.where('audit_log.action', '=', f.action);
    if (f.actorId) q = q.where('audit_log.actor_id', '=', f.actorId);
    if (f.from) q = q.where('audit_log.at', '>=', f.from);
    if (f.to) q = q.where('audit_log.at', '<', f.to);
    const [rows, count] = await Promise.all([
      q
        .selectAll('audit_log')
        .select('people.name as actor_name')
        .orderBy('audit_log.id', 'desc')
        .limit(page.limit)
        .offset(page.offset)
        .execute(),
      q.select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow(),
    ]);
    return { rows, total: count.n };
  },

  async distinctEntities(db: Kysely<Database>): Promise<string[]> {
    const rows = await db.selectFrom('audit_log').select('entity').distinct().orderBy('entity').execute();
    return rows.map((r) => r.entity);
  },
};
