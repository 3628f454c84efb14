import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fiscalYearBounds, fiscalYearOf } from '../../src/domain/calendar.js';
import { listTiles, municipalityMap, saveTiles } from '../../src/services/municipality-map.service.js';
import { loadSampleData } from '../../src/services/sample-data/sample-data.service.js';
import { SAMPLE_MUNICIPALITIES } from '../../src/services/sample-data/organisation.js';
import { ServiceError } from '../../src/services/context.js';
import { createTestDb, type TestDb, TestClock, testContext } from '../support/db.js';
import { makeUser } from '../support/http.js';
import { MAP_INDICATORS } from '../../src/domain/values.js';

let tdb: TestDb;
let ctx: ReturnType<typeof testContext>;
let admin: { id: number };
let municipalities: { id: number; code: string | null; name: string }[];

beforeAll(async () => {
  tdb = await createTestDb();
  // Today is in 令和8年度 (2026).
  ctx = testContext(tdb, { clock: new TestClock(new Date('2026-11-30T01:00:00Z')) });
  admin = await makeUser(ctx, ['admin']);
  await loadSampleData(ctx, admin);
  municipalities = await ctx.db.selectFrom('units').select(['id', 'code', 'name']).where('kind', '=', 'municipality').execute();
}, 180_000);
afterAll(() => tdb.close());

const fy = 2026;
const valueOf = (m: Awaited<ReturnType<typeof municipalityMap>>, name: string) => m.tiles.find((t) => t.name === name)!.value;

describe('the tiles of the sample prefecture (滋賀県)', () => {
  it('has 19 squares, one per 市町, each on its own position, matched to the directory by code', async () => {
    const tiles = await listTiles(ctx);
    expect(tiles).toHaveLength(19);
    expect(new Set(tiles.map((t) => `${t.x},${t.y}`)).size).toBe(19);
    expect(tiles.filter((t) => t.name.endsWith('市'))).toHaveLength(13);
    expect(tiles.filter((t) => t.name.endsWith('町'))).toHaveLength(6);
    // Roughly where they lie: 長浜 north of 大津, 高島 west of 長浜, 甲賀 south of 彦根.
    const at = (n: string) => tiles.find((t) => t.name === n)!;
    expect(at('長浜市').y).toBeLessThan(at('大津市').y);
    expect(at('高島市').x).toBeLessThan(at('長浜市').x);
    expect(at('甲賀市').y).toBeGreaterThan(at('彦根市').y);

    const m = await municipalityMap(ctx, fy, 'coordinators');
    // Every 市町 of the sample directory has its square; the 5 the sample does not list have no figure.
    expect(m.unplaced).toEqual([]);
    for (const [name, , code] of SAMPLE_MUNICIPALITIES) expect(m.tiles.find((t) => t.code === code)?.name).toBe(name);
    expect(m.tiles.filter((t) => t.value === null).map((t) => t.name).sort()).toEqual(['愛荘町', '湖南市', '甲良町', '竜王町', '豊郷町'].sort());
  });
});

