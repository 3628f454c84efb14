import { type Kysely, sql } from 'kysely';
import { insertJsonRows, type JsonInsert, jsonInsert } from '../json-rows.js';
import type { SurveyQuestion } from '../../domain/survey.js';
import type { AuditEntry, Database } from '../schema.js';
import { escapeLike } from './unit.repository.js';

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
  /** Who acted: words of their name, フリガナ, e-mail or staff number (a search key). */
  actorQ?: string;
  from?: Date;
  to?: Date;
}

/** Ids an audit page refers to, by kind, to be shown by name. */
export interface AuditReferences {
  people: number[];
  offerings: number[];
  units: number[];
  partners: number[];
  programmes: number[];
  sessions: number[];
  surveys: number[];
  applications: number[];
}

/** The names (and owning offering) of what an audit page refers to. */
export interface AuditNames {
  people: Map<number, string>;
  offerings: Map<number, { title: string; fiscalYear: number }>;
  units: Map<number, string>;
  partners: Map<number, string>;
  programmes: Map<number, { name: string; nameEn: string }>;
  sessions: Map<number, { title: string; offeringId: number }>;
  surveys: Map<number, { title: string; anonymous: boolean; questions: SurveyQuestion[] }>;
  applications: Map<number, { offeringId: number; personId: number; personName: string }>;
}

/**
 * An answer to an anonymous survey: its entry says only that someone answered (decision 0011).
 * Lists never show who that was, so that nobody can put a person next to an anonymous answer.
 */
const anonymousAnswer = (e: { entity: string; entity_id: string | null }) => e.entity === 'survey_response' && e.entity_id === null;

