-- The SQL of src/db/repositories/report.repository.ts, as Kysely compiles it for PostgreSQL.
-- Written by tests/db/query-snapshots.test.ts (do not edit by hand). After changing a statement, refresh with
--   npx vitest run --project unit tests/db/query-snapshots.test.ts -u
-- and review the difference with the change.

-- sessionsOfYear(2025年度)
SELECT s.id, s.offering_id, o.programme_id, o.title AS offering_title, o.audience, p.kind AS programme_kind, s.title, s.format,
       s.starts_at, s.ends_at, s.venue, s.lecturers, s.host_partner_id,
       CASE WHEN EXISTS (SELECT 1 FROM attendance t WHERE t.session_id = s.id)
            THEN (SELECT count(*) FROM attendance t WHERE t.session_id = s.id AND t.status IN ('present','late','left_early'))
            ELSE (SELECT count(*) FROM applications a WHERE a.offering_id = s.offering_id AND a.status = 'confirmed') END AS participants
FROM offering_sessions s
JOIN offerings o ON o.id = s.offering_id
JOIN programmes p ON p.id = o.programme_id
WHERE s.starts_at >= $1 AND s.starts_at < $2 AND o.cancelled_at IS NULL
ORDER BY s.starts_at, s.id;
-- parameters:
--   $1 = '2025-03-31T15:00:00.000Z'
--   $2 = '2026-03-31T15:00:00.000Z'

-- participants([11, 12, 13])
WITH attended AS (
    SELECT a.person_id FROM applications a
    WHERE a.offering_id IN (SELECT s.offering_id FROM offering_sessions s WHERE s.id IN ($1, $2, $3))
      AND EXISTS (SELECT 1 FROM attendance t WHERE t.application_id = a.id AND t.session_id IN ($4, $5, $6) AND t.status IN ('present','late','left_early'))
    UNION
    SELECT a.person_id FROM offering_sessions s JOIN applications a ON a.offering_id = s.offering_id AND a.status = 'confirmed'
    WHERE s.id IN ($7, $8, $9) AND NOT EXISTS (SELECT 1 FROM attendance t WHERE t.session_id = s.id))
      SELECT p.affiliation, count(*) AS n, count(DISTINCT p.unit_id) AS units
      FROM people p JOIN attended x ON x.person_id = p.id GROUP BY GROUPING SETS ((p.affiliation), ());
-- parameters:
--   $1 = 11
--   $2 = 12
--   $3 = 13
--   $4 = 11
--   $5 = 12
--   $6 = 13
--   $7 = 11
--   $8 = 12
--   $9 = 13

-- participants([]): no session
WITH attended AS (
    SELECT a.person_id FROM applications a
    WHERE a.offering_id IN (SELECT s.offering_id FROM offering_sessions s WHERE s.id IN ($1))
      AND EXISTS (SELECT 1 FROM attendance t WHERE t.application_id = a.id AND t.session_id IN ($2) AND t.status IN ('present','late','left_early'))
    UNION
    SELECT a.person_id FROM offering_sessions s JOIN applications a ON a.offering_id = s.offering_id AND a.status = 'confirmed'
    WHERE s.id IN ($3) AND NOT EXISTS (SELECT 1 FROM attendance t WHERE t.session_id = s.id))
      SELECT p.affiliation, count(*) AS n, count(DISTINCT p.unit_id) AS units
      FROM people p JOIN attended x ON x.person_id = p.id GROUP BY GROUPING SETS ((p.affiliation), ());
-- parameters:
--   $1 = 0
--   $2 = 0
--   $3 = 0

-- programmeYear([2, 3], 2025)
    SELECT (
WITH ya AS MATERIALIZED (SELECT a.id FROM applications a JOIN offerings o ON o.id = a.offering_id WHERE o.fiscal_year = $1 AND o.programme_id IN ($2, $3))
SELECT count(*) FROM completions c
WHERE c.completed AND c.application_id IN (SELECT id FROM ya)
  AND c.application_id BETWEEN (SELECT min(id) FROM ya) AND (SELECT max(id) FROM ya)) AS completions,
           EXISTS (SELECT 1 FROM programmes WHERE id IN ($4, $5) AND kind = 'coordinator_course') AS course,
           (SELECT count(*) FROM coordinator_certifications WHERE granted_on >= $6 AND granted_on <= $7) AS certified;
