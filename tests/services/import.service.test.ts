import iconv from 'iconv-lite';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUnit, setUnitActive } from '../../src/services/unit.service.js';
import { getImportJob, previewImport, startImport } from '../../src/services/import.service.js';
import { createPerson, listPeople } from '../../src/services/person.service.js';
import { createTestDb, type TestDb, testContext } from '../support/db.js';
import { Agent, appFor, makeUser } from '../support/http.js';

let tdb: TestDb;
let ctx: ReturnType<typeof testContext>;
let admin: { id: number };

const utf8 = (s: string) => new TextEncoder().encode(s);
const bom = (s: string) => new Uint8Array([0xef, 0xbb, 0xbf, ...utf8(s)]);

beforeAll(async () => {
  tdb = await createTestDb();
  ctx = testContext(tdb);
  admin = await makeUser(ctx, ['admin']);
  const dept = await createUnit(ctx, admin, { kind: 'department', name: '総務部', kana: 'ソウムブ' });
  await createUnit(ctx, admin, { kind: 'division', name: '人事課', kana: 'ジンジカ', parentId: dept.id });
  await createUnit(ctx, admin, { kind: 'municipality', name: '大津市', kana: 'オオツシ', code: '252018' });
});
afterAll(() => tdb.close());

async function count(): Promise<number> {
  return (await tdb.db.selectFrom('people').select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow()).n;
}

const GOOD = [
  '氏名,フリガナ,メールアドレス,職員番号,所属,所属区分,役割',
  '渡辺 健一,ワタナベ ケンイチ,k.watanabe@pref.example.jp,100001,人事課,県,職員',
  '阿部 陽子,あべ ようこ,y.abe@pref.example.jp,100002,総務部/人事課,県,職員、所属長',
  '髙田 誠,ﾀｶﾀﾞ ﾏｺﾄ,m.takada@city252018.example.jp,,252018,市町,',
].join('\r\n');