const ints = (xs: number[]) => [...new Set(xs.filter((x) => Number.isInteger(x) && x > 0 && x <= 2147483647))];

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

  /**
   * One page of entries, newest first (by id: entries are numbered as they are written), filtered in
   * the database. The log grows by every change for years, so the number of matching entries is counted
   * only up to `countUpTo` past the page (`more`: there are more than `total`); a filter narrow enough
   * is counted exactly.
   */
  async list(
    db: Kysely<Database>,
    f: AuditFilter,
    page: { limit: number; offset: number; countUpTo?: number; before?: number },
  ): Promise<{ rows: (AuditEntry & { actor_name: string | null })[]; total: number; more: boolean }> {
    let q = db.selectFrom('audit_log');
    // Keyset paging (the API's cursor): the entries written before this one, newest first.
    if (page.before) q = q.where('audit_log.id', '<', page.before);
    if (f.entity) q = q.where('audit_log.entity', '=', f.entity);
    if (f.entityId) q = q.where('audit_log.entity_id', '=', f.entityId);
    if (f.action) q = q.where('audit_log.action', '=', f.action);
    if (f.actorId) q = q.where('audit_log.actor_id', '=', f.actorId);
    if (f.actorQ) q = q.where('audit_log.actor_id', 'in', (eb) => eb.selectFrom('people').select('people.id').where('people.search_key', 'like', `%${escapeLike(f.actorQ!)}%`));
    // An answer to an anonymous survey is never found by who gave it (decision 0011).
    if (f.actorId || f.actorQ) q = q.where((eb) => eb.not(eb.and([eb('audit_log.entity', '=', 'survey_response'), eb('audit_log.entity_id', 'is', null)])));
    if (f.from) q = q.where('audit_log.at', '>=', f.from);
    if (f.to) q = q.where('audit_log.at', '<', f.to);
    const cap = page.offset + (page.countUpTo ?? 10_000);
    const counted = db.selectFrom(q.select(sql`1`.as('one')).limit(cap + 1).as('m')).select(sql<number>`count(*)::int`.as('n'));
    const [rows, count] = await Promise.all([
      q
        .leftJoin('people', 'people.id', 'audit_log.actor_id')
        .selectAll('audit_log')
        .select('people.name as actor_name')
        .orderBy('audit_log.id', 'desc')
        .limit(page.limit)
        .offset(page.offset)
        .execute(),
      counted.executeTakeFirstOrThrow(),
    ]);
    const more = count.n > cap;
    return { rows: rows.map((r) => (anonymousAnswer(r) ? { ...r, actor_id: null, actor_name: null } : r)), total: more ? cap : count.n, more };
  },

  /** The names of the records an audit page refers to, in one query per kind. */
  async names(db: Kysely<Database>, refs: AuditReferences): Promise<AuditNames> {
    const pick = async <T>(ids: number[], run: (ids: number[]) => Promise<T[]>) => (ids.length ? run(ids) : []);
    const applications = await pick(ints(refs.applications), (ids) =>
      db.selectFrom('applications').innerJoin('people', 'people.id', 'applications.person_id').select(['applications.id', 'applications.offering_id', 'applications.person_id', 'people.name']).where('applications.id', 'in', ids).execute(),
    );
    const sessions = await pick(ints(refs.sessions), (ids) => db.selectFrom('offering_sessions').select(['id', 'title', 'offering_id']).where('id', 'in', ids).execute());
    const offeringIds = ints([...refs.offerings, ...applications.map((a) => a.offering_id), ...sessions.map((x) => x.offering_id)]);
    const [people, offerings, units, partners, programmes, surveys] = await Promise.all([
      pick(ints(refs.people), (ids) => db.selectFrom('people').select(['id', 'name']).where('id', 'in', ids).execute()),
      pick(offeringIds, (ids) => db.selectFrom('offerings').select(['id', 'title', 'fiscal_year']).where('id', 'in', ids).execute()),
      pick(ints(refs.units), (ids) => db.selectFrom('units').select(['id', 'name']).where('id', 'in', ids).execute()),
      pick(ints(refs.partners), (ids) => db.selectFrom('partners').select(['id', 'name']).where('id', 'in', ids).execute()),
      pick(ints(refs.programmes), (ids) => db.selectFrom('programmes').select(['id', 'name', 'name_en']).where('id', 'in', ids).execute()),
      pick(ints(refs.surveys), (ids) => db.selectFrom('surveys').select(['id', 'title', 'anonymous', 'questions']).where('id', 'in', ids).execute()),
    ]);
    return {
      people: new Map(people.map((r) => [r.id, r.name])),
      offerings: new Map(offerings.map((r) => [r.id, { title: r.title, fiscalYear: r.fiscal_year }])),
      units: new Map(units.map((r) => [r.id, r.name])),
      partners: new Map(partners.map((r) => [r.id, r.name])),
      programmes: new Map(programmes.map((r) => [r.id, { name: r.name, nameEn: r.name_en }])),
      sessions: new Map(sessions.map((r) => [r.id, { title: r.title, offeringId: r.offering_id }])),
      surveys: new Map(surveys.map((r) => [r.id, { title: r.title, anonymous: r.anonymous, questions: r.questions }])),
      applications: new Map(applications.map((r) => [r.id, { offeringId: r.offering_id, personId: r.person_id, personName: r.name }])),
    };
  },

  /** The actions that occur in the log, for the filter (a loose index scan over audit_log_action_idx). */
  distinctActions: (db: Kysely<Database>) => distinctValues(db, 'action'),

  /** The kinds of record in the log, for the filter (a loose index scan over audit_log_entity_idx). */
  distinctEntities: (db: Kysely<Database>) => distinctValues(db, 'entity'),
};

/**
 * The values of an indexed column that occur in the log: one index probe per distinct value (a loose
 * index scan, each step the next value above the last), not a read of the whole log.
 */
async function distinctValues(db: Kysely<Database>, column: 'action' | 'entity'): Promise<string[]> {
  const c = sql.ref(column);
  const r = await sql<{ v: string }>`
    WITH RECURSIVE d(v) AS (
      (SELECT ${c} FROM audit_log ORDER BY ${c} LIMIT 1)
      UNION ALL
      SELECT (SELECT a.${c} FROM audit_log a WHERE a.${c} > d.v ORDER BY a.${c} LIMIT 1) FROM d WHERE d.v IS NOT NULL
    ) SELECT v FROM d WHERE v IS NOT NULL`.execute(db);
  return r.rows.map((x) => x.v);
}
