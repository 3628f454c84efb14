import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { up } from '../../src/db/migrations/20261130T1005-surveys.js';
import type { SurveyQuestion } from '../../src/domain/survey.js';
import { createTestDb, type TestDb, testContext } from '../support/db.js';
import { makeUser } from '../support/http.js';

let tdb: TestDb;
beforeAll(async () => {
  tdb = await createTestDb();
});
afterAll(() => tdb.close());

// The questions as installations stored them before issue 15: the legend in the text, bare numbers on the form.
const OLD: SurveyQuestion[] = [
  { id: 'satisfaction', type: 'scale5', label: '本日の研修の満足度を教えてください。（5：満足　4：やや満足　3：どちらともいえない　2：やや不満　1：不満）', labelEn: 'How satisfied were you with the training? (5 = very satisfied … 1 = not satisfied)', required: true },
  { id: 'usefulness', type: 'scale5', label: '本日の内容は、今後の業務に役立ちますか。（5：そう思う　4：ややそう思う　3：どちらともいえない　2：あまりそう思わない　1：そう思わない）', labelEn: 'Will what you learned be useful in your work? (5 = agree … 1 = disagree)', required: true },
  { id: 'intent', type: 'single', label: '今後、業務で協働に取り組みたいと思いますか。', required: true, options: ['取り組みたい', '取り組む予定はない'] },
  { id: 'competency', type: 'matrix', label: '次のそれぞれについて、現在のご自身に最も近いものを選んでください。（5：そう思う　4：ややそう思う　3：どちらともいえない　2：あまりそう思わない　1：そう思わない）', required: true, rows: [{ id: 'roles', label: '役割を理解している' }] },
  { id: 'custom', type: 'scale5', label: '説明はわかりやすかったですか。（5：わかりやすい　4：ややわかりやすい　3：ふつう　2：ややわかりにくい　1：わかりにくい）', required: false },
];

describe('the surveys migration of issue 15', () => {
  it('takes the contradicting legend out of stored templates and surveys, keeping its words as the scale’s anchors', async () => {
    const now = new Date();
    const tpl = await tdb.db.insertInto('survey_templates').values({ code: null, name: '旧ひな形', purpose: 'general', anonymous: true, questions: JSON.stringify(OLD), builtin: false, created_at: now, updated_at: now }).returning('id').executeTakeFirstOrThrow();
    const survey = await tdb.db
      .insertInto('surveys')
      .values({ template_id: tpl.id, kind: 'general', title: '旧アンケート', anonymous: true, offering_id: null, session_id: null, questions: JSON.stringify(OLD), opens_at: now, closes_at: new Date(now.getTime() + 86_400_000), created_by: null, created_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();

    await up(tdb.db);
    await up(tdb.db); // running again changes nothing

    for (const row of [
      await tdb.db.selectFrom('survey_templates').select('questions').where('id', '=', tpl.id).executeTakeFirstOrThrow(),
      await tdb.db.selectFrom('surveys').select('questions').where('id', '=', survey.id).executeTakeFirstOrThrow(),
    ]) {
      const q = row.questions as SurveyQuestion[];
      expect(q.map((x) => x.id)).toEqual(['satisfaction', 'usefulness', 'intent', 'competency', 'custom']);
      expect(q[0]).toEqual({
        ...OLD[0],
        label: '本日の研修の満足度を教えてください。',
        labelEn: 'How satisfied were you with the training?',
        anchors: [
          { label: '満足', labelEn: 'satisfied' },
          { label: 'やや満足', labelEn: 'somewhat satisfied' },
          { label: 'どちらともいえない', labelEn: 'neither' },
          { label: 'やや不満', labelEn: 'somewhat dissatisfied' },
          { label: '不満', labelEn: 'dissatisfied' },
        ],
      });
      // The agreement scale is every scale's default: no anchors needed.
      expect(q[1]).toEqual({ ...OLD[1], label: '本日の内容は、今後の業務に役立ちますか。', labelEn: 'Will what you learned be useful in your work?' });
      expect(q[2]).toEqual(OLD[2]);
      expect(q[3]).toEqual({ ...OLD[3], label: '次のそれぞれについて、現在のご自身に最も近いものを選んでください。' });
      expect(q[4].label).toBe('説明はわかりやすかったですか。');
      expect(q[4].anchors?.map((a) => a.label)).toEqual(['わかりやすい', 'ややわかりやすい', 'ふつう', 'ややわかりにくい', 'わかりにくい']);
    }
    // The built-in templates carry no legend either.
    const builtins = await tdb.db.selectFrom('survey_templates').select('questions').where('builtin', '=', true).execute();
    expect(JSON.stringify(builtins)).not.toContain('（5：');
  });

  it('takes the days off anonymous answers (a day could name the one person who answered on it) and keeps them on named ones', async () => {
    const now = new Date();
    const tpl = await tdb.db.insertInto('survey_templates').values({ code: null, name: '日付', purpose: 'general', anonymous: true, questions: JSON.stringify([OLD[2]]), builtin: false, created_at: now, updated_at: now }).returning('id').executeTakeFirstOrThrow();
    const survey = await tdb.db
      .insertInto('surveys')
      .values({ template_id: tpl.id, kind: 'general', title: '日付', anonymous: true, offering_id: null, session_id: null, questions: JSON.stringify([OLD[2]]), opens_at: now, closes_at: new Date(now.getTime() + 86_400_000), created_by: null, created_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    const person = await makeUser(testContext(tdb), ['staff']);
    // The rows as they were stored before this migration.
    await sql`ALTER TABLE survey_responses DROP CONSTRAINT survey_responses_anonymous_undated, DROP CONSTRAINT survey_responses_named_dated`.execute(tdb.db);
    await sql`ALTER TABLE survey_responses ALTER COLUMN submitted_on SET NOT NULL, ALTER COLUMN updated_on SET NOT NULL`.execute(tdb.db);
    await tdb.db.insertInto('survey_responses').values({ id: randomUUID(), survey_id: survey.id, person_id: null, edit_key_hash: 'x'.repeat(64), answers: JSON.stringify({}), submitted_on: '2026-11-20', updated_on: '2026-11-21' }).execute();
    await tdb.db.insertInto('survey_responses').values({ id: randomUUID(), survey_id: survey.id, person_id: person.id, edit_key_hash: null, answers: JSON.stringify({}), submitted_on: '2026-11-20', updated_on: '2026-11-21' }).execute();

    await up(tdb.db);

    const rows = await tdb.db.selectFrom('survey_responses').select(['person_id', 'submitted_on', 'updated_on']).where('survey_id', '=', survey.id).orderBy('person_id').execute();
    expect(rows.find((r) => r.person_id === null)).toEqual({ person_id: null, submitted_on: null, updated_on: null });
    expect(rows.find((r) => r.person_id === person.id)).toEqual({ person_id: person.id, submitted_on: '2026-11-20', updated_on: '2026-11-21' });
    // From now on the database refuses a day on an anonymous answer.
    await expect(tdb.db.insertInto('survey_responses').values({ id: randomUUID(), survey_id: survey.id, person_id: null, edit_key_hash: 'y'.repeat(64), answers: JSON.stringify({}), submitted_on: '2026-11-22', updated_on: '2026-11-22' }).execute()).rejects.toThrow(/survey_responses_anonymous_undated/);
  });
});