describe('people CSV import', () => {
  it('reports every bad row, imports nothing, then imports the corrected file all at once', async () => {
    const before = await count();
    const bad = GOOD.replace('y.abe@pref.example.jp', 'y.abe-at-pref') + '\r\n伊藤 誠,イトウ マコト,k.watanabe@pref.example.jp,100004,存在しない課,県,職員';
    const job = await previewImport(ctx, admin, 'people', 'staff.csv', bom(bad));
    expect(job.encoding).toBe('utf-8-bom');
    expect(job.errors.map((e) => [e.line, e.field, e.message])).toEqual([
      [3, 'email', 'error.email'],
      [5, 'unit', 'error.unitNotFound'],
      [5, 'email', 'imports.duplicateInFile'],
    ]);
    await expect(startImport(ctx, admin, job.id)).rejects.toMatchObject({ code: 'import_errors' });
    expect(await count()).toBe(before);

    const ok = await previewImport(ctx, admin, 'people', 'staff.csv', bom(GOOD));
    expect(ok.errors).toEqual([]);
    expect(ok.total_rows).toBe(3);
    const { finished } = await startImport(ctx, admin, ok.id);
    await finished;
    expect((await getImportJob(ctx, ok.id))!.status).toBe('done');
    expect(await count()).toBe(before + 3);
    const { rows } = await listPeople(ctx, { q: 'たかだ' });
    expect(rows.map((r) => [r.name, r.kana, r.unit_name, r.affiliation])).toEqual([['髙田 誠', 'タカダ マコト', '大津市', 'municipality']]);
    const abe = (await listPeople(ctx, { q: 'y.abe' })).rows[0];
    expect(abe.roles).toEqual(['approver', 'staff']);
    // Applying the same job twice is refused.
    await expect(startImport(ctx, admin, ok.id)).rejects.toMatchObject({ code: 'import_state' });
  });

  it('reads Shift_JIS (CP932) and UTF-8 without BOM, and updates people it already has', async () => {
    const sjis = iconv.encode(GOOD.replace('渡辺 健一', '渡邉 健一'), 'cp932');
    const job = await previewImport(ctx, admin, 'people', 'sjis.csv', new Uint8Array(sjis));
    expect(job.encoding).toBe('shift_jis');
    expect(job.errors).toEqual([]);
    await (await startImport(ctx, admin, job.id)).finished;
    const w = (await listPeople(ctx, { q: '100001' })).rows;
    expect(w.map((p) => p.name)).toEqual(['渡邉 健一']);
    const plain = await previewImport(ctx, admin, 'people', 'plain.csv', utf8(GOOD));
    expect(plain.encoding).toBe('utf-8');
  });

  it('normalises staff numbers (NFKC, trimmed): a full-width roster row updates the same person, and the history import finds them (issue 17, medium 7)', async () => {
    const first = ['氏名,フリガナ,メールアドレス,職員番号,所属,所属区分,役割', '幅 正規,ハバ セイキ,wide@pref.example.jp,103034,人事課,県,職員'].join('\r\n');
    await (await startImport(ctx, admin, (await previewImport(ctx, admin, 'people', 'a.csv', utf8(first))).id)).finished;
    const cp932 = iconv.encode(first.replace('103034', ' １０３０３４ ').replace('幅 正規', '幅 正規二'), 'cp932');
    const job = await previewImport(ctx, admin, 'people', 'roster.csv', new Uint8Array(cp932));
    expect(job.errors).toEqual([]);
    await (await startImport(ctx, admin, job.id)).finished;
    const rows = await tdb.db.selectFrom('people').select(['name', 'staff_number']).where('email', '=', 'wide@pref.example.jp').execute();
    expect(rows).toEqual([{ name: '幅 正規二', staff_number: '103034' }]);
    const history = ['職員番号,年度,研修事業,研修名,修了', '１０３０３４,2010,,協働入門,修了'].join('\r\n');
    const h = await previewImport(ctx, admin, 'history', 'history.csv', utf8(history));
    expect(h.errors).toEqual([]);
  });

  it('ignores the empty columns Excel leaves after the last one, and names an unnamed column once (issue 17)', async () => {
    const excel = GOOD.split('\r\n').map((l, i) => `${l},,`).join('\r\n');
    const job = await previewImport(ctx, admin, 'people', 'excel.csv', utf8(excel));
    expect(job.errors).toEqual([]);
    expect(job.total_rows).toBe(3);
    const holed = '氏名,,フリガナ,メールアドレス,所属区分\r\n山田 花子,x,ヤマダ ハナコ,h.yamada@pref.example.jp,県';
    const err = await previewImport(ctx, admin, 'people', 'holed.csv', utf8(holed)).catch((e) => e);
    expect(err).toMatchObject({ code: 'csv', params: { detail: '1行目の2列目に列名がありません。列名を入れるか、使わない列を削除してください。' } });
  });

  it('refuses a name with a line break or tab, naming the row and field (issue 17)', async () => {
    const file = '氏名,フリガナ,メールアドレス,所属区分\r\n"山田\r\n花子",ヤマダ ハナコ,h.yamada2@pref.example.jp,県\r\n"田中\t一",タナカ ハジメ,h.tanaka2@pref.example.jp,県';
    const job = await previewImport(ctx, admin, 'people', 'crlf.csv', utf8(file));
    expect(job.errors).toEqual([
      expect.objectContaining({ line: 2, field: 'name', message: 'error.singleLine' }),
      expect.objectContaining({ line: 4, field: 'name', message: 'error.singleLine' }),
    ]);
  });

  it('says in the preview which rows will overwrite people already registered, and what changes; rows that change nothing are counted, not written (issue 17)', async () => {
    // The file as imported before, with one name corrected: one row changes someone, two change nothing.
    await (await startImport(ctx, admin, (await previewImport(ctx, admin, 'people', 'base.csv', utf8(GOOD))).id)).finished;
    const before = await previewImport(ctx, admin, 'people', 'again.csv', utf8(GOOD.replace('渡辺 健一', '渡辺 健二')));
    const rows = before.rows as { line: number; existing: { name: string; matchedBy: string; changes: string[] } | null }[];
    expect(rows.map((r) => [r.line, r.existing?.matchedBy, r.existing?.changes])).toEqual([
      [2, 'staffNumber', ['name']],
      [3, 'staffNumber', []],
      [4, 'email', []],
    ]);
    const { app } = appFor(ctx);
    const agent = new Agent(app);
    await agent.login((await tdb.db.selectFrom('people').select('email').where('id', '=', admin.id).executeTakeFirstOrThrow()).email);
    const html = await (await agent.get(`/admin/imports/${before.id}`)).text();
    expect(html).toContain('登録済みの職員を上書きする行（1行）');
    expect(html).toMatch(/<th[^>]*>変わる項目<\/th>/);
    expect(html).toMatch(/<td[^>]*>氏名<\/td>/);
    expect(html).toContain('登録済みの職員と内容が同じ行が2行あります。');
    expect(html).toContain('3行を取り込む（うち1行は登録済みの職員を上書き、2行は変更なし）');
    const api = await (await agent.get(`/api/v1/imports/${before.id}`)).json();
    expect(api).toMatchObject({ updates: 1, unchanged: 2, outcome: null });

    const audits = async () =>
      (await tdb.db.selectFrom('audit_log').select(['entity_id']).where('entity', '=', 'person').where('action', '=', 'import_update').execute()).map((a) => a.entity_id);
    const stamp = async (email: string) => (await tdb.db.selectFrom('people').select('updated_at').where('email', '=', email).executeTakeFirstOrThrow()).updated_at;
    const [auditsBefore, abeBefore] = [await audits(), await stamp('y.abe@pref.example.jp')];
    await (await startImport(ctx, admin, before.id)).finished;
    const done = (await getImportJob(ctx, before.id))!;
    expect(done).toMatchObject({ status: 'done', outcome: { created: 0, updated: 1, unchanged: 2 } });
    // Only the person who changed is written and audited; the others keep their 更新日時.
    const watanabe = await tdb.db.selectFrom('people').select(['id', 'name']).where('email', '=', 'k.watanabe@pref.example.jp').executeTakeFirstOrThrow();
    expect(watanabe.name).toBe('渡辺 健二');
    expect((await audits()).slice(auditsBefore.length)).toEqual([String(watanabe.id)]);
    expect(await stamp('y.abe@pref.example.jp')).toEqual(abeBefore);
    const result = await (await agent.get(`/admin/imports/${before.id}`)).text();
    expect(result).toContain('3行を取り込みました。内訳：新規 0人、更新 1人、変更なし 2人（変更のない人は書き込んでいません）。');
    expect(result).toMatch(/<title>取込みの結果/);
    expect(await (await agent.get(`/api/v1/imports/${before.id}`)).json()).toMatchObject({ status: 'done', outcome: { created: 0, updated: 1, unchanged: 2 } });
    const jobAudit = await tdb.db.selectFrom('audit_log').select('after').where('entity', '=', 'import_job').where('entity_id', '=', String(before.id)).executeTakeFirstOrThrow();
    expect(jobAudit.after).toMatchObject({ rows: 3, created: 0, updated: 1, unchanged: 2 });

    const fresh = await previewImport(ctx, admin, 'people', 'new.csv', utf8('氏名,フリガナ,メールアドレス,所属区分\r\n新人 一,シンジン ハジメ,shinjin@pref.example.jp,県'));
    const freshHtml = await (await agent.get(`/admin/imports/${fresh.id}`)).text();
    expect(freshHtml).not.toContain('上書き');
    expect(freshHtml).not.toContain('変更なし');
  });

  it('names unknown and missing columns, and a broken file', async () => {
    const job = await previewImport(ctx, admin, 'people', 'x.csv', utf8('氏名,フリガナ,電話\r\n山田,ヤマダ,000'));
    expect(job.errors.map((e) => e.message).sort()).toEqual(['error.missingColumn', 'error.missingColumn', 'error.unknownColumn']);
    await expect(previewImport(ctx, admin, 'people', 'x.csv', utf8('氏名,フリガナ\r\n"山田,ヤマダ'))).rejects.toMatchObject({ code: 'csv' });
  });

  it('rolls back everything when a row fails while applying', async () => {
    const before = await count();
    const job = await previewImport(
      ctx,
      admin,
      'people',
      'race.csv',
      utf8('氏名,フリガナ,メールアドレス,所属区分\r\n新規 一,シンキ ハジメ,new1@pref.example.jp,県\r\n新規 二,シンキ ジ,race@pref.example.jp,県'),
    );
    expect(job.errors).toEqual([]);
    // Someone takes staff number / email between preview and apply: the import must fail whole.
    await makeUser(ctx, ['staff'], { email: 'RACE@pref.example.jp' });
    const before2 = await count();
    await (await startImport(ctx, admin, job.id)).finished;
    const done = (await getImportJob(ctx, job.id))!;
    expect(done.status).toBe('done');
    // The second row matched the existing person by email and updated it; nobody was duplicated.
    expect(await count()).toBe(before2 + 1);
    expect(before2).toBe(before + 1);
  });
});

