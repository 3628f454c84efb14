-- The SQL of src/db/repositories/application.repository.ts, as Kysely compiles it for PostgreSQL.
-- Written by tests/db/query-snapshots.test.ts (do not edit by hand). After changing a statement, refresh with
--   npx vitest run --project unit tests/db/query-snapshots.test.ts -u
-- and review the difference with the change.

-- batchState(offering 7, people [42, 43], 2 ids)
/* prepared */
WITH who AS (SELECT value::int AS id FROM jsonb_array_elements_text($1::jsonb)),
  theirs AS MATERIALIZED (SELECT id, person_id, offering_id, status FROM applications WHERE person_id = ANY (ARRAY(SELECT id FROM who)))
SELECT o.*,
  (SELECT coalesce(json_agg(json_build_object('id', p.id, 'name', p.name, 'email', p.email, 'locale', p.locale, 'unit_id', p.unit_id, 'affiliation', p.affiliation, 'active', p.active)), '[]')
     FROM people p WHERE p.id = ANY (ARRAY(SELECT id FROM who))) AS batch_people,
  (SELECT coalesce(json_agg(json_build_object('id', a.id, 'person_id', a.person_id, 'status', a.status)), '[]')
     FROM (SELECT DISTINCT ON (person_id) id, person_id, status FROM theirs
           WHERE offering_id = $2 ORDER BY person_id, id DESC) a) AS batch_previous,
  (SELECT coalesce(json_agg(json_build_object('seat_group', s.seat_group, 'confirmed', s.n)), '[]')
     FROM (SELECT seat_group, count(*) AS n FROM applications
           WHERE offering_id = $3 AND status = 'confirmed' GROUP BY seat_group) s) AS batch_seats,
  (SELECT max(waitlist_order) FROM applications WHERE offering_id = $4) AS batch_max_order,
  (SELECT coalesce(json_agg(json_build_object('id', s.id, 'title', s.title, 'venue', s.venue, 'starts_at', s.starts_at, 'ends_at', s.ends_at, 'ical_sequence', s.ical_sequence, 'belongings', s.belongings, 'access', s.access) ORDER BY s.starts_at, s.id), '[]')
     FROM offering_sessions s WHERE s.offering_id = $5) AS batch_sessions,
  (SELECT coalesce(json_agg(n ORDER BY n), '[]')
     FROM (SELECT nextval(pg_get_serial_sequence('applications', 'id')) AS n FROM generate_series(1, $6)) g) AS batch_ids
FROM offerings o WHERE o.id = $7;
-- parameters:
--   $1 = '[42,43]'
--   $2 = 7
--   $3 = 7
--   $4 = 7
--   $5 = 7
--   $6 = 2
--   $7 = 7

-- endorsers(people [42, 43]): only for an offering that needs endorsement
WITH who AS (SELECT value::int AS id FROM jsonb_array_elements_text($1::jsonb))
SELECT
  (SELECT coalesce(json_agg(json_build_object('id', ap.id, 'unit_id', ap.unit_id, 'name', ap.name, 'email', ap.email) ORDER BY ap.kana, ap.id), '[]')
     FROM people ap
     WHERE ap.active AND ap.unit_id IN (SELECT p.unit_id FROM people p WHERE p.id IN (SELECT id FROM who))
       AND EXISTS (SELECT 1 FROM person_roles r WHERE r.person_id = ap.id AND r.role = 'approver')) AS batch_approvers,
  (SELECT coalesce(json_agg(json_build_object('id', ad.id, 'unit_id', ad.unit_id, 'name', ad.name, 'email', ad.email) ORDER BY ad.kana, ad.id), '[]')
     FROM (SELECT ad.* FROM people ad
           WHERE ad.active
             AND EXISTS (SELECT 1 FROM person_roles r WHERE r.person_id = ad.id AND r.role = 'admin')
           ORDER BY ad.kana, ad.id LIMIT 50) ad) AS batch_admins;
-- parameters:
--   $1 = '[42,43]'

-- the batch write (groupWrite): applications, their audit entries (read from the same rows) and notices, guarded by the seat version
/* prepared */
WITH g AS (UPDATE offerings SET seat_version = seat_version + 1 WHERE id = $1 AND seat_version = $2 RETURNING id),
j AS (SELECT $3::jsonb AS rows),
w0 AS (INSERT INTO applications (id, offering_id, person_id, status, seat_group, answers, answers_pending, applied_at, applied_by, decided_at, waitlist_order, participant_code, updated_at) SELECT id, offering_id, person_id, status, seat_group, answers, answers_pending, applied_at, applied_by, decided_at, waitlist_order, participant_code, updated_at FROM jsonb_to_recordset((SELECT rows FROM j)) AS x(id integer, offering_id integer, person_id integer, status text, seat_group text, answers jsonb, answers_pending boolean, applied_at timestamptz, applied_by integer, decided_at timestamptz, waitlist_order bigint, participant_code text, updated_at timestamptz) WHERE EXISTS (SELECT 1 FROM g)),
w1 AS (INSERT INTO audit_log (at, actor_id, action, entity, entity_id, before, after)
       SELECT $4::timestamptz, (e->>'applied_by')::integer,
              CASE WHEN e->'applied_by' = e->'person_id' THEN 'apply' ELSE 'apply_on_behalf' END,
              'application', e->>'id', NULL, e
       FROM jsonb_array_elements((SELECT rows FROM j)) AS e WHERE EXISTS (SELECT 1 FROM g)),
