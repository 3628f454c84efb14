import { type Insertable, type Kysely, sql, type Updateable } from 'kysely';
import type { Database, FieldOfferTable, PartnerSiteTable, PartnerTable } from '../schema.js';
import { escapeLike } from './unit.repository.js';

/** Partner organisations with their sites, field-training offers and host messages. */
export const partnerRepository = {
  find(db: Kysely<Database>, id: number) {
    return db.selectFrom('partners').selectAll().where('id', '=', id).executeTakeFirst();
  },
  findByName(db: Kysely<Database>, name: string) {
    return db.selectFrom('partners').selectAll().where('name', '=', name).executeTakeFirst();
  },
  insert(db: Kysely<Database>, p: Insertable<PartnerTable>) {
    return db.insertInto('partners').values(p).returningAll().executeTakeFirstOrThrow();
  },
  update(db: Kysely<Database>, id: number, p: Updateable<PartnerTable>) {
    return db.updateTable('partners').set(p).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
  },
  /**
   * The directory in フリガナ order (ties by id). With `after` and `limit` (the API's cursor), only the
   * `limit` partners that follow that one: keyset paging on partners_kana_c_idx.
   */
  async list(db: Kysely<Database>, f: { q?: string; type?: string; field?: string; areaId?: number; includeInactive?: boolean; after?: { kana: string; id: number }; limit?: number }) {
    let q = db.selectFrom('partners').selectAll();
    if (f.after) q = q.where(sql<boolean>`(kana COLLATE "C", id) > (${f.after.kana} COLLATE "C", ${f.after.id}::int)`);
    if (f.q) q = q.where('search_key', 'like', `%${escapeLike(f.q)}%`);
    if (f.type) q = q.where('type', '=', f.type as never);
    if (f.field) q = q.where(sql<boolean>`fields @> ${JSON.stringify([f.field])}::jsonb`);
    if (f.areaId) q = q.where(sql<boolean>`area_unit_ids @> ${JSON.stringify([f.areaId])}::jsonb`);
    if (!f.includeInactive) q = q.where('active', '=', true);
    const ordered = q.orderBy(sql`kana COLLATE "C"`).orderBy('id');
    return (f.limit ? ordered.limit(f.limit) : ordered).execute();
  },
  /**
   * One page of the directory, filtered, sorted and paged in the database: by フリガナ (50音順) or by
   * type (in the order of PARTNER_TYPES), ties in 50音順 then by id; with the number of matches.
   */
  async page(
    db: Kysely<Database>,
    f: { q?: string; type?: string; field?: string; areaId?: number; includeInactive?: boolean },
    p: { sort: 'kana' | 'type'; dir: 'asc' | 'desc'; limit: number; offset: number; typeOrder: readonly string[] },
  ) {
    let q = db.selectFrom('partners');
    if (f.q) q = q.where('search_key', 'like', `%${escapeLike(f.q)}%`);
    if (f.type) q = q.where('type', '=', f.type as never);
    if (f.field) q = q.where(sql<boolean>`fields @> ${JSON.stringify([f.field])}::jsonb`);
    if (f.areaId) q = q.where(sql<boolean>`area_unit_ids @> ${JSON.stringify([f.areaId])}::jsonb`);
    if (!f.includeInactive) q = q.where('active', '=', true);
    const key = p.sort === 'type' ? sql`array_position(string_to_array(${p.typeOrder.join(',')}, ','), type)` : sql`kana COLLATE "C"`;
    const rows = await q
      .selectAll()
      .select(sql<number>`count(*) OVER ()::int`.as('total'))
      .orderBy(key, p.dir)
      .orderBy(sql`kana COLLATE "C"`, p.sort === 'kana' ? p.dir : 'asc')
      .orderBy('id', p.sort === 'kana' ? p.dir : 'asc')
      .limit(p.limit)
      .offset(p.offset)
      .execute();
    const total = rows[0]?.total ?? (p.offset ? (await q.select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow()).n : 0);
    return { rows: rows.map(({ total: _, ...r }) => r), total };
  },
  sites(db: Kysely<Database>, partnerId: number) {
    return db.selectFrom('partner_sites').selectAll().where('partner_id', '=', partnerId).orderBy('id').execute();
  },
  /** Every active site of an active partner, with its partner's name, partners in フリガナ order (where the office can hold a field training). */
  activeSites(db: Kysely<Database>) {
    return db
      .selectFrom('partner_sites')
      .innerJoin('partners', 'partners.id', 'partner_sites.partner_id')
      .selectAll('partner_sites')
      .select(['partners.name as partner_name', 'partners.kana as partner_kana'])
      .where('partner_sites.active', '=', true)
      .where('partners.active', '=', true)
      .orderBy(sql`partners.kana COLLATE "C"`)
      .orderBy('partners.id')
      .orderBy('partner_sites.id')
      .execute();
  },
  findSite(db: Kysely<Database>, id: number) {
    return db.selectFrom('partner_sites').selectAll().where('id', '=', id).executeTakeFirst();
  },
  insertSite(db: Kysely<Database>, s: Insertable<PartnerSiteTable>) {
    return db.insertInto('partner_sites').values(s).returningAll().executeTakeFirstOrThrow();
  },
  updateSite(db: Kysely<Database>, id: number, s: Updateable<PartnerSiteTable>) {
    return db.updateTable('partner_sites').set(s).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
  },
  members(db: Kysely<Database>, partnerId: number) {
    return db.selectFrom('people').select(['id', 'name', 'kana', 'email', 'active', 'password_hash']).where('partner_id', '=', partnerId).orderBy(sql`kana COLLATE "C"`).execute();
  },
  insertOffer(db: Kysely<Database>, o: Insertable<FieldOfferTable>) {
    return db.insertInto('field_offers').values(o).returningAll().executeTakeFirstOrThrow();
  },
  findOffer(db: Kysely<Database>, id: number) {
    return db.selectFrom('field_offers').selectAll().where('id', '=', id).executeTakeFirst();
  },
  updateOffer(db: Kysely<Database>, id: number, o: Updateable<FieldOfferTable>) {
    return db.updateTable('field_offers').set(o).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
  },
  /** The offer whose scheduled session this is, if any. */
  offerOfSession(db: Kysely<Database>, sessionId: number) {
    return db.selectFrom('field_offers').selectAll().where('session_id', '=', sessionId).executeTakeFirst();
  },
  /**
   * Offerings that may receive an offer's session: those of the given fiscal years that are not
   * cancelled, oldest year first, then in the order the offerings list uses.
   */
  offeringsOfYears(db: Kysely<Database>, fiscalYears: number[]) {
    if (!fiscalYears.length) return Promise.resolve([]);
    return db
      .selectFrom('offerings')
      .select(['id', 'title', 'fiscal_year', 'published', 'cancelled_at'])
      .where('fiscal_year', 'in', fiscalYears)
      .where('cancelled_at', 'is', null)
      .orderBy('fiscal_year')
      .orderBy('application_opens_at')
      .orderBy('id')
      .execute();
  },
  offers(db: Kysely<Database>, f: { partnerId?: number; status?: string }) {
    let q = db
      .selectFrom('field_offers')
      .innerJoin('partners', 'partners.id', 'field_offers.partner_id')
      .innerJoin('partner_sites', 'partner_sites.id', 'field_offers.site_id')
      .leftJoin('offering_sessions', 'offering_sessions.id', 'field_offers.session_id')
      .leftJoin('offerings', 'offerings.id', 'offering_sessions.offering_id')
      .selectAll('field_offers')
      .select(['partners.name as partner_name', 'partner_sites.name as site_name', 'partner_sites.address as site_address', 'partner_sites.capacity as site_capacity'])
      .select(['offering_sessions.starts_at as session_starts_at', 'offerings.id as session_offering_id', 'offerings.title as session_offering_title']);
    if (f.partnerId) q = q.where('field_offers.partner_id', '=', f.partnerId);
    if (f.status) q = q.where('field_offers.status', '=', f.status as never);
    return q.orderBy('field_offers.id', 'desc').execute();
  },
  /** Field sessions hosted by a partner, with their offering and confirmed count. */
  hostedSessions(db: Kysely<Database>, partnerId: number) {
    return db
      .selectFrom('offering_sessions')
      .innerJoin('offerings', 'offerings.id', 'offering_sessions.offering_id')
      .selectAll('offering_sessions')
      .select((eb) => [
        'offerings.title as offering_title',
        'offerings.fiscal_year',
        eb
          .selectFrom('applications')
          .whereRef('applications.offering_id', '=', 'offerings.id')
          .where('applications.status', '=', 'confirmed')
          .select(sql<number>`count(*)`.as('n'))
          .as('confirmed_count'),
      ])
      .where('offering_sessions.host_partner_id', '=', partnerId)
      .orderBy('offering_sessions.starts_at', 'desc')
      .execute();
  },
  insertMessage(db: Kysely<Database>, m: { session_id: number; partner_id: number; body: string; created_by: number; created_at: Date }) {
    return db.insertInto('host_messages').values(m).returningAll().executeTakeFirstOrThrow();
  },
  messages(db: Kysely<Database>, sessionId: number) {
    return db.selectFrom('host_messages').selectAll().where('session_id', '=', sessionId).orderBy('id', 'desc').execute();
  },
};
