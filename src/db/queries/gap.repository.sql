-- The SQL of src/db/repositories/gap.repository.ts, as Kysely compiles it for PostgreSQL.
-- Written by tests/db/query-snapshots.test.ts (do not edit by hand). After changing a statement, refresh with
--   npx vitest run --project unit tests/db/query-snapshots.test.ts -u
-- and review the difference with the change.

-- pairScores(2025)
SELECT r1.person_id, o.id AS offering_id, o.title AS offering_title, s1.item, s1.score AS pre, s2.score AS post, p.affiliation,
       d.id AS department_id, d.name AS department_name
FROM surveys pre
JOIN surveys post ON post.offering_id = pre.offering_id AND post.kind = 'post'
JOIN offerings o ON o.id = pre.offering_id
JOIN survey_responses r1 ON r1.survey_id = pre.id AND r1.person_id IS NOT NULL
JOIN survey_responses r2 ON r2.survey_id = post.id AND r2.person_id = r1.person_id
JOIN survey_scores s1 ON s1.response_id = r1.id
JOIN survey_scores s2 ON s2.response_id = r2.id AND s2.question_id = s1.question_id AND s2.item = s1.item
JOIN people p ON p.id = r1.person_id
LEFT JOIN units u ON u.id = p.unit_id
LEFT JOIN units d ON d.id = CASE WHEN u.kind = 'department' THEN u.id WHEN u.kind = 'division' THEN u.parent_id END AND d.kind = 'department'
WHERE pre.kind = 'pre' AND o.fiscal_year = $1 AND s1.item IN ($2, $3, $4, $5, $6)
ORDER BY o.id, r1.person_id, s1.item;
-- parameters:
--   $1 = 2025
--   $2 = 'roles'
--   $3 = 'sites'
--   $4 = 'consensus'
--   $5 = 'facilitation'
--   $6 = 'evaluation'

-- fieldTrainings(2025年度)
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
  AND s.format = 'field')) AS hosts;
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

-- reach(2025年度)
    WITH reached AS (
      SELECT DISTINCT p.unit_id FROM people p WHERE p.unit_id IS NOT NULL AND p.id IN (
SELECT a.person_id FROM applications a
WHERE a.offering_id IN (SELECT s.offering_id FROM offering_sessions s WHERE s.id IN (
SELECT s.id FROM offering_sessions s JOIN offerings o ON o.id = s.offering_id
WHERE s.starts_at >= $1 AND s.starts_at < $2 AND s.ends_at <= $3 AND o.cancelled_at IS NULL
  ))
  AND EXISTS (SELECT 1 FROM attendance t WHERE t.application_id = a.id AND t.session_id IN (
SELECT s.id FROM offering_sessions s JOIN offerings o ON o.id = s.offering_id
WHERE s.starts_at >= $4 AND s.starts_at < $5 AND s.ends_at <= $6 AND o.cancelled_at IS NULL
  ) AND t.status IN ('present','late','left_early'))
UNION
SELECT a.person_id FROM offering_sessions s JOIN applications a ON a.offering_id = s.offering_id AND a.status = 'confirmed'
WHERE s.id IN (
SELECT s.id FROM offering_sessions s JOIN offerings o ON o.id = s.offering_id
WHERE s.starts_at >= $7 AND s.starts_at < $8 AND s.ends_at <= $9 AND o.cancelled_at IS NULL
  ) AND NOT EXISTS (SELECT 1 FROM attendance t WHERE t.session_id = s.id)))
    SELECT count(*) FILTER (WHERE u.kind IN ('division','agency')) AS units,
           count(*) FILTER (WHERE u.kind IN ('division','agency') AND u.id IN (SELECT unit_id FROM reached)) AS units_reached,
           count(*) FILTER (WHERE u.kind = 'municipality') AS municipalities,
           count(*) FILTER (WHERE u.kind = 'municipality' AND u.id IN (SELECT unit_id FROM reached)) AS municipalities_reached
    FROM units u WHERE u.active;
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

-- activeCoordinators(2025-10-01)
SELECT c.person_id, u.id AS unit_id, u.kind AS unit_kind, u.name AS unit_name, d.id AS department_id, d.name AS department_name
FROM coordinator_certifications c
JOIN people p ON p.id = c.person_id
LEFT JOIN units u ON u.id = p.unit_id
LEFT JOIN units d ON d.id = CASE WHEN u.kind = 'department' THEN u.id WHEN u.kind = 'division' THEN u.parent_id END AND d.kind = 'department'
WHERE c.granted_on <= $1 AND (c.valid_until IS NULL OR c.valid_until >= $2)
  AND (c.revoked_at IS NULL OR c.revoked_at > $3);
-- parameters:
--   $1 = '2025-10-01'
--   $2 = '2025-10-01'
--   $3 = '2025-10-01T14:59:59.000Z'

-- consultationsServed(2025年度)
SELECT count(*) AS n FROM consultations c
WHERE c.created_at >= $1 AND c.created_at < $2 AND c.status <> 'withdrawn'
  AND ((c.status = 'closed' AND c.outcome IS NOT NULL)
       OR EXISTS (SELECT 1 FROM consultation_assignments ca WHERE ca.consultation_id = c.id AND ca.status = 'accepted'));
-- parameters:
--   $1 = '2025-03-31T15:00:00.000Z'
--   $2 = '2026-03-31T15:00:00.000Z'

-- municipalities(2025年度)
SELECT u.id, u.name, EXISTS (
         SELECT 1 FROM consultations c
         WHERE c.unit_id = u.id AND c.created_at >= $1 AND c.created_at < $2 AND c.status <> 'withdrawn'
           AND ((c.status = 'closed' AND c.outcome IS NOT NULL)
                OR EXISTS (SELECT 1 FROM consultation_assignments ca WHERE ca.consultation_id = c.id AND ca.status = 'accepted'))) AS served
FROM units u WHERE u.active AND u.kind = 'municipality'
ORDER BY u.kana COLLATE "C", u.id;
-- parameters:
--   $1 = '2025-03-31T15:00:00.000Z'
--   $2 = '2026-03-31T15:00:00.000Z'

-- departments
select "id", "name" from "units" where "kind" = $1 and "active" = $2 order by "kana", "id";
-- parameters:
--   $1 = 'department'
--   $2 = true
