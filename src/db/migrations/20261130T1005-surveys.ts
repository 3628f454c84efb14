import { type Kysely, sql } from 'kysely';

/**
 * Records and figures (issue 15): surveys. Forward-only; SQL only (nothing from services), so it
 * means the same whenever it runs.
 *
 * Anonymous answers lose their days (submitted_on, updated_on): see below.
 *
 * Scale questions used to carry their legend in the question text, 「（5：そう思う　4：… 1：そう思わない）」,
 * while the form offered bare numbers 1 → 5: the text ran against the options. Every point of a
 * scale now shows its own words, highest first, and a question says which words (`anchors`, for
 * 5 … 1; the agreement scale when absent). This takes the legend out of the stored templates and
 * surveys (their own copies of the questions) and keeps its words as the question's anchors when
 * they are not the agreement scale (the satisfaction scale: 満足 … 不満). The numbers stored in the
 * answers keep their meaning: 5 was, and is, the highest point of the legend.
 */
export async function up(db: Kysely<any>): Promise<void> {
  // An anonymous answer carries no day: on a day when one person answered (or changed an answer),
  // its day matched their invitation's and the audit log's, and so named them (decision 0011).
  await sql`ALTER TABLE survey_responses ALTER COLUMN submitted_on DROP NOT NULL, ALTER COLUMN updated_on DROP NOT NULL`.execute(db);
  await sql`UPDATE survey_responses SET submitted_on = NULL, updated_on = NULL WHERE person_id IS NULL AND (submitted_on IS NOT NULL OR updated_on IS NOT NULL)`.execute(db);
  await sql`ALTER TABLE survey_responses
    DROP CONSTRAINT IF EXISTS survey_responses_anonymous_undated,
    ADD CONSTRAINT survey_responses_anonymous_undated CHECK (person_id IS NOT NULL OR (submitted_on IS NULL AND updated_on IS NULL)),
    DROP CONSTRAINT IF EXISTS survey_responses_named_dated,
    ADD CONSTRAINT survey_responses_named_dated CHECK (person_id IS NULL OR (submitted_on IS NOT NULL AND updated_on IS NOT NULL))`.execute(db);

  for (const table of ['survey_templates', 'surveys'] as const) {
    await sql`
      WITH q AS (
        SELECT t.id, e.ord, e.q,
               regexp_match(e.q->>'label', '（5：([^　 ）]+)[　 ]+4：([^　 ）]+)[　 ]+3：([^　 ）]+)[　 ]+2：([^　 ）]+)[　 ]+1：([^　 ）]+)）') AS words
          FROM ${sql.table(table)} t, jsonb_array_elements(t.questions) WITH ORDINALITY AS e(q, ord)
         WHERE t.questions::text LIKE '%（5：%'
      ),
      fixed AS (
        SELECT id, jsonb_agg(
                 CASE
                   WHEN q->>'type' IN ('scale5', 'matrix') AND words IS NOT NULL THEN
                     q
                     || jsonb_build_object('label', btrim(regexp_replace(q->>'label', '[　 ]*（5：[^）]*1：[^）]*）', ''), ' 　'))
                     || CASE WHEN q ? 'labelEn'
                             THEN jsonb_build_object('labelEn', btrim(regexp_replace(q->>'labelEn', '[[:space:]]*[(]5 = [^)]*[)]', '')))
                             ELSE '{}'::jsonb END
                     || CASE
                          WHEN q ? 'anchors' OR words = ARRAY['そう思う', 'ややそう思う', 'どちらともいえない', 'あまりそう思わない', 'そう思わない'] THEN '{}'::jsonb
                          WHEN words = ARRAY['満足', 'やや満足', 'どちらともいえない', 'やや不満', '不満'] THEN jsonb_build_object('anchors', jsonb_build_array(
                            jsonb_build_object('label', '満足', 'labelEn', 'satisfied'),
                            jsonb_build_object('label', 'やや満足', 'labelEn', 'somewhat satisfied'),
                            jsonb_build_object('label', 'どちらともいえない', 'labelEn', 'neither'),
                            jsonb_build_object('label', 'やや不満', 'labelEn', 'somewhat dissatisfied'),
                            jsonb_build_object('label', '不満', 'labelEn', 'dissatisfied')))
                          ELSE jsonb_build_object('anchors', (SELECT jsonb_agg(jsonb_build_object('label', w) ORDER BY k) FROM unnest(words) WITH ORDINALITY AS u(w, k)))
                        END
                   ELSE q
                 END
                 ORDER BY ord) AS questions
          FROM q
         GROUP BY id
      )
      UPDATE ${sql.table(table)} t SET questions = fixed.questions FROM fixed WHERE t.id = fixed.id
    `.execute(db);
  }
}
