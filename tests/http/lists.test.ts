// Lists that grow with the years are sorted, searched and paged in the database (issue 18 §2): the
// person list, the audit log, the outbox, partners and an offering's applicants. Each test reads the
// pages as a user does (links, rows, the count shown) and checks them against the records.
import { type KyselyPlugin, type PluginTransformQueryArgs, type PluginTransformResultArgs, type QueryResult, type RootOperationNode, sql, type UnknownRow } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLogRepository } from '../../src/db/repositories/audit-log.repository.js';
import { outboxRepository } from '../../src/db/repositories/outbox.repository.js';
import { searchKey } from '../../src/domain/kana.js';
import { createPartner } from '../../src/services/partner.service.js';
import { personSearchKey } from '../../src/services/person.service.js';
import { createTestDb, type TestDb, testContext } from '../support/db.js';
import { Agent, appFor, makeUser } from '../support/http.js';

let tdb: TestDb;
let ctx: ReturnType<typeof testContext>;
let admin: Agent;
let adminId: number;

/** Records how many rows each statement returned. */
class RowCounter implements KyselyPlugin {
  counts: number[] = [];
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    return args.node;
  }
  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    this.counts.push(args.result.rows.length);
    return args.result;
  }
}

const FAMILY = ['アオキ', 'イトウ', 'ウエダ', 'オオタ', 'カトウ', 'サトウ', 'スズキ', 'タナカ', 'ナカムラ', 'ヤマダ'];
interface Row {
  id: number;
  kana: string;
  staff: string;
}
let people: Row[] = [];

beforeAll(async () => {
  tdb = await createTestDb();
  ctx = testContext(tdb);
  const u = await makeUser(ctx, ['admin', 'staff'], { email: 'lists-admin@pref.example.jp', name: '一覧 管理', kana: 'イチラン カンリ' });
  adminId = u.id;
  admin = new Agent(appFor(ctx).app);
  await admin.login(u.email);
  // 999 more people (1,000 in all): ten family names, so that many share a フリガナ (ties broken by id).
  const rows = Array.from({ length: 999 }, (_, i) => {
    const kana = `${FAMILY[i % 10]} ${i % 3 ? 'ハナコ' : 'タロウ'}`;
    const staff = `K${String(i + 1).padStart(5, '0')}`;
    const email = `list${i + 1}@pref.example.jp`;
    const name = `一覧 職員${i + 1}`;
    return { name, kana, email, staff_number: staff, affiliation: 'prefecture' as const, search_key: personSearchKey({ name, kana, email, staff_number: staff }), created_at: new Date(), updated_at: new Date() };
  });
  const inserted = await ctx.db.insertInto('people').values(rows).returning(['id', 'kana', 'staff_number']).execute();
  await ctx.db.insertInto('person_roles').values(inserted.map((p) => ({ person_id: p.id, role: 'staff' as const }))).execute();
  people = [{ id: u.id, kana: 'イチラン カンリ', staff: '' }, ...inserted.map((p) => ({ id: p.id, kana: p.kana, staff: p.staff_number! }))];
});
afterAll(() => tdb.close());

/** The people on a page of the list, in order: their ids (from the links) and フリガナ. */
const listed = (html: string) => [...html.matchAll(/<a href="\/admin\/people\/(\d+)">[^<]*<\/a><br\/?><span class="kana">([^<]*)<\/span>/g)].map((m) => ({ id: Number(m[1]), kana: m[2] }));
/** 50音順 as the app sorts: code points of the katakana, then id; `dir` reverses both. */
const byKana = (dir: 'asc' | 'desc') => (a: Row, b: Row) => (dir === 'asc' ? 1 : -1) * (a.kana < b.kana ? -1 : a.kana > b.kana ? 1 : a.id - b.id);

