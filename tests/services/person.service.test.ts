import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAudit } from '../../src/services/audit.service.js';
import { createPerson, listPeople, setPersonActive, updatePerson } from '../../src/services/person.service.js';
import { createUnit, listUnits, updateUnit } from '../../src/services/unit.service.js';
import { loadSampleData } from '../../src/services/sample-data/sample-data.service.js';
import { createTestDb, type TestDb, testContext } from '../support/db.js';

let tdb: TestDb;
let ctx: ReturnType<typeof testContext>;
const actor = null;

beforeAll(async () => {
  tdb = await createTestDb();
  ctx = testContext(tdb);
});
afterAll(() => tdb.close());

describe('people', () => {
  it('keeps names as entered (異体字), stores フリガナ as katakana, and finds people kana- and width-insensitively', async () => {
    const p = await createPerson(ctx, actor, { name: '髙﨑 花子', kana: 'たかさき はなこ', email: 'Hanako.Takasaki@pref.example.jp', affiliation: 'prefecture' });
    expect(p.name).toBe('髙﨑 花子');
    expect(p.kana).toBe('タカサキ ハナコ');
    for (const q of ['髙﨑', 'タカサキ', 'たかさき', 'ﾀｶｻｷ', 'hanako.takasaki', 'ＨＡＮＡＫＯ']) {
      const { rows } = await listPeople(ctx, { q });
      expect(rows.map((r) => r.id), q).toContain(p.id);
    }
  });

  it('stores staff numbers and 市町 codes NFKC-normalised and trimmed, so full width finds the same person (issue 17, medium 7)', async () => {
    const p = await createPerson(ctx, actor, { name: '全角 番号', kana: 'ゼンカク バンゴウ', email: 'zenkaku@pref.example.jp', affiliation: 'prefecture', staffNumber: ' ２０３０３４ ' });
    expect(p.staff_number).toBe('203034');
    await expect(
      createPerson(ctx, actor, { name: '半角 番号', kana: 'ハンカク バンゴウ', email: 'hankaku@pref.example.jp', affiliation: 'prefecture', staffNumber: '203034' }),
    ).rejects.toMatchObject({ fields: { staffNumber: { key: 'error.staffNumberTaken' } } });
    const u = await updatePerson(ctx, actor, p.id, { name: '全角 番号', kana: 'ゼンカク バンゴウ', email: 'zenkaku@pref.example.jp', affiliation: 'prefecture', staffNumber: 'Ａ１２' });
    expect(u.staff_number).toBe('A12');
    const city = await createUnit(ctx, actor, { kind: 'municipality', name: '草津市', kana: 'クサツシ', code: '２５２１３１' });
    expect(city.code).toBe('252131');
  });

  it('lists 50音順 by フリガナ, never by the kanji', async () => {
    for (const [name, kana, email] of [
      ['和田 一', 'ワダ ハジメ', 'wada@pref.example.jp'],
      ['安藤 二', 'アンドウ ジ', 'ando@pref.example.jp'],
      ['東 三', 'アズマ サン', 'azuma@pref.example.jp'],
      ['小野 四', 'オノ シ', 'ono@pref.example.jp'],
      ['後藤 五', 'ゴトウ ゴ', 'goto@pref.example.jp'],
      ['加藤 六', 'カトウ ロク', 'kato@pref.example.jp'],
    ])
      await createPerson(ctx, actor, { name, kana, email, affiliation: 'prefecture' });
    const { rows } = await listPeople(ctx, { limit: 100 });
    const order = rows.map((r) => r.name).filter((n) => /[一二三四五六]$/.test(n));
    expect(order).toEqual(['東 三', '安藤 二', '小野 四', '加藤 六', '後藤 五', '和田 一']);
  });

  it('refuses bad input naming each field, and saves nothing', async () => {
    const before = (await listPeople(ctx, { includeInactive: true })).total;
    await expect(createPerson(ctx, actor, { name: ' ', kana: 'Hanako', email: 'x@', affiliation: 'tokyo', unitId: 'abc' })).rejects.toMatchObject({
      status: 422,
      fields: {
        name: { key: 'error.required' },
        kana: { key: 'error.kana' },
        email: { key: 'error.email' },
        affiliation: { key: 'error.choice' },
        unitId: { key: 'error.invalid' },
      },
    });
    await expect(createPerson(ctx, actor, { name: 'x', kana: 'エックス', email: 'x@example.jp', affiliation: 'prefecture', unitId: '424242' })).rejects.toMatchObject({
      fields: { unitId: { key: 'error.unitNotFound' } },
    });
    expect((await listPeople(ctx, { includeInactive: true })).total).toBe(before);
  });

  it('audits create, update and deactivate with before and after', async () => {
    const p = await createPerson(ctx, { id: 1 }, { name: '監査 太郎', kana: 'カンサ タロウ', email: 'kansa@pref.example.jp', affiliation: 'prefecture' });
    await updatePerson(ctx, { id: 1 }, p.id, { name: '監査 次郎', kana: 'カンサ ジロウ', email: 'kansa@pref.example.jp', affiliation: 'agency', roles: ['staff', 'coordinator'] });
    await setPersonActive(ctx, { id: 1 }, p.id, false);
    const { rows } = await listAudit(ctx, { entity: 'person', entityId: String(p.id) }, { limit: 10, offset: 0 });
    expect(rows.map((r) => r.action)).toEqual(['deactivate', 'update', 'create']);
    const update = rows[1];
    expect(update.actor_id).toBe(1);
    expect(update.before).toMatchObject({ name: '監査 太郎', affiliation: 'prefecture', roles: ['staff'] });
    expect(update.after).toMatchObject({ name: '監査 次郎', affiliation: 'agency', roles: ['coordinator', 'staff'] });
    expect(JSON.stringify(update.after)).not.toContain('password_hash');
    expect((await listPeople(ctx, { q: 'kansa' })).total).toBe(0);
    expect((await listPeople(ctx, { q: 'kansa', includeInactive: true })).total).toBe(1);
  });
});

