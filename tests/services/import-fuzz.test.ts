import fc from 'fast-check';
import iconv from 'iconv-lite';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ServiceError } from '../../src/services/context.js';
import { getImportJob, IMPORT_COLUMNS, type ImportKind as AnyImportKind, previewImport, startImport, templateColumns } from '../../src/services/import.service.js';
import { createUnit } from '../../src/services/unit.service.js';
import { createTestDb, type TestDb, testContext } from '../support/db.js';
import { Agent, appFor, makeUser } from '../support/http.js';

/** The kinds imported without a target (a roster goes into an offering: tests/services/import-xlsx.test.ts). */
type ImportKind = Exclude<AnyImportKind, 'roster'>;

/**
 * Imports, fuzzed: random encodings (UTF-8, UTF-8 with BOM, Shift_JIS), broken quotes, huge rows and
 * cells, random bytes, and good files with one bad row slipped in. Whatever arrives, the import never
 * fails with anything but a 4xx refusal, reports row-level errors naming the line, and saves nothing
 * unless the whole file is good.
 */
let tdb: TestDb;
let ctx: ReturnType<typeof testContext>;
let admin: { id: number; email: string };

const TABLES = ['people', 'person_roles', 'units', 'partners', 'training_records', 'audit_log'] as const;
async function counts(): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of TABLES) out[t] = (await sql<{ n: number }>`SELECT count(*) AS n FROM ${sql.table(t)}`.execute(tdb.db)).rows[0].n;
  return out;
}

beforeAll(async () => {
  tdb = await createTestDb();
  ctx = testContext(tdb);
  admin = await makeUser(ctx, ['admin'], { email: 'import-fuzz@pref.example.jp' });
  const dept = await createUnit(ctx, admin, { kind: 'department', name: '総務部', kana: 'ソウムブ' });
  await createUnit(ctx, admin, { kind: 'division', name: '人事課', kana: 'ジンジカ', parentId: dept.id });
  await createUnit(ctx, admin, { kind: 'municipality', name: '大津市', kana: 'オオツシ', code: '252018' });
}, 60_000);
afterAll(() => tdb.close());

type Enc = 'utf-8' | 'utf-8-bom' | 'shift_jis';
const encode = (s: string, enc: Enc): Uint8Array =>
  enc === 'shift_jis' ? new Uint8Array(iconv.encode(s, 'cp932')) : enc === 'utf-8-bom' ? new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(s)]) : new TextEncoder().encode(s);
const kinds = fc.constantFrom<ImportKind>('people', 'units', 'partners', 'history');
const encodings = fc.constantFrom<Enc>('utf-8', 'utf-8-bom', 'shift_jis');

/** Runs a preview: it gives a job, or a 4xx ServiceError naming the file problem. Anything else fails. */
async function preview(kind: ImportKind, bytes: Uint8Array) {
  try {
    return await previewImport(ctx, admin, kind, 'fuzz.csv', bytes);
  } catch (e) {
    expect(e, `not a refusal: ${String(e)}`).toBeInstanceOf(ServiceError);
    const err = e as ServiceError;
    expect(err.status).toBeGreaterThanOrEqual(400);
    expect(err.status).toBeLessThan(500);
    expect(err.fields?.file).toBeDefined(); // the message is shown at the file field
    return null;
  }
}

/** A job with errors can never be applied, and nothing changes. */
async function expectNotApplicable(jobId: number) {
  const before = await counts();
  await expect(startImport(ctx, admin, jobId)).rejects.toMatchObject({ status: 409 });
  expect(await counts()).toEqual(before);
}

const cellText = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.string({ unit: 'grapheme', maxLength: 8 }),
  fc.constantFrom('', '髙橋 花子', 'タカハシ ハナコ', '人事課', '県', '市町', '職員', '部局', '課', 'NPO法人', 'npo', '2025', '令和7年度', '修了', 'x@y', 'a@pref.example.jp', '252018', '"', '""', '=1+1', '\u0000'),
);

/** The people template's header: 氏名,フリガナ,メールアドレス,職員番号,所属,所属区分,役割,職名. */
const PEOPLE_HEADER = templateColumns('people').map((c) => c.ja).join(',');
const csvCell = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);

