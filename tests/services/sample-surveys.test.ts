import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SurveyQuestion } from '../../src/domain/survey.js';
import { loadSampleData } from '../../src/services/sample-data/sample-data.service.js';
import { SAMPLE_COMMENTS, SAMPLE_HOST_COMMENTS } from '../../src/services/sample-data/surveys.js';
import { createTestDb, type TestDb, testContext } from '../support/db.js';
import { makeUser } from '../support/http.js';

let tdb: TestDb;
let ctx: ReturnType<typeof testContext>;

beforeAll(async () => {
  tdb = await createTestDb();
  ctx = testContext(tdb);
  await loadSampleData(ctx, await makeUser(ctx, ['admin']));
}, 180_000);
afterAll(() => tdb.close());

const answersOf = async (kind: 'post_session' | 'host') =>
  (await ctx.db.selectFrom('survey_responses').innerJoin('surveys', 'surveys.id', 'survey_responses.survey_id').select(['survey_responses.answers', 'surveys.questions']).where('surveys.kind', '=', kind).execute()).map((r) => ({
    answers: r.answers as Record<string, unknown>,
    questions: r.questions as SurveyQuestion[],
  }));

describe('the sample survey answers read the way the scales do (5 = the most positive words)', () => {
  it('glowing comments sit beside high scores and critical ones beside low scores', async () => {
    const post = await answersOf('post_session');
    const host = await answersOf('host');
    expect(post.length).toBeGreaterThan(20);
    expect(host.length).toBeGreaterThan(0);
    const glowing = SAMPLE_COMMENTS.high.filter(Boolean);
    const critical = SAMPLE_COMMENTS.low;
    for (const { answers } of post) {
      if (glowing.includes(String(answers.comments))) expect(answers.satisfaction).toBeGreaterThanOrEqual(4);
      if (critical.includes(String(answers.comments))) expect(answers.satisfaction).toBeLessThanOrEqual(2);
    }
    for (const { answers } of host) {
      if (SAMPLE_HOST_COMMENTS.high.filter(Boolean).includes(String(answers.comments))) expect(answers.gained).toBeGreaterThanOrEqual(4);
      if (SAMPLE_HOST_COMMENTS.low.includes(String(answers.comments))) expect(answers.gained).toBeLessThanOrEqual(2);
    }
    expect(post.some(({ answers }) => glowing.includes(String(answers.comments)))).toBe(true);
    // The sample is a good year: most answers are on the positive side of every scale.
    const mean = post.reduce((n, { answers }) => n + Number(answers.satisfaction), 0) / post.length;
    expect(mean).toBeGreaterThan(3.5);
  });

  it('their questions carry no legend that could run against the options', async () => {
    for (const { questions } of [...(await answersOf('post_session')), ...(await answersOf('host'))].slice(0, 50))
      for (const q of questions) expect(q.label).not.toMatch(/（5：/);
  });
});