describe('職名 (job title) in the people import', () => {
  const HEAD = '氏名,フリガナ,メールアドレス,職員番号,職名,所属,所属区分,役割';
  const titleOf = async (email: string) => (await tdb.db.selectFrom('people').select('title').where('email', '=', email).executeTakeFirstOrThrow()).title;
  const run = async (csv: string) => {
    const job = await previewImport(ctx, admin, 'people', 'titles.csv', utf8(csv));
    expect(job.errors).toEqual([]);
    await (await startImport(ctx, admin, job.id)).finished;
    expect((await getImportJob(ctx, job.id))!.status).toBe('done');
    return job;
  };
  const personAudits = async (email: string) => {
    const { id } = await tdb.db.selectFrom('people').select('id').where('email', '=', email).executeTakeFirstOrThrow();
    return tdb.db.selectFrom('audit_log').select(['action', 'before', 'after']).where('entity', '=', 'person').where('entity_id', '=', String(id)).orderBy('id').execute();
  };

  it('gives a new person the 職名 (trimmed) and sets a registered person\'s from a non-empty cell, shown in the preview and audited before and after', async () => {
    await run([HEAD, '職名 一郎,ショクメイ イチロウ,jt1@pref.example.jp,710001,　主査　,人事課,県,職員', '職名 二郎,ショクメイ ジロウ,jt2@pref.example.jp,710002,,人事課,県,職員'].join('\r\n'));
    expect(await titleOf('jt1@pref.example.jp')).toBe('主査');
    expect(await titleOf('jt2@pref.example.jp')).toBeNull();
    const created = await personAudits('jt1@pref.example.jp');
    expect(created).toMatchObject([{ action: 'import_create', before: null, after: { title: '主査', staff_number: '710001' } }]);

    // The registered person (matched by staff number) gets the file's 職名; the preview says so.
    const csv = [HEAD, '職名 一郎,ショクメイ イチロウ,jt1@pref.example.jp,710001,課長補佐,人事課,県,職員'].join('\r\n');
    const preview = await previewImport(ctx, admin, 'people', 'titles.csv', utf8(csv));
    expect(preview.rows).toMatchObject([{ line: 2, jobTitle: '課長補佐', existing: { jobTitle: '主査', matchedBy: 'staffNumber' } }]);
    const agent = new Agent(appFor(ctx).app);
    await agent.login((await tdb.db.selectFrom('people').select('email').where('id', '=', admin.id).executeTakeFirstOrThrow()).email);
    const html = await (await agent.get(`/admin/imports/${preview.id}`)).text();
    expect(html).toContain('職名：主査');
    expect(html).toContain('職名：課長補佐');
    await (await startImport(ctx, admin, preview.id)).finished;
    expect(await titleOf('jt1@pref.example.jp')).toBe('課長補佐');
    const updated = (await personAudits('jt1@pref.example.jp')).at(-1)!;
    expect(updated).toMatchObject({ action: 'import_update', before: { title: '主査' }, after: { title: '課長補佐' } });
    // The audit page words the change with the form's label.
    const { id } = await tdb.db.selectFrom('people').select('id').where('email', '=', 'jt1@pref.example.jp').executeTakeFirstOrThrow();
    const audit = await (await agent.get(`/admin/audit?entity=person&entityId=${id}`)).text();
    expect(audit).toContain('<dt>職名</dt><dd>主査 → 課長補佐</dd>');
  });

  it('an empty 職名 cell removes a registered person\'s 職名, as an empty 職員番号 cell removes theirs; a file without the column keeps it', async () => {
    await run([HEAD, '空欄 花子,クウラン ハナコ,jt3@pref.example.jp,710003,係長,人事課,県,職員'].join('\r\n'));
    // Without a 職名 column (an older file, or the HR system's own): 職名 stays, for an update; a new person has none.
    await run(['氏名,フリガナ,メールアドレス,職員番号,所属,所属区分,役割', '空欄 花子,クウラン ハナコ,jt3@pref.example.jp,710003,人事課,県,職員', '列なし 次郎,レツナシ ジロウ,jt4@pref.example.jp,710004,人事課,県,職員'].join('\r\n'));
    expect(await titleOf('jt3@pref.example.jp')).toBe('係長');
    expect(await titleOf('jt4@pref.example.jp')).toBeNull();
    // Nothing about them changed, so nothing was written: their last audit entry is still the one that created them.
    expect((await personAudits('jt3@pref.example.jp')).map((a) => a.action)).toEqual(['import_create']);

    // An empty cell (matched by email, 職員番号 empty too): both are removed.
    const csv = [HEAD, '空欄 花子,クウラン ハナコ,jt3@pref.example.jp,,,人事課,県,職員'].join('\r\n');
    const preview = await previewImport(ctx, admin, 'people', 'titles.csv', utf8(csv));
    expect(preview.rows).toMatchObject([{ jobTitle: null, existing: { jobTitle: '係長', matchedBy: 'email' } }]);
    const agent = new Agent(appFor(ctx).app);
    await agent.login((await tdb.db.selectFrom('people').select('email').where('id', '=', admin.id).executeTakeFirstOrThrow()).email);
    expect(await (await agent.get(`/admin/imports/${preview.id}`)).text()).toContain('職名：なし（空欄のため消します）');
    await (await startImport(ctx, admin, preview.id)).finished;
    const row = await tdb.db.selectFrom('people').select(['title', 'staff_number']).where('email', '=', 'jt3@pref.example.jp').executeTakeFirstOrThrow();
    expect(row).toEqual({ title: null, staff_number: null });
    expect((await personAudits('jt3@pref.example.jp')).at(-1)).toMatchObject({ before: { title: '係長', staff_number: '710003' }, after: { title: null, staff_number: null } });
  });

  it('a file without a 職員番号 or 所属 column leaves those of registered people as they are (a new person has none)', async () => {
    await run([HEAD, '列なし 桜,レツナシ サクラ,jt10@pref.example.jp,710010,主査,人事課,県,職員'].join('\r\n'));
    const before = await tdb.db.selectFrom('people').select(['staff_number', 'unit_id', 'search_key']).where('email', '=', 'jt10@pref.example.jp').executeTakeFirstOrThrow();
    expect(before.unit_id).not.toBeNull();
    // An HR file with names, addresses and titles only (matched by email); its preview shows only the columns it has.
    const hr = ['氏名,フリガナ,メールアドレス,職名,所属区分', '列なし 桜,レツナシ サクラ,jt10@pref.example.jp,課長補佐,県'].join('\r\n');
    const job = await previewImport(ctx, admin, 'people', 'hr.csv', utf8(hr));
    const agent = new Agent(appFor(ctx).app);
    await agent.login((await tdb.db.selectFrom('people').select('email').where('id', '=', admin.id).executeTakeFirstOrThrow()).email);
    const page = await (await agent.get(`/admin/imports/${job.id}`)).text();
    expect(page).toMatch(/<th[^>]*>職名<\/th>/);
    expect(page).not.toMatch(/<th[^>]*>所属<\/th>/);
    expect(page).not.toMatch(/<th[^>]*>職員番号<\/th>/);
    await run(['氏名,フリガナ,メールアドレス,職名,所属区分', '列なし 桜,レツナシ サクラ,jt10@pref.example.jp,課長補佐,県', '列なし 梅,レツナシ ウメ,jt11@pref.example.jp,主事,県'].join('\r\n'));
    const after = await tdb.db.selectFrom('people').select(['staff_number', 'unit_id', 'title', 'search_key']).where('email', '=', 'jt10@pref.example.jp').executeTakeFirstOrThrow();
    expect(after).toEqual({ staff_number: '710010', unit_id: before.unit_id, title: '課長補佐', search_key: before.search_key });
    expect(await tdb.db.selectFrom('people').select(['staff_number', 'unit_id']).where('email', '=', 'jt11@pref.example.jp').executeTakeFirstOrThrow()).toEqual({ staff_number: null, unit_id: null });
    expect((await personAudits('jt10@pref.example.jp')).at(-1)).toMatchObject({ action: 'import_update', after: { staff_number: '710010', unit_id: before.unit_id, title: '課長補佐' } });
  });

  it('refuses the whole import when a 職名 is too long or has a line break, naming the row and the column in the user\'s language; nothing is saved', async () => {
    await run([HEAD, '長い 三郎,ナガイ サブロウ,jt5@pref.example.jp,710005,主事,人事課,県,職員'].join('\r\n'));
    const before = await count();
    const csv = [
      HEAD,
      '長い 三郎,ナガイ サブロウ,jt5@pref.example.jp,710005,主任主事,人事課,県,職員',
      '新しい 四郎,アタラシイ シロウ,jt6@pref.example.jp,710006,主査,人事課,県,職員',
      `長い 五郎,ナガイ ゴロウ,jt7@pref.example.jp,710007,${'長'.repeat(101)},人事課,県,職員`,
      '改行 六郎,カイギョウ ロクロウ,jt8@pref.example.jp,710008,"主査\r\n係長",人事課,県,職員',
      `ちょうど 七郎,チョウド シチロウ,jt9@pref.example.jp,710009,${'長'.repeat(100)},人事課,県,職員`,
    ].join('\r\n');
    const job = await previewImport(ctx, admin, 'people', 'long.csv', bom(csv));
    expect(job.errors.map((e) => [e.line, e.field, e.message, e.params])).toEqual([
      [4, 'jobTitle', 'error.tooLong', { max: 100 }],
      [5, 'jobTitle', 'error.singleLine', undefined],
    ]);
    const { importErrorText } = await import('../../src/http/import/presenter.js');
    const { translator } = await import('../../src/i18n/index.js');
    expect(importErrorText(translator('ja'), job.errors[0])).toBe('職名は100文字以内で入力してください。');
    expect(importErrorText(translator('en'), job.errors[0])).toContain('Job title');
    await expect(startImport(ctx, admin, job.id)).rejects.toMatchObject({ code: 'import_errors' });
    expect(await count()).toBe(before);
    expect(await titleOf('jt5@pref.example.jp')).toBe('主事');
    // The preview page names the row and the column.
    const agent = new Agent(appFor(ctx).app);
    await agent.login((await tdb.db.selectFrom('people').select('email').where('id', '=', admin.id).executeTakeFirstOrThrow()).email);
    expect(await (await agent.get(`/admin/imports/${job.id}`)).text()).toMatch(/<td[^>]*>4<\/td>\s*<td[^>]*>職名<\/td>\s*<td[^>]*>職名は100文字以内で入力してください。<\/td>/);
  });
});

