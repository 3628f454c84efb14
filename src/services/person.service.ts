import type { Kysely } from 'kysely';
import { z } from 'zod';
import { searchKey, toKatakana } from '../domain/kana.js';
import { unitTree } from '../domain/unit-tree.js';
import { type PersonDirectoryRow, personRepository, type PersonListQuery, type PersonWithRoles } from '../db/repositories/person.repository.js';
import type { UnitPick } from '../db/repositories/unit.repository.js';
import { apiTokenRepository } from '../db/repositories/api-token.repository.js';
import { sessionRepository } from '../db/repositories/session.repository.js';
import { unitRepository } from '../db/repositories/unit.repository.js';
import { type Database } from '../db/schema.js';
import { emailField, type FieldErrors, identifierText, kanaField, optionalId, requiredText, validate } from '../lib/validation.js';
import { audit } from './audit.service.js';
import { type Actor, type AppContext, invalid, ServiceError } from './context.js';
import { AFFILIATIONS, ROLES } from '../domain/values.js';

/** A name is one line: no line breaks, tabs or other control characters (an import must not smuggle them in). */
const oneLine = (v: string) => !/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/.test(v);

export const personInputSchema = z.object({
  name: requiredText(100).refine(oneLine, { message: 'error.singleLine' }),
  kana: kanaField(100),
  email: emailField(),
  staffNumber: identifierText(20),
  /** 職名 (課長, 主査…), printed on rosters and in a unit's address; left out, it stays as it was. */
  jobTitle: z.preprocess((v) => (typeof v === 'string' ? v.trim() : v), z.string().max(100).refine(oneLine, { message: 'error.singleLine' }).optional()),
  unitId: optionalId(),
  affiliation: z.enum(AFFILIATIONS),
  roles: z.preprocess(
    (v) => (v === undefined || v === '' ? ['staff'] : Array.isArray(v) ? v : [v]),
    z.array(z.enum(ROLES)).min(1),
  ),
});
export type PersonInput = z.output<typeof personInputSchema>;

export function personSearchKey(p: { name: string; kana: string; email: string; staff_number?: string | null }): string {
  return [p.name, p.kana, p.email, p.staff_number ?? ''].map(searchKey).join('|');
}

/** フリガナ is stored as full-width katakana (ｶﾅ and ひらがな are converted), names exactly as entered. */
export function normaliseKana(kana: string): string {
  return toKatakana(kana.normalize('NFKC')).replace(/\s+/g, ' ').trim();
}

/** Checks the references and uniqueness that a schema cannot; returns field errors. */
async function checkPerson(db: Kysely<Database>, p: PersonInput, selfId: number | null): Promise<FieldErrors> {
  const errors: FieldErrors = {};
  const sameEmail = await personRepository.findByEmail(db, p.email);
  if (sameEmail && sameEmail.id !== selfId) errors.email = { key: 'error.emailTaken' };
  if (p.staffNumber) {
    const same = await personRepository.findByStaffNumber(db, p.staffNumber);
    if (same && same.id !== selfId) errors.staffNumber = { key: 'error.staffNumberTaken' };
  }
  if (p.unitId && !(await unitRepository.find(db, p.unitId))) errors.unitId = { key: 'error.unitNotFound' };
  return errors;
}

function columns(p: PersonInput) {
  return {
    name: p.name,
    kana: normaliseKana(p.kana),
    email: p.email,
    staff_number: p.staffNumber ?? null,
    ...(p.jobTitle === undefined ? {} : { title: p.jobTitle || null }),
    unit_id: p.unitId ?? null,
    affiliation: p.affiliation,
    search_key: personSearchKey({ name: p.name, kana: normaliseKana(p.kana), email: p.email, staff_number: p.staffNumber }),
  };
}

