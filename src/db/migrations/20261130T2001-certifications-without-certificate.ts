import { type Kysely, sql } from 'kysely';

/**
 * Decision 0030, for what was recorded before it: a coordinator certification granted by a course
 * certificate that has since been revoked, with no standing course certificate left, still stood (in
 * the directory, with the coordinator role, counted as active). It is revoked now as the service
 * revokes one: the row kept with `revoked_at`, the role removed, an audit entry (`revoke`, no actor,
 * before and after with the roles). A certification that rests on no course certificate at all (one
 * recorded otherwise) is left as it is, as the service leaves it; so is a revoked renewal's validity
 * (the service sets it back when that person's certificates next change). Forward-only; running it
 * again finds nothing.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    WITH course AS (
      SELECT c.person_id, bool_or(c.revoked_at IS NULL) AS standing
      FROM certificates c JOIN programmes p ON p.id = c.programme_id
      WHERE p.kind = 'coordinator_course'
      GROUP BY c.person_id),
    lost AS (
      SELECT cc.person_id, to_jsonb(cc) AS before,
        (SELECT coalesce(jsonb_agg(r.role ORDER BY r.role), '[]'::jsonb) FROM person_roles r WHERE r.person_id = cc.person_id) AS roles
      FROM coordinator_certifications cc JOIN course ON course.person_id = cc.person_id
      WHERE cc.revoked_at IS NULL AND NOT course.standing),
    revoked AS (
      UPDATE coordinator_certifications cc SET revoked_at = now(), updated_at = now()
      FROM lost WHERE cc.person_id = lost.person_id
      RETURNING cc.*),
    unroled AS (
      DELETE FROM person_roles r USING lost WHERE r.person_id = lost.person_id AND r.role = 'coordinator')
    INSERT INTO audit_log (at, actor_id, action, entity, entity_id, before, after)
    SELECT now(), NULL, 'revoke', 'coordinator_certification', lost.person_id::text,
      lost.before || jsonb_build_object('roles', lost.roles),
      to_jsonb(revoked) || jsonb_build_object('roles', lost.roles - 'coordinator')
    FROM lost JOIN revoked ON revoked.person_id = lost.person_id`.execute(db);
}