describe('units CSV import', () => {
  it('imports departments, divisions under them and municipalities with valid codes', async () => {
    const csv = ['種別,組織名,フリガナ,上位組織,団体コード', '部局,環境部,カンキョウブ,,', '課・室,環境政策課,カンキョウセイサクカ,環境部,', '市町,彦根市,ヒコネシ,,252026'].join('\n');
    const job = await previewImport(ctx, admin, 'units', 'units.csv', utf8(csv));
    expect(job.errors).toEqual([]);
    await (await startImport(ctx, admin, job.id)).finished;
    expect((await getImportJob(ctx, job.id))!.status).toBe('done');
    const units = await tdb.db.selectFrom('units').select(['name', 'kind', 'code', 'parent_id']).where('name', 'in', ['環境部', '環境政策課', '彦根市']).execute();
    expect(units).toHaveLength(3);
    expect(units.find((u) => u.name === '環境政策課')!.parent_id).toBe(units.find((u) => u.name === '環境部') ? (await tdb.db.selectFrom('units').select('id').where('name', '=', '環境部').executeTakeFirstOrThrow()).id : -1);
  });

  it('rejects a bad check digit and a division without a parent', async () => {
    const csv = ['種別,組織名,フリガナ,上位組織,団体コード', '市町,架空市,カクウシ,,252027', '課・室,迷子課,マイゴカ,,'].join('\n');
    const job = await previewImport(ctx, admin, 'units', 'units.csv', utf8(csv));
    expect(job.errors.map((e) => [e.line, e.field, e.message])).toEqual([
      [2, 'code', 'error.lgCode'],
      [3, 'parent', 'error.required'],
    ]);
  });
});

