import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestDb, testContext } from '../support/db.js';
import { type Agent, type appFor, makeUser } from '../support/http.js';
import { sampleDataWorld } from '../support/sample-world.js';

let tdb: TestDb;
let ctx: ReturnType<typeof testContext>;
let app: ReturnType<typeof appFor>['app'];
let admin: Agent;
let adminToken: string;
let staffToken: string;
let ids: { person: number; unit: number; offering: number; survey: number; consultation: number };

beforeAll(async () => {
  ({ tdb, ctx, app, admin, adminToken, staffToken } = await sampleDataWorld('formats'));
  // Somebody whose name Shift_JIS cannot hold (𠮷 is not in CP932).
  await makeUser(ctx, ['staff'], { name: '吉田 𠮷子', kana: 'ヨシダ ヨシコ', email: 'yoshiko@pref.example.jp' });
  const db = ctx.db;
  const app1 = await db.selectFrom('applications').select(['person_id', 'offering_id']).orderBy('id').executeTakeFirstOrThrow();
  const person = await db.selectFrom('people').select(['unit_id']).where('id', '=', app1.person_id).executeTakeFirstOrThrow();
  const survey = await db.selectFrom('survey_responses').select('survey_id').orderBy('id').executeTakeFirstOrThrow();
  const consultation = await db.selectFrom('consultation_activities').select('consultation_id').orderBy('id').executeTakeFirstOrThrow();
  ids = { person: app1.person_id, unit: person.unit_id!, offering: app1.offering_id, survey: survey.survey_id, consultation: consultation.consultation_id };
}, 300_000);
afterAll(() => tdb.close());

const api = (path: string, token = adminToken) => app.request(`http://kyodo.test${path}`, { headers: { Authorization: `Bearer ${token}` } });
const bytesOf = async (res: Response) => Buffer.from(await res.arrayBuffer());

/** A CSV download read back: header and rows as text (the BOM removed). */
const csvRows = (b: Buffer, encoding: 'utf-8' | 'shift_jis' = 'utf-8') => parse(encoding === 'utf-8' ? b.toString('utf8').replace(/^\ufeff/, '') : iconv.decode(b, 'cp932'), { relax_column_count: true }) as string[][];

/** An xlsx download read back: every row of its one sheet, each cell as text. */
async function xlsxRows(b: Buffer) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(b as unknown as ArrayBuffer);
  const ws = wb.worksheets[0]!;
  const rows: string[][] = [];
  ws.eachRow({ includeEmpty: true }, (row) => rows.push((row.values as unknown[]).slice(1).map((v) => (v === null || v === undefined ? '' : String(v instanceof Date ? v.toISOString() : v)))));
  return { name: ws.name, rows };
}

// Each list a page downloads, beside the API operation that gives the same list.
// (The desk's queue downloads as consultation-queue.csv; the API's list, which is not only the queue, as consultations.csv.)
const PAIRS: [string, () => string, () => string, { otherName?: true }?][] = [
  ['people', () => '/admin/people.csv', () => '/api/v1/people?format=csv'],
  ['units', () => '/admin/units.csv?kind=municipality', () => '/api/v1/units?kind=municipality&format=csv'],
  ['partners', () => '/admin/partners.csv', () => '/api/v1/partners?format=csv'],
  ['applications of an offering', () => `/admin/offerings/${ids.offering}/applications.csv`, () => `/api/v1/offerings/${ids.offering}/applications?format=csv`],
  ['a person’s training history', () => `/admin/people/${ids.person}/history.csv`, () => `/api/v1/people/${ids.person}/history?format=csv`],
  ['a unit’s training history', () => `/admin/units/${ids.unit}/history.csv`, () => `/api/v1/units/${ids.unit}/history?format=csv`],
  ['KPIs', () => '/admin/reports/kpis.csv?fy=2026', () => '/api/v1/reports/fiscal-years/2026?format=csv'],
  ['coverage', () => '/admin/reports/coverage.csv', () => '/api/v1/reports/coverage?format=csv'],
  ['where to recruit', () => '/admin/reports/nominations.csv', () => '/api/v1/reports/coverage?recruit=true&format=csv'],
  ['implementation', () => '/admin/reports/implementation.csv?fy=2026', () => '/api/v1/reports/fiscal-years/2026/implementation?format=csv'],
  ['gaps', () => '/admin/reports/gaps.csv?fy=2026', () => '/api/v1/reports/fiscal-years/2026/gaps?format=csv'],
  ['KPI trends', () => '/admin/reports/trends.csv', () => '/api/v1/reports/trends?format=csv'],
  ['gap trends', () => '/admin/reports/gap-trends.csv', () => '/api/v1/reports/gap-trends?format=csv'],
  ['impact', () => '/admin/impact.csv?by=unit', () => '/api/v1/reports/impact?by=unit&format=csv'],
  ['the 市町 map', () => '/admin/reports/map.csv?fy=2026&indicator=participants', () => '/api/v1/reports/fiscal-years/2026/map?indicator=participants&format=csv'],
  ['survey results', () => `/admin/surveys/${ids.survey}/results.csv`, () => `/api/v1/surveys/${ids.survey}/results?format=csv`],
  ['survey answers', () => `/admin/surveys/${ids.survey}/answers.csv`, () => `/api/v1/surveys/${ids.survey}/responses?format=csv`],
  ['survey comments', () => `/admin/surveys/${ids.survey}/comments.csv`, () => `/api/v1/surveys/${ids.survey}/responses?format=csv&part=comments`],
  ['projects', () => '/projects.csv', () => '/api/v1/projects?format=csv'],
  ['consultations (the desk’s queue)', () => '/desk/consultations.csv?status=closed', () => '/api/v1/consultations?status=closed&format=csv', { otherName: true }],
  ['a consultation’s log', () => `/consultations/${ids.consultation}/activities.csv`, () => `/api/v1/consultations/${ids.consultation}?format=csv`],
  ['a consultation’s suggestions', () => `/consultations/${ids.consultation}/suggestions.csv`, () => `/api/v1/consultations/${ids.consultation}/suggestions?format=csv`],
];