w2 AS (INSERT INTO outbox (to_address, subject, body_text, calendar_method, calendar_ics, status, next_attempt_at, created_at) SELECT x.to_address, x.subject, x.body_text, x.calendar_method, x.calendar_ics, x.status, x.next_attempt_at, x.created_at FROM jsonb_to_recordset($5::jsonb) AS x(to_address text, subject text, body_text text, calendar_method text, calendar_ics text, status text, next_attempt_at timestamptz, created_at timestamptz) WHERE EXISTS (SELECT 1 FROM g))
SELECT (SELECT count(*) FROM g) AS n;
-- parameters:
--   $1 = 7
--   $2 = 3
--   $3 = '[{"id":101,"offering_id":7,"person_id":42,"status":"confirmed","seat_group":"prefecture","answers":{"q1":"回答"},"answers_pending":false,"applied_at":"2025-10-01T03:00:00.000Z","applied_by":42,"endorsed_at":null,"endorsed_by":null,"endorse_comment":null,"decided_at":"2025-10-01T03:00:00.000Z","waitlist_order":null,"lottery_rank":null,"cancelled_at":null,"cancel_reason":null,"participant_code":"ABC123","updated_at":"2025-10-01T03:00:00.000Z"}]'
--   $4 = '2025-10-01T03:00:00.000Z'
--   $5 = '[{"to_address":"a@example.jp","subject":"申込みを受け付けました","body_text":"本文","calendar_method":null,"calendar_ics":null,"status":"pending","next_attempt_at":"2025-10-01T03:00:00.000Z","created_at":"2025-10-01T03:00:00.000Z"}]'

-- the batch write under the offering’s lock (no guard)
/* prepared */
WITH
j AS (SELECT $1::jsonb AS rows),
w0 AS (INSERT INTO applications (id, offering_id, person_id, status, seat_group, answers, answers_pending, applied_at, applied_by, decided_at, waitlist_order, participant_code, updated_at) SELECT id, offering_id, person_id, status, seat_group, answers, answers_pending, applied_at, applied_by, decided_at, waitlist_order, participant_code, updated_at FROM jsonb_to_recordset((SELECT rows FROM j)) AS x(id integer, offering_id integer, person_id integer, status text, seat_group text, answers jsonb, answers_pending boolean, applied_at timestamptz, applied_by integer, decided_at timestamptz, waitlist_order bigint, participant_code text, updated_at timestamptz)),
w1 AS (INSERT INTO audit_log (at, actor_id, action, entity, entity_id, before, after)
       SELECT $2::timestamptz, (e->>'applied_by')::integer,
              CASE WHEN e->'applied_by' = e->'person_id' THEN 'apply' ELSE 'apply_on_behalf' END,
              'application', e->>'id', NULL, e
       FROM jsonb_array_elements((SELECT rows FROM j)) AS e),
w2 AS (INSERT INTO outbox (to_address, subject, body_text, calendar_method, calendar_ics, status, next_attempt_at, created_at) SELECT x.to_address, x.subject, x.body_text, x.calendar_method, x.calendar_ics, x.status, x.next_attempt_at, x.created_at FROM jsonb_to_recordset($3::jsonb) AS x(to_address text, subject text, body_text text, calendar_method text, calendar_ics text, status text, next_attempt_at timestamptz, created_at timestamptz))
SELECT 1 AS n;
-- parameters:
--   $1 = '[{"id":101,"offering_id":7,"person_id":42,"status":"confirmed","seat_group":"prefecture","answers":{"q1":"回答"},"answers_pending":false,"applied_at":"2025-10-01T03:00:00.000Z","applied_by":42,"endorsed_at":null,"endorsed_by":null,"endorse_comment":null,"decided_at":"2025-10-01T03:00:00.000Z","waitlist_order":null,"lottery_rank":null,"cancelled_at":null,"cancel_reason":null,"participant_code":"ABC123","updated_at":"2025-10-01T03:00:00.000Z"}]'
--   $2 = '2025-10-01T03:00:00.000Z'
--   $3 = '[]'
