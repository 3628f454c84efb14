import { createOffering, createProgramme } from '../../src/services/offering.service.js';
import type { AppContext } from '../../src/services/context.js';

let n = 0;

/** An offering open for applications around the context's clock. */
export async function makeOffering(ctx: AppContext, overrides: Record<string, unknown> = {}) {
  const programme = await createProgramme(ctx, null, { name: `試験研修${++n}` });
  const now = ctx.now().getTime();
  return createOffering(ctx, null, {
    programmeId: programme.id,
    fiscalYear: 2026,
    title: `協働推進セミナー 第${n}回`,
    selection: 'first_come',
    capacity: 3,
    applicationOpensAt: new Date(now - 86_400_000).toISOString(),
    applicationClosesAt: new Date(now + 7 * 86_400_000).toISOString(),
    ...overrides,
  });
}
