import { createApiToken } from '../../src/services/api-token.service.js';
import { loadSampleData } from '../../src/services/sample-data/sample-data.service.js';
import { createTestDb, TestClock, testContext } from './db.js';
import { Agent, appFor, makeUser } from './http.js';

/**
 * A database with the sample data (60 staff) on 30 Nov 2026, 10:00 JST (令和8年度, as the sample
 * records), an administrator signed in with an API token of their own, and a staff member's token.
 * `name` keeps the addresses apart from the sample people's.
 */
export async function sampleDataWorld(name: string) {
  const tdb = await createTestDb();
  const ctx = testContext(tdb, { clock: new TestClock(new Date('2026-11-30T01:00:00Z')) });
  const app = appFor(ctx).app;
  const adminUser = await makeUser(ctx, ['admin', 'staff'], { email: `${name}-admin@pref.example.jp` });
  await loadSampleData(ctx, adminUser, { staff: 60 });
  const admin = new Agent(app);
  await admin.login(adminUser.email);
  const adminToken = (await createApiToken(ctx, null, adminUser.id, { name })).token;
  const staff = await makeUser(ctx, ['staff'], { email: `${name}-staff@pref.example.jp` });
  const staffToken = (await createApiToken(ctx, null, staff.id, { name })).token;
  return { tdb, ctx, app, admin, adminToken, staffToken };
}
