import { z } from 'zod';
import { tokyoDateOf } from '../domain/calendar.js';
import { type CoordinatorStatus, coordinatorStatus } from '../domain/completion.js';
import { searchKey, sortByKana } from '../domain/kana.js';
import { coordinatorRepository } from '../db/repositories/coordinator.repository.js';
import { unitRepository } from '../db/repositories/unit.repository.js';
import { optionalText, validate } from '../lib/validation.js';
import { audit } from './audit.service.js';
import { type AppContext, invalid } from './context.js';
import { type CurrentUser } from './context.js';

export interface CoordinatorEntry {
  personId: number;
  name: string;
  kana: string;
  email: string;
  unitName: string | null;
  fields: string[];
  areas: { id: number; name: string }[];
  availability: string;
  introduction: string;
  grantedOn: string;
  validUntil: string | null;
  status: CoordinatorStatus;
}

/** The directory, 50音順; staff see active (and expiring) coordinators, admins may ask for every status. */
export async function coordinatorDirectory(ctx: AppContext, f: { q?: string; field?: string; areaId?: number; statuses?: CoordinatorStatus[] } = {}): Promise<CoordinatorEntry[]> {
  const [rows, units] = await Promise.all([coordinatorRepository.directory(ctx.db), unitRepository.all(ctx.db)]);
  const unitName = new Map(units.map((u) => [u.id, u.name]));
  const today = tokyoDateOf(ctx.now());
  const q = f.q ? searchKey(f.q) : null;
  const statuses = f.statuses ?? ['active', 'expiring'];
  const entries = rows.map((r) => ({
    personId: r.person_id,
    name: r.name,
    kana: r.kana,
    email: r.email,
    unitName: r.unit_name,
    fields: (r.fields as string[] | null) ?? [],
    areas: ((r.area_unit_ids as number[] | null) ?? []).map((id) => ({ id, name: unitName.get(id) ?? '' })),
    availability: r.availability ?? '',
    introduction: r.introduction ?? '',
    grantedOn: r.granted_on,
    validUntil: r.valid_until,
    status: coordinatorStatus(r.valid_until, today),
    key: `${r.search_key}|${searchKey((r.fields as string[] | null)?.join(' ') ?? '')}|${searchKey(r.introduction ?? '')}`,
  }));
  const matched = entries.filter(
    (e) =>
      statuses.includes(e.status) &&
      (!q || e.key.includes(q)) &&
      (!f.field || e.fields.includes(f.field)) &&
      (!f.areaId || e.areas.some((a) => a.id === f.areaId)),
  );
  return sortByKana(matched, (e) => e.kana).map(({ key: _key, ...e }) => e);
}

const profileSchema = z.object({
  fields: z.preprocess(
    (v) => (typeof v === 'string' ? v.split(/[、,，;\s]+/).map((x) => x.trim()).filter(Boolean) : v ?? []),
    z.array(z.string().max(30)).max(20),
  ),
  areas: z.preprocess((v) => (v === undefined || v === '' ? [] : Array.isArray(v) ? v : [v]), z.array(z.coerce.number().int().positive().max(2147483647)).max(50)),
  availability: optionalText(500),
  introduction: optionalText(2000),
});

export async function getCoordinatorProfile(ctx: AppContext, personId: number) {
  const [cert, profile] = await Promise.all([coordinatorRepository.findCertification(ctx.db, personId), coordinatorRepository.findProfile(ctx.db, personId)]);
  return { certification: cert ?? null, profile: profile ?? null };
}

export async function saveCoordinatorProfile(ctx: AppContext, actor: CurrentUser, input: Record<string, unknown>) {
  const v = validate(profileSchema, input);
  if (!v.ok) throw invalid(v.errors);
  await ctx.db.transaction().execute(async (trx) => {
    const before = await coordinatorRepository.findProfile(trx, actor.id);
    const after = {
      person_id: actor.id,
      fields: JSON.stringify(v.data.fields),
      area_unit_ids: JSON.stringify(v.data.areas),
      availability: v.data.availability ?? '',
      introduction: v.data.introduction ?? '',
      updated_at: ctx.now(),
    };
    await coordinatorRepository.saveProfile(trx, after);
    await audit(trx, ctx, actor, before ? 'update' : 'create', 'coordinator_profile', actor.id, before ?? undefined, { ...v.data });
  });
}
