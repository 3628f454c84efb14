import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readXlsx } from '../../src/lib/xlsx.js';
import { apply } from '../../src/services/application.service.js';
import { addSession } from '../../src/services/offering.service.js';
import { getPerson } from '../../src/services/person.service.js';
import { createSurvey, respond } from '../../src/services/survey.service.js';
import { createApiToken } from '../../src/services/api-token.service.js';
import { createTestDb, type TestDb, testContext } from '../support/db.js';
import { Agent, appFor, makeUser } from '../support/http.js';
import { makeOffering } from '../support/offerings.js';
import { toCurrentUser } from '../../src/services/context.js';

let tdb: TestDb;
let ctx: ReturnType<typeof testContext>;
let app: ReturnType<typeof appFor>['app'];
let admin: Agent;
const DAY = 86_400_000;

beforeAll(async () => {
  tdb = await createTestDb();
  ctx = testContext(tdb);
  app = appFor(ctx).app;
  admin = new Agent(app);
  await admin.login((await makeUser(ctx, ['admin'])).email);
});
afterAll(() => tdb.close());

const templateId = async (code: string) => (await ctx.db.selectFrom('survey_templates').select('id').where('code', '=', code).executeTakeFirstOrThrow()).id;

async function setup(n: number, code: 'post-seminar' | 'competency') {
  const o = await makeOffering(ctx, { capacity: 20 });
  const s = await addSession(ctx, null, o.id, { title: '第1回', format: 'lecture', startsAt: new Date(ctx.now().getTime() - 3 * 3_600_000).toISOString(), endsAt: new Date(ctx.now().getTime() - 3_600_000).toISOString() });
  const people = [];
  for (let i = 0; i < n; i++) {
    const p = await makeUser(ctx, ['staff'], { name: `回答 花子${i}`, kana: 'カイトウ ハナコ' });
    const u = toCurrentUser((await getPerson(ctx, p.id))!);
    await apply(ctx, u, o.id, {});
    const agent = new Agent(app);
    await agent.login(p.email);
    people.push({ u, agent, email: p.email });
  }
  const kind = code === 'competency' ? 'pre' : 'post_session';
  const survey = await createSurvey(ctx, null, { templateId: await templateId(code), kind, offeringId: o.id, sessionId: kind === 'post_session' ? s.id : undefined, opensAt: ctx.now().toISOString(), closesAt: new Date(ctx.now().getTime() + 7 * DAY).toISOString() });
  return { o, s, people, survey };
}

const form = { 'q-satisfaction': '5', 'q-understanding': '4', 'q-usefulness': '3', 'q-intent': '取り組みたい', 'q-useful_parts': ['講義', '事例紹介'], 'q-comments': '=HYPERLINK("http://x")と書いた感想' };