describe('the person list, paged in the database', () => {
  it('reads one page: 1,000 people, a page of 50, and the total says 1,000', async () => {
    const counter = new RowCounter();
    const app = appFor({ ...ctx, db: ctx.db.withPlugin(counter) }).app;
    const agent = new Agent(app);
    agent.cookies = new Map(admin.cookies);
    const html = await (await agent.get('/admin/people')).text();
    expect(listed(html)).toHaveLength(50);
    expect(html).toContain('1000名');
    expect(html).toContain('1 / 20 ページ（全1000件）');
    // No statement brought more than one page of rows into the app.
    expect(Math.max(...counter.counts)).toBeLessThanOrEqual(50);
  });

  it('gives page 2 sorted by フリガナ descending, ties in id order, as the records say', async () => {
    const html = await (await admin.get('/admin/people?sort=kana&dir=desc&page=2')).text();
    const expected = [...people].sort(byKana('desc')).slice(50, 100);
    expect(listed(html).map((p) => p.id)).toEqual(expected.map((p) => p.id));
    expect(html).toContain('aria-sort="descending"');
    // The pager keeps the sort.
    expect(html).toMatch(/href="\/admin\/people\?[^"]*sort=kana[^"]*dir=desc[^"]*page=3"/);
  });

  it('shows every person exactly once across the pages, in both directions (a stable order with ties)', async () => {
    for (const dir of ['asc', 'desc'] as const) {
      const seen: number[] = [];
      for (let page = 1; page <= 20; page++) seen.push(...listed(await (await admin.get(`/admin/people?sort=kana&dir=${dir}&page=${page}`)).text()).map((p) => p.id));
      expect(seen).toEqual([...people].sort(byKana(dir)).map((p) => p.id));
    }
  });

  it('finds by 職員番号 (also typed in full width) and by フリガナ typed in hiragana', async () => {
    const one = listed(await (await admin.get(`/admin/people?q=${encodeURIComponent('Ｋ００４２１')}`)).text());
    expect(one.map((p) => p.id)).toEqual([people.find((p) => p.staff === 'K00421')!.id]);
    const html = await (await admin.get(`/admin/people?q=${encodeURIComponent('たなか はなこ')}`)).text();
    const expected = people.filter((p) => p.kana === 'タナカ ハナコ').sort(byKana('asc'));
    expect(html).toContain(`${expected.length}名`);
    expect(listed(html).map((p) => p.id)).toEqual(expected.slice(0, 50).map((p) => p.id));
  });

  it('keeps the count of active people right through inserts, deactivations and deletions', async () => {
    const counted = async () => Number((await sql<{ n: number }>`SELECT count(*)::int AS n FROM people WHERE active`.execute(ctx.db)).rows[0].n);
    const shown = async () => Number(/(\d+)名/.exec(await (await admin.get('/admin/people')).text())![1]);
    expect(await shown()).toBe(await counted());
    const [a, b] = people.slice(-2);
    await ctx.db.updateTable('people').set({ active: false }).where('id', 'in', [a.id, b.id]).execute();
    expect(await shown()).toBe(await counted());
    expect(await shown()).toBe(998);
    await ctx.db.updateTable('people').set({ name: '一覧 変更' }).where('id', '=', a.id).execute();
    await ctx.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('person_roles').where('person_id', '=', b.id).execute();
      await trx.deleteFrom('people').where('id', '=', b.id).execute();
    });
    await ctx.db.updateTable('people').set({ active: true }).where('id', '=', a.id).execute();
    expect(await shown()).toBe(await counted());
    expect(await shown()).toBe(999);
    people = people.filter((p) => p.id !== b.id);
  });
});

