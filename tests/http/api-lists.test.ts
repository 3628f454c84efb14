import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLogRepository } from '../../src/db/repositories/audit-log.repository.js';
import { outboxRepository } from '../../src/db/repositories/outbox.repository.js';
import { personRepository } from '../../src/db/repositories/person.repository.js';
import { createApiToken } from '../../src/services/api-token.service.js';
import { personSearchKey } from '../../src/services/person.service.js';
import { createTestDb, type TestDb, testContext } from '../support/db.js';
import { appFor, makeUser } from '../support/http.js';

let tdb: TestDb;
let ctx: ReturnType<typeof testContext>;
let app: ReturnType<typeof appFor>['app'];
let adminToken: string;
let staffToken: string;
let adminId: number;

// フリガナ from a small alphabet so that many share a prefix and some are equal (ties go by id).
const KANA = ['ア', 'イ', 'ウ', 'カ', 'ガ', 'キ', 'サ', 'ザ', 'ヅ', 'ノ', 'パ', 'ヴ', 'ー'];
const kanaOf = (i: number) => `${KANA[(i * 7) % KANA.length]}${KANA[(i * 3) % KANA.length]}${i % 5 === 0 ? '' : KANA[i % KANA.length]} タロウ`;

beforeAll(async () => {
  tdb = await createTestDb();
  ctx = testContext(tdb);
  app = appFor(ctx).app;
  const admin = await makeUser(ctx, ['admin'], { email: 'lists-admin@pref.example.jp', kana: 'ンン カンリ' });
  adminId = admin.id;
  adminToken = (await createApiToken(ctx, null, admin.id, { name: 'lists' })).token;
  const staff = await makeUser(ctx, ['staff'], { kana: 'ンン ショクイン' });
  staffToken = (await createApiToken(ctx, null, staff.id, { name: 'lists' })).token;
  const now = ctx.now();
  for (let i = 0; i < 248; i++) {
    const name = `名簿 ${i}`;
    const kana = kanaOf(i);
    const email = `list${i}@pref.example.jp`;
    await personRepository.insert(ctx.db, { name, kana, email, staff_number: null, unit_id: null, affiliation: 'prefecture', search_key: personSearchKey({ name, kana, email }), created_at: now, updated_at: now });
  }
});
afterAll(() => tdb.close());

const call = (path: string, token: string | null) => app.request(path.startsWith('http') ? path : `http://kyodo.test${path}`, { headers: token ? { Authorization: `Bearer ${token}` } : {} });

/** Follows `next` from the first page to the last: every page's items, and the links seen. */
async function walk(first: string, token = adminToken) {
  const pages: { items: { id: number; kana?: string }[]; next: string | null; link: string | null }[] = [];
  for (let url: string | null = first; url; ) {
    const res = await call(url, token);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { items: { id: number; kana?: string }[]; next: string | null };
    pages.push({ ...body, link: res.headers.get('Link') });
    url = body.next;
    expect(pages.length).toBeLessThan(100);
  }
  return pages;
}

/** Code-point order, as 50音順 of full-width katakana (COLLATE "C"). */
const byKana = (a: { kana: string; id: number }, b: { kana: string; id: number }) => {
  const [x, y] = [[...a.kana].map((ch) => ch.codePointAt(0)!), [...b.kana].map((ch) => ch.codePointAt(0)!)];
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
  return x.length - y.length || a.id - b.id;
};

describe('GET /api/v1/people with a cursor', () => {
  it('walks 250 people page by page: every one once, in フリガナ order, next null at the end', async () => {
    const pages = await walk('/api/v1/people?limit=37');
    const all = pages.flatMap((p) => p.items) as { id: number; kana: string; name: string }[];
    expect(all).toHaveLength(250);
    expect(new Set(all.map((p) => p.id)).size).toBe(250);
    expect(all.map((p) => p.id)).toEqual([...all].sort(byKana).map((p) => p.id));
    expect(pages).toHaveLength(Math.ceil(250 / 37));
    expect(pages.slice(0, -1).every((p) => p.items.length === 37)).toBe(true);
    expect(pages.at(-1)!.next).toBeNull();
    expect(pages.at(-1)!.link).toBeNull();
    for (const p of pages.slice(0, -1)) expect(p.link).toBe(`<${p.next}>; rel="next"`);
  });

  it('keeps the filters in next, and 100 a page unless asked', async () => {
    const first = await call('/api/v1/people?q=タロウ', adminToken);
    const body = await first.json();
    expect(body.items).toHaveLength(100);
    expect(new URL(body.next).searchParams.get('q')).toBe('タロウ');
    const pages = await walk(body.next);
    expect(body.items.length + pages.flatMap((p) => p.items).length).toBe(248);
  });

  it('still answers page= (deprecated) as before', async () => {
    const res = await call('/api/v1/people?page=3', adminToken);
    const body = await res.json();
    expect(body.page).toBe(3);
    expect(body.total).toBe(250);
    expect(body.items).toHaveLength(50);
    expect(body.next).toBeNull();
  });

  it('refuses a tampered or foreign cursor with 422 naming cursor', async () => {
    const { next } = await (await call('/api/v1/people?limit=10', adminToken)).json();
    const cursor = new URL(next).searchParams.get('cursor')!;
    const audit = Buffer.from(JSON.stringify([null, 5])).toString('base64url');
    const bad = [
      cursor.slice(0, -3),
      `${cursor}x`,
      `${cursor.slice(0, 4)}!${cursor.slice(5)}`,
      `${cursor.slice(0, 6)}${cursor[6] === 'A' ? 'B' : 'A'}${cursor.slice(7)}`,
      Buffer.from(JSON.stringify(['ア', -1])).toString('base64url'),
      Buffer.from('not json').toString('base64url'),
      audit, // the cursor of a list sorted by id alone
    ];
    for (const c of bad) {
      const res = await call(`/api/v1/people?cursor=${encodeURIComponent(c)}`, adminToken);
      expect(res.status, c).toBe(422);
      const body = await res.json();
      expect(Object.keys(body.error.fields)).toEqual(['cursor']);
    }
  });

  it('refuses a limit outside 1–500', async () => {
    for (const limit of ['0', '501', 'x']) {
      const res = await call(`/api/v1/people?limit=${limit}`, adminToken);
      expect(res.status).toBe(422);
      expect(Object.keys((await res.json()).error.fields)).toEqual(['limit']);
    }
  });
});

