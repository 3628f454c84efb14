// 受講申込み's calendar feed: its URL is made when the person asks (a POST), not by viewing the page, so
// that nothing is recorded as done before it was done; making a new one asks first (the old URL dies).
import ICAL from 'ical.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, type TestDb, testContext } from '../support/db.js';
import { Agent, appFor, makeUser } from '../support/http.js';

let tdb: TestDb;
let ctx: ReturnType<typeof testContext>;
let app: ReturnType<typeof appFor>['app'];
beforeAll(async () => {
  tdb = await createTestDb();
  ctx = testContext(tdb);
  app = appFor(ctx).app;
});
afterAll(() => tdb.close());

const audited = async (personId: number) =>
  (await tdb.db.selectFrom('audit_log').select('action').where('entity', '=', 'person').where('entity_id', '=', String(personId)).where('action', 'like', 'calendar_token%').execute()).map((r) => r.action);
const feedUrlIn = (html: string) => /<code class="token">([^<]+)<\/code>/.exec(html)?.[1] ?? null;

describe('the calendar feed on 受講申込み', () => {
  it('is not made by looking at the page; made on request, shown after, and renewed only when confirmed', async () => {
    const u = await makeUser(ctx, ['staff']);
    const a = new Agent(app);
    await a.login(u.email);
    const first = await (await a.get('/my/trainings')).text();
    expect(feedUrlIn(first)).toBeNull();
    expect(first).toContain('購読用URLを作る');
    expect(await audited(u.id)).toEqual([]);
    expect((await tdb.db.selectFrom('people').select('calendar_token').where('id', '=', u.id).executeTakeFirstOrThrow()).calendar_token).toBeNull();

    const made = await a.post('/my/calendar-feed', {});
    expect(made.status).toBe(303);
    const page = await (await a.get(made.headers.get('location')!)).text();
    expect(page).toContain('購読用URLを作りました');
    const url = feedUrlIn(page)!;
    expect(url).toMatch(/\/calendar\/[^/]+\.ics$/);
    expect(await audited(u.id)).toEqual(['calendar_token_created']);
    // The feed answers, as a calendar a reader can parse; viewing again changes nothing.
    const ics = await new Agent(app).get(new URL(url).pathname);
    expect(ics.status).toBe(200);
    expect(new ICAL.Component(ICAL.parse(await ics.text())).name).toBe('vcalendar');
    expect(feedUrlIn(await (await a.get('/my/trainings')).text())).toBe(url);

    // A new URL only when confirmed; the old one then stops working.
    const unconfirmed = await a.post('/my/calendar-feed', { renew: '1' });
    expect(await (await a.get(unconfirmed.headers.get('location')!)).text()).toContain('URLは作り直していません');
    expect(feedUrlIn(await (await a.get('/my/trainings')).text())).toBe(url);
    const renewed = await a.post('/my/calendar-feed', { renew: '1', confirm: 'yes' });
    const after = await (await a.get(renewed.headers.get('location')!)).text();
    const next = feedUrlIn(after)!;
    expect(next).not.toBe(url);
    expect((await new Agent(app).get(new URL(url).pathname)).status).toBe(404);
    expect((await new Agent(app).get(new URL(next).pathname)).status).toBe(200);
    expect(await audited(u.id)).toEqual(['calendar_token_created', 'calendar_token_renewed']);
  });
});