describe('the audit log, filtered and paged in the database', () => {
  it('filters by kind of record, action, who acted and date, newest first, 50 a page', async () => {
    const at = (d: string) => new Date(`${d}T03:00:00Z`);
    const actor = people[5];
    const records = [
      ...Array.from({ length: 60 }, (_, i) => ({ at: at('2026-04-10'), actorId: actor.id, action: 'update', entity: 'person', entityId: 9000 + i })),
      ...Array.from({ length: 5 }, (_, i) => ({ at: at('2026-05-20'), actorId: adminId, action: 'create', entity: 'partner', entityId: 9100 + i })),
      { at: at('2026-06-01'), actorId: actor.id, action: 'delete', entity: 'person', entityId: 9200 },
    ];
    await auditLogRepository.appendMany(ctx.db, records);
    const entries = (html: string) => [...html.matchAll(/<time datetime="([^"]+)"/g)].map((m) => m[1]);
    const staff = encodeURIComponent(actor.staff);
    // Who acted, found by staff number: 61 entries, 50 on the first page, 11 on the second.
    const p1 = await (await admin.get(`/admin/audit?actorQ=${staff}`)).text();
    expect(entries(p1)).toHaveLength(50);
    expect(p1).toContain('1 / 2 ページ（全61件）');
    expect(entries(p1)[0]).toBe(at('2026-06-01').toISOString());
    const p2 = await (await admin.get(`/admin/audit?actorQ=${staff}&page=2`)).text();
    expect(entries(p2)).toHaveLength(11);
    // With an action and a kind of record.
    expect(entries(await (await admin.get(`/admin/audit?actorQ=${staff}&action=delete&entity=person`)).text())).toHaveLength(1);
    expect(entries(await (await admin.get('/admin/audit?entity=partner&action=create')).text())).toHaveLength(5);
    // By date (Tokyo days, both ends included).
    const may = await (await admin.get('/admin/audit?from=2026-05-01&to=2026-05-31')).text();
    expect(entries(may)).toEqual(Array(5).fill(at('2026-05-20').toISOString()));
    // The filter lists the actions and kinds present in the log.
    expect(p1).toMatch(/<option value="delete"/);
    expect(p1).toMatch(/<option value="partner"/);
  });

  it('counts a long log only so far, and still pages through it', async () => {
    const { rows, total, more } = await auditLogRepository.list(ctx.db, { entity: 'person' }, { limit: 50, offset: 0, countUpTo: 20 });
    expect(rows).toHaveLength(50);
    expect(more).toBe(true);
    expect(total).toBe(20);
    const exact = await auditLogRepository.list(ctx.db, { entity: 'partner', action: 'create' }, { limit: 50, offset: 0, countUpTo: 20 });
    expect([exact.total, exact.more]).toEqual([5, false]);
  });
});

describe('the outbox, paged and filtered in the database', () => {
  it('shows one status, newest first, 20 a page', async () => {
    const now = new Date();
    await outboxRepository.enqueueMany(ctx.db, Array.from({ length: 25 }, (_, i) => ({ to: `out${i}@pref.example.jp`, subject: `件名${i}`, body: '本文', now })));
    const html = await (await admin.get('/admin/outbox?status=pending')).text();
    expect([...html.matchAll(/<article class="mail">/g)]).toHaveLength(20);
    expect(html.indexOf('件名24')).toBeLessThan(html.indexOf('件名23'));
    expect(html).toMatch(/href="\/admin\/outbox\?status=pending&amp;page=2"|href="\/admin\/outbox\?status=pending&page=2"/);
    expect(await (await admin.get('/admin/outbox?status=failed')).text()).toContain('該当するメールはありません。');
  });
});

describe('partners, sorted and paged in the database', () => {
  it('pages 50音順 both ways and sorts by type', async () => {
    const kinds = ['npo', 'company', 'community'] as const;
    for (let i = 0; i < 55; i++) await createPartner(ctx, { id: adminId }, { name: `一覧団体${i}`, kana: `${FAMILY[i % 10]}ダンタイ`, type: kinds[i % 3] });
    const names = (html: string) => [...html.matchAll(/<a href="\/admin\/partners\/(\d+)">[^<]*<\/a><br\/?><span class="kana">([^<]*)<\/span>/g)].map((m) => ({ id: Number(m[1]), kana: m[2] }));
    const all = await ctx.db.selectFrom('partners').select(['id', 'kana', 'type']).where('active', '=', true).execute();
    const expected = all.map((p) => ({ id: p.id, kana: p.kana, staff: '' })).sort(byKana('desc'));
    const p2 = await (await admin.get('/admin/partners?sort=kana&dir=desc&page=2')).text();
    expect(names(p2).map((p) => p.id)).toEqual(expected.slice(50).map((p) => p.id));
    expect(p2).toContain(`2 / 2 ページ（全${all.length}件）`);
    const byType = names(await (await admin.get('/admin/partners?sort=type')).text());
    const order = ['community', 'npo', 'voluntary', 'company', 'university', 'other'];
    const types = byType.map((p) => all.find((x) => x.id === p.id)!.type);
    expect(types.map((x) => order.indexOf(x))).toEqual([...types.map((x) => order.indexOf(x))].sort((a, b) => a - b));
    // A search narrows in the database too.
    expect(names(await (await admin.get(`/admin/partners?q=${encodeURIComponent(searchKey('タナカ'))}`)).text())).toHaveLength(all.filter((p) => p.kana.startsWith('タナカ')).length);
  });
});
