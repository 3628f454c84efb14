import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apply } from '../../src/services/application.service.js';
import { addSession } from '../../src/services/offering.service.js';
import { getPerson } from '../../src/services/person.service.js';
import { createSurvey, flushClosedAnswerPools, rawAnswers, respond, respondentView, results } from '../../src/services/survey.service.js';
import { createTestDb, type TestDb, testContext } from '../support/db.js';
import { createApp } from '../../src/http/app.js';
import { Agent, appFor, makeUser } from '../support/http.js';
import { makeOffering } from '../support/offerings.js';
import { toCurrentUser } from '../../src/services/context.js';

/**
 * Issue 17, high 2 (decision 0018): an anonymous answer cannot be linked to its author from the
 * database, its dumps or the logs. Each test tries one of the joins the probe used: transaction ids
 * (xmin), physical row order (ctid), timestamps, the audit log (and comparing the answers before and
 * after an entry), and the logs. The production minimum of 5 is used here.
 */
let tdb: TestDb;
let ctx: ReturnType<typeof testContext>;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const MIN = 5;

beforeAll(async () => {
  tdb = await createTestDb();
  ctx = testContext(tdb, { config: { surveyMinAnswers: MIN } });
});
afterAll(() => tdb.close());

const comment = (i: number) => `回答者${i}だけが書いた感想です。`;
const answer = (i: number) => ({ satisfaction: (i % 5) + 1, understanding: 4, usefulness: 4, intent: '取り組みたい', comments: comment(i) });

/** An anonymous post-session survey with `n` invited participants, open now. */
async function survey(n: number, c = ctx) {
  const o = await makeOffering(c, { capacity: 50 });
  const start = new Date(c.now().getTime() - HOUR);
  const s = await addSession(c, null, o.id, { title: '現地研修', format: 'field', startsAt: start.toISOString(), endsAt: new Date(start.getTime() + 2 * HOUR).toISOString() });
  const people = [];
  for (let i = 0; i < n; i++) {
    const u = toCurrentUser((await getPerson(c, (await makeUser(c, ['staff'])).id))!);
    await apply(c, u, o.id, {});
    people.push(u);
  }
  const templateId = (await c.db.selectFrom('survey_templates').select('id').where('code', '=', 'post-seminar').executeTakeFirstOrThrow()).id;
  const sv = await createSurvey(c, null, { templateId, kind: 'post_session', sessionId: s.id, opensAt: c.now().toISOString(), closesAt: new Date(c.now().getTime() + 3 * DAY).toISOString() });
  expect(sv.anonymous).toBe(true);
  return { sv, people };
}

const responses = (id: number) => ctx.db.selectFrom('survey_responses').selectAll().where('survey_id', '=', id).execute();
const comments = async (id: number) => (await responses(id)).map((r) => String((r.answers as Record<string, unknown>).comments)).sort();