describe('units', () => {
  it('enforces the tree: a division sits under a department, a municipality has a valid code', async () => {
    const dept = await createUnit(ctx, actor, { kind: 'department', name: '県民生活部', kana: 'ケンミンセイカツブ' });
    await expect(createUnit(ctx, actor, { kind: 'division', name: '迷子課', kana: 'マイゴカ' })).rejects.toMatchObject({ fields: { parentId: { key: 'error.required' } } });
    const div = await createUnit(ctx, actor, { kind: 'division', name: '県民活動課', kana: 'ケンミンカツドウカ', parentId: String(dept.id) });
    await expect(createUnit(ctx, actor, { kind: 'division', name: '孫課', kana: 'マゴカ', parentId: String(div.id) })).rejects.toMatchObject({
      fields: { parentId: { key: 'error.parentKind' } },
    });
    await expect(createUnit(ctx, actor, { kind: 'municipality', name: '架空市', kana: 'カクウシ', code: '252019' })).rejects.toMatchObject({
      fields: { code: { key: 'error.lgCode' } },
    });
    await createUnit(ctx, actor, { kind: 'municipality', name: '草津市', kana: 'クサツシ', code: '252069' });
    await expect(createUnit(ctx, actor, { kind: 'municipality', name: '草津市2', kana: 'クサツシ', code: '252069' })).rejects.toMatchObject({
      fields: { code: { key: 'error.codeTaken' } },
    });
    // Renaming keeps the id: history reads as one line.
    const renamed = await updateUnit(ctx, actor, div.id, { kind: 'division', name: '県民活動生活課', kana: 'ケンミンカツドウセイカツカ', parentId: String(dept.id) });
    expect(renamed.id).toBe(div.id);
    const tree = await listUnits(ctx);
    const i = tree.findIndex((u) => u.id === dept.id);
    expect(tree[i + 1]).toMatchObject({ id: div.id, depth: 1, name: '県民活動生活課' });
  });
});