describe('per-市町 figures, against hand-counted sample records', () => {
  it('coordinators: staff of the 市町 whose certification stands today', async () => {
    const today = '2026-11-30';
    const certs = await ctx.db
      .selectFrom('coordinator_certifications as cc')
      .innerJoin('people as p', 'p.id', 'cc.person_id')
      .select(['p.unit_id', 'cc.granted_on', 'cc.valid_until', 'cc.revoked_at'])
      .execute();
    const m = await municipalityMap(ctx, fy, 'coordinators');
    let total = 0;
    for (const u of municipalities) {
      const n = certs.filter((c) => c.unit_id === u.id && c.granted_on <= today && (c.valid_until === null || c.valid_until >= today) && c.revoked_at === null).length;
      total += n;
      expect([u.name, valueOf(m, u.name)]).toEqual([u.name, n]);
    }
    expect(total).toBeGreaterThan(0);
  });

  it('field trainings and host partners: held in the year at partners whose areas include the 市町', async () => {
    const partners = await ctx.db.selectFrom('partners').select(['id', 'area_unit_ids']).execute();
    let total = 0;
    for (const year of [2024, 2025, 2026]) {
      const { startUtc, endUtcExclusive } = fiscalYearBounds(year);
      const sessions = (
        await ctx.db
          .selectFrom('offering_sessions as s')
          .innerJoin('offerings as o', 'o.id', 's.offering_id')
          .select(['s.id', 's.host_partner_id', 's.starts_at', 's.ends_at', 'o.cancelled_at'])
          .where('s.format', '=', 'field')
          .execute()
      ).filter((s) => s.cancelled_at === null && s.starts_at >= startUtc && s.starts_at < endUtcExclusive && s.ends_at <= ctx.now());
      const trainings = await municipalityMap(ctx, year, 'fieldTrainings');
      const hosts = await municipalityMap(ctx, year, 'hostPartners');
      for (const u of municipalities) {
        const serving = new Set(partners.filter((p) => p.area_unit_ids.includes(u.id)).map((p) => p.id));
        const held = sessions.filter((s) => s.host_partner_id !== null && serving.has(s.host_partner_id));
        expect([year, u.name, valueOf(trainings, u.name)]).toEqual([year, u.name, held.length]);
        total += held.length;
        expect([year, u.name, valueOf(hosts, u.name)]).toEqual([year, u.name, new Set(held.map((s) => s.host_partner_id)).size]);
      }
    }
    expect(total).toBeGreaterThan(0);
  });

  it('participants: staff of the 市町 who took part in a session held in the three fiscal years up to this one', async () => {
    const from = fiscalYearBounds(fy - 2).startUtc;
    const to = fiscalYearBounds(fy).endUtcExclusive;
    const sessions = (
      await ctx.db
        .selectFrom('offering_sessions as s')
        .innerJoin('offerings as o', 'o.id', 's.offering_id')
        .select(['s.id', 's.offering_id', 's.starts_at', 's.ends_at', 'o.cancelled_at'])
        .execute()
    ).filter((s) => s.cancelled_at === null && s.starts_at >= from && s.starts_at < to && s.ends_at <= ctx.now());
    const attendance = await ctx.db.selectFrom('attendance').select(['session_id', 'application_id', 'status']).execute();
    const apps = await ctx.db.selectFrom('applications').select(['id', 'offering_id', 'person_id', 'status']).execute();
    const people = await ctx.db.selectFrom('people').select(['id', 'unit_id']).execute();
    const took = new Set<number>();
    for (const s of sessions) {
      const marks = attendance.filter((a) => a.session_id === s.id);
      if (marks.length) for (const a of marks.filter((x) => ['present', 'late', 'left_early'].includes(x.status))) took.add(apps.find((x) => x.id === a.application_id)!.person_id);
      else for (const a of apps.filter((x) => x.offering_id === s.offering_id && x.status === 'confirmed')) took.add(a.person_id);
    }
    const m = await municipalityMap(ctx, fy, 'participants');
    let total = 0;
    for (const u of municipalities) {
      const n = people.filter((p) => p.unit_id === u.id && took.has(p.id)).length;
      total += n;
      expect([u.name, valueOf(m, u.name)]).toEqual([u.name, n]);
    }
    expect(total).toBeGreaterThan(0);
  });

  it('consultations served: filed in the year by or for the 市町, taken on or closed', async () => {
    const rows = await ctx.db.selectFrom('consultations').select(['unit_id', 'area_unit_ids', 'status', 'created_at']).execute();
    let total = 0;
    for (const year of [fiscalYearOf(ctx.now()) - 1, fiscalYearOf(ctx.now())]) {
      const { startUtc, endUtcExclusive } = fiscalYearBounds(year);
      const m = await municipalityMap(ctx, year, 'consultationsServed');
      for (const u of municipalities) {
        const n = rows.filter((c) => c.created_at >= startUtc && c.created_at < endUtcExclusive && (c.status === 'in_progress' || c.status === 'closed') && (c.unit_id === u.id || c.area_unit_ids.includes(u.id))).length;
        expect([year, u.name, valueOf(m, u.name)]).toEqual([year, u.name, n]);
        total += n;
      }
    }
    expect(total).toBeGreaterThan(0);
  });

  it('gives every indicator a class to every counted square and the darkest to the largest', async () => {
    for (const indicator of MAP_INDICATORS) {
      const m = await municipalityMap(ctx, fy, indicator);
      const counted = m.tiles.filter((t) => t.value !== null);
      expect(counted).toHaveLength(14);
      const max = Math.max(...counted.map((t) => t.value!));
      expect(m.classes[m.classes.length - 1].max).toBe(max);
    }
  });
});

