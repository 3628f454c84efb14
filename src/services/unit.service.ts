import type { Kysely } from 'kysely';
import { z } from 'zod';
import { searchKey } from '../domain/kana.js';
import { unitTree } from '../domain/unit-tree.js';
import { unitRepository, type UnitListQuery, type UnitPick } from '../db/repositories/unit.repository.js';
import { type Database, type Unit } from '../db/schema.js';
import { type FieldErrors, kanaField, lgCodeField, optionalId, requiredText, validate } from '../lib/validation.js';
import { audit } from './audit.service.js';
import { type Actor, type AppContext, invalid, ServiceError } from './context.js';
import { normaliseKana } from './person.service.js';
import { UNIT_KINDS } from '../domain/values.js';

export const unitInputSchema = z.object({
  kind: z.enum(UNIT_KINDS),
  parentId: optionalId(),
  name: requiredText(100),
  kana: kanaField(100),
  code: lgCodeField(),
});
export type UnitInput = z.output<typeof unitInputSchema>;

export function unitSearchKey(u: { name: string; kana: string; code?: string | null }): string {
  return [u.name, u.kana, u.code ?? ''].map(searchKey).join('|');
}

/** The tree's rules: 課・室 sit under a 部局; 部局 and 市町 are top level; a 市町 has its code. */
export async function checkUnit(db: Kysely<Database>, u: UnitInput, selfId: number | null): Promise<FieldErrors> {
  const errors: FieldErrors = {};
  if (u.kind === 'division') {
    if (!u.parentId) errors.parentId = { key: 'error.required' };
  }
  if (u.parentId) {
    const parent = await unitRepository.find(db, u.parentId);
    if (!parent) errors.parentId = { key: 'error.unitNotFound' };
    else if (parent.id === selfId || (u.kind === 'division' && parent.kind !== 'department') || u.kind === 'department' || u.kind === 'municipality')
      errors.parentId = { key: 'error.parentKind' };
  }
  if (u.kind === 'municipality' && !u.code) errors.code = { key: 'error.required' };
  if (u.code) {
    const same = await unitRepository.findByCode(db, u.code);
    if (same && same.id !== selfId) errors.code = { key: 'error.codeTaken' };
  }
  return errors;
}

function columns(u: UnitInput) {
  const kana = normaliseKana(u.kana);
  return {
    kind: u.kind,
    parent_id: u.parentId ?? null,
    name: u.name,
    kana,
    code: u.code ?? null,
    search_key: unitSearchKey({ name: u.name, kana, code: u.code }),
  };
}

export async function createUnit(ctx: AppContext, actor: Actor, input: Record<string, unknown>): Promise<Unit> {
  const v = validate(unitInputSchema, input);
  if (!v.ok) throw invalid(v.errors);
  return ctx.db.transaction().execute(async (trx) => {
    const errors = await checkUnit(trx, v.data, null);
    if (Object.keys(errors).length) throw invalid(errors);
    const now = ctx.now();
    const row = await unitRepository.insert(trx, { ...columns(v.data), created_at: now, updated_at: now });
    await audit(trx, ctx, actor, 'create', 'unit', row.id, undefined, row);
    return row;
  });
}

export async function updateUnit(ctx: AppContext, actor: Actor, id: number, input: Record<string, unknown>): Promise<Unit> {
  const v = validate(unitInputSchema, input);
  if (!v.ok) throw invalid(v.errors);
  return ctx.db.transaction().execute(async (trx) => {
    const before = await unitRepository.find(trx, id);
    if (!before) throw new ServiceError(404, 'not_found', 'error.notFound');
    const errors = await checkUnit(trx, v.data, id);
    if (Object.keys(errors).length) throw invalid(errors);
    const after = await unitRepository.update(trx, id, { ...columns(v.data), updated_at: ctx.now() });
    await audit(trx, ctx, actor, 'update', 'unit', id, before, after);
    return after;
  });
}

export async function setUnitActive(ctx: AppContext, actor: Actor, id: number, active: boolean): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    const before = await unitRepository.find(trx, id);
    if (!before) throw new ServiceError(404, 'not_found', 'error.notFound');
    if (before.active === active) return;
    await unitRepository.update(trx, id, { active, updated_at: ctx.now() });
    await audit(trx, ctx, actor, active ? 'activate' : 'deactivate', 'unit', id, { active: before.active }, { active });
  });
}

export function getUnit(ctx: AppContext, id: number) {
  return unitRepository.find(ctx.db, id);
}

export type UnitNode = Unit & { people_count: number; depth: number };
/** A unit of a pick list, in tree order with its depth (the label is indented by it). */
export type UnitPickNode = UnitPick & { depth: number };

/** The directory as a flat list in tree order (`unitTree`): 部局 each followed by its 課・室, then related agencies, then 市町 (by code); siblings 50音順 by フリガナ. */
export async function listUnits(ctx: AppContext, q: UnitListQuery & { q?: string } = {}): Promise<UnitNode[]> {
  const rows = await unitRepository.list(ctx.db, { ...q, q: q.q ? searchKey(q.q) : undefined });
  return unitTree(rows);
}

/** The active units for a pick list (a unit filter, a person's unit), in tree order: what `listUnits(ctx, { activeOnly: true, counts: false })` gives, in the columns a pick list needs. */
export async function listUnitPicks(ctx: AppContext): Promise<UnitPickNode[]> {
  return unitTree(await unitRepository.picks(ctx.db));
}
