import { coordinatorRepository } from '../../src/db/repositories/coordinator.repository.js';
import { personRepository } from '../../src/db/repositories/person.repository.js';
import type { AppContext } from '../../src/services/context.js';
import { makeUser } from './http.js';
import { toCurrentUser } from '../../src/services/context.js';

/** A certified coordinator (who can log in) with expertise fields and areas. */
export async function makeCoordinator(
  ctx: AppContext,
  o: { name: string; kana?: string; email?: string; fields?: string[]; areas?: number[]; validUntil?: string | null; unitId?: number | null; roles?: ('staff' | 'coordinator' | 'admin')[] },
) {
  const p = await makeUser(ctx, o.roles ?? ['staff', 'coordinator'], { name: o.name, kana: o.kana ?? 'コーディネーター', email: o.email, unitId: o.unitId ?? null });
  await coordinatorRepository.saveCertification(ctx.db, { person_id: p.id, granted_on: '2025-12-11', valid_until: o.validUntil === undefined ? '2028-12-10' : o.validUntil, renewed_on: null, certificate_id: null, updated_at: ctx.now() });
  await coordinatorRepository.saveProfile(ctx.db, { person_id: p.id, fields: JSON.stringify(o.fields ?? []), area_unit_ids: JSON.stringify(o.areas ?? []), availability: '', introduction: '', updated_at: ctx.now() });
  return p;
}

/** The CurrentUser of a person, as the http layer would make it. */
export async function userOf(ctx: AppContext, id: number) {
  return toCurrentUser((await personRepository.find(ctx.db, id))!);
}