-- parameters:
--   $1 = 2025
--   $2 = 2
--   $3 = 3
--   $4 = 2
--   $5 = 3
--   $6 = '2025-04-01'
--   $7 = '2026-03-31'

-- yearCounts(2025)
  SELECT (SELECT count(*) FROM applications a JOIN offerings o ON o.id = a.offering_id WHERE o.fiscal_year = $1) AS applications,
         (
WITH ya AS MATERIALIZED (SELECT a.id FROM applications a JOIN offerings o ON o.id = a.offering_id WHERE o.fiscal_year = $2)
SELECT count(*) FROM completions c
WHERE c.completed AND c.application_id IN (SELECT id FROM ya)
  AND c.application_id BETWEEN (SELECT min(id) FROM ya) AND (SELECT max(id) FROM ya)) AS completions,
         (SELECT count(*) FROM training_records r WHERE r.fiscal_year = $3 AND r.completed) AS imported,
         (SELECT count(*) FROM certificates WHERE completed_on >= $4 AND completed_on <= $5 AND revoked_at IS NULL) AS certificates;
-- parameters:
--   $1 = 2025
--   $2 = 2025
--   $3 = 2025
--   $4 = '2025-04-01'
--   $5 = '2026-03-31'

-- coordinators(2025, as of 2025-10-01)
SELECT count(*) FILTER (WHERE granted_on >= $1 AND granted_on <= $2) AS newly,
       count(*) FILTER (WHERE granted_on <= $3) AS cumulative,
       count(*) FILTER (WHERE granted_on <= $4 AND (valid_until IS NULL OR valid_until >= $5)
                        AND (revoked_at IS NULL OR revoked_at > $6)) AS active
FROM coordinator_certifications;
-- parameters:
--   $1 = '2025-04-01'
--   $2 = '2026-03-31'
--   $3 = '2026-03-31'
--   $4 = '2025-10-01'
--   $5 = '2025-10-01'
--   $6 = '2025-10-01T14:59:59.000Z'

-- postSessionScores(2025年度)
SELECT sc.question_id, avg(sc.score)::float8 AS mean, count(*) AS n
FROM survey_scores sc JOIN surveys sv ON sv.id = sc.survey_id JOIN offering_sessions s ON s.id = sv.session_id
WHERE sv.kind = 'post_session' AND s.starts_at >= $1 AND s.starts_at < $2
  AND sc.question_id IN ($3, $4, $5) AND sc.item = ''
GROUP BY sc.question_id;
-- parameters:
--   $1 = '2025-03-31T15:00:00.000Z'
--   $2 = '2026-03-31T15:00:00.000Z'
--   $3 = 'satisfaction'
--   $4 = 'understanding'
--   $5 = 'usefulness'

-- competencyChange(2025)
WITH sv AS MATERIALIZED (
       SELECT pre.id AS pre_id, post.id AS post_id FROM surveys pre
       JOIN surveys post ON post.offering_id = pre.offering_id AND post.kind = 'post'
       JOIN offerings o ON o.id = pre.offering_id
       WHERE pre.kind = 'pre' AND o.fiscal_year = $1),
     ids AS MATERIALIZED (SELECT pre_id AS id FROM sv UNION ALL SELECT post_id FROM sv),
     r AS MATERIALIZED (SELECT id, survey_id, person_id FROM survey_responses WHERE survey_id IN (SELECT id FROM ids) AND person_id IS NOT NULL),
     sc AS MATERIALIZED (SELECT response_id, question_id, item, score FROM survey_scores WHERE survey_id IN (SELECT id FROM ids)),
     x AS MATERIALIZED (SELECT r.survey_id, r.person_id, sc.question_id, sc.item, sc.score FROM sc JOIN r ON r.id = sc.response_id)
