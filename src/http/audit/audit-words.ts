import type { AuditReferences } from '../../db/repositories/audit-log.repository.js';
import type { AuditEntry } from '../../db/schema.js';
import { isMessageKey, type Params, type Translate } from '../../i18n/index.js';

/**
 * The words of the audit log: which records an entry refers to (to look their names up once), an
 * action and a kind of record in words. audit-entry.ts describes one entry with them.
 */

export type AuditRow = AuditEntry & { actor_name: string | null };

export const camel = (k: string) => k.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
export const num = (v: unknown): number | null => (typeof v === 'number' && Number.isInteger(v) ? v : typeof v === 'string' && /^\d{1,10}$/.test(v) ? Number(v) : null);
export const obj = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
/** A field of the entry's after (or before), by its snake_case or camelCase name. */
export const fieldOf = (e: AuditRow, snake: string): unknown => {
  for (const side of [obj(e.after), obj(e.before)]) {
    if (side[snake] !== undefined) return side[snake];
    if (side[camel(snake)] !== undefined) return side[camel(snake)];
  }
  return undefined;
};

/** Which kind of record an id field names. */
export type RefKind = keyof AuditReferences;
export const ID_FIELDS: Record<string, RefKind> = {
  personId: 'people',
  signedOffBy: 'people',
  appliedBy: 'people',
  endorsedBy: 'people',
  decidedBy: 'people',
  createdBy: 'people',
  coordinatorId: 'people',
  requesterId: 'people',
  offeringId: 'offerings',
  unitId: 'units',
  owningUnitId: 'units',
  partnerId: 'partners',
  hostPartnerId: 'partners',
  programmeId: 'programmes',
  predecessorId: 'programmes',
  sessionId: 'sessions',
  surveyId: 'surveys',
  applicationId: 'applications',
  /** The required sessions a completion's judgement found missing (its parts). */
  missing: 'sessions',
};
export const ENTITY_REFS: Record<string, RefKind> = {
  application: 'applications',
  completion: 'applications',
  assignment: 'applications',
  person: 'people',
  coordinator_certification: 'people',
  coordinator_profile: 'people',
  offering: 'offerings',
  unit: 'units',
  partner: 'partners',
  programme: 'programmes',
  offering_session: 'sessions',
  survey: 'surveys',
};

/** The ids a page of entries refers to, to look their names up once. */
export function auditReferences(rows: readonly AuditRow[]): AuditReferences {
  const refs: AuditReferences = { people: [], offerings: [], units: [], partners: [], programmes: [], sessions: [], surveys: [], applications: [] };
  const walk = (v: unknown) => {
    for (const [k, x] of Object.entries(obj(v))) {
      const kind = ID_FIELDS[camel(k)];
      const id = num(x);
      if (kind && id !== null) refs[kind].push(id);
      else if (Array.isArray(x)) {
        // A list of ids (missing sessions) or of records that hold ids (a completion's parts).
        for (const y of x) {
          const n = num(y);
          if (kind && n !== null) refs[kind].push(n);
          else if (y && typeof y === 'object') walk(y);
        }
      } else if (x && typeof x === 'object') walk(x);
    }
  };
  for (const e of rows) {
    walk(e.before);
    walk(e.after);
    const kind = ENTITY_REFS[e.entity];
    const id = num(e.entity_id);
    if (kind && id !== null) refs[kind].push(id);
    if (e.entity === 'attendance' && e.entity_id) {
      const [sid, aid] = e.entity_id.split(':').map(num);
      if (sid !== null) refs.sessions.push(sid);
      if (aid !== null) refs.applications.push(aid);
    }
    if (e.entity === 'document') {
      const d = documentSubject(fieldOf(e, 'kind'), fieldOf(e, 'subject'));
      if (d?.applicationId) refs.applications.push(d.applicationId);
      if (d?.offeringId) refs.offerings.push(d.offeringId);
      if (d?.unitId) refs.units.push(d.unitId);
    }
  }
  return refs;
}

/**
 * What a document (文書番号) was issued for, read from its kind and subject: a person's decision
 * notice names the application; a 所属's notice the offering and the unit (「12:none」: people with no
 * 所属); a certificate its number.
 */
export function documentSubject(kind: unknown, subject: unknown): { applicationId?: number; offeringId?: number; unitId?: number | null; certificate?: string } | null {
  if (typeof subject !== 'string' && typeof subject !== 'number') return null;
  const s = String(subject);
  if (kind === 'decision_notice') return num(s) !== null ? { applicationId: num(s)! } : null;
  if (kind === 'unit_notice') {
    const m = /^(\d{1,10}):(\d{1,10}|none)$/.exec(s);
    return m ? { offeringId: Number(m[1]), unitId: m[2] === 'none' ? null : Number(m[2]) } : null;
  }
  if (kind === 'certificate') return { certificate: s };
  return null;
}

/** An action in words (状態を「辞退」に変更), for the entry and for the filter's choices. */
export function actionWords(t: Translate, action: string, entity?: string): string {
  const tk = (key: string, params?: Params): string | null => (isMessageKey(key) ? t(key, params) : null);
  const status = (prefix: string, v: string) => tk(`${prefix}.${v}`) ?? tk(`status.${v}`) ?? v.replace(/_/g, ' ');
  return (
    (entity ? tk(`auditAction.${entity}.${action}`) : null) ??
    tk(`auditAction.${action}`) ??
    (action.startsWith('status_') ? t('auditAction.status', { status: status('status', action.slice(7)) }) : null) ??
    (action.startsWith('assignment_') ? t('auditAction.assignment', { status: status('assignment', action.slice(11)) }) : null) ??
    action.replace(/_/g, ' ')
  );
}

/** A kind of record in words (申込), for the entry and for the filter's choices. */
export function entityWords(t: Translate, entity: string): string {
  const key = `auditEntity.${entity}`;
  return isMessageKey(key) ? t(key) : entity.replace(/_/g, ' ');
}