/**
 * 所属 in a people file (s8): a unit's code, its name when only one unit has it, or its path 「部局／課」 as
 * the people download writes it. Two active 総務課 make the plain name ambiguous: the row is refused
 * naming the row, the column and the candidates. The preview shows units by path and 所属区分 and 役割
 * in words, in the reader's language, and a registered person's 所属 before and after by name.
 */
describe('所属 in the people import: names, paths and the preview', () => {
  const HEAD = '氏名,フリガナ,メールアドレス,職員番号,所属,所属区分,役割';
  const ids: Record<string, number> = {};
  let agent: Agent;

  beforeAll(async () => {
    const soumu = (await tdb.db.selectFrom('units').select('id').where('name', '=', '総務部').executeTakeFirstOrThrow()).id;
    const kenko = await createUnit(ctx, admin, { kind: 'department', name: '健康医療福祉部', kana: 'ケンコウイリョウフクシブ' });
    ids.soumuSoumu = (await createUnit(ctx, admin, { kind: 'division', name: '総務課', kana: 'ソウムカ', parentId: soumu })).id;
    ids.kenkoSoumu = (await createUnit(ctx, admin, { kind: 'division', name: '総務課', kana: 'ソウムカ', parentId: kenko.id })).id;
    // A closed 企画課 and an open one: the plain name means the open one, as before.
    ids.closedKikaku = (await createUnit(ctx, admin, { kind: 'division', name: '企画課', kana: 'キカクカ', parentId: soumu })).id;
    await setUnitActive(ctx, admin, ids.closedKikaku, false);
    ids.kikaku = (await createUnit(ctx, admin, { kind: 'division', name: '企画課', kana: 'キカクカ', parentId: kenko.id })).id;
    agent = new Agent(appFor(ctx).app);
    await agent.login((await tdb.db.selectFrom('people').select('email').where('id', '=', admin.id).executeTakeFirstOrThrow()).email);
  });

  it('an ambiguous plain name is refused naming the row, the column and the candidates; a path (／ or /), a unique name or the only open unit of a name is read', async () => {
    const csv = [
      HEAD,
      '曖昧 一郎,アイマイ イチロウ,unit1@pref.example.jp,740001,総務課,県,職員',
      '経路 二郎,ケイロ ジロウ,unit2@pref.example.jp,740002,総務部／総務課,県,職員',
      '経路 三郎,ケイロ サブロウ,unit3@pref.example.jp,740003,健康医療福祉部/総務課,県,職員',
      '企画 四郎,キカク シロウ,unit4@pref.example.jp,740004,企画課,県,職員',
      '人事 五郎,ジンジ ゴロウ,unit5@pref.example.jp,740005,人事課,県,職員',
      '閉鎖 六郎,ヘイサ ロクロウ,unit6@pref.example.jp,740006,総務部／企画課,県,職員',
      '無い 七郎,ナイ シチロウ,unit7@pref.example.jp,740007,総務部／健康医療福祉部,県,職員',
    ].join('\r\n');
    const job = await previewImport(ctx, admin, 'people', 'units.csv', utf8(csv));
    expect(job.errors).toEqual([
      { line: 2, field: 'unit', message: 'imports.unitAmbiguous', params: { value: '総務課', candidates: '「健康医療福祉部／総務課」、「総務部／総務課」' } },
      { line: 8, field: 'unit', message: 'error.unitNotFound' },
    ]);
    const jinji = (await tdb.db.selectFrom('units').select('id').where('name', '=', '人事課').executeTakeFirstOrThrow()).id;
    expect((job.rows as { line: number; unitId: number; unit: string }[]).map((r) => [r.line, r.unitId, r.unit])).toEqual([
      [3, ids.soumuSoumu, '総務部／総務課'],
      [4, ids.kenkoSoumu, '健康医療福祉部／総務課'],
      [5, ids.kikaku, '健康医療福祉部／企画課'],
      [6, jinji, '総務部／人事課'],
      [7, ids.closedKikaku, '総務部／企画課'],
    ]);
    const { importErrorText } = await import('../../src/http/import/presenter.js');
    const { translator } = await import('../../src/i18n/index.js');
    const ja = '所属の「総務課」に当たる組織が複数あります（「健康医療福祉部／総務課」、「総務部／総務課」）。どれか一つを「部局名／課名」の形か団体コードで書いてください。';
    expect(importErrorText(translator('ja'), job.errors[0])).toBe(ja);
    expect(importErrorText(translator('en'), job.errors[0])).toBe('Several units answer to "総務課" in Unit (「健康医療福祉部／総務課」、「総務部／総務課」). Write the one meant as "department／division", or by its code.');
    // The preview page: row, column and message.
    const html = await (await agent.get(`/admin/imports/${job.id}`)).text();
    expect(html).toMatch(new RegExp(`<td[^>]*>2</td>\\s*<td[^>]*>所属</td>\\s*<td[^>]*>${ja.replace(/[()（）]/g, '\\$&')}</td>`));
  });

  it('the preview shows 所属 by its path and 所属区分 and 役割 in words, in the reader\'s language; an update shows the unit before and after by name', async () => {
    await createPerson(ctx, admin, { name: '異動 花子', kana: 'イドウ ハナコ', email: 'move@pref.example.jp', staffNumber: '740010', unitId: ids.soumuSoumu, affiliation: 'prefecture', roles: ['staff'] });
    await createPerson(ctx, admin, { name: '空欄 桃子', kana: 'クウラン モモコ', email: 'blank-unit@pref.example.jp', staffNumber: '740011', unitId: ids.kikaku, affiliation: 'prefecture', roles: ['staff'] });
    const csv = [
      HEAD,
      '異動 花子,イドウ ハナコ,move@pref.example.jp,740010,健康医療福祉部／総務課,市町,職員、所属長',
      '空欄 桃子,クウラン モモコ,blank-unit@pref.example.jp,740011,,県,職員',
      '新人 一,シンジン ハジメ,fresh-unit@pref.example.jp,740012,大津市,市町,',
    ].join('\r\n');
    const job = await previewImport(ctx, admin, 'people', 'move.csv', utf8(csv));
    expect(job.errors).toEqual([]);
    expect(job.rows).toMatchObject([
      { line: 2, unitId: ids.kenkoSoumu, unit: '健康医療福祉部／総務課', affiliation: 'municipality', existing: { unit: '総務部／総務課', affiliation: 'prefecture' } },
      { line: 3, unitId: null, unit: null, existing: { unit: '健康医療福祉部／企画課' } },
      { line: 4, unit: '大津市', existing: null },
    ]);

    agent.cookies.set('kyodo_lang', 'ja');
    const ja = await (await agent.get(`/admin/imports/${job.id}`)).text();
    const cells = (html: string) => [...html.matchAll(/<td[^>]*>([^<]*)<\/td>/g)].map((m) => m[1]);
    expect(cells(ja)).toEqual(expect.arrayContaining(['健康医療福祉部／総務課', '大津市', '市町', '県', '職員、所属長・所属研修担当']));
    expect(cells(ja)).not.toContain('municipality');
    expect(cells(ja)).not.toContain('prefecture');
    expect(cells(ja)).not.toContain(String(ids.kenkoSoumu));
    // Old → new, both by name.
    expect(ja).toContain('所属：総務部／総務課');
    expect(ja).toContain('所属：健康医療福祉部／総務課');
    expect(ja).toContain('所属区分：県');
    expect(ja).toContain('所属区分：市町');
    expect(ja).toContain('所属：健康医療福祉部／企画課');
    expect(ja).toContain('所属：なし（空欄のため消します）');

    agent.cookies.set('kyodo_lang', 'en');
    const en = await (await agent.get(`/admin/imports/${job.id}`)).text();
    agent.cookies.delete('kyodo_lang');
    expect(en).toMatch(/<th[^>]*>Unit<\/th>/);
    expect(en).toMatch(/<th[^>]*>Affiliation<\/th>/);
    expect(cells(en)).toEqual(expect.arrayContaining(['健康医療福祉部／総務課', 'Municipality', 'Prefecture']));
    expect(en).toContain('Unit: 総務部／総務課');
    expect(en).toContain('Affiliation: Prefecture');
    expect(en).toContain('Affiliation: Municipality');
  });

  it('the apostrophe our download puts before = + - @ is taken off on import: 「\'-」 is read as 「-」', async () => {
    const csv = ['氏名,フリガナ,メールアドレス,職員番号,職名,所属区分', "記号 一,キゴウ ハジメ,dash@pref.example.jp,'-1,'-,県", "記号 二,キゴウ ジ,apos@pref.example.jp,,'主査,県"].join('\r\n');
    const job = await previewImport(ctx, admin, 'people', 'dash.csv', bom(csv));
    expect(job.errors).toEqual([]);
    expect(job.rows).toMatchObject([
      { line: 2, staffNumber: '-1', jobTitle: '-' },
      { line: 3, jobTitle: "'主査" },
    ]);
  });
});

