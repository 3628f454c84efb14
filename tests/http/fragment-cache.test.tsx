// The dashboard and the people directory keep their drawn bodies under a key naming every input
// (http/fragment-cache.ts): a change to any of those inputs must show on the very next view.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fiscalYearOf } from '../../src/domain/calendar.js';
import { fragmentCache } from '../../src/http/fragment-cache.js';
import { fiscalYearKpis } from '../../src/services/report.service.js';
import { loadSampleData } from '../../src/services/sample-data/sample-data.service.js';
import { createTestDb, type TestDb, testContext } from '../support/db.js';
import { Agent, appFor, makeUser } from '../support/http.js';

describe('fragmentCache', () => {
  it('draws a key once, again after any other key, and forgets the least recently used past its size', () => {
    const cache = fragmentCache(2);
    const drawn: string[] = [];
    const view = (key: string) => String(cache(key, () => (drawn.push(key), <p>{key} &amp; more</p>)));
    expect(view('a')).toBe('<p>a &amp; more</p>');
    expect(view('a')).toBe('<p>a &amp; more</p>');
    view('b');
    view('a'); // a is now the most recently used
    view('c'); // forgets b
    view('a');
    view('b');
    expect(drawn).toEqual(['a', 'b', 'c', 'b']);
  });

  it('peek gives a kept fragment (and keeps it as the most recently used), nothing for an unknown key', () => {
    const cache = fragmentCache(2);
    const drawn: string[] = [];
    cache('a', () => (drawn.push('a'), <p>a</p>));
    cache('b', () => (drawn.push('b'), <p>b</p>));
    expect(cache.peek('x')).toBeUndefined();
    expect(String(cache.peek('a'))).toBe('<p>a</p>');
    cache('c', () => (drawn.push('c'), <p>c</p>)); // forgets b, not a
    cache('a', () => (drawn.push('a'), <p>a</p>));
    expect(cache.peek('b')).toBeUndefined();
    expect(drawn).toEqual(['a', 'b', 'c']);
  });

  it('refuses a view that renders asynchronously (it would keep "[object Promise]")', () => {
    const cache = fragmentCache(2);
    const Later = async () => <p>later</p>;
    expect(() => cache('x', () => <Later />)).toThrow(/synchronously/);
  });
});

describe('pages drawn from the fragment cache', () => {
  let tdb: TestDb;
  let ctx: ReturnType<typeof testContext>;
  let admin: Agent;

  beforeAll(async () => {
    tdb = await createTestDb();
    ctx = testContext(tdb);
    const a = await makeUser(ctx, ['admin'], { email: 'fragments@pref.example.jp' });
    await loadSampleData(ctx, a);
    admin = new Agent(appFor(ctx).app);
    await admin.login(a.email);
  }, 60_000);
  afterAll(() => tdb.close());

  /** The figure the dashboard's KPI table shows on the row labelled `label`. */
  const shownFigure = (html: string, label: string) => html.match(new RegExp(`<th[^>]*>${label}</th>\\s*<td[^>]*>([^<]*)</td>`))?.[1];

  it('the dashboard shows a changed attendance on the next view, in each language', async () => {
    const fy = fiscalYearOf(ctx.now()) - 1;
    const before = await fiscalYearKpis(ctx, fy);
    const page = async (lang: 'ja' | 'en') => {
      await admin.get(`/lang/${lang}?next=/`);
      return (await admin.get(`/admin/reports?fy=${fy}`)).text();
    };
    expect(shownFigure(await page('ja'), '延べ参加者数')).toBe(String(before.attendances));
    expect(shownFigure(await page('ja'), '延べ参加者数')).toBe(String(before.attendances));
    // One person marked absent at one held session of that year.
    const marked = await sql<{ n: number }>`
      WITH one AS (
        SELECT a.session_id, a.application_id FROM attendance a JOIN offering_sessions s ON s.id = a.session_id
        WHERE a.status = 'present' AND s.starts_at >= ${new Date(`${fy}-04-01T00:00:00+09:00`)} AND s.ends_at < ${ctx.now()}
        ORDER BY a.session_id, a.application_id LIMIT 1)
      UPDATE attendance a SET status = 'absent' FROM one WHERE a.session_id = one.session_id AND a.application_id = one.application_id
      RETURNING 1 AS n`.execute(tdb.db);
    expect(marked.rows).toHaveLength(1);
    const after = await fiscalYearKpis(ctx, fy);
    expect(after.attendances).toBe(before.attendances - 1);
    expect(shownFigure(await page('ja'), '延べ参加者数')).toBe(String(after.attendances));
    // The same figures in English are another fragment, not the Japanese one.
    expect(shownFigure(await page('en'), 'Attendances \\(total\\)')).toBe(String(after.attendances));
    expect(shownFigure(await page('ja'), '延べ参加者数')).toBe(String(after.attendances));
  });

  it('the people directory shows a renamed person and a renamed unit on the next view, and each language its own', async () => {
    const first = await (await admin.get('/admin/people')).text();
    const row = await tdb.db.selectFrom('people').innerJoin('units', 'units.id', 'people.unit_id').select(['people.id', 'people.name', 'units.id as unitId', 'units.name as unitName']).where('people.active', '=', true).orderBy(sql`people.kana COLLATE "C"`).orderBy('people.id').executeTakeFirstOrThrow();
    expect(first).toContain(row.name);
    expect(await (await admin.get('/admin/people')).text()).toBe(first);
    await tdb.db.updateTable('people').set({ name: '改名 後子' }).where('id', '=', row.id).execute();
    const renamed = await (await admin.get('/admin/people')).text();
    expect(renamed).toContain('改名 後子');
    await tdb.db.updateTable('units').set({ name: '新名称課' }).where('id', '=', row.unitId).execute();
    expect(await (await admin.get('/admin/people')).text()).toContain('新名称課');
    await admin.get('/lang/en?next=/');
    expect(await (await admin.get('/admin/people')).text()).toMatch(/<th[^>]*>(<a[^>]*>)?Unit/);
    await admin.get('/lang/ja?next=/');
    expect(await (await admin.get('/admin/people')).text()).toMatch(/<th[^>]*>(<a[^>]*>)?所属</);
  });
});