describe('GET /api/v1/audit', () => {
  beforeAll(async () => {
    const base = new Date('2026-06-01T03:00:00Z').getTime();
    await auditLogRepository.appendMany(
      ctx.db,
      Array.from({ length: 130 }, (_, i) => ({ at: new Date(base + i * 3_600_000), actorId: i % 2 ? adminId : null, action: i % 3 ? 'person.update' : 'unit.create', entity: i % 3 ? 'person' : 'unit', entityId: i, after: { n: i } })),
    );
  });

  it('walks the log newest first with a cursor: every entry once, next null at the end', async () => {
    const pages = await walk('/api/v1/audit?limit=25');
    const ids = pages.flatMap((p) => p.items.map((e) => e.id));
    const total = (await ctx.db.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n;
    expect(ids).toHaveLength(Number(total));
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    expect(pages.at(-1)!.next).toBeNull();
  });

  it('filters by actor, action, entity and days, keeping the filters across pages', async () => {
    const pages = await walk(`/api/v1/audit?limit=10&actor=${adminId}&action=person.update&entity=person&from=2026-06-02&to=2026-06-03`);
    const items = pages.flatMap((p) => p.items) as unknown as { actorId: number; action: string; entity: string; at: string; after: { n: number } }[];
    // Entries i with i odd and i % 3 ≠ 0, written from 2026-06-01 12:00 JST an hour apart: 2–3 June (JST) is i = 12…59.
    const expected = Array.from({ length: 130 }, (_, i) => i).filter((i) => i % 2 && i % 3 && i >= 12 && i < 60);
    expect(items.map((e) => e.after.n)).toEqual(expected.reverse());
    expect(items.every((e) => e.actorId === adminId && e.action === 'person.update' && e.entity === 'person')).toBe(true);
    expect(pages.length).toBe(Math.ceil(expected.length / 10));
  });

  it('refuses a tampered cursor, a cursor with a key, and a day not on the calendar (422 naming the field)', async () => {
    const { next } = await (await call('/api/v1/audit?limit=5', adminToken)).json();
    const cursor = new URL(next).searchParams.get('cursor')!;
    for (const [q, field] of [
      [`cursor=${cursor.slice(1)}`, 'cursor'],
      [`cursor=${Buffer.from(JSON.stringify(['ア', 3])).toString('base64url')}`, 'cursor'],
      ['from=2026-02-30', 'from'],
    ] as const) {
      const res = await call(`/api/v1/audit?${q}`, adminToken);
      expect(res.status).toBe(422);
      expect(Object.keys((await res.json()).error.fields)).toEqual([field]);
    }
  });

  it('is for admins only', async () => {
    expect((await call('/api/v1/audit', staffToken)).status).toBe(403);
    expect((await call('/api/v1/audit', null)).status).toBe(401);
  });
});

describe('GET /api/v1/outbox', () => {
  it('lists queued mail newest first by status, paged by cursor; admins only', async () => {
    const now = ctx.now();
    await outboxRepository.enqueueMany(ctx.db, Array.from({ length: 12 }, (_, i) => ({ to: `m${i}@pref.example.jp`, subject: `件名 ${i}`, body: `本文 ${i}`, now })));
    const pages = await walk('/api/v1/outbox?status=pending&limit=5');
    const items = pages.flatMap((p) => p.items) as unknown as { to: string; status: string; subject: string }[];
    expect(items.map((m) => m.subject)).toEqual(Array.from({ length: 12 }, (_, i) => `件名 ${11 - i}`));
    expect(items.every((m) => m.status === 'pending')).toBe(true);
    expect(pages).toHaveLength(3);
    expect((await (await call('/api/v1/outbox?status=sent', adminToken)).json()).items).toEqual([]);
    expect((await call('/api/v1/outbox', staffToken)).status).toBe(403);
    const bad = await call('/api/v1/outbox?status=lost', adminToken);
    expect(bad.status).toBe(422);
    expect(Object.keys((await bad.json()).error.fields)).toEqual(['status']);
  });
});