describe('answering a survey in the browser (no JavaScript)', () => {
  it('lists it, refuses a missing answer naming the question, keeps what was typed, then saves and lets the same browser edit', async () => {
    const { people, survey } = await setup(1, 'post-seminar');
    const me = people[0].agent;
    const list = await (await me.get('/surveys')).text();
    expect(list).toContain(`href="/surveys/${survey.id}"`);
    expect(list).toContain('未回答');

    const bad = await me.post(`/surveys/${survey.id}`, { ...form, 'q-usefulness': '' });
    expect(bad.status).toBe(422);
    const html = await bad.text();
    expect(html).toContain('業務に役立ちますか');
    expect(html).toMatch(/を入力してください/);
    expect(html).toContain('href="#f-q-usefulness"');
    expect(html).toMatch(/value="5"[^>]*checked|checked[^>]*value="5"/);
    expect(await ctx.db.selectFrom('survey_responses').select('id').where('survey_id', '=', survey.id).execute()).toHaveLength(0);

    const ok = await me.post(`/surveys/${survey.id}`, form);
    expect(ok.status).toBe(303);
    expect([...me.cookies.keys()]).toContain(`kyodo_sk_${survey.id}`);
    const again = await (await me.get(`/surveys/${survey.id}`)).text();
    expect(again).toContain('回答を修正する');
    const edit = await me.post(`/surveys/${survey.id}`, { ...form, 'q-satisfaction': '2' });
    expect(edit.status).toBe(303);
    const rows = await ctx.db.selectFrom('survey_responses').select(['answers', 'person_id']).where('survey_id', '=', survey.id).execute();
    expect(rows).toEqual([{ person_id: null, answers: expect.objectContaining({ satisfaction: 2, useful_parts: ['講義', '事例紹介'] }) }]);

    // Another browser of the same person cannot edit (it has no key) and is told why.
    const other = new Agent(app);
    await other.login(people[0].email);
    const view = await (await other.get(`/surveys/${survey.id}`)).text();
    expect(view).toContain('回答したブラウザからのみ');
    const refused = await other.post(`/surveys/${survey.id}`, form);
    expect(refused.status).toBe(409);
  });

  it('someone not asked gets 404, and only admins see results', async () => {
    const { survey } = await setup(1, 'post-seminar');
    const stranger = new Agent(app);
    await stranger.login((await makeUser(ctx, ['staff', 'coordinator', 'approver'])).email);
    expect((await stranger.get(`/surveys/${survey.id}`)).status).toBe(404);
    expect((await stranger.post(`/surveys/${survey.id}`, form)).status).toBe(404);
    expect((await stranger.get(`/admin/surveys/${survey.id}`)).status).toBe(403);
    expect((await stranger.get(`/admin/surveys/${survey.id}/answers.xlsx`)).status).toBe(403);
  });
});

/** The radio buttons of one question as the page lists them: [value, label text] in page order. */
function radios(html: string, name: string): [string, string][] {
  const out: [string, string][] = [];
  const re = new RegExp(`<label><input type="radio"[^>]*name="${name}"[^>]*value="(\\d)"[^>]*/?>\\s*([^<]*)</label>`, 'g');
  for (const m of html.matchAll(re)) out.push([m[1], m[2].trim()]);
  return out;
}