SELECT a.item, count(*) AS n, sum(b.score - a.score) AS change
FROM sv JOIN x a ON a.survey_id = sv.pre_id
JOIN x b ON b.survey_id = sv.post_id AND b.person_id = a.person_id AND b.question_id = a.question_id AND b.item = a.item
JOIN people p ON p.id = a.person_id
GROUP BY a.item;
-- parameters:
--   $1 = 2025

-- coverage(2025-10-01)
WITH trained AS (
       SELECT a.person_id FROM applications a JOIN completions c ON c.application_id = a.id WHERE c.completed
       UNION
       SELECT r.person_id FROM training_records r WHERE r.completed),
     -- Staff, trained staff and active coordinators of every unit in one pass over people (per unit,
     -- three subqueries re-read the unit's staff and probed each person's applications one by one).
     per_unit AS (
       SELECT p.unit_id, count(*) AS staff, count(t.person_id) AS trained, count(cc.person_id) AS coordinators
       FROM people p
       LEFT JOIN trained t ON t.person_id = p.id
       LEFT JOIN coordinator_certifications cc ON cc.person_id = p.id AND cc.revoked_at IS NULL AND (cc.valid_until IS NULL OR cc.valid_until >= $1)
       WHERE p.active AND p.unit_id IS NOT NULL
       GROUP BY p.unit_id)
SELECT u.id, u.kind, u.name, u.kana, d.name AS dept, d.kana AS dept_kana,
  coalesce(x.staff, 0) AS staff, coalesce(x.trained, 0) AS trained, coalesce(x.coordinators, 0) AS coordinators,
  (SELECT count(*) FROM offering_sessions s JOIN partners pa ON pa.id = s.host_partner_id
    WHERE s.format = 'field' AND s.ends_at <= $2 AND pa.area_unit_ids @> to_jsonb(u.id)
      AND NOT EXISTS (SELECT 1 FROM offerings o WHERE o.id = s.offering_id AND o.cancelled_at IS NOT NULL)) AS hosted
FROM units u LEFT JOIN units d ON d.id = u.parent_id LEFT JOIN per_unit x ON x.unit_id = u.id
WHERE u.active AND u.kind <> 'department'
ORDER BY CASE u.kind WHEN 'division' THEN 0 WHEN 'agency' THEN 1 ELSE 2 END, d.kana COLLATE "C", u.kana COLLATE "C", u.id;
-- parameters:
--   $1 = '2025-10-01'
--   $2 = '2025-10-01T03:00:00.000Z'

-- firstFiscalYear
select min("fiscal_year") as "first" from "offerings";

-- publicSchedule
select "s"."id", "s"."title", "s"."format", "s"."starts_at", "s"."ends_at", "s"."venue", "s"."capacity", "o"."id" as "offering_id", "o"."title" as "offering_title", "o"."audience", "o"."description", "o"."capacity" as "offering_capacity", "o"."application_closes_at", "u"."name" as "owning_unit" from "offering_sessions" as "s" inner join "offerings" as "o" on "o"."id" = "s"."offering_id" inner join "programmes" as "p" on "p"."id" = "o"."programme_id" left join "units" as "u" on "u"."id" = "p"."owning_unit_id" where "o"."published" = $1 and "o"."cancelled_at" is null and "s"."ends_at" > $2 order by "s"."starts_at", "s"."id" limit $3;
-- parameters:
--   $1 = true
--   $2 = '2025-10-01T03:00:00.000Z'
--   $3 = 500

-- storedFigures(fy:2024, fy:2025)
SELECT pg_current_snapshot()::text AS snapshot,
  (SELECT json_agg(json_build_object('key', c.key, 'fy', c.fiscal_year, 'figures', c.figures))
   FROM figure_cache c
   WHERE c.key IN ($1) AND c.fiscal_year IN ($2, $3)
     AND c.valid_from <= $4 AND $5 < c.valid_until
     AND c.cluster = (SELECT system_identifier::text FROM pg_control_system())
     AND NOT EXISTS (SELECT 1 FROM figure_changes x
                     WHERE x.fiscal_year = c.fiscal_year AND x.txid >= pg_snapshot_xmin(c.snapshot)
                       AND NOT pg_visible_in_snapshot(x.txid, c.snapshot))) AS entries;