let seq = 0;
/** A good people row (unique email each time, with a 職名 or none) and a bad one (kana in romaji, a broken email, a 職名 too long or of two lines…). */
const goodPerson = (title = '') => {
  const n = ++seq;
  return `試験 太郎${n},シケン タロウ,fuzz${n}.${Date.now()}@pref.example.jp,${900000 + n},人事課,県,職員,${csvCell(title)}`;
};
const badPerson = fc.constantFrom(
  '試験 次郎,Shiken,jiro@pref.example.jp,,人事課,県,職員,',
  '試験 三郎,シケン サブロウ,not-an-email,,人事課,県,職員,主査',
  '試験 四郎,シケン シロウ,shiro@pref.example.jp,,存在しない課,県,職員,',
  '試験 五郎,シケン ゴロウ,goro@pref.example.jp,,人事課,宇宙,職員,',
  ',シケン,x@pref.example.jp,,,県,,',
  `試験 六郎,シケン ロクロウ,roku@pref.example.jp,,人事課,県,職員,${'長'.repeat(101)}`,
  '試験 七郎,シケン シチロウ,shichi@pref.example.jp,,人事課,県,職員,"主査\t係長"',
);
/** 職名 as typed: none, words with spaces around (trimmed), commas and quotes, up to the 100 characters allowed. */
const jobTitle = fc.oneof(
  fc.constantFrom('', '主査', '　課長補佐　', ' 主任主事 ', 'ｶｶﾘﾁｮｳ', '係長,"総務"担当'),
  fc.string({ unit: fc.constantFrom(...'主査課長補佐係員技師（）・ 　,"ｶﾅ'), maxLength: 100 }),
);