describe('scales read one way: every point worded, highest first, stored as the words mean', () => {
  it('the first option of every scale is its most positive words and is stored as 5; results and exports read the same way', async () => {
    const { people, survey } = await setup(1, 'post-seminar');
    const me = people[0].agent;
    const html = await (await me.get(`/surveys/${survey.id}`)).text();
    expect(radios(html, 'q-satisfaction')).toEqual([
      ['5', '5：満足'],
      ['4', '4：やや満足'],
      ['3', '3：どちらともいえない'],
      ['2', '2：やや不満'],
      ['1', '1：不満'],
    ]);
    expect(radios(html, 'q-usefulness')).toEqual([
      ['5', '5：そう思う'],
      ['4', '4：ややそう思う'],
      ['3', '3：どちらともいえない'],
      ['2', '2：あまりそう思わない'],
      ['1', '1：そう思わない'],
    ]);
    // No question text carries a legend of its own that could run against the options.
    expect(html).not.toMatch(/（5：/);
    // The question is the group's name (legend).
    expect(html).toMatch(/<legend>本日の内容は、今後の業務に役立ちますか。/);

    // A respondent picks the first option of every scale (and a glowing comment): all stored as 5.
    const first = (name: string) => radios(html, name)[0][0];
    const ok = await me.post(`/surveys/${survey.id}`, { ...form, 'q-satisfaction': first('q-satisfaction'), 'q-understanding': first('q-understanding'), 'q-usefulness': first('q-usefulness'), 'q-comments': 'とても有意義でした。' });
    expect(ok.status).toBe(303);
    const stored = await ctx.db.selectFrom('survey_responses').select('answers').where('survey_id', '=', survey.id).executeTakeFirstOrThrow();
    expect([stored.answers.satisfaction, stored.answers.understanding, stored.answers.usefulness]).toEqual([5, 5, 5]);

    const res = await (await admin.get(`/admin/surveys/${survey.id}`)).text();
    expect(res).toContain('平均 5.00（回答 1人）');
    // The chart's table lists the points in the same order, with their words.
    const table = res.slice(res.indexOf('<caption>本日の研修の満足度'));
    const order = ['5：満足', '4：やや満足', '3：どちらともいえない', '2：やや不満', '1：不満'].map((w) => table.indexOf(w));
    expect(order.every((x, i) => x > 0 && (i === 0 || x > order[i - 1]))).toBe(true);

    const [sheet] = await readXlsx(new Uint8Array(await (await admin.get(`/admin/surveys/${survey.id}/answers.xlsx`)).arrayBuffer()));
    const header = sheet.header.find((h) => h.startsWith('satisfaction'))!;
    expect(header).toContain('5：満足〜1：不満');
    expect(String(sheet.rows[0][header])).toBe('5');

    // The results table downloads with the points in the same order, highest first.
    const csv = (await (await admin.get(`/admin/surveys/${survey.id}/results.csv`)).text()).replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(csv[0]).toBe('設問,項目,選択肢（5〜1）,5,4,3,2,1,人数,平均');
    expect(csv[1]).toBe('本日の研修の満足度を教えてください。,,5：満足〜1：不満,1,0,0,0,0,1,5');

    const api = (await (await admin.get(`/api/v1/surveys/${survey.id}/results`)).json()) as { questions: { id: string; points?: { value: number; label: string; count: number }[] }[] };
    expect(api.questions.find((q) => q.id === 'usefulness')!.points).toEqual([
      { value: 5, label: 'そう思う', count: 1 },
      { value: 4, label: 'ややそう思う', count: 0 },
      { value: 3, label: 'どちらともいえない', count: 0 },
      { value: 2, label: 'あまりそう思わない', count: 0 },
      { value: 1, label: 'そう思わない', count: 0 },
    ]);
  });

  it('the self-assessment matrix shows the same words, highest first, and an English page words them in English', async () => {
    const { people, survey } = await setup(1, 'competency');
    const html = await (await people[0].agent.get(`/surveys/${survey.id}`)).text();
    const head = html.slice(html.indexOf('<thead>'), html.indexOf('</thead>'));
    const words = ['そう思う', 'ややそう思う', 'どちらともいえない', 'あまりそう思わない', 'そう思わない'].map((w) => head.indexOf(`>${w}<`));
    expect(words.every((x, i) => x > 0 && (i === 0 || x > words[i - 1]))).toBe(true);
    const roles = [...html.matchAll(/name="q-competency-roles" value="(\d)"[^>]*aria-label="([^"]*)"/g)].map((m) => [m[1], m[2]]);
    expect(roles[0]).toEqual(['5', expect.stringMatching(/5：そう思う$/)]);
    expect(roles.map((r) => r[0])).toEqual(['5', '4', '3', '2', '1']);
    await people[0].agent.get('/lang/en');
    const en = await (await people[0].agent.get(`/surveys/${survey.id}`)).text();
    expect(en).toMatch(/aria-label="[^"]*5: agree"/);
  });
});