-- parameters:
--   $1 = 'fy'
--   $2 = 2024
--   $3 = 2025
--   $4 = '2025-10-01T03:00:00.000Z'
--   $5 = '2025-10-01T03:00:00.000Z'

-- storeFigures(one year)
INSERT INTO figure_cache (key, fiscal_year, snapshot, cluster, valid_from, valid_until, figures)
SELECT x.key, x.fy, $1::pg_snapshot, (SELECT system_identifier::text FROM pg_control_system()), $2,
       least(coalesce((SELECT min(s.ends_at) FROM offering_sessions s WHERE s.ends_at > $3 AND figures_fy(s.starts_at) = x.fy), 'infinity'), coalesce(x.until, 'infinity')),
       x.figures
FROM jsonb_to_recordset($4::jsonb) AS x(key text, fy integer, figures jsonb, until timestamptz)
ON CONFLICT (key, fiscal_year) DO UPDATE
  SET snapshot = EXCLUDED.snapshot, cluster = EXCLUDED.cluster, valid_from = EXCLUDED.valid_from, valid_until = EXCLUDED.valid_until, figures = EXCLUDED.figures;
-- parameters:
--   $1 = '123'
--   $2 = '2025-10-01T03:00:00.000Z'
--   $3 = '2025-10-01T03:00:00.000Z'
--   $4 = '[{"key":"fy","fy":2025,"figures":{"participants":3}}]'

-- coordinatorsByYear(2025)
SELECT y.fy,
       count(*) FILTER (WHERE c.granted_on >= y.fy_start AND c.granted_on <= y.fy_end) AS newly,
       count(*) FILTER (WHERE c.granted_on <= y.fy_end) AS cumulative,
       count(*) FILTER (WHERE c.granted_on <= y.as_of AND (c.valid_until IS NULL OR c.valid_until >= y.as_of)
                          AND (c.revoked_at IS NULL OR c.revoked_at > ((y.as_of + 1)::timestamp AT TIME ZONE 'Asia/Tokyo') - interval '1 second')) AS active
FROM jsonb_to_recordset($1::jsonb) AS y(fy integer, fy_start date, fy_end date, as_of date)
LEFT JOIN coordinator_certifications c ON c.granted_on <= y.fy_end
GROUP BY y.fy;
-- parameters:
--   $1 = '[{"fy":2025,"fy_start":"2025-04-01","fy_end":"2026-03-31","as_of":"2025-10-01"}]'

-- consultationsByYear(2025年度)
SELECT figures_fy(created_at) AS fy, kind, CASE WHEN status = 'closed' THEN outcome WHEN status = 'withdrawn' THEN 'withdrawn' ELSE 'open' END AS outcome, count(*) AS n
FROM consultations WHERE created_at >= $1 AND created_at < $2
GROUP BY 1, 2, 3;
-- parameters:
--   $1 = '2025-03-31T15:00:00.000Z'
--   $2 = '2026-03-31T15:00:00.000Z'

-- coursesAmong([2, 3])
SELECT id FROM programmes WHERE id IN ($1, $2) AND kind = 'coordinator_course';
-- parameters:
--   $1 = 2
--   $2 = 3