describe('anonymous answers are written in shuffled batches of at least the minimum', () => {
  it('wait sealed until five have come, then appear together; comparing before and after an answer shows nothing', async () => {
    const { sv, people } = await survey(6);
    for (let i = 0; i < MIN - 1; i++) {
      await respond(ctx, people[i]!, sv.id, { answers: answer(i) });
      // The audit entry for this person is there, but the answers are as they were: nothing to compare.
      expect(await responses(sv.id)).toEqual([]);
    }
    const pool = await ctx.db.selectFrom('survey_answer_pool').selectAll().where('survey_id', '=', sv.id).execute();
    expect(pool).toHaveLength(MIN - 1);
    // Sealed: neither the text nor anything else of the answers can be read in the database.
    const dump = JSON.stringify(pool);
    for (let i = 0; i < MIN - 1; i++) expect(dump).not.toContain(comment(i));
    expect(dump).not.toContain('取り組みたい');
    expect(Object.keys(pool[0]!).sort()).toEqual(['id', 'sealed', 'survey_id']); // no person, no time
    await respond(ctx, people[MIN - 1]!, sv.id, { answers: answer(MIN - 1) });
    expect(await comments(sv.id)).toEqual(Array.from({ length: MIN }, (_, i) => comment(i)).sort());
    expect(await ctx.db.selectFrom('survey_answer_pool').selectAll().where('survey_id', '=', sv.id).execute()).toEqual([]);
  });

  it('share one transaction id per batch, never that of an invitation mark or an audit entry (xmin)', async () => {
    const { sv, people } = await survey(MIN);
    for (let i = 0; i < MIN; i++) await respond(ctx, people[i]!, sv.id, { answers: answer(i) });
    const xmins = await sql<{ x: string }>`SELECT xmin::text AS x FROM survey_responses WHERE survey_id = ${sv.id}`.execute(ctx.db);
    expect(new Set(xmins.rows.map((r) => r.x)).size).toBe(1);
    const marks = await sql<{ x: string }>`SELECT xmin::text AS x FROM survey_invitations WHERE survey_id = ${sv.id}`.execute(ctx.db);
    const audits = await sql<{ x: string }>`SELECT xmin::text AS x FROM audit_log WHERE entity = 'survey_response'`.execute(ctx.db);
    const scores = await sql<{ x: string }>`SELECT DISTINCT xmin::text AS x FROM survey_scores WHERE survey_id = ${sv.id}`.execute(ctx.db);
    const batch = xmins.rows[0]!.x;
    expect(marks.rows.map((r) => r.x)).not.toContain(batch);
    expect(audits.rows.map((r) => r.x)).not.toContain(batch);
    expect(scores.rows.map((r) => r.x)).toEqual([batch]);
  });

  it('are stored in an order that is not the order of answering (ctid)', async () => {
    const big = testContext(tdb, { config: { surveyMinAnswers: 20 } });
    const { sv, people } = await survey(20, big);
    for (let i = 0; i < 20; i++) await respond(big, people[i]!, sv.id, { answers: answer(i) });
    const byCtid = await sql<{ c: string }>`SELECT answers->>'comments' AS c FROM survey_responses WHERE survey_id = ${sv.id} ORDER BY ctid`.execute(big.db);
    const stored = byCtid.rows.map((r) => r.c);
    const given = Array.from({ length: 20 }, (_, i) => comment(i));
    expect([...stored].sort()).toEqual([...given].sort());
    expect(stored).not.toEqual(given);
    expect(stored).not.toEqual([...given].reverse());
  });

  it('carry no time, anywhere (timestamps)', async () => {
    const cols = await sql<{ table_name: string; column_name: string; data_type: string }>`
      SELECT table_name, column_name, data_type FROM information_schema.columns
      WHERE table_name IN ('survey_responses', 'survey_scores', 'survey_answer_pool')`.execute(ctx.db);
    const timed = cols.rows.filter((c) => /time|date/.test(c.data_type));
    expect(timed.map((c) => `${c.table_name}.${c.column_name}`).sort()).toEqual(['survey_responses.submitted_on', 'survey_responses.updated_on']);
    const { sv, people } = await survey(MIN);
    for (let i = 0; i < MIN; i++) await respond(ctx, people[i]!, sv.id, { answers: answer(i) });
    expect((await responses(sv.id)).every((r) => r.submitted_on === null && r.updated_on === null)).toBe(true);
  });

  it('the audit log says who answered, never which answer, and names nobody on the audit page (audit log)', async () => {
    const { sv, people } = await survey(MIN);
    const before = Number((await ctx.db.selectFrom('audit_log').select((e) => e.fn.max('id').as('m')).executeTakeFirstOrThrow()).m ?? 0);
    for (let i = 0; i < MIN; i++) await respond(ctx, people[i]!, sv.id, { answers: answer(i) });
    const entries = await ctx.db.selectFrom('audit_log').selectAll().where('id', '>', before).execute();
    const ids = (await responses(sv.id)).map((r) => r.id);
    const text = JSON.stringify(entries);
    for (const id of ids) expect(text).not.toContain(id);
    for (let i = 0; i < MIN; i++) expect(text).not.toContain(comment(i));
  });

  it('the request log holds no answer and no response id (logs)', async () => {
    const lines: string[] = [];
    const { createLogger } = await import('../../src/lib/logger.js');
    const logger = createLogger({ logLevel: 'info' }, { write: (l: string) => lines.push(l) });
    const { app } = createApp(ctx, { logger });
    const { sv, people } = await survey(MIN);
    for (let i = 0; i < MIN; i++) {
      const a = new Agent(app, `198.51.100.${i + 1}`);
      await a.login(people[i]!.email);
      const res = await a.post(`/surveys/${sv.id}`, { 'q-satisfaction': String(answer(i).satisfaction), 'q-understanding': '4', 'q-usefulness': '4', 'q-intent': '取り組みたい', 'q-comments': comment(i) });
      expect(res.status).toBeLessThan(400);
    }
    expect(await responses(sv.id)).toHaveLength(MIN);
    const log = lines.join('\n');
    expect(log).toContain(`/surveys/${sv.id}`);
    for (const r of await responses(sv.id)) expect(log).not.toContain(r.id);
    for (let i = 0; i < MIN; i++) expect(log).not.toContain(comment(i));
  });
});

