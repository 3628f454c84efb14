import type { Kysely } from 'kysely';
import { z } from 'zod';
import { searchKey } from '../domain/kana.js';
import { unitRepository, type UnitListQuery } from '../db/repositories/unit.repository.js';
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

/**
 * The directory as a flat list in tree order: 部局 each followed by its 課・室,
 * then 市町 (by code), then related agencies; siblings 50音順 by フリガナ.
 */
export async function listUnits(ctx: AppContext, q: UnitListQuery & { q?: string } = {}): Promise<UnitNode[]> {
  const rows = await unitRepository.list(ctx.db, { ...q, q: q.q ? searchKey(q.q) : undefined });
  const byKana = (a: Unit, b: Unit) => (a.kana < b.kana ? -1 : a.kana > b.kana ? 1 : a.id - b.id);
  const ids = new Set(rows.map((r) => r.id));
  const children = new Map<number, typeof rows>();
  for (const r of rows) if (r.parent_id && ids.has(r.parent_id)) children.set(r.parent_id, [...(children.get(r.parent_id) ?? []), r]);
  const roots = rows.filter((r) => !r.parent_id || !ids.has(r.parent_id));
  const kindOrder = { department: 0, division: 1, agency: 2, municipality: 3 } as const;
  roots.sort((a, b) =>
    kindOrder[a.kind] - kindOrder[b.kind] || (a.kind === 'municipality' ? (a.code ?? '').localeCompare(b.code ?? '') : byKana(a, b)),
  );
  const out: UnitNode[] = [];
  const walk = (u: (typeof rows)[number], depth: number) => {
    out.push({ ...u, depth });
    for (const c of (children.get(u.id) ?? []).sort(byKana)) walk(c, depth + 1);
  };
  for (const r of roots) walk(r, 0);
  return out;
}
