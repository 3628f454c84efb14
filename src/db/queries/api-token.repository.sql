-- The SQL of src/db/repositories/api-token.repository.ts, as Kysely compiles it for PostgreSQL.
-- Written by tests/db/query-snapshots.test.ts (do not edit by hand). After changing a statement, refresh with
--   npx vitest run --project unit tests/db/query-snapshots.test.ts -u
-- and review the difference with the change.

-- findActiveByHashes(two tokens arriving together)
/* prepared */
WITH t AS MATERIALIZED (
  SELECT id, token_hash, scope, person_id, last_used_at FROM api_tokens
  WHERE token_hash = ANY (ARRAY(SELECT jsonb_array_elements_text($1::jsonb)))
    AND revoked_at IS NULL AND expires_at > $2),
p AS MATERIALIZED (
  SELECT id, name, kana, email, unit_id, affiliation, locale, active FROM people
  WHERE id = ANY (ARRAY(SELECT person_id FROM t))),
used AS (
  UPDATE api_tokens SET last_used_at = $3
  WHERE id = ANY (ARRAY(SELECT t.id FROM t JOIN p ON p.id = t.person_id WHERE p.active AND (t.last_used_at IS NULL OR t.last_used_at < $4)))
    AND revoked_at IS NULL AND expires_at > $5 AND (last_used_at IS NULL OR last_used_at < $6))
SELECT json_agg(json_build_object(
    'token_hash', t.token_hash, 'scope', t.scope, 'id', p.id, 'name', p.name, 'kana', p.kana, 'email', p.email,
    'unit_id', p.unit_id, 'affiliation', p.affiliation, 'locale', p.locale, 'active', p.active,
    'roles', (SELECT coalesce(json_agg(r.role), '[]') FROM person_roles r WHERE r.person_id = p.id))) AS tokens
FROM t JOIN p ON p.id = t.person_id;
-- parameters:
--   $1 = '["aa11","bb22"]'
--   $2 = '2025-10-01T03:00:00.000Z'
--   $3 = '2025-10-01T03:00:00.000Z'
--   $4 = '2025-10-01T02:59:00.000Z'
--   $5 = '2025-10-01T03:00:00.000Z'
--   $6 = '2025-10-01T02:59:00.000Z'