-- storedKpis(kpis, 2024–2025)
SELECT s.snapshot, s.entries, (SELECT min(fiscal_year) FROM offerings) AS first
FROM (
SELECT pg_current_snapshot()::text AS snapshot,
  (SELECT json_agg(json_build_object('key', c.key, 'fy', c.fiscal_year, 'figures', c.figures))
   FROM figure_cache c
   WHERE c.key IN ($1) AND c.fiscal_year IN ($2, $3)
     AND c.valid_from <= $4 AND $5 < c.valid_until
     AND c.cluster = (SELECT system_identifier::text FROM pg_control_system())
     AND NOT EXISTS (SELECT 1 FROM figure_changes x
                     WHERE x.fiscal_year = c.fiscal_year AND x.txid >= pg_snapshot_xmin(c.snapshot)
                       AND NOT pg_visible_in_snapshot(x.txid, c.snapshot))) AS entries) s;
-- parameters:
--   $1 = 'kpis/2'
--   $2 = 2024
--   $3 = 2025
--   $4 = '2025-10-01T03:00:00.000Z'
--   $5 = '2025-10-01T03:00:00.000Z'

-- gapPart('hosts', 2025年度)
SELECT f.hosts FROM (
      SELECT (SELECT count(*) FROM (
  SELECT s.id FROM offering_sessions s JOIN offerings o ON o.id = s.offering_id
  WHERE s.starts_at >= $1 AND s.starts_at < $2 AND s.ends_at <= $3 AND o.cancelled_at IS NULL
    AND s.format = 'field') x) AS sessions,
             (SELECT count(DISTINCT person_id) FROM (
  SELECT a.person_id FROM applications a
  WHERE a.offering_id IN (SELECT s.offering_id FROM offering_sessions s WHERE s.id IN (
  SELECT s.id FROM offering_sessions s JOIN offerings o ON o.id = s.offering_id
  WHERE s.starts_at >= $4 AND s.starts_at < $5 AND s.ends_at <= $6 AND o.cancelled_at IS NULL
    AND s.format = 'field'))
    AND EXISTS (SELECT 1 FROM attendance t WHERE t.application_id = a.id AND t.session_id IN (
  SELECT s.id FROM offering_sessions s JOIN offerings o ON o.id = s.offering_id
  WHERE s.starts_at >= $7 AND s.starts_at < $8 AND s.ends_at <= $9 AND o.cancelled_at IS NULL
    AND s.format = 'field') AND t.status IN ('present','late','left_early'))
  UNION
  SELECT a.person_id FROM offering_sessions s JOIN applications a ON a.offering_id = s.offering_id AND a.status = 'confirmed'
  WHERE s.id IN (
  SELECT s.id FROM offering_sessions s JOIN offerings o ON o.id = s.offering_id
  WHERE s.starts_at >= $10 AND s.starts_at < $11 AND s.ends_at <= $12 AND o.cancelled_at IS NULL
    AND s.format = 'field') AND NOT EXISTS (SELECT 1 FROM attendance t WHERE t.session_id = s.id)) y) AS participants,
             (SELECT count(DISTINCT s.host_partner_id) FROM offering_sessions s WHERE s.id IN (
  SELECT s.id FROM offering_sessions s JOIN offerings o ON o.id = s.offering_id
  WHERE s.starts_at >= $13 AND s.starts_at < $14 AND s.ends_at <= $15 AND o.cancelled_at IS NULL
    AND s.format = 'field')) AS hosts) f;
-- parameters:
--   $1 = '2025-03-31T15:00:00.000Z'
--   $2 = '2026-03-31T15:00:00.000Z'
--   $3 = '2025-10-01T03:00:00.000Z'
--   $4 = '2025-03-31T15:00:00.000Z'
--   $5 = '2026-03-31T15:00:00.000Z'
--   $6 = '2025-10-01T03:00:00.000Z'
--   $7 = '2025-03-31T15:00:00.000Z'
--   $8 = '2026-03-31T15:00:00.000Z'
--   $9 = '2025-10-01T03:00:00.000Z'
--   $10 = '2025-03-31T15:00:00.000Z'
--   $11 = '2026-03-31T15:00:00.000Z'
--   $12 = '2025-10-01T03:00:00.000Z'
--   $13 = '2025-03-31T15:00:00.000Z'
--   $14 = '2026-03-31T15:00:00.000Z'
--   $15 = '2025-10-01T03:00:00.000Z'
