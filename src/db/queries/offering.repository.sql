-- The SQL of src/db/repositories/offering.repository.ts, as Kysely compiles it for PostgreSQL.
-- Written by tests/db/query-snapshots.test.ts (do not edit by hand). After changing a statement, refresh with
--   npx vitest run --project unit tests/db/query-snapshots.test.ts -u
-- and review the difference with the change.

-- catalogue(2026年度)
SELECT json_build_object(
  'programmes', (SELECT coalesce(json_agg(json_build_object('id', p.id, 'name', p.name, 'name_en', p.name_en) ORDER BY p.first_fiscal_year, p.id), '[]')
                   FROM programmes p),
  'offerings', (SELECT coalesce(json_agg(json_build_object('id', o.id, 'title', o.title, 'programme_id', o.programme_id,
                          'application_opens_at', o.application_opens_at, 'application_closes_at', o.application_closes_at,
                          'sessions', (SELECT coalesce(json_agg(json_build_object('format', s.format, 'starts_at', s.starts_at) ORDER BY s.starts_at, s.id), '[]')
                                         FROM offering_sessions s WHERE s.offering_id = o.id))
                        ORDER BY o.application_opens_at, o.id), '[]')
                  FROM offerings o
                  WHERE o.fiscal_year = $1
                    AND o.published AND o.cancelled_at IS NULL)) AS catalogue;
-- parameters:
--   $1 = 2026

-- catalogue(2026年度, programme 3)
SELECT json_build_object(
  'programmes', (SELECT coalesce(json_agg(json_build_object('id', p.id, 'name', p.name, 'name_en', p.name_en) ORDER BY p.first_fiscal_year, p.id), '[]')
                   FROM programmes p),
  'offerings', (SELECT coalesce(json_agg(json_build_object('id', o.id, 'title', o.title, 'programme_id', o.programme_id,
                          'application_opens_at', o.application_opens_at, 'application_closes_at', o.application_closes_at,
                          'sessions', (SELECT coalesce(json_agg(json_build_object('format', s.format, 'starts_at', s.starts_at) ORDER BY s.starts_at, s.id), '[]')
                                         FROM offering_sessions s WHERE s.offering_id = o.id))
                        ORDER BY o.application_opens_at, o.id), '[]')
                  FROM offerings o
                  WHERE o.fiscal_year = $1 AND o.programme_id = $2
                    AND o.published AND o.cancelled_at IS NULL)) AS catalogue;
-- parameters:
--   $1 = 2026
--   $2 = 3
