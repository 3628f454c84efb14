import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { up } from '../../src/db/migrations/20261130T2001-certifications-without-certificate.js';
import { createProgramme } from '../../src/services/offering.service.js';
import { createTestDb, type TestDb, testContext } from '../support/db.js';
import { makeUser } from '../support/http.js';

/**
 * Decision 0030 for what was recorded before it: a certification whose course certificate was revoked
 * (none standing) is revoked by the migration, with its role and an audit entry; the others are left.
 */
let tdb: TestDb;
let ctx: ReturnType<typeof testContext>;
beforeAll(async () => {
  tdb = await createTestDb();
  ctx = testContext(tdb);
});
afterAll(() => tdb.close());

let n = 0;
async function holder(course: { programmeId: number; revoked: boolean }[]) {
  const p = await makeUser(ctx, ['staff', 'coordinator'], { email: `repair${++n}@pref.example.jp` });
  let last: number | null = null;
  for (const c of course) {
    const cert = await tdb.db
      .insertInto('certificates')
      .values({ number: `R-${n}-${last ?? 0}`, verification_code: `${n}`.padStart(24, '0') + `${last ?? 0}`, application_id: null, person_id: p.id, programme_id: c.programmeId, title: '養成講座', completed_on: '2025-02-01', issued_at: new Date('2025-02-01T03:00:00Z'), revoked_at: c.revoked ? new Date('2026-06-01T00:00:00Z') : null, revoke_reason: c.revoked ? '誤って発行' : null })
      .returning('id')
      .executeTakeFirstOrThrow();
    last = cert.id;
  }
  await tdb.db.insertInto('coordinator_certifications').values({ person_id: p.id, granted_on: '2025-02-01', valid_until: '2028-03-31', renewed_on: null, certificate_id: last, updated_at: new Date('2025-02-01T03:00:00Z') }).execute();
  return p.id;
}
const state = async (personId: number) => ({
  revoked: (await tdb.db.selectFrom('coordinator_certifications').select('revoked_at').where('person_id', '=', personId).executeTakeFirstOrThrow()).revoked_at !== null,
  roles: (await tdb.db.selectFrom('person_roles').select('role').where('person_id', '=', personId).orderBy('role').execute()).map((r) => r.role),
  audits: await tdb.db.selectFrom('audit_log').select(['action', 'actor_id', 'before', 'after']).where('entity', '=', 'coordinator_certification').where('entity_id', '=', String(personId)).execute(),
});

describe('migration 20261130T2001: certifications whose course certificate was revoked', () => {
  it('revokes those with no standing course certificate (role removed, audited) and leaves every other one', async () => {
    const course = (await createProgramme(ctx, null, { name: '協働コーディネーター養成講座（修復）', kind: 'coordinator_course', firstFiscalYear: 2020 })).id;
    const lost = await holder([{ programmeId: course, revoked: true }]);
    const standing = await holder([{ programmeId: course, revoked: false }]);
    const second = await holder([
      { programmeId: course, revoked: true },
      { programmeId: course, revoked: false },
    ]);
    const recordedOtherwise = await holder([]);

    await up(tdb.db);
    await up(tdb.db); // again: nothing more

    const after = await state(lost);
    expect(after.revoked).toBe(true);
    expect(after.roles).toEqual(['staff']);
    expect(after.audits).toHaveLength(1);
    expect(after.audits[0]).toMatchObject({ action: 'revoke', actor_id: null, before: { revoked_at: null, roles: ['coordinator', 'staff'] }, after: { roles: ['staff'] } });
    expect((after.audits[0].after as { revoked_at: string | null }).revoked_at).not.toBeNull();
    for (const id of [standing, second, recordedOtherwise]) expect(await state(id)).toEqual({ revoked: false, roles: ['coordinator', 'staff'], audits: [] });
    // The directory's and the dashboard's source: one standing certification fewer.
    const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM coordinator_certifications WHERE person_id IN (${sql.join([lost, standing, second, recordedOtherwise])}) AND revoked_at IS NULL`.execute(tdb.db);
    expect(rows[0].n).toBe(3);
  });
});