describe('results', () => {
  it('a chart per question as SVG with a table alternative, the live rate, and exports with no identity for anonymous answers', async () => {
    const { people, survey } = await setup(3, 'post-seminar');
    await respond(ctx, people[0].u, survey.id, { answers: { satisfaction: 5, understanding: 4, usefulness: 4, intent: '取り組みたい', comments: '=1+2 と思った' } });
    await respond(ctx, people[1].u, survey.id, { answers: { satisfaction: 3, understanding: 4, usefulness: 5, intent: 'わからない' } });
    const res = await admin.get(`/admin/surveys/${survey.id}`);
    const html = await res.text();
    expect(res.status).toBe(200);
    expect(html).toContain('2 / 3人（66.7%）');
    expect(html).toContain(`data-live="/api/v1/surveys/${survey.id}/results"`);
    expect(html.match(/<svg[^>]*role="img"/g)!.length).toBe(5); // 3 scales + 2 choice questions
    expect(html).toContain('平均 4.00（回答 2人）');
    expect(html).toMatch(/<caption>[^<]*満足度[^<]*<\/caption>/);
    expect(html).toContain('=1+2 と思った');

    const xlsx = await admin.get(`/admin/surveys/${survey.id}/answers.xlsx`);
    expect(xlsx.headers.get('content-type')).toContain('spreadsheetml');
    const [sheet] = await readXlsx(new Uint8Array(await xlsx.arrayBuffer()));
    // Neither a person nor a day: on a day when one person answered, the day would name them.
    expect(sheet.header.join()).not.toMatch(/氏名|フリガナ|所属|回答日/);
    expect(sheet.header[0]).toMatch(/^satisfaction /);
    expect(sheet.rows).toHaveLength(2);
    const flat = JSON.stringify(sheet);
    for (const p of people) {
      expect(flat).not.toContain(p.email);
      expect(flat).not.toContain(p.u.name);
    }
    // Formula injection is neutralised on export.
    const csv = await (await admin.get(`/admin/surveys/${survey.id}/comments.csv`)).text();
    expect(csv).toContain("'=1+2 と思った");

    const api = await admin.get(`/api/v1/surveys/${survey.id}/responses`);
    const body = (await api.json()) as { anonymous: boolean; items: Record<string, unknown>[] };
    expect(body.anonymous).toBe(true);
    expect(body.items).toHaveLength(2);
    for (const item of body.items) expect(Object.keys(item)).toEqual(['answers']);
    const r = (await (await admin.get(`/api/v1/surveys/${survey.id}/results`)).json()) as { responded: number; invited: number; responseRate: number; questions: { id: string; mean?: number }[] };
    expect([r.responded, r.invited, r.responseRate]).toEqual([2, 3, 66.7]);
    expect(r.questions.find((q) => q.id === 'satisfaction')!.mean).toBe(4);
  });

  it('named answers carry the respondent in admin exports', async () => {
    const { people, survey } = await setup(1, 'competency');
    await respond(ctx, people[0].u, survey.id, { answers: { competency: { roles: 2, sites: 3, consensus: 1, facilitation: 2, evaluation: 4 } } });
    const [sheet] = await readXlsx(new Uint8Array(await (await admin.get(`/admin/surveys/${survey.id}/answers.xlsx`)).arrayBuffer()));
    expect(sheet.header.slice(0, 5)).toEqual(['氏名', 'フリガナ', '所属区分', '所属', '回答日']);
    expect(sheet.rows[0]['氏名']).toBe(people[0].u.name);
    expect(sheet.header.slice(5, 10).map((h) => String(sheet.rows[0][h]))).toEqual(['2', '3', '1', '2', '4']);
  });
});