export async function createPerson(
  ctx: AppContext,
  actor: Actor,
  input: Record<string, unknown>,
  opts: {
    extraErrors?: FieldErrors;
    passwordHash?: string;
    guard?: (trx: Kysely<Database>) => Promise<void>;
    trx?: Kysely<Database>;
  } = {},
): Promise<PersonWithRoles> {
  const v = validate(personInputSchema, input);
  const extra = opts.extraErrors ?? {};
  if (!v.ok || Object.keys(extra).length) throw invalid({ ...(v.ok ? {} : v.errors), ...extra });
  const run = async (trx: Kysely<Database>) => {
    await opts.guard?.(trx);
    const errors = await checkPerson(trx, v.data, null);
    if (Object.keys(errors).length) throw invalid(errors);
    const now = ctx.now();
    const row = await personRepository.insert(trx, {
      ...columns(v.data),
      password_hash: opts.passwordHash ?? null,
      created_at: now,
      updated_at: now,
    });
    await personRepository.setRoles(trx, row.id, v.data.roles);
    const created = (await personRepository.find(trx, row.id))!;
    await audit(trx, ctx, actor ?? { id: row.id }, 'create', 'person', row.id, undefined, created);
    return created;
  };
  return opts.trx ? run(opts.trx) : ctx.db.transaction().execute(run);
}

export async function updatePerson(ctx: AppContext, actor: Actor, id: number, input: Record<string, unknown>): Promise<PersonWithRoles> {
  const v = validate(personInputSchema, input);
  if (!v.ok) throw invalid(v.errors);
  return ctx.db.transaction().execute(async (trx) => {
    const before = await personRepository.find(trx, id);
    if (!before) throw new ServiceError(404, 'not_found', 'error.notFound');
    const errors = await checkPerson(trx, v.data, id);
    if (Object.keys(errors).length) throw invalid(errors);
    await personRepository.update(trx, id, { ...columns(v.data), updated_at: ctx.now() });
    await personRepository.setRoles(trx, id, v.data.roles);
    const after = (await personRepository.find(trx, id))!;
    await audit(trx, ctx, actor, 'update', 'person', id, before, after);
    return after;
  });
}

/** Deactivating ends the person's sessions; their records stay for the reports. */
export async function setPersonActive(ctx: AppContext, actor: Actor, id: number, active: boolean): Promise<void> {
  if (!active && actor?.id === id) throw new ServiceError(409, 'self', 'error.deactivateSelf');
  await ctx.db.transaction().execute(async (trx) => {
    const before = await personRepository.find(trx, id);
    if (!before) throw new ServiceError(404, 'not_found', 'error.notFound');
    if (before.active === active) return;
    await personRepository.update(trx, id, { active, updated_at: ctx.now() });
    // Deactivation ends every session and revokes every API token: reactivation brings back neither.
    const revoked = active ? [] : await apiTokenRepository.revokeAllOf(trx, id, ctx.now());
    if (!active) await sessionRepository.deleteForPerson(trx, id);
    await audit(trx, ctx, actor, active ? 'activate' : 'deactivate', 'person', id, { active: before.active }, { active, ...(revoked.length ? { revoked_api_tokens: revoked.length } : {}) });
  });
}

export function getPerson(ctx: AppContext, id: number) {
  return personRepository.find(ctx.db, id);
}

/**
 * The people directory page: one page of people (as `listPeople` orders them, in the columns the page
 * shows), the number the filters match, and the active units for its unit filter in tree order, all
 * read in one statement. `drawn`: whether a page with this fingerprint is drawn already (then its rows
 * are not read: `rows` and `units` throw).
 */
export async function peopleDirectory(ctx: AppContext, q: Omit<PersonListQuery, 'q' | 'after'> & { q?: string }, drawn?: (fingerprint: string) => boolean) {
  const d = await personRepository.directory(ctx.db, { ...q, q: q.q ? searchKey(q.q) : undefined }, drawn);
  // The rows and the unit tree are made when first read: a page already drawn under this fingerprint
  // (http/fragment-cache.ts) needs neither.
  let read: { rows: PersonDirectoryRow[]; units: (UnitPick & { depth: number })[] } | undefined;
  const parsed = () => {
    if (!read) {
      const r = d.read();
      read = { rows: r.rows, units: unitTree(r.units) };
    }
    return read;
  };
  return {
    total: d.total,
    shown: d.shown,
    fingerprint: d.fingerprint,
    get rows() {
      return parsed().rows;
    },
    get units() {
      return parsed().units;
    },
  };
}

export function listPeople(ctx: AppContext, q: Omit<PersonListQuery, 'q'> & { q?: string }) {
  return personRepository.list(ctx.db, { ...q, q: q.q ? searchKey(q.q) : undefined });
}
