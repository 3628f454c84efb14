import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fiscalYearBounds } from '../../src/domain/calendar.js';
import { EVENT_DATASET_COLUMNS } from '../../src/domain/report.js';
import { decodeCsvBytes, parseCsv } from '../../src/lib/csv.js';
import { readXlsx } from '../../src/lib/xlsx.js';
import { fiscalYearKpis } from '../../src/services/report.service.js';
import { loadSampleData } from '../../src/services/sample-data/sample-data.service.js';
import { createUnit } from '../../src/services/unit.service.js';
import { createTestDb, type TestDb, testContext } from '../support/db.js';
import { Agent, appFor, makeUser } from '../support/http.js';

let tdb: TestDb;
let ctx: ReturnType<typeof testContext>;
let app: ReturnType<typeof appFor>['app'];
let admin: Agent;

beforeAll(async () => {
  tdb = await createTestDb();
  ctx = testContext(tdb);
  app = appFor(ctx).app;
  const a = await makeUser(ctx, ['admin'], { email: 'reports-admin@pref.example.jp' });
  await loadSampleData(ctx, a);
  admin = new Agent(app);
  await admin.login(a.email);
}, 60_000);
afterAll(() => tdb.close());

/** The people who took part in held sessions of a fiscal year, counted the plain way: session by session in JavaScript. */
async function participantsByHand(fy: number) {
  const { startUtc, endUtcExclusive } = fiscalYearBounds(fy);
  const sessions = await ctx.db.selectFrom('offering_sessions').selectAll().where('starts_at', '>=', startUtc).where('starts_at', '<', endUtcExclusive).where('ends_at', '<=', ctx.now()).execute();
  const people = new Set<number>();
  let attendances = 0;
  for (const s of sessions) {
    const marks = await ctx.db.selectFrom('attendance').innerJoin('applications', 'applications.id', 'attendance.application_id').select(['applications.person_id', 'attendance.status']).where('session_id', '=', s.id).execute();
    const here = marks.length
      ? marks.filter((m) => ['present', 'late', 'left_early'].includes(m.status)).map((m) => m.person_id)
      : (await ctx.db.selectFrom('applications').select('person_id').where('offering_id', '=', s.offering_id).where('status', '=', 'confirmed').execute()).map((a) => a.person_id);
    attendances += here.length;
    for (const p of here) people.add(p);
  }
  return { sessions, people, attendances };
}

describe('KPIs per fiscal year', () => {
  it('令和7年度 (2025) from the sample records matches a count done by hand, and the API gives the same figures', async () => {
    const k = await fiscalYearKpis(ctx, 2025);
    const byHand = await participantsByHand(2025);
    expect(k.fieldTrainingsHeld).toBe(byHand.sessions.filter((s) => s.format === 'field').length);
    expect(k.fieldTrainingsHeld).toBe(3);
    expect(k.seminarsHeld).toBe(1);
    expect(k.courseSessionsHeld).toBe(6);
    expect(k.participantsTotal).toBe(byHand.people.size);
    expect(k.attendances).toBe(byHand.attendances);
    const aff = await ctx.db.selectFrom('people').select(['id', 'affiliation', 'unit_id']).where('id', 'in', [...byHand.people]).execute();
    expect(k.participants.prefecture).toBe(aff.filter((p) => p.affiliation === 'prefecture').length);
    expect(k.participants.municipality).toBe(aff.filter((p) => p.affiliation === 'municipality').length);
    expect(k.unitsReached).toBe(new Set(aff.map((p) => p.unit_id).filter((u) => u !== null)).size);
    // The 2025 coordinator cohort: 10 of 12 completed and were certified in the year.
    expect(k.coordinators.newlyCertified).toBe(10);
    expect(k.coordinators.cumulative).toBe(68); // 28 from 平成23〜26年度, 40 from 令和3〜7年度
    // Certificates count in the year of completion, not the year their rows were written (today).
    expect(k.certificatesIssued).toBe(10);
    for (const fy of [2011, 2012, 2013, 2014, 2021, 2023, 2024, 2025, 2026]) {
      const y = await fiscalYearKpis(ctx, fy);
      expect(y.certificatesIssued, `FY${fy}`).toBe(y.completions);
    }
    expect((await fiscalYearKpis(ctx, 2011)).certificatesIssued).toBeGreaterThan(0);
    expect(k.surveys.find((s) => s.item === 'satisfaction')!.mean).toBeGreaterThan(3);
    expect(k.competencyChange.every((c) => (c.meanChange ?? 0) > 0)).toBe(true);

    const api = await admin.get('/api/v1/reports/fiscal-years/2025');
    expect(api.status).toBe(200);
    expect(await api.json()).toEqual(JSON.parse(JSON.stringify(k)));
    expect((await admin.get('/api/v1/reports/fiscal-years/abc')).status).toBe(404);
  });

  it('the dashboard shows the year, a mix chart and trend charts, each with its table', async () => {
    const html = await (await admin.get('/admin/reports?fy=2025')).text();
    expect(html).toContain('令和7年度 (2025)の実績（指標）');
    expect(html.match(/<svg[^>]*role="img"/g)!.length).toBe(3);
    expect(html.match(/<table class="data-table chart__table"/g)!.length).toBe(3);
    const sheet = (await readXlsx(new Uint8Array(await (await admin.get('/admin/reports/kpis.xlsx?fy=2025')).arrayBuffer())))[0];
    expect(sheet.rows.find((r) => r['指標'] === '現地研修の実施回数')).toBeDefined();
  });
});

