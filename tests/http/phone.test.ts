import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apply } from '../../src/services/application.service.js';
import { addSession, createOffering, createProgramme } from '../../src/services/offering.service.js';
import { getPerson } from '../../src/services/person.service.js';
import { createTestDb, type TestDb, testContext } from '../support/db.js';
import { Agent, appFor, makeUser } from '../support/http.js';
import { toCurrentUser } from '../../src/services/context.js';

// Issue 16 §4: what the phone layout needs from the server's HTML (the browser test at 390×844 checks the rendering).
let tdb: TestDb;
let ctx: ReturnType<typeof testContext>;
let app: ReturnType<typeof appFor>['app'];
let staff: Agent;
let admin: Agent;
let offeringId: number;
let applicationId: number;
let sessionId: number;
const VENUE = '草津市立まちづくりセンター 2階 大会議室';

beforeAll(async () => {
  tdb = await createTestDb();
  ctx = testContext(tdb); // 2026-11-24 10:00 JST: FY2026
  app = appFor(ctx).app;
  const now = ctx.now().getTime();
  const programme = await createProgramme(ctx, null, { name: '協働推進セミナー' });
  const offering = await createOffering(ctx, null, {
    programmeId: programme.id,
    fiscalYear: 2026,
    title: '協働推進セミナー 基礎編',
    selection: 'first_come',
    capacity: 10,
    applicationOpensAt: new Date(now - 86_400_000).toISOString(),
    applicationClosesAt: new Date(now + 86_400_000).toISOString(),
  });
  offeringId = offering.id;
  sessionId = (await addSession(ctx, null, offering.id, { title: '協働の基礎', format: 'lecture', startsAt: '2026-12-10T13:30:00+09:00', endsAt: '2026-12-10T16:30:00+09:00', venue: VENUE, lecturers: '協働推進係長' })).id;
  const s = await makeUser(ctx, ['staff'], { email: 'phone-staff@pref.example.jp', name: '中村 美咲', kana: 'ナカムラ ミサキ' });
  applicationId = (await apply(ctx, toCurrentUser((await getPerson(ctx, s.id))!), offering.id, {})).id;
  staff = new Agent(app);
  await staff.login(s.email);
  const a = await makeUser(ctx, ['admin', 'staff'], { email: 'phone-admin@pref.example.jp', name: '研修 担当', kana: 'ケンシュウ タントウ' });
  admin = new Agent(app);
  await admin.login(a.email);
});
afterAll(() => tdb?.close());

/** The first table of a page with the given class: its column headings and each body cell's data-label. */
function tableOf(html: string, cls = 'data-table--stack') {
  const table = new RegExp(`<table class="[^"]*\\b${cls}\\b[^"]*">([\\s\\S]*?)</table>`).exec(html)?.[1] ?? '';
  const headings = [...(/<thead>([\s\S]*?)<\/thead>/.exec(table)?.[1] ?? '').matchAll(/<th[^>]*>([\s\S]*?)<\/th>/g)].map((m) => m[1].replace(/<[^>]+>/g, '').replace(/[▲▼]/g, '').trim());
  const rows = [...(/<tbody>([\s\S]*?)<\/tbody>/.exec(table)?.[1] ?? '').matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((r) =>
    [...r[1].matchAll(/<td( [^>]*)?>/g)].map((m) => /data-label="([^"]*)"/.exec(m[1] ?? '')?.[1] ?? null),
  );
  return { found: table !== '', headings, rows };
}

describe('phones: the HTML behind the narrow-screen layout', () => {
  it('the main menu is a disclosure (<details>) inside the navigation, so that it folds without JavaScript; in English too', async () => {
    const html = await (await staff.get('/trainings')).text();
    const nav = /<nav class="main-nav" aria-label="メインメニュー">([\s\S]*?)<\/nav>/.exec(html)?.[1] ?? '';
    expect(nav).toMatch(/^<details class="main-nav__menu"[^>]*><summary class="main-nav__toggle">メニュー<\/summary><ul>/);
    expect(nav).not.toMatch(/<details[^>]* open/);
    expect(nav).toContain('href="/trainings"');
    expect(nav).toContain('href="/my/trainings"');
    const english = new Agent(app);
    await english.login('phone-staff@pref.example.jp');
    await english.get('/lang/en?next=/trainings');
    const en = await (await english.get('/trainings')).text();
    expect(en).toMatch(/<nav class="main-nav" aria-label="[^"]+"><details class="main-nav__menu"[^>]*><summary class="main-nav__toggle">Menu<\/summary>/);
  });

  it('the sessions of an offering stack: each cell carries its column heading (会場 included)', async () => {
    const html = await (await staff.get(`/trainings/${offeringId}`)).text();
    const t = tableOf(html);
    expect(t.found).toBe(true);
    expect(t.headings).toEqual(['名称', '日時', '形式', '会場', '講師']);
    expect(t.rows).toEqual([t.headings]);
    expect(html).toContain(`<td data-label="会場">${VENUE}</td>`);
  });

  it('my trainings and the decision notice use the stacking table; the participant code is one element', async () => {
    const mine = tableOf(await (await staff.get('/my/trainings')).text());
    expect(mine.headings).toEqual(['年度', '研修', '状態', '申込日時']);
    expect(mine.rows).toEqual([mine.headings]);
    const notice = await (await staff.get(`/my/applications/${applicationId}`)).text();
    expect(tableOf(notice).headings).toEqual(['名称', '日時', '形式', '会場', '講師']);
    expect(notice).toMatch(/<p class="code">[A-Z0-9]{4}-[A-Z0-9]{4,}<\/p>/);
  });

  it('every list built with DataTable labels its cells with the column headings (the people list)', async () => {
    const t = tableOf(await (await admin.get('/admin/people')).text());
    expect(t.found).toBe(true);
    expect(t.rows.length).toBeGreaterThanOrEqual(2);
    for (const row of t.rows) expect(row).toEqual(t.headings);
  });

  it('the kiosk code field suits a phone keyboard: capitals, no spelling correction, no autofill', async () => {
    const html = await (await admin.get(`/kiosk/sessions/${sessionId}`)).text();
    expect(html).toMatch(/<input id="f-code" name="code" type="text"[^>]* autocomplete="off" autocapitalize="characters" spellcheck="false"/);
  });

  it('the stylesheet stacks those tables and keeps the code whole on screens narrower than 48rem, not on paper', async () => {
    const css = await (await staff.get('/assets/app.css')).text();
    expect(css).toMatch(/\.participant-code \.code, \.code-text \{ white-space: nowrap; \}/);
    expect(css).toMatch(/@media screen and \(max-width: 47\.99rem\) \{[\s\S]*\.data-table--stack > tbody > tr > \[data-label\]::before \{ content: attr\(data-label\)/);
  });
});
