import { type Kysely, sql } from 'kysely';
import type { Database } from '../schema.js';

export interface TileRow {
  code: string;
  name: string;
  x: number;
  y: number;
}

/** Per-市町 counts, keyed by the 市町's unit id (a 市町 with nothing to count is absent). */
export type CountsByUnit = Map<number, number>;

const toMap = (rows: { unit_id: number; n: number | string }[]): CountsByUnit => new Map(rows.map((r) => [Number(r.unit_id), Number(r.n)]));

export const municipalityMapRepository = {
  tiles(db: Kysely<Database>): Promise<TileRow[]> {
    return db.selectFrom('municipality_tiles').select(['code', 'name', 'x', 'y']).orderBy('y').orderBy('x').execute();
  },

  /** Replaces every tile (the admin's form holds the whole set, so that two squares can swap places). */
  async replaceTiles(db: Kysely<Database>, tiles: readonly TileRow[], now: Date): Promise<void> {
    await db.deleteFrom('municipality_tiles').execute();
    if (tiles.length) await db.insertInto('municipality_tiles').values(tiles.map((t) => ({ ...t, updated_at: now }))).execute();
  },

  /** Active 市町 of the organisation directory that have a 全国地方公共団体コード. */
  municipalities(db: Kysely<Database>): Promise<{ id: number; code: string; name: string }[]> {
    return db
      .selectFrom('units')
      .select(['id', 'code', 'name'])
      .where('kind', '=', 'municipality')
      .where('active', '=', true)
      .where('code', 'is not', null)
      .orderBy('code')
      .execute() as Promise<{ id: number; code: string; name: string }[]>;
  },

  /**
   * Staff of each 市町 who took part in a session held between the two instants: attendance where it
   * was taken, else the offering's confirmed participants (the rule of the yearly KPIs).
   */
  async participants(db: Kysely<Database>, from: Date, to: Date, now: Date): Promise<CountsByUnit> {
    const r = await sql<{ unit_id: number; n: number }>`
      WITH held AS MATERIALIZED (
             SELECT s.id, s.offering_id FROM offering_sessions s JOIN offerings o ON o.id = s.offering_id
             WHERE s.starts_at >= ${from} AND s.starts_at < ${to} AND s.ends_at <= ${now} AND o.cancelled_at IS NULL),
           attended AS (
             SELECT a.person_id FROM attendance t JOIN applications a ON a.id = t.application_id
             WHERE t.session_id IN (SELECT id FROM held) AND t.status IN ('present','late','left_early')
             UNION
             SELECT a.person_id FROM held s JOIN applications a ON a.offering_id = s.offering_id AND a.status = 'confirmed'
             WHERE NOT EXISTS (SELECT 1 FROM attendance t WHERE t.session_id = s.id))
      SELECT p.unit_id, count(*) AS n
      FROM attended x JOIN people p ON p.id = x.person_id JOIN units u ON u.id = p.unit_id AND u.kind = 'municipality'
      GROUP BY p.unit_id`.execute(db);
    return toMap(r.rows);
  },

  /** Field trainings held between the instants at partners serving each 市町, and how many partners hosted them. */
  async fieldTrainings(db: Kysely<Database>, from: Date, to: Date, now: Date): Promise<{ sessions: CountsByUnit; partners: CountsByUnit }> {
    const r = await sql<{ unit_id: number; sessions: number; partners: number }>`
      SELECT u.id AS unit_id, count(DISTINCT s.id) AS sessions, count(DISTINCT pa.id) AS partners
      FROM units u
      JOIN partners pa ON pa.area_unit_ids @> to_jsonb(u.id)
      JOIN offering_sessions s ON s.host_partner_id = pa.id AND s.format = 'field'
      JOIN offerings o ON o.id = s.offering_id AND o.cancelled_at IS NULL
      WHERE u.kind = 'municipality' AND s.starts_at >= ${from} AND s.starts_at < ${to} AND s.ends_at <= ${now}
      GROUP BY u.id`.execute(db);
    return {
      sessions: toMap(r.rows.map((x) => ({ unit_id: x.unit_id, n: x.sessions }))),
      partners: toMap(r.rows.map((x) => ({ unit_id: x.unit_id, n: x.partners }))),
    };
  },

  /** Coordinators of each 市町 whose certification stands on the date (not expired, not revoked by its end). */
  async activeCoordinators(db: Kysely<Database>, asOf: string, endOfDay: Date): Promise<CountsByUnit> {
    const r = await sql<{ unit_id: number; n: number }>`
      SELECT p.unit_id, count(*) AS n
      FROM coordinator_certifications cc JOIN people p ON p.id = cc.person_id JOIN units u ON u.id = p.unit_id AND u.kind = 'municipality'
      WHERE cc.granted_on <= ${asOf} AND (cc.valid_until IS NULL OR cc.valid_until >= ${asOf})
        AND (cc.revoked_at IS NULL OR cc.revoked_at > ${endOfDay})
      GROUP BY p.unit_id`.execute(db);
    return toMap(r.rows);
  },

  /**
   * Consultations filed between the instants by or for each 市町 (its own request, or one whose areas
   * include it) that were served: a coordinator took the case on, or it closed with an outcome.
   */
  async consultationsServed(db: Kysely<Database>, from: Date, to: Date): Promise<CountsByUnit> {
    const r = await sql<{ unit_id: number; n: number }>`
      SELECT u.id AS unit_id, count(*) AS n
      FROM units u JOIN consultations c ON (c.unit_id = u.id OR c.area_unit_ids @> to_jsonb(u.id))
      WHERE u.kind = 'municipality' AND c.created_at >= ${from} AND c.created_at < ${to}
        AND (c.status = 'in_progress' OR (c.status = 'closed' AND c.outcome IS NOT NULL))
      GROUP BY u.id`.execute(db);
    return toMap(r.rows);
  },
};