describe('saveTiles: an admin edits the positions', () => {
  const formOf = (tiles: { code: string; name: string; x: number; y: number }[]) =>
    Object.fromEntries(tiles.flatMap((t, i) => [[`code_${i}`, t.code], [`name_${i}`, t.name], [`x_${i}`, String(t.x)], [`y_${i}`, String(t.y)]]));

  it('swaps two squares, removes one and adds one, all at once, with an audit entry', async () => {
    const tiles = await listTiles(ctx);
    const otsu = tiles.findIndex((t) => t.name === '大津市');
    const kusatsu = tiles.findIndex((t) => t.name === '草津市');
    const form = formOf(tiles);
    form[`x_${otsu}`] = String(tiles[kusatsu].x);
    form[`y_${otsu}`] = String(tiles[kusatsu].y);
    form[`x_${kusatsu}`] = String(tiles[otsu].x);
    form[`y_${kusatsu}`] = String(tiles[otsu].y);
    const taga = tiles.findIndex((t) => t.name === '多賀町');
    form[`remove_${taga}`] = 'on';
    const n = tiles.length;
    Object.assign(form, { [`code_${n}`]: '１３１０１６', [`name_${n}`]: '千代田区', [`x_${n}`]: '9', [`y_${n}`]: '9' });
    // The form's empty row is ignored.
    Object.assign(form, { [`code_${n + 1}`]: '', [`name_${n + 1}`]: ' ', [`x_${n + 1}`]: '', [`y_${n + 1}`]: '' });
    const saved = await saveTiles(ctx, admin, form);
    expect(saved).toHaveLength(19);
    const at = (name: string) => saved.find((t) => t.name === name);
    expect([at('大津市')!.x, at('大津市')!.y]).toEqual([tiles[kusatsu].x, tiles[kusatsu].y]);
    expect([at('草津市')!.x, at('草津市')!.y]).toEqual([tiles[otsu].x, tiles[otsu].y]);
    expect(at('多賀町')).toBeUndefined();
    expect(at('千代田区')).toMatchObject({ code: '131016', x: 9, y: 9 });
    // 多賀町 is in the directory but has no square now: the map lists it apart, with its figure.
    const m = await municipalityMap(ctx, fy, 'participants');
    expect(m.unplaced.map((u) => u.name)).toEqual(['多賀町']);
    expect(m.tiles.find((t) => t.name === '千代田区')!.value).toBeNull();
    const entry = await ctx.db.selectFrom('audit_log').selectAll().where('entity', '=', 'municipality_tiles').orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect(entry.actor_id).toBe(admin.id);
    // Put the sample back for the other tests.
    await saveTiles(ctx, admin, formOf(tiles));
    expect(await listTiles(ctx)).toEqual(tiles);
  });

  it('refuses two squares on one position, a bad code and a position off the grid, naming each row, and saves nothing', async () => {
    const tiles = await listTiles(ctx);
    const form = formOf(tiles);
    form.x_1 = String(tiles[0].x);
    form.y_1 = String(tiles[0].y);
    form.code_2 = '252019'; // wrong check digit
    form.y_3 = '20';
    form.name_4 = '';
    const e = await saveTiles(ctx, admin, form).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ServiceError);
    const err = e as ServiceError;
    expect(err.status).toBe(422);
    expect(err.fields).toEqual({
      x_1: { key: 'map.error.positionTaken' },
      code_2: { key: 'error.lgCode' },
      y_3: { key: 'error.between', params: { min: 0, max: 19 } },
      name_4: { key: 'error.required' },
    });
    expect(await listTiles(ctx)).toEqual(tiles);
  });
});