describe('unitReferenceMap: what the people download writes as 所属, read back by the import as the same unit', () => {
  it('writes a path, a name holding a 「/」 by itself, deeper units by their whole path, a code where even the path is shared, and 「／」 first for a top-level unit a deeper one shares its name with', async () => {
    const { unitReferenceMap } = await import('../../src/services/import.service.js');
    const u = (id: number, name: string, parent_id: number | null = null, code: string | null = null, active = true) => ({ id, name, parent_id, code, active });
    const units = [
      u(1, '総務部'),
      u(2, '総務課', 1),
      u(3, '県民センター', 2), // an agency under a 課: three levels
      u(4, '県民センター'),
      u(5, '企画/調整課', 1),
      u(6, 'ＮＰＯ課', 1),
      u(7, '大津市', null, '252018'),
      u(8, '大津市', null, '252026'),
      u(9, '協議会'),
      u(10, '協議会'), // two top-level units of one name and no code: nothing tells them apart
    ];
    expect(Object.fromEntries(unitReferenceMap(units))).toEqual({
      1: '総務部',
      2: '総務部／総務課',
      3: '総務部／総務課／県民センター',
      4: '／県民センター', // a deeper unit has the name: marked as the top-level one
      5: '企画/調整課',
      6: '総務部／ＮＰＯ課',
      7: '252018',
      8: '252026',
      9: '協議会',
      10: '協議会',
    });
  });
});