describe('CSV import, fuzzed', () => {
  it('random bytes: a job with errors or a 4xx refusal; never saved', async () => {
    await fc.assert(
      fc.asyncProperty(kinds, fc.uint8Array({ maxLength: 2000 }), async (kind, bytes) => {
        const before = await counts();
        const job = await preview(kind, bytes);
        if (job) {
          expect(job.errors.length, 'random bytes cannot be a good file').toBeGreaterThan(0);
          await expectNotApplicable(job.id);
        }
        expect(await counts()).toEqual(before);
      }),
      { numRuns: 60 },
    );
  });

  it('a real header and random rows, in any encoding and line break: errors name lines that exist; a file with errors saves nothing', async () => {
    await fc.assert(
      fc.asyncProperty(kinds, encodings, fc.constantFrom('\r\n', '\n'), fc.array(fc.array(cellText, { minLength: 1, maxLength: 9 }), { minLength: 1, maxLength: 15 }), async (kind, enc, br, rows) => {
        const header = IMPORT_COLUMNS[kind].map((c) => c.ja);
        const text = [header.join(','), ...rows.map((r) => r.join(','))].join(br);
        const before = await counts();
        const job = await preview(kind, encode(text, enc));
        if (job) {
          const lastLine = text.split(/\r\n|\n/).length;
          for (const e of job.errors) {
            expect(e.line).toBeGreaterThanOrEqual(1);
            expect(e.line).toBeLessThanOrEqual(lastLine);
            expect(typeof e.message).toBe('string');
          }
          if (job.errors.length) await expectNotApplicable(job.id);
        }
        expect(await counts()).toEqual(before);
      }),
      { numRuns: 60 },
    );
  });

  it('good people rows with one bad row slipped in: that line is reported, nothing saved; without it, every row is saved at once', async () => {
    await fc.assert(
      fc.asyncProperty(encodings, fc.array(jobTitle, { minLength: 1, maxLength: 12 }), fc.nat(), badPerson, fc.constantFrom('\r\n', '\n'), async (enc, titles, at, bad, br) => {
        const header = PEOPLE_HEADER;
        const n = titles.length;
        const good = titles.map((title) => goodPerson(title));
        const i = at % (n + 1);
        const withBad = [...good.slice(0, i), bad, ...good.slice(i)];
        const before = await counts();
        const job = (await preview('people', encode([header, ...withBad].join(br), enc)))!;
        expect(job.encoding).toBe(enc === 'utf-8' ? 'utf-8' : enc);
        expect(job.errors.length).toBeGreaterThan(0);
        expect(new Set(job.errors.map((e) => e.line))).toEqual(new Set([i + 2]));
        await expectNotApplicable(job.id);
        expect(await counts()).toEqual(before);

        const ok = (await preview('people', encode([header, ...good].join(br), enc)))!;
        expect(ok.errors).toEqual([]);
        const { finished } = await startImport(ctx, admin, ok.id);
        await finished;
        expect((await getImportJob(ctx, ok.id))!.status).toBe('done');
        expect((await counts()).people).toBe(before.people + n);
        // Each 職名 as typed, trimmed; an empty one is none.
        const emails = good.map((r) => r.split(',')[2]);
        const saved = new Map((await tdb.db.selectFrom('people').select(['email', 'title']).where('email', 'in', emails).execute()).map((p) => [p.email, p.title]));
        expect(emails.map((e) => saved.get(e))).toEqual(titles.map((t) => t.trim() || null));
      }),
      { numRuns: 15 },
    );
  });

  it('broken quotes, huge cells and huge files are refused as a whole with a message at the file field', async () => {
    const header = PEOPLE_HEADER;
    const before = await counts();
    for (const text of [
      `${header}\r\n${goodPerson()}\r\n"試験 太郎,シケン タロウ,t@pref.example.jp,,人事課,県,職員`,
      `${header}\r\n${goodPerson().replace('試験', `試験${'あ'.repeat(30_000)}`)}`,
      `${header}\r\n${`${goodPerson()}\r\n`.repeat(1)}${'a,b,c,d,e,f,g,h\r\n'.repeat(100_001)}`,
    ])
      for (const enc of ['utf-8-bom', 'shift_jis'] as const) expect(await preview('people', encode(text, enc))).toBeNull();
    expect(await counts()).toEqual(before);
  });

  it('a UTF-16 “Unicode text” file (full of NUL bytes) is refused with a clear message, not a 500', async () => {
    const { app } = appFor(ctx);
    const agent = new Agent(app);
    await agent.login(admin.email);
    const header = PEOPLE_HEADER;
    const utf16 = new Uint8Array([0xff, 0xfe, ...iconv.encode(`${header}\r\n${goodPerson()}`, 'utf-16le')]);
    const before = await counts();
    const form = new FormData();
    form.append('file', new File([utf16], 'unicode.txt', { type: 'text/plain' }));
    const res = await agent.postMultipart('/admin/imports?kind=people', form);
    expect(res.status).toBe(422);
    expect(await res.text()).toContain('CSVでは使えない文字（NUL）があります');
    expect(await counts()).toEqual(before);
    // An English user reads the same refusal in English.
    await agent.get('/lang/en?next=/');
    const again = new FormData();
    again.append('file', new File([utf16], 'unicode.txt', { type: 'text/plain' }));
    const en = await agent.postMultipart('/admin/imports?kind=people', again);
    expect(en.status).toBe(422);
    const body = await en.text();
    expect(body).toContain('The CSV file cannot be read');
    expect(body).not.toContain('CSVでは使えない文字');
    await agent.get('/lang/ja?next=/');
    expect(await counts()).toEqual(before);
  });

  it('a file that was good at preview but clashes when applied (staff number and email now held by two people) is rolled back whole', async () => {
    const header = PEOPLE_HEADER;
    const rows = [goodPerson(), goodPerson(), goodPerson()];
    const job = (await preview('people', encode([header, ...rows].join('\r\n'), 'utf-8-bom')))!;
    expect(job.errors).toEqual([]);
    // Since the preview, row 3's staff number went to one person and its email to another.
    const [, , email, staffNumber] = rows[2].split(',');
    const holder = await makeUser(ctx, ['staff'], { email: `holder.${staffNumber}@pref.example.jp` });
    await tdb.db.updateTable('people').set({ staff_number: staffNumber }).where('id', '=', holder.id).execute();
    await makeUser(ctx, ['staff'], { email });
    const before = await counts();
    const { finished } = await startImport(ctx, admin, job.id);
    await finished;
    const after = (await getImportJob(ctx, job.id))!;
    expect(after.status).toBe('failed');
    expect(after.errors).toEqual([expect.objectContaining({ line: 4, field: 'email' })]);
    expect(await counts()).toEqual(before);
  });

  it('over HTTP, random uploads never answer 5xx', async () => {
    const { app } = appFor(ctx);
    const agent = new Agent(app);
    await agent.login(admin.email);
    await fc.assert(
      fc.asyncProperty(kinds, fc.oneof(fc.uint8Array({ maxLength: 1500 }), fc.string({ maxLength: 500 }).map((s) => new TextEncoder().encode(s))), async (kind, bytes) => {
        const before = await counts();
        const form = new FormData();
        form.append('file', new File([bytes as Uint8Array<ArrayBuffer>], 'upload.csv', { type: 'text/csv' }));
        const res = await agent.postMultipart(`/admin/imports?kind=${kind}`, form);
        expect(res.status).toBeLessThan(500);
        expect([303, 422]).toContain(res.status);
        await res.arrayBuffer();
        expect(await counts()).toEqual(before);
      }),
      { numRuns: 40 },
    );
  });
});