describe('admin forms and API', () => {
  it('creates a pre self-assessment from the form, refusing a closing time before the opening', async () => {
    const o = await makeOffering(ctx, { capacity: 5 });
    const tid = String(await templateId('competency'));
    const bad = await admin.post('/admin/surveys', { templateId: tid, kind: 'pre', offeringId: String(o.id), opensAt: '2026-12-01T09:00', closesAt: '2026-11-30T09:00' });
    expect(bad.status).toBe(422);
    expect(await bad.text()).toContain('回答締切日時は申込開始より後の日時にしてください');
    const missing = await admin.post('/admin/surveys', { templateId: tid, kind: 'pre', opensAt: '2026-12-01T09:00', closesAt: '2026-12-10T09:00' });
    expect(missing.status).toBe(422);
    expect(await missing.text()).toContain('研修を入力してください');
    const ok = await admin.post('/admin/surveys', { templateId: tid, kind: 'pre', offeringId: String(o.id), opensAt: '2026-12-01T09:00', closesAt: '2026-12-10T09:00' });
    expect(ok.status).toBe(303);
    const dup = await admin.post('/admin/surveys', { templateId: tid, kind: 'pre', offeringId: String(o.id), opensAt: '2026-12-01T09:00', closesAt: '2026-12-10T09:00' });
    expect(dup.status).toBe(422);
    expect(await dup.text()).toContain('同じ種類のアンケートがすでにあります');
  });

  it('answers over the API with a token; a closed survey and a bad value get 4xx naming the question', async () => {
    const { people, survey } = await setup(1, 'competency');
    const { token } = await createApiToken(ctx, null, people[0].u.id, { name: 'test' });
    const call = (answers: unknown) =>
      app.request(`http://kyodo.test/api/v1/surveys/${survey.id}/responses`, { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body: JSON.stringify({ answers }) });
    const bad = await call({ competency: { roles: 7 } });
    expect(bad.status).toBe(422);
    const err = (await bad.json()) as { error: { fields: Record<string, string> } };
    expect(JSON.stringify(err)).toContain('多様な主体');
    const ok = await call({ competency: { roles: 2, sites: 2, consensus: 2, facilitation: 2, evaluation: 2 } });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ editKey: null, updated: false });
    ctx.clock.advance(8 * DAY);
    const closed = await call({ competency: { roles: 3, sites: 2, consensus: 2, facilitation: 2, evaluation: 2 } });
    expect(closed.status).toBe(409);
    ctx.clock.advance(-8 * DAY);
  });

  it('edits a template through its text form; a bad line is named', async () => {
    const res = await admin.post('/admin/survey-templates', { name: '講師評価', purpose: 'general', questions: 'scale5:clarity*: 説明はわかりやすかったですか。\nsingle:again: また受講したいですか。 | はい' });
    expect(res.status).toBe(422);
    expect(await res.text()).toContain('again: options');
    const ok = await admin.post('/admin/survey-templates', { name: '講師評価', purpose: 'general', anonymous: 'on', questions: 'scale5:clarity*: 説明はわかりやすかったですか。\nsingle:again: また受講したいですか。 | はい | いいえ' });
    expect(ok.status).toBe(303);
    const page = await (await admin.get(ok.headers.get('location')!)).text();
    expect(page).toContain('single:again: また受講したいですか。 | はい | いいえ');
  });
});

describe('/admin/surveys: the filter and the create form', () => {
  it('have unique ids, and every label points at a control of its own form (種類 of the create form at the create form’s dropdown)', async () => {
    const html = await (await admin.get('/admin/surveys')).text();
    const ids = [...html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]);
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
    const forms = [...html.matchAll(/<form\b[\s\S]*?<\/form>/g)].map((m) => m[0]);
    const filter = forms.find((f) => f.includes('action="/admin/surveys" class="filters"'))!;
    const create = forms.find((f) => /method="post"[^>]*action="\/admin\/surveys"/.test(f))!;
    expect(filter).toBeDefined();
    expect(create).toBeDefined();
    for (const form of [filter, create]) {
      const fors = [...form.matchAll(/<label[^>]*\sfor="([^"]+)"/g)].map((m) => m[1]);
      expect(fors.length).toBeGreaterThan(0);
      for (const id of fors) expect(form, `label for=${id}`).toMatch(new RegExp(`<(select|input|textarea)[^>]*\\sid="${id.replace(/[.]/g, '\\.')}"`));
    }
    expect(create).toMatch(/<label for="f-kind">種類/);
    expect(create).toMatch(/<select id="f-kind" name="kind"/);
    expect(filter).toMatch(/<label for="f-filter-kind">種類<\/label>/);
    expect(filter).toMatch(/<select id="f-filter-kind" name="kind"/);
  });
});