describe('yearly implementation table', () => {
  it('lists every session of the year with 開催日 in wareki, and the xlsx has the published columns', async () => {
    const html = await (await admin.get('/admin/reports/implementation?fy=2025')).text();
    expect(html).toContain('令和7年9月5日');
    const [sheet] = await readXlsx(new Uint8Array(await (await admin.get('/admin/reports/implementation.xlsx?fy=2025')).arrayBuffer()));
    expect(sheet.header).toEqual(['開催日', '形式', 'テーマ', '講師', '対象', '人数']);
    expect(sheet.rows).toHaveLength(10);
    expect(sheet.rows.filter((r) => r['形式'] === '現地研修')).toHaveLength(3);
    const csv = new Uint8Array(await (await admin.get('/admin/reports/implementation.csv?fy=2025&encoding=shift_jis')).arrayBuffer());
    const decoded = decodeCsvBytes(csv);
    expect(decoded.encoding).toBe('shift_jis');
    expect(parseCsv(decoded.text).header).toEqual(['開催日', '形式', 'テーマ', '講師', '対象', '人数']);
  });
});

describe('coverage', () => {
  it('highlights units with nobody trained or no coordinator, and the nomination list holds exactly those', async () => {
    const empty = await createUnit(ctx, null, { kind: 'municipality', name: '試験町', kana: 'シケンチョウ', code: '253847' });
    await makeUser(ctx, ['staff'], { unitId: empty.id, affiliation: 'municipality' });
    const html = await (await admin.get('/admin/reports/coverage')).text();
    expect(html).toMatch(/<tr class="highlight">(?:(?!<\/tr>).)*試験町/s);
    const [sheet] = await readXlsx(new Uint8Array(await (await admin.get('/admin/reports/nominations.xlsx')).arrayBuffer()));
    const row = sheet.rows.find((r) => r['所属'] === '試験町')!;
    expect(row['推薦を働きかける理由']).toBe('修了者なし・協働コーディネーターなし');
    expect(sheet.rows.every((r) => r['推薦を働きかける理由'] !== '')).toBe(true);
    // The page also offers the list as Shift_JIS CSV, for older Excel.
    expect(html).toContain('href="/admin/reports/nominations.csv?encoding=shift_jis"');
    const sjis = decodeCsvBytes(new Uint8Array(await (await admin.get('/admin/reports/nominations.csv?encoding=shift_jis')).arrayBuffer()));
    expect(sjis.encoding).toBe('shift_jis');
    expect(parseCsv(sjis.text).rows.length).toBe(sheet.rows.length);
    expect(sjis.text).toContain('試験町');
    const [all] = await readXlsx(new Uint8Array(await (await admin.get('/admin/reports/coverage.xlsx')).arrayBuffer()));
    const covered = all.rows.filter((r) => r['推薦を働きかける理由'] === '');
    expect(covered.length).toBeGreaterThan(0);
    expect(covered.length + sheet.rows.length).toBe(all.rows.length);
  });
});