describe('sample data', () => {
  it('loads departments, divisions, municipalities with valid codes, about 200 staff, and the programme lineage', async () => {
    const t2 = await createTestDb();
    try {
      const c2 = testContext(t2);
      const r = await loadSampleData(c2, null);
      expect(r.people).toBe(200);
      expect(r.units).toBeGreaterThan(40);
      const { rows, total } = await listPeople(c2, { limit: 300 });
      // 200 staff, the sample sign-ins' administrator (issue 16 §5), and a member for each partner that hosts a
      // field training or is one of the ten named ones.
      expect(rows.filter((p) => p.affiliation !== 'partner')).toHaveLength(201);
      expect(rows.filter((p) => p.roles.includes('admin')).map((p) => p.email)).toEqual(['kenshu.admin@pref.example.jp']);
      const members = rows.filter((p) => p.affiliation === 'partner');
      expect(members.every((p) => p.roles.includes('partner'))).toBe(true);
      expect(new Set(members.map((p) => p.partner_id)).size).toBeGreaterThanOrEqual(10);
      expect(total).toBe(201 + members.length);
      // One sign-in per role, all with the one password; nobody else has a password.
      expect(r.signIns!.accounts.map((a) => a.role)).toEqual(['admin', 'approver', 'staff', 'municipalStaff', 'coordinator', 'partner']);
      const withPassword = await c2.db.selectFrom('people').select('email').where('password_hash', 'is not', null).orderBy('email').execute();
      expect(withPassword.map((p) => p.email)).toEqual(r.signIns!.accounts.map((a) => a.email).sort());
      const kanas = rows.map((p) => p.kana);
      expect([...kanas].sort()).toEqual(kanas); // katakana code-point order = 50音順
      const programmes = await c2.db.selectFrom('programmes').select(['code', 'name', 'predecessor_id', 'id', 'first_fiscal_year', 'last_fiscal_year']).execute();
      const npo = programmes.find((p) => p.name === 'NPO・協働研修')!;
      const seminar = programmes.find((p) => p.name === '協働推進セミナー')!;
      expect([npo.first_fiscal_year, npo.last_fiscal_year]).toEqual([1999, 2006]);
      expect(seminar.predecessor_id).toBe(npo.id);
      expect(seminar.first_fiscal_year).toBe(2007);
      // This fiscal year's seminar and coordinator course, with sessions and applicants within capacity.
      const offerings = await c2.db.selectFrom('offerings').selectAll().execute();
      expect(offerings.filter((o) => o.fiscal_year === 2026)).toHaveLength(2);
      // Past coordinator cohorts: completions, certificates and coordinators, some expired.
      expect(r.coordinators).toBe(40);
      const { coordinatorDirectory } = await import('../../src/services/coordinator.service.js');
      const all = await coordinatorDirectory(c2, { statuses: ['active', 'expiring', 'expired'] });
      // 40 from the recent cohorts, and 28 from the plan period's courses (平成23〜26年度: 7 of 8 each year), long expired.
      // Certified on the day of their last session (never the day the data was loaded): on 2026-11-24 the 令和3年度
      // cohort (10) and those of 令和5年度 certified on 2023-11-13 (9, valid until 2026-11-12) have expired too.
      expect(all).toHaveLength(68);
      expect(all.filter((x) => x.status === 'expired')).toHaveLength(28 + 10 + 9);
      expect(all.filter((x) => x.status === 'expiring')).toHaveLength(1); // 令和5年度, certified 2023-12-11
      const certs = await c2.db.selectFrom('certificates').select('number').execute();
      expect(certs).toHaveLength(68);
      // About 40 partners with sites; field trainings in this and last fiscal year have hosts.
      expect(r.partners).toBe(40);
      const hosted = await c2.db.selectFrom('offering_sessions').innerJoin('offerings', 'offerings.id', 'offering_sessions.offering_id').select(['offerings.fiscal_year', 'offering_sessions.host_partner_id']).where('format', '=', 'field').execute();
      expect(hosted.every((h) => h.host_partner_id !== null)).toBe(true);
      expect(new Set(hosted.map((h) => h.fiscal_year))).toEqual(new Set([2011, 2012, 2013, 2014, 2025, 2026]));
      const types = await c2.db.selectFrom('partners').select('type').distinct().execute();
      expect(types.length).toBeGreaterThanOrEqual(5);
      const sessions = await c2.db.selectFrom('offering_sessions').select(['offering_id', 'format']).execute();
      expect(sessions.filter((x) => x.format === 'field').length).toBeGreaterThanOrEqual(3);
      for (const o of offerings) {
        const confirmed = await c2.db.selectFrom('applications').select('id').where('offering_id', '=', o.id).where('status', '=', 'confirmed').execute();
        expect(confirmed.length).toBeGreaterThan(0);
        expect(confirmed.length).toBeLessThanOrEqual(o.capacity);
      }
      // Past cohorts' survey answers: questionnaires, hosts' views, and pre/post self-assessments that mostly rise.
      expect(r.surveyAnswers).toBeGreaterThan(300);
      const { impact, exchangeViews } = await import('../../src/services/survey.service.js');
      const change = await impact(c2, { by: 'cohort' });
      expect(change.groups).toHaveLength(4);
      expect(change.people).toBeGreaterThan(30);
      for (const x of change.overall) expect(x.meanChange).toBeGreaterThan(0.3);
      const field = await c2.db.selectFrom('surveys').select('session_id').where('kind', '=', 'host').executeTakeFirstOrThrow();
      const views = await exchangeViews(c2, field.session_id!);
      expect(views!.participant!.responded).toBeGreaterThan(10);
      expect(views!.host!.responded).toBe(1);
      const anonymous = await c2.db.selectFrom('survey_responses').innerJoin('surveys', 'surveys.id', 'survey_responses.survey_id').select('survey_responses.person_id').where('surveys.anonymous', '=', true).execute();
      expect(anonymous.length).toBeGreaterThan(100);
      expect(anonymous.every((x) => x.person_id === null)).toBe(true);
      // Idempotent.
      expect((await loadSampleData(c2, null)).people).toBe(0);
    } finally {
      await t2.close();
    }
  }, 120_000); // the whole sample data, on a machine shared with other test runs
});