describe('lists as CSV and xlsx from the API', () => {
  it.each(PAIRS)('%s: the CSV has the rows of the page’s download', async (_, page, op, o) => {
    const [p, a] = [await admin.get(page()), await api(op())];
    expect(p.status).toBe(200);
    expect(a.status).toBe(200);
    expect(a.headers.get('Content-Type')).toBe('text/csv; charset=UTF-8');
    if (!o?.otherName) expect(a.headers.get('Content-Disposition')).toBe(p.headers.get('Content-Disposition'));
    const [pr, ar] = [csvRows(await bytesOf(p)), csvRows(await bytesOf(a))];
    expect(ar[0]!.length).toBeGreaterThan(1);
    expect(ar.length, 'rows besides the header').toBeGreaterThan(1);
    expect(ar).toEqual(pr);
  });

  it.each(PAIRS.filter(([name]) => ['people', 'applications of an offering', 'coverage', 'survey results', 'a unit’s training history'].includes(name)))('%s: the xlsx has the rows of the page’s download', async (_, page, op) => {
    const p = await admin.get(page().replace('.csv', '.xlsx'));
    const a = await api(`${op().replace('format=csv', 'format=xlsx')}`);
    expect(a.status).toBe(200);
    expect(a.headers.get('Content-Type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const [px, ax] = [await xlsxRows(await bytesOf(p)), await xlsxRows(await bytesOf(a))];
    expect(ax.rows.length).toBeGreaterThan(1);
    expect(ax).toEqual(px);
  });

  it('the people list has every person once, and the names as written', async () => {
    const rows = csvRows(await bytesOf(await api('/api/v1/people?format=csv')));
    const people = await ctx.db.selectFrom('people').select('name').where('active', '=', true).execute();
    expect(rows.length - 1).toBe(people.length);
    expect(rows.some((r) => r.includes('吉田 𠮷子'))).toBe(true);
  });

  it('Shift_JIS: the same bytes as the page’s; a character it cannot hold is refused with 422 naming it, or written as 〓 when asked', async () => {
    const units = await api('/api/v1/units?format=csv&encoding=shift_jis');
    expect(units.status).toBe(200);
    expect(units.headers.get('Content-Type')).toBe('text/csv; charset=Shift_JIS');
    const unitsBytes = await bytesOf(units);
    expect(unitsBytes.equals(await bytesOf(await admin.get('/admin/units.csv?encoding=shift_jis')))).toBe(true);
    expect(csvRows(unitsBytes, 'shift_jis')).toEqual(csvRows(await bytesOf(await api('/api/v1/units?format=csv'))));

    const refused = await api('/api/v1/people?format=csv&encoding=shift_jis');
    expect(refused.status).toBe(422);
    expect(refused.headers.get('Content-Type')).toMatch(/^application\/json/);
    const body = await refused.json();
    expect(body.error.code).toBe('unencodable');
    expect(body.error.fields.encoding).toContain('𠮷');
    expect(body.error.fields.encoding).toContain('U+20BB7');

    const geta = await api('/api/v1/people?format=csv&encoding=shift_jis&unencodable=geta');
    expect(geta.status).toBe(200);
    expect(csvRows(await bytesOf(geta), 'shift_jis').some((r) => r.includes('吉田 〓子'))).toBe(true);

    const bad = await api('/api/v1/people?format=pdf');
    expect(bad.status).toBe(422);
    expect(Object.keys((await bad.json()).error.fields)).toEqual(['format']);
  });

  it('a role that may not see the list may not download it (403); one’s own history may be', async () => {
    for (const path of ['/api/v1/people?format=csv', '/api/v1/reports/coverage?format=xlsx', `/api/v1/units/${ids.unit}/history?format=csv`, `/api/v1/offerings/${ids.offering}/applications?format=csv`]) {
      const res = await api(path, staffToken);
      expect(res.status, path).toBe(403);
      expect(res.headers.get('Content-Type')).toMatch(/^application\/json/);
    }
    const mine = await api('/api/v1/me/history?format=csv', staffToken);
    expect(mine.status).toBe(200);
    expect(csvRows(await bytesOf(mine))).toHaveLength(1); // the header: no training yet
  });

  it('the OpenAPI document names the file formats and the cursor', async () => {
    const doc = await (await api('/api/v1/openapi.json')).json();
    const people = doc.paths['/api/v1/people'].get;
    expect(Object.keys(people.responses['200'].content).sort()).toEqual(['application/json', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'text/csv']);
    const param = (name: string) => people.parameters.find((p: { name: string }) => p.name === name);
    expect(param('cursor')).toBeTruthy();
    expect(param('limit').schema).toMatchObject({ minimum: 1, maximum: 500, default: 100 });
    expect(param('page').deprecated).toBe(true);
    expect(param('format').schema.enum).toEqual(['json', 'csv', 'xlsx']);
  });
});