describe('what can be shown, and changes', () => {
  it('fewer than the minimum: no per-answer figure, no text, only "too few answers to show"; the last batch is written at the close', async () => {
    const { sv, people } = await survey(3);
    for (let i = 0; i < 3; i++) await respond(ctx, people[i]!, sv.id, { answers: answer(i) });
    const open = await results(ctx, sv.id);
    expect(open).toMatchObject({ responded: 3, written: 0, waiting: 3, tooFew: true });
    expect(open!.summaries.every((s) => (s.summary as { n?: number }).n === undefined || (s.summary as { n: number }).n === 0)).toBe(true);
    ctx.clock.advance(3 * DAY + HOUR);
    try {
      await flushClosedAnswerPools(ctx);
      expect(await responses(sv.id)).toHaveLength(3);
      const closed = await results(ctx, sv.id);
      expect(closed).toMatchObject({ written: 3, waiting: 0, tooFew: true });
      const raw = await rawAnswers(ctx, sv.id);
      expect(raw).toMatchObject({ tooFew: true, rows: [] });
      const admin = new Agent(appFor(ctx).app);
      await admin.login((await makeUser(ctx, ['admin', 'staff'])).email);
      const page = await (await admin.get(`/admin/surveys/${sv.id}`)).text();
      expect(page).toContain('回答が5件に満たないため');
      expect(page).not.toContain(comment(0));
    } finally {
      ctx.clock.advance(-(3 * DAY + HOUR));
    }
  });

  it('a change with the edit key replaces the earlier answer, before or after its batch, and is itself batched', async () => {
    const { sv, people } = await survey(MIN + 1);
    const first = await respond(ctx, people[0]!, sv.id, { answers: answer(0) });
    await respond(ctx, people[0]!, sv.id, { answers: { ...answer(0), comments: '書き直しました（待機中）' }, editKey: first.editKey });
    expect((await respondentView(ctx, people[0]!, sv.id, first.editKey)).answers?.comments).toBe('書き直しました（待機中）');
    await expect(respond(ctx, people[0]!, sv.id, { answers: answer(0) })).rejects.toMatchObject({ status: 409 });
    for (let i = 1; i < MIN; i++) await respond(ctx, people[i]!, sv.id, { answers: answer(i) });
    // Five respondents (one of them changed their answer): a batch of five.
    expect(await comments(sv.id)).toEqual(['書き直しました（待機中）', ...Array.from({ length: MIN - 1 }, (_, i) => comment(i + 1))].sort());
    // A change after the batch waits for the next one (or the close), then replaces it.
    await respond(ctx, people[0]!, sv.id, { answers: { ...answer(0), comments: '二度目の書き直し' }, editKey: first.editKey });
    expect(await comments(sv.id)).toContain('書き直しました（待機中）');
    expect((await respondentView(ctx, people[0]!, sv.id, first.editKey)).answers?.comments).toBe('二度目の書き直し');
    ctx.clock.advance(3 * DAY + HOUR);
    try {
      await flushClosedAnswerPools(ctx);
    } finally {
      ctx.clock.advance(-(3 * DAY + HOUR));
    }
    const after = await comments(sv.id);
    expect(after).toHaveLength(MIN);
    expect(after).toContain('二度目の書き直し');
    expect(after).not.toContain('書き直しました（待機中）');
  });
});