describe('percentages are rounded half up to one place, the same on the page and in the exports', () => {
  it('2 of 3 staff trained is 66.7 %, 2 of 7 is 28.6 %, 1 of 1 is 100.0 %', async () => {
    const units = [];
    for (const [name, kana, code, staff, trained] of [
      ['割合試験町', 'ワリアイシケンチョウ', '253855', 3, 2],
      ['割合試験村', 'ワリアイシケンムラ', '253863', 7, 2],
      ['割合試験島', 'ワリアイシケンジマ', '253871', 1, 1],
    ] as const) {
      const unit = await createUnit(ctx, null, { kind: 'municipality', name, kana, code });
      units.push(unit);
      for (let i = 0; i < staff; i++) {
        const p = await makeUser(ctx, ['staff'], { unitId: unit.id, affiliation: 'municipality' });
        if (i < trained) await ctx.db.insertInto('training_records').values({ person_id: p.id, programme_id: null, fiscal_year: 2012, title: '協働研修', completed: true, note: '', created_at: ctx.now() }).execute();
      }
    }
    const html = await (await admin.get('/admin/reports/coverage')).text();
    const cell = (name: string) => new RegExp(`${name}</th>(?:(?!</tr>).)*?<td[^>]*class="num">([^<]*%)</td>`, 's').exec(html)?.[1];
    expect(cell('割合試験町')).toBe('66.7%');
    expect(cell('割合試験村')).toBe('28.6%');
    expect(cell('割合試験島')).toBe('100.0%');
    const csv = parseCsv(decodeCsvBytes(new Uint8Array(await (await admin.get('/admin/reports/coverage.csv')).arrayBuffer())).text);
    const share = (name: string) => csv.rows.find((r) => r.cells['所属'] === name)!.cells['修了者の割合（%）'];
    expect([share('割合試験町'), share('割合試験村'), share('割合試験島')]).toEqual(['66.7', '28.6', '100.0']);
    const xlsx = new Uint8Array(await (await admin.get('/admin/reports/coverage.xlsx')).arrayBuffer());
    const [sheet] = await readXlsx(xlsx);
    expect(sheet.rows.find((r) => r['所属'] === '割合試験町')!['修了者の割合（%）']).toBe('66.7');
    // Excel shows the number with its one place too (100.0), and can still sum and sort it.
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx as unknown as ArrayBuffer);
    const ws = wb.worksheets[0];
    const col = sheet.header.indexOf('修了者の割合（%）') + 1;
    const island = sheet.rows.findIndex((r) => r['所属'] === '割合試験島') + 2;
    expect(ws.getRow(island).getCell(col).value).toBe(100);
    expect(ws.getRow(island).getCell(col).numFmt).toBe('0.0');
  });
});

describe('public schedule and open data', () => {
  it('work without login, list upcoming published sessions only, in the イベント一覧 layout, with no personal data', async () => {
    const anon = new Agent(app);
    const page = await anon.get('/schedule');
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('研修の開催予定');
    const csvRes = await anon.get('/opendata/events.csv');
    expect(csvRes.status).toBe(200);
    const bytes = new Uint8Array(await csvRes.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const csv = parseCsv(decodeCsvBytes(bytes).text);
    expect(csv.header).toEqual([...EVENT_DATASET_COLUMNS]);
    const json = (await (await anon.get('/opendata/events.json')).json()) as Record<string, string>[];
    expect(json.length).toBe(csv.rows.length);
    expect(json.length).toBeGreaterThan(0);
    const upcoming = await ctx.db.selectFrom('offering_sessions').innerJoin('offerings', 'offerings.id', 'offering_sessions.offering_id').select('offering_sessions.id').where('offerings.published', '=', true).where('offering_sessions.ends_at', '>', ctx.now()).execute();
    expect(json.map((e) => e.NO).sort()).toEqual(upcoming.map((u) => `kyodo-session-${u.id}`).sort());
    for (const e of json) {
      expect(e['都道府県コード又は市区町村コード']).toBe('250007');
      expect(e['開始日'] >= '2026-11-24').toBe(true);
    }
    const text = JSON.stringify(json);
    const people = await ctx.db.selectFrom('people').select(['email', 'name']).execute();
    for (const p of people) {
      expect(text).not.toContain(p.email);
      expect(text).not.toContain(p.name);
    }
    expect(text).not.toMatch(/@/);
  });
});

describe('trends across years as a table', () => {
  it('downloads every KPI for every year of records, one column per year, in xlsx and Shift_JIS CSV', async () => {
    const dashboard = await (await admin.get('/admin/reports?fy=2025')).text();
    expect(dashboard).toContain('href="/admin/reports/trends.xlsx"');
    const [sheet] = await readXlsx(new Uint8Array(await (await admin.get('/admin/reports/trends.xlsx')).arrayBuffer()));
    expect(sheet.header[0]).toBe('指標');
    expect(sheet.header).toContain('平成23年度 (2011)');
    expect(sheet.header).toContain('令和7年度 (2025)');
    const k2025 = await fiscalYearKpis(ctx, 2025);
    expect(sheet.rows.find((r) => r['指標'] === '現地研修の実施回数')!['令和7年度 (2025)']).toBe(String(k2025.fieldTrainingsHeld));
    const csv = decodeCsvBytes(new Uint8Array(await (await admin.get('/admin/reports/trends.csv?encoding=shift_jis')).arrayBuffer()));
    expect(csv.encoding).toBe('shift_jis');
    expect(parseCsv(csv.text).header).toEqual(sheet.header);
  });

  it('downloads them as Shift_JIS in English too, where a label such as "(1–5)" has an en dash CP932 lacks', async () => {
    const en = new Agent(app);
    await en.login('reports-admin@pref.example.jp');
    await en.get('/lang/en');
    for (const path of ['/admin/reports/trends.csv?encoding=shift_jis', '/admin/reports/kpis.csv?fy=2025&encoding=shift_jis']) {
      const res = await en.get(path);
      expect(res.status, path).toBe(200);
      const csv = parseCsv(decodeCsvBytes(new Uint8Array(await res.arrayBuffer())).text);
      expect(csv.rows.map((r) => Object.values(r.cells).join(' ')).join('\n'), path).toContain('(1-5)');
    }
  });
});
