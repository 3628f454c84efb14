import type { Config } from '../config/index.js';
import type { Db } from '../db/database.js';
import type { Logger } from '../lib/logger.js';
import type { FieldErrors } from '../lib/validation.js';
import type { MessageKey, Params } from '../i18n/index.js';
import type { PersonWithRoles } from '../db/repositories/person.repository.js';
import type { Role } from '../domain/values.js';

/** What every service receives: the database, the configuration and the clock (domain code never reads one itself). */
export interface AppContext {
  db: Db;
  dbKind: 'pglite' | 'postgres';
  config: Config;
  now: () => Date;
  /** Wakes the outbox worker after a commit that queued mail. */
  kickOutbox: () => void;
  /** Structured logs for failures no caller sees (background work); absent in tests and the CLI. */
  logger?: Logger;
}

export type Actor = { id: number } | null;

/** A refusal that the http layer turns into a 4xx with a message naming the field. */
export class ServiceError extends Error {
  constructor(
    public readonly status: 400 | 401 | 403 | 404 | 409 | 422 | 429,
    public readonly code: string,
    /** Message key in the i18n catalogue. */
    public readonly messageKey: MessageKey,
    public readonly fields: FieldErrors = {},
    public readonly params: Params = {},
  ) {
    super(code);
    this.name = 'ServiceError';
  }
}

/** A validation refusal: 422 with the fields that are wrong. */
export function invalid(fields: FieldErrors): ServiceError {
  return new ServiceError(422, 'validation', 'form.errorSummary', fields, { count: Object.keys(fields).length });
}

/** The signed-in person as every layer sees them (from the session or an API token). */
export interface CurrentUser {
  id: number;
  name: string;
  kana: string;
  email: string;
  unitId: number | null;
  affiliation: PersonWithRoles['affiliation'];
  roles: Role[];
  locale: string | null;
}

export function toCurrentUser(p: Pick<PersonWithRoles, 'id' | 'name' | 'kana' | 'email' | 'unit_id' | 'affiliation' | 'roles' | 'locale'>): CurrentUser {
  return {
    id: p.id,
    name: p.name,
    kana: p.kana,
    email: p.email,
    unitId: p.unit_id,
    affiliation: p.affiliation,
    roles: p.roles,
    locale: p.locale,
  };
}
